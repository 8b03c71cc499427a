import type { EntityManager } from 'typeorm';
import type { Context } from '../../context';
import { requireViewer } from '../../context';
import { relationsTo } from '../../core/auth/access';
import { mayAct } from '../../core/auth/policy';
import { Relation } from '../../core/auth/roles';
import { queryOne } from '../../core/db';
import { forbidden, invalidTransition, notFound } from '../../core/graphql/errors';
import { sql } from '../../core/sql';
import { CaseStatus } from './case.enums';
import { visibleCaseCondition } from './case.scope';

/**
 * Who may write on a case's route of help. The roles come from ACTION_POLICY; the standing towards the case
 * (its manager, the team, the region) comes from the same relations the read policy uses.
 */

/** The columns of a case that the route-of-help rules need, with the database's today. */
export interface CaseForWrite {
  id: string;
  family_id: string;
  region_code: string;
  status: CaseStatus;
  opened_on: string;
  closed_on: string | null;
  case_manager_id: string | null;
  lead_agency_id: string;
  today: string;
}

/**
 * Loads a case the caller is about to write on: a case the caller may not see does not exist (NOT_FOUND),
 * like in every read. Returns the row and the caller's relations to it.
 */
export async function loadCaseForWrite(ctx: Context, caseId: string, db: EntityManager | null = null): Promise<{ row: CaseForWrite; relations: Set<Relation> }> {
  const row = await queryOne<CaseForWrite>(
    db ?? ctx.db,
    sql`SELECT c.id::text AS id, c.family_id::text AS family_id, c.region_code, c.status, c.opened_on, c.closed_on,
               c.case_manager_id::text AS case_manager_id, c.lead_agency_id::text AS lead_agency_id, current_date::text AS today
          FROM "case" c WHERE c.id = ${caseId}::bigint AND ${visibleCaseCondition(ctx)}`,
  );
  if (!row) throw notFound('Case');
  return { row, relations: await relationsTo(ctx, { kind: 'case', id: row.id }) };
}

/** The case manager of the case, or a coordinator of the case's region: they build the route of help. */
export function mayPlanCase(ctx: Context, relations: ReadonlySet<Relation>): boolean {
  const viewer = requireViewer(ctx);
  if (!mayAct(viewer.roles, 'cases.plan')) return false;
  if (relations.has(Relation.CASE_MANAGER)) return true;
  return mayAct(viewer.roles, 'cases.coordinate') && relations.has(Relation.REGION);
}

/** Whether the caller's agency is on the case team (a LEAD, TEAM or accepted REFERRAL grant), with a role that works on cases. */
export function isTeamWorker(ctx: Context, relations: ReadonlySet<Relation>): boolean {
  const viewer = requireViewer(ctx);
  return mayAct(viewer.roles, 'cases.work') && relations.has(Relation.TEAM);
}

/** Those who plan the case and the agencies on its team work on it (needs, services, progress of their steps). */
export function mayWorkOnCase(ctx: Context, relations: ReadonlySet<Relation>): boolean {
  return mayPlanCase(ctx, relations) || isTeamWorker(ctx, relations);
}

export function assertMayPlan(ctx: Context, relations: ReadonlySet<Relation>): void {
  if (!mayPlanCase(ctx, relations)) throw forbidden("Only the case's manager or a coordinator of its region may change its route of help.");
}

export function assertMayWork(ctx: Context, relations: ReadonlySet<Relation>): void {
  if (!mayWorkOnCase(ctx, relations)) throw forbidden('Only the case manager, the coordinator and the agencies on the case team may do this.');
}

/** A closed case keeps its record as it was: no new needs, steps or referrals. */
export function assertCaseOpen(row: CaseForWrite): void {
  if (row.status === CaseStatus.CLOSED) throw invalidTransition('The case is closed; its route of help can no longer change.');
}
