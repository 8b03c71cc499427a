import { requireViewer } from '../../context';
import { mayAct } from '../../core/auth/policy';
import { Role } from '../../core/auth/roles';
import { byKey, defineLoader } from '../../core/loaders';
import { query } from '../../core/db';
import { raw, sql } from '../../core/sql';
import { ReportedIndicator, type ReportedIndicatorRow } from './metrics.type';

/**
 * Reported figures by id, as the caller may see them (AGGREGATE): analysts and administrators every region,
 * a coordinator the own regions; anyone else none (absent, not an error).
 */
export const reportedIndicatorById = defineLoader<string, ReportedIndicator | null>('reportedIndicatorById', async (ctx, ids) => {
  const viewer = requireViewer(ctx);
  if (!mayAct(viewer.roles, 'metrics.read')) return ids.map(() => null);
  const everyRegion = viewer.roles.includes(Role.ADMIN) || viewer.roles.includes(Role.ANALYST);
  const rows = await query<ReportedIndicatorRow>(
    ctx.db,
    sql`SELECT id, program_id, region_code, indicator, period_start, period_end, value::text AS value, note, created_at
          FROM reported_indicator
         WHERE id = ANY(${ids as string[]}::bigint[]) AND ${everyRegion ? raw('TRUE') : sql`region_code = ANY(${viewer.regions}::text[])`}`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? ReportedIndicator.from(r) : null));
});
