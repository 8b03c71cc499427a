import { defineLoader, byKey } from '../../core/loaders';
import { query } from '../../core/db';
import { sql } from '../../core/sql';
import { Case, type CaseRow } from './case.type';
import { visibleCaseCondition } from './case.scope';

/** A case by its local id, or null when it does not exist or the caller may not see it. */
export const caseById = defineLoader<string, Case | null>('caseById', async (ctx, ids) => {
  const rows = await query<CaseRow>(ctx.db, sql`SELECT c.* FROM "case" c WHERE c.id = ANY(${ids as string[]}::bigint[]) AND ${visibleCaseCondition(ctx)}`);
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? Case.from(r) : null));
});
