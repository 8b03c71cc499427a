import type { EntityManager } from 'typeorm';
import type { Context } from '../../context';
import { requireViewer } from '../../context';
import { primeRelations } from '../../core/auth/access';
import { mayAct } from '../../core/auth/policy';
import { Relation } from '../../core/auth/roles';
import { queryOne } from '../../core/db';
import { forbidden, invalidTransition, notFound } from '../../core/graphql/errors';
import { join, raw, sql, type Sql } from '../../core/sql';
import { CaseStatus } from './case.enums';
import { caseRelationColumns, relationsOfColumns, visibleCaseCondition, type CaseRelationColumns } from './case.scope';

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

/** Named SQL expressions read in the same statement as the case (alias `c`); see `loadCaseForWrite`. */
export type CaseFacts<F> = { [K in keyof F]: Sql };

const FACT_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * The select list of a case about to be written on (alias `c`): the columns of `CaseForWrite`, the database's today,
 * the caller's relations to the case (`caseRelationColumns`: the SQL the guards' relation resolver runs, so they are
 * the relations `relationsTo` would give) and `facts`. Read it back with `caseForWriteOf`.
 */
export function caseForWriteColumns<F>(ctx: Context, facts?: CaseFacts<F>): Sql {
  const viewer = requireViewer(ctx);
  const columns: Sql[] = [
    raw(`c.id::text AS id, c.family_id::text AS family_id, c.region_code, c.status, c.opened_on, c.closed_on,
         c.case_manager_id::text AS case_manager_id, c.lead_agency_id::text AS lead_agency_id, current_date::text AS today`),
    caseRelationColumns(viewer, 'c'),
  ];
  for (const [name, expression] of Object.entries<Sql>((facts ?? {}) as Record<string, Sql>)) {
    if (!FACT_NAME.test(name)) throw new Error(`bad fact name ${name}`);
    columns.push(sql`${expression} AS ${raw(`"fact_${name}"`)}`);
  }
  return join(columns, ', ');
}

/** Reads a row selected with `caseForWriteColumns`: the case, the caller's relations to it, and the facts. */
export function caseForWriteOf<F>(selected: Record<string, unknown>): { row: CaseForWrite; relations: Set<Relation>; facts: F } {
  const s = selected;
  const row: CaseForWrite = {
    id: s.id as string,
    family_id: s.family_id as string,
    region_code: s.region_code as string,
    status: s.status as CaseStatus,
    opened_on: s.opened_on as string,
    closed_on: s.closed_on as string | null,
    case_manager_id: s.case_manager_id as string | null,
    lead_agency_id: s.lead_agency_id as string,
    today: s.today as string,
  };
  const relations = relationsOfColumns(s as unknown as CaseRelationColumns);
  const facts: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(s)) if (key.startsWith('fact_')) facts[key.slice(5)] = value;
  return { row, relations, facts: facts as F };
}

/**
 * Loads a case the caller is about to write on: a case the caller may not see does not exist (NOT_FOUND),
 * like in every read. Returns the row and the caller's relations to it, read in one statement; with `facts`
 * (named SQL expressions over the case alias `c`: the lookups a write checks its input against), their values too,
 * from the same statement.
 */
export async function loadCaseForWrite<F = Record<string, never>>(
  ctx: Context,
  caseId: string,
  db: EntityManager | null = null,
  facts?: CaseFacts<F>,
): Promise<{ row: CaseForWrite; relations: Set<Relation>; facts: F }> {
  const selected = await queryOne<Record<string, unknown>>(
    db ?? ctx.db,
    sql`SELECT ${caseForWriteColumns(ctx, facts)} FROM "case" c WHERE c.id = ${caseId}::bigint AND ${visibleCaseCondition(ctx)}`,
  );
  if (!selected) throw notFound('Case');
  return caseForWriteOf<F>(selected);
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

/**
 * For a mutation's `keep` (src/core/mutation.ts): the caller's relations to the case, read with the case before a write
 * that changes none of them (no grant, case manager or region), handed to the loaders after the commit.
 */
export function keepCaseRelations(ctx: Context, caseId: string, relations: Set<Relation>): () => void {
  return () => primeRelations(ctx, 'case', [[caseId, relations]]);
}
