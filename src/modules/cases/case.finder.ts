import type { Context } from '../../context';
import { requireViewer } from '../../context';
import { query } from '../../core/db';
import { keysetPage, type OrderColumn, type PageArgs } from '../../core/graphql/connection';
import { badField } from '../../core/graphql/errors';
import { expectGlobalId } from '../../core/graphql/global-id';
import { and, raw, sql, type Sql } from '../../core/sql';
import { Case, type CaseRow } from './case.type';
import { CaseOrderField, OrderDirection } from './case.enums';
import type { CaseFilter, CaseOrder } from './case.inputs';
import { caseRelationColumns, primeRelationColumns, visibleCaseCondition, type CaseRelationColumns } from './case.scope';

/** An active grant (not revoked, not expired) of the agency on the case `c`. */
const agencyParticipates = (agencyId: string): Sql =>
  sql`EXISTS (SELECT 1 FROM case_access_grant g WHERE g.case_id = c.id AND g.agency_id = ${agencyId}::bigint
                AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > now()))`;

/** A referral of the case `c` still waiting for an answer after its deadline. */
const overdueReferral = raw(`EXISTS (SELECT 1 FROM referral r WHERE r.case_id = c.id AND r.status = 'SENT' AND r.respond_by < now())`);

/** The conditions of a case filter over alias `c` (row scoping is added by the finder). */
export function caseFilterConditions(ctx: Context, filter: CaseFilter | null | undefined): Sql[] {
  const viewer = requireViewer(ctx);
  const conditions: Sql[] = [];
  if (!filter) return conditions;
  if (filter.status?.length) conditions.push(sql`c.status = ANY(${filter.status}::case_status[])`);
  if (filter.riskLevel?.length) conditions.push(sql`c.risk_level = ANY(${filter.riskLevel}::risk_level[])`);
  if (filter.region?.length) conditions.push(sql`c.region_code = ANY(${filter.region}::text[])`);
  if (filter.program) {
    const programId = expectGlobalId(filter.program, 'Program', 'filter.program');
    conditions.push(sql`EXISTS (SELECT 1 FROM case_program cp WHERE cp.case_id = c.id AND cp.program_id = ${programId}::bigint)`);
  }
  if (filter.agency) {
    const agencyId = expectGlobalId(filter.agency, 'Agency', 'filter.agency');
    conditions.push(sql`(c.lead_agency_id = ${agencyId}::bigint OR ${agencyParticipates(agencyId)})`);
  }
  if (filter.assignedToMe === true) conditions.push(sql`c.case_manager_id = ${viewer.staffId}::bigint`);
  if (filter.assignedToMe === false) conditions.push(sql`c.case_manager_id IS DISTINCT FROM ${viewer.staffId}::bigint`);
  if (filter.openedFrom && filter.openedTo && filter.openedFrom > filter.openedTo) throw badField('filter.openedTo', 'must not be before openedFrom');
  if (filter.openedFrom) conditions.push(sql`c.opened_on >= ${filter.openedFrom}::date`);
  if (filter.openedTo) conditions.push(sql`c.opened_on <= ${filter.openedTo}::date`);
  if (filter.hasOverdueReferrals === true) conditions.push(overdueReferral);
  if (filter.hasOverdueReferrals === false) conditions.push(sql`NOT ${overdueReferral}`);
  return conditions;
}

/** The keyset order of a case list; the id makes every order unique. */
function caseOrder(order: CaseOrder | null | undefined): OrderColumn[] {
  const direction = order?.direction === OrderDirection.ASC ? 'ASC' : 'DESC';
  const id: OrderColumn = { expression: 'c.id', direction, key: 'id' };
  switch (order?.field ?? CaseOrderField.OPENED_ON) {
    case CaseOrderField.OPENED_ON:
      return [{ expression: 'c.opened_on', direction, key: 'opened_on' }, id];
    case CaseOrderField.UPDATED_AT:
      // Cursors carry milliseconds; PostgreSQL keeps microseconds. Ordering by the truncated value keeps cursors exact.
      return [{ expression: "date_trunc('milliseconds', c.updated_at)", direction, key: 'order_updated_at' }, id];
    case CaseOrderField.NUMBER:
      return [{ expression: 'c.number', direction, key: 'number' }];
    case CaseOrderField.RISK_LEVEL:
      // The enum orders LOW < MEDIUM < HIGH < CRITICAL, as declared.
      return [{ expression: 'c.risk_level', direction, key: 'risk_level' }, id];
  }
}

type CaseWithRelationsRow = CaseRow & CaseRelationColumns;

/**
 * A case row read together with the caller's relations to it: the guards of its fields then need no statement of
 * their own (`primeRelationColumns`).
 */
function caseWithRelations(ctx: Context) {
  return (row: CaseWithRelationsRow): Case => {
    primeRelationColumns(ctx, 'case', [row]);
    return Case.from(row);
  };
}

/** One page of the cases the caller may see, filtered and ordered, in SQL. */
export function findCases(ctx: Context, filter: CaseFilter | null | undefined, order: CaseOrder | null | undefined, page: PageArgs) {
  return keysetPage<CaseWithRelationsRow & Record<string, unknown>, Case>({
    db: ctx.db,
    select: sql`c.*, date_trunc('milliseconds', c.updated_at) AS order_updated_at, ${caseRelationColumns(requireViewer(ctx))}`,
    from: raw('"case" c'),
    where: and([visibleCaseCondition(ctx), ...caseFilterConditions(ctx, filter)]),
    order: caseOrder(order),
    args: page,
    map: caseWithRelations(ctx),
  });
}

/** A case by its number, or null when there is none or the caller may not see it. */
export async function findCaseByNumber(ctx: Context, number: string): Promise<Case | null> {
  const [row] = await query<CaseWithRelationsRow>(
    ctx.db,
    sql`SELECT c.*, ${caseRelationColumns(requireViewer(ctx))} FROM "case" c WHERE c.number = ${number} AND ${visibleCaseCondition(ctx)}`,
  );
  return row ? caseWithRelations(ctx)(row) : null;
}
