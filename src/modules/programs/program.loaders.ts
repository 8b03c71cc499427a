import { defineLoader, byKey } from '../../core/loaders';
import { query } from '../../core/db';
import { sql } from '../../core/sql';
import { PROGRAM_COLUMNS, Program, type ProgramRow } from './program.type';

export const programById = defineLoader<string, Program | null>('programById', async (ctx, ids) => {
  const rows = await query<ProgramRow>(ctx.db, sql`SELECT ${PROGRAM_COLUMNS} FROM program p WHERE p.id = ANY(${ids as string[]}::bigint[])`);
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? Program.from(r) : null));
});

export const programByCode = defineLoader<string, Program | null>('programByCode', async (ctx, codes) => {
  const rows = await query<ProgramRow>(ctx.db, sql`SELECT ${PROGRAM_COLUMNS} FROM program p WHERE p.code = ANY(${codes as string[]}::text[])`);
  return byKey(codes, rows, (r) => r.code).map((r) => (r ? Program.from(r) : null));
});
