import type { Context } from '../../context';
import { keysetPage, type PageArgs } from '../../core/graphql/connection';
import { expectGlobalId } from '../../core/graphql/global-id';
import { and, raw, sql, type Sql } from '../../core/sql';
import { Agency, StaffMember, type AgencyRow, type StaffRow } from './agency.type';
import type { AgencyFilter } from './agency.inputs';

/** Agencies are reference data: every authenticated caller sees all of them. */
export function findAgencies(ctx: Context, filter: AgencyFilter | undefined, page: PageArgs) {
  const conditions: Sql[] = [];
  if (filter?.kind) conditions.push(sql`a.kind = ${filter.kind}`);
  if (filter?.region) conditions.push(sql`a.region_code = ${filter.region}`);
  if (filter?.parent) conditions.push(sql`a.parent_id = ${expectGlobalId(filter.parent, 'Agency', 'filter.parent')}::bigint`);
  if (filter?.search) conditions.push(sql`a.name ILIKE ${'%' + filter.search.replace(/[%_\\]/g, '\\$&') + '%'}`);
  return keysetPage<AgencyRow & Record<string, unknown>, Agency>({
    db: ctx.db,
    select: raw('a.*'),
    from: raw('agency a'),
    where: and(conditions),
    order: [
      { expression: 'a.name', direction: 'ASC', key: 'name' },
      { expression: 'a.id', direction: 'ASC', key: 'id' },
    ],
    args: page,
    map: Agency.from,
  });
}

export function findStaff(ctx: Context, agencyId: string, page: PageArgs) {
  return keysetPage<StaffRow & Record<string, unknown>, StaffMember>({
    db: ctx.db,
    select: raw('s.*'),
    from: raw('staff_member s'),
    where: sql`s.agency_id = ${agencyId}::bigint`,
    order: [
      { expression: 's.full_name', direction: 'ASC', key: 'full_name' },
      { expression: 's.id', direction: 'ASC', key: 'id' },
    ],
    args: page,
    map: StaffMember.from,
  });
}
