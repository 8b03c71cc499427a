import type { EntityManager } from 'typeorm';
import type { Context } from '../../context';
import { requireViewer } from '../../context';
import type { RecordScope } from '../../core/auth/access';
import { query, queryOne } from '../../core/db';
import { forbidden, invalidTransition, notFound } from '../../core/graphql/errors';
import { expectGlobalId } from '../../core/graphql/global-id';
import { bumpVersion, updateVersioned } from '../../core/mutation';
import { sql } from '../../core/sql';
import { visibleCaseCondition } from './case.scope';
import { PlanStepStatus } from './case.enums';
import { assertCaseOpen, assertMayPlan, assertMayWork, caseForWriteColumns, caseForWriteOf, isTeamWorker, keepCaseRelations, loadCaseForWrite, mayPlanCase, type CaseFacts } from './plan.access';
import type { AddNeedInput, AddPlanStepInput, UpdatePlanStepInput } from './plan.inputs';
import { agencyFact, agencyFromFact, checkAgency, checkOffering, resolveServiceType, type AgencyFact } from './plan.rules';
import { PLAN_STEP_COLUMNS } from './plan.loaders';
import type { PlanStepRow } from './plan.type';
import { Violations, localIdOf } from '../../core/graphql/violations';

/** The moves of the plan-step status machine; anything else is INVALID_TRANSITION. */
export const PLAN_STEP_TRANSITIONS: Readonly<Record<PlanStepStatus, readonly PlanStepStatus[]>> = {
  [PlanStepStatus.PLANNED]: [PlanStepStatus.IN_PROGRESS, PlanStepStatus.CANCELLED],
  [PlanStepStatus.IN_PROGRESS]: [PlanStepStatus.DONE, PlanStepStatus.CANCELLED],
  [PlanStepStatus.DONE]: [],
  [PlanStepStatus.CANCELLED]: [],
};

const caseScope = (caseId: string, ownerAgencyId?: string): RecordScope => ({ kind: 'case', id: caseId, ownerAgencyId });

/** Records a need of the family; any agency working on the case may, and it is named as the one that found it. */
export async function addNeed(ctx: Context, tx: EntityManager, input: AddNeedInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const caseId = expectGlobalId(input.case, 'Case', 'input.case');
  const { row, relations } = await loadCaseForWrite(ctx, caseId, tx);
  assertMayWork(ctx, relations);
  assertCaseOpen(row);
  await bumpVersion(tx, 'case', caseId, input.expectedVersion, 'Case');
  const inserted = await query<{ id: string }>(
    tx,
    sql`INSERT INTO need (case_id, domain, description, identified_by_agency_id)
        VALUES (${caseId}::bigint, ${input.domain}, ${input.description}, ${viewer.agencyId}::bigint) RETURNING id::text AS id`,
  );
  ctx.audit.write('Need', { ...caseScope(caseId, viewer.agencyId), recordId: inserted[0].id }, ['domain', 'description', 'status']);
  return inserted[0].id;
}

/** Adds a step at the end of the route of help (the case manager or a coordinator of the region). */
export async function addPlanStep(ctx: Context, tx: EntityManager, input: AddPlanStepInput): Promise<string> {
  const caseId = expectGlobalId(input.case, 'Case', 'input.case');
  const { row, relations } = await loadCaseForWrite(ctx, caseId, tx);
  assertMayPlan(ctx, relations);

  const violations = new Violations();
  const needId = localIdOf(input.need, 'Need', 'input.need', violations);
  const offeringId = localIdOf(input.offering, 'ServiceOffering', 'input.offering', violations);
  let agencyId = localIdOf(input.responsibleAgency, 'Agency', 'input.responsibleAgency', violations);
  if (needId) {
    const need = await queryOne(tx, sql`SELECT 1 FROM need WHERE id = ${needId}::bigint AND case_id = ${caseId}::bigint`);
    if (!need) violations.add('input.need', 'is not a need of this case');
  }
  const offering = await checkOffering(tx, offeringId, 'input.offering', violations);
  const serviceType = await resolveServiceType(tx, input.serviceType, 'input.serviceType', violations);
  if (offering && serviceType && offering.service_type_id !== serviceType.id) violations.add('input.serviceType', "must be the offering's service type (or be left out)");
  if (offering && agencyId && offering.provider_id !== agencyId) violations.add('input.responsibleAgency', "must be the offering's provider (or be left out)");
  agencyId ??= offering?.provider_id ?? null;
  if (!agencyId && input.responsibleAgency == null && !input.offering) violations.add('input.responsibleAgency', 'is required when no offering is given');
  else await checkAgency(tx, agencyId, 'input.responsibleAgency', violations);
  if (input.dueOn && input.dueOn < row.opened_on) violations.add('input.dueOn', `must not be before the case was opened (${row.opened_on})`);
  violations.throwIfAny();
  assertCaseOpen(row);

  await bumpVersion(tx, 'case', caseId, input.expectedVersion, 'Case');
  const inserted = await query<{ id: string }>(
    tx,
    sql`INSERT INTO plan_step (case_id, position, need_id, title, service_type_id, responsible_agency_id, offering_id, due_on)
        SELECT ${caseId}::bigint, coalesce(max(position), 0) + 1, ${needId}::bigint, ${input.title}, ${serviceType?.id ?? offering?.service_type_id ?? null}::bigint,
               ${agencyId}::bigint, ${offeringId}::bigint, ${input.dueOn ?? null}::date
          FROM plan_step WHERE case_id = ${caseId}::bigint
        RETURNING id::text AS id`,
  );
  ctx.audit.write('PlanStep', { ...caseScope(caseId), recordId: inserted[0].id }, ['title', 'need', 'serviceType', 'responsibleAgency', 'offering', 'dueOn']);
  return inserted[0].id;
}

interface StepForWrite {
  step_id: string;
  step_case_id: string;
  step_status: PlanStepStatus;
  step_responsible_agency_id: string;
  step_decision_id: string | null;
  step_completed_on: string | null;
}

/** The lookups of `updatePlanStep`'s rules, read with the step and its case. */
interface StepFacts {
  responsible_agency: AgencyFact;
}

/**
 * Moves a step along its status machine or re-plans it. The case manager and the coordinator change anything;
 * the responsible agency's staff on the team report progress (status, completion date) of their own steps only.
 * When a step that carries out a conference decision becomes DONE, the decision is done too, in the same transaction.
 * The step, its case, the caller's standing and the lookups of the rules are read in one statement; the version check
 * and the change are one UPDATE, which answers the step as it now is.
 */
export async function updatePlanStep(ctx: Context, tx: EntityManager, input: UpdatePlanStepInput): Promise<{ id: string; written: PlanStepRow; keep: () => void }> {
  const viewer = requireViewer(ctx);
  const stepId = expectGlobalId(input.step, 'PlanStep', 'input.step');
  const facts: CaseFacts<StepFacts> = { responsible_agency: agencyFact(localIdOf(input.responsibleAgency, 'Agency', '', new Violations())) };
  const selected = await queryOne<StepForWrite & Record<string, unknown>>(
    tx,
    sql`SELECT ps.id::text AS step_id, ps.case_id::text AS step_case_id, ps.status AS step_status, ps.responsible_agency_id::text AS step_responsible_agency_id,
               ps.decision_id::text AS step_decision_id, ps.completed_on AS step_completed_on, ${caseForWriteColumns(ctx, facts)}
          FROM plan_step ps JOIN "case" c ON c.id = ps.case_id WHERE ps.id = ${stepId}::bigint AND ${visibleCaseCondition(ctx)}`,
  );
  if (!selected) throw notFound('PlanStep');
  const step = {
    id: selected.step_id,
    case_id: selected.step_case_id,
    status: selected.step_status,
    responsible_agency_id: selected.step_responsible_agency_id,
    decision_id: selected.step_decision_id,
    completed_on: selected.step_completed_on,
  };
  // The step's case, read in the same statement (a visible step has a visible case).
  const { row, relations, facts: found } = caseForWriteOf<StepFacts>(selected);
  const planner = mayPlanCase(ctx, relations);
  const responsible = isTeamWorker(ctx, relations) && step.responsible_agency_id === viewer.agencyId;
  if (!planner && !responsible) throw forbidden("Only the case manager, the coordinator, or the step's responsible agency on the team may update this step.");
  if (!planner && (input.dueOn != null || input.responsibleAgency != null)) {
    throw forbidden('Only the case manager or the coordinator may re-plan a step (due date, responsible agency); report progress with status and completedOn.');
  }

  const violations = new Violations();
  const next = input.status ?? step.status;
  const agencyId = localIdOf(input.responsibleAgency, 'Agency', 'input.responsibleAgency', violations);
  agencyFromFact(agencyId, found.responsible_agency, 'input.responsibleAgency', violations);
  if (input.dueOn && input.dueOn < row.opened_on) violations.add('input.dueOn', `must not be before the case was opened (${row.opened_on})`);
  if (next === PlanStepStatus.DONE && step.status !== PlanStepStatus.DONE) {
    if (!input.completedOn) violations.add('input.completedOn', 'is required when the step becomes DONE');
  } else if (input.completedOn) {
    violations.add('input.completedOn', 'is given only when the step becomes DONE');
  }
  if (input.completedOn) {
    if (input.completedOn > row.today) violations.add('input.completedOn', 'must not be in the future');
    if (input.completedOn < row.opened_on) violations.add('input.completedOn', `must not be before the case was opened (${row.opened_on})`);
  }
  violations.throwIfAny();
  if (next !== step.status && !PLAN_STEP_TRANSITIONS[step.status].includes(next)) {
    throw invalidTransition(`A plan step cannot go from ${step.status} to ${next}.`);
  }
  assertCaseOpen(row);

  const completedOn = next === PlanStepStatus.DONE ? input.completedOn ?? step.completed_on : null;
  const written = await updateVersioned<PlanStepRow>(tx, 'plan_step', stepId, input.expectedVersion, 'PlanStep', {
    alias: 'ps',
    set: sql`status = ${next}, completed_on = ${completedOn}::date,
             due_on = coalesce(${input.dueOn ?? null}::date, due_on),
             responsible_agency_id = coalesce(${agencyId}::bigint, responsible_agency_id)`,
    returning: PLAN_STEP_COLUMNS,
  });
  const changed = ['status', 'completedOn', 'dueOn', 'responsibleAgency'].filter((f) => (input as unknown as Record<string, unknown>)[f] != null);
  ctx.audit.write('PlanStep', { ...caseScope(step.case_id), recordId: stepId }, changed);

  if (next === PlanStepStatus.DONE && step.status !== PlanStepStatus.DONE) {
    // The conference module relies on this: a decision carried out by a step is done when the step is.
    const decisions = await query<{ id: string }>(
      tx,
      sql`UPDATE decision SET status = 'DONE', done_on = ${completedOn}::date, plan_step_id = coalesce(plan_step_id, ${stepId}::bigint),
                 version = version + 1, updated_at = now()
           WHERE (id = ${step.decision_id}::bigint OR plan_step_id = ${stepId}::bigint) AND status <> 'DONE'
          RETURNING id::text AS id`,
    );
    for (const decision of decisions) ctx.audit.write('Decision', { ...caseScope(step.case_id), recordId: decision.id }, ['status', 'doneOn']);
  }
  // A step (and the decision it carries out) changes no grant, manager or region: the caller's standing stays.
  return { id: stepId, written, keep: keepCaseRelations(ctx, step.case_id, relations) };
}
