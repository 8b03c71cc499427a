import type { Context } from '../../context';
import { keysetPage, type PageArgs } from '../../core/graphql/connection';
import { and, sql, type Sql } from '../../core/sql';
import { PROGRAM_COLUMNS, Program, type ProgramRow } from './program.type';
import type { ProgramFilter } from './program.inputs';

/** Programmes are reference data: every authenticated caller sees all of them, by code. */
export function findPrograms(ctx: Context, filter: ProgramFilter | undefined, page: PageArgs) {
  const conditions: Sql[] = [];
  if (filter?.region) conditions.push(sql`${filter.region}::text = ANY(p.region_codes)`);
  if (filter?.activeOn) conditions.push(sql`p.starts_on <= ${filter.activeOn}::date AND (p.ends_on IS NULL OR p.ends_on >= ${filter.activeOn}::date)`);
  if (filter?.search) {
    const pattern = '%' + filter.search.replace(/[%_\\]/g, '\\$&') + '%';
    conditions.push(sql`(p.name ILIKE ${pattern} OR p.code ILIKE ${pattern} OR p.funder ILIKE ${pattern})`);
  }
  return keysetPage<ProgramRow & Record<string, unknown>, Program>({
    db: ctx.db,
    select: PROGRAM_COLUMNS,
    from: sql`program p`,
    where: and(conditions),
    order: [{ expression: 'p.code', direction: 'ASC', key: 'code' }],
    args: page,
    map: Program.from,
  });
}
