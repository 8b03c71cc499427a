import type { EntityManager } from 'typeorm';
import type { Context } from '../../context';
import { requireViewer } from '../../context';
import { relationsTo, type RecordScope } from '../../core/auth/access';
import { Relation } from '../../core/auth/roles';
import { query, queryOne } from '../../core/db';
import { forbidden, invalidTransition, notFound } from '../../core/graphql/errors';
import { expectGlobalId } from '../../core/graphql/global-id';
import { bumpVersion, updateVersioned } from '../../core/mutation';
import { or, sql } from '../../core/sql';
import { CaseStatus, GrantKind } from '../cases/case.enums';
import { visibleCaseCondition } from '../cases/case.scope';
import { assertCaseOpen, assertMayPlan, loadCaseForWrite, mayPlanCase } from '../cases/plan.access';
import { addWorkingDays, checkAgency, checkOffering, resolveServiceType } from '../cases/plan.rules';
import { Violations, localIdOf } from '../../core/graphql/violations';
import { DeclineReason, ReferralStatus } from './referral.enums';
import { REFERRAL_COLUMNS } from './referral.loaders';
import type { IncomingReferralRow, ReferralRow } from './referral.type';
import type { CancelReferralInput, CompleteReferralInput, RespondToReferralInput, SendReferralInput } from './referral.inputs';

/** The deadline of a referral when the sender gives none. */
export const DEFAULT_RESPONSE_WORKING_DAYS = 5;

/** The moves of the referral loop; anything else is INVALID_TRANSITION. */
export const REFERRAL_TRANSITIONS: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  [ReferralStatus.SENT]: [ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.CANCELLED],
  [ReferralStatus.ACCEPTED]: [ReferralStatus.COMPLETED, ReferralStatus.CANCELLED],
  [ReferralStatus.DECLINED]: [],
  [ReferralStatus.COMPLETED]: [],
  [ReferralStatus.CANCELLED]: [],
};

function assertTransition(from: ReferralStatus, to: ReferralStatus): void {
  if (!REFERRAL_TRANSITIONS[from].includes(to)) throw invalidTransition(`A referral cannot go from ${from} to ${to}.`);
}

const referralScope = (caseId: string, fromAgencyId: string): RecordScope => ({ kind: 'case', id: caseId, ownerAgencyId: fromAgencyId });

/**
 * Sends a referral (the case manager or a coordinator of the region): to an agency, or to an offering, which implies
 * its provider and service type. The receiving agency sees it in its inbox and joins the team only if it accepts.
 */
export async function sendReferral(ctx: Context, tx: EntityManager, input: SendReferralInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const caseId = expectGlobalId(input.case, 'Case', 'input.case');
  const { row, relations } = await loadCaseForWrite(ctx, caseId, tx);
  assertMayPlan(ctx, relations);

  const violations = new Violations();
  let toAgencyId = localIdOf(input.toAgency, 'Agency', 'input.toAgency', violations);
  const offeringId = localIdOf(input.offering, 'ServiceOffering', 'input.offering', violations);
  const planStepId = localIdOf(input.planStep, 'PlanStep', 'input.planStep', violations);
  if (input.toAgency == null && input.offering == null) violations.add('input.toAgency', 'is required when no offering is given');
  const offering = await checkOffering(tx, offeringId, 'input.offering', violations);
  if (offering && toAgencyId && offering.provider_id !== toAgencyId) violations.add('input.toAgency', "must be the offering's provider (or be left out)");
  toAgencyId ??= offering?.provider_id ?? null;
  if (input.toAgency != null) await checkAgency(tx, toAgencyId, 'input.toAgency', violations);
  if (toAgencyId && toAgencyId === viewer.agencyId) violations.add('input.toAgency', 'must be another agency than your own');
  const serviceType = await resolveServiceType(tx, input.serviceType, 'input.serviceType', violations);
  if (offering && serviceType && offering.service_type_id !== serviceType.id) violations.add('input.serviceType', "must be the offering's service type (or be left out)");
  if (planStepId) {
    const step = await queryOne(tx, sql`SELECT 1 FROM plan_step WHERE id = ${planStepId}::bigint AND case_id = ${caseId}::bigint`);
    if (!step) violations.add('input.planStep', 'is not a plan step of this case');
  }
  const now = new Date();
  const respondBy = input.respondBy ?? addWorkingDays(now, DEFAULT_RESPONSE_WORKING_DAYS);
  if (respondBy.getTime() <= now.getTime()) violations.add('input.respondBy', 'must be in the future');
  violations.throwIfAny();
  assertCaseOpen(row);

  await bumpVersion(tx, 'case', caseId, input.expectedVersion, 'Case');
  const inserted = await query<{ id: string }>(
    tx,
    sql`INSERT INTO referral (case_id, from_agency_id, to_agency_id, offering_id, service_type_id, plan_step_id, status, reason, notes,
                              sent_by_staff_id, sent_at, respond_by)
        VALUES (${caseId}::bigint, ${viewer.agencyId}::bigint, ${toAgencyId}::bigint, ${offeringId}::bigint,
                ${serviceType?.id ?? offering?.service_type_id ?? null}::bigint, ${planStepId}::bigint, ${ReferralStatus.SENT},
                ${input.reason}, ${input.notes ?? null}, ${viewer.staffId}::bigint, ${now}, ${respondBy})
        RETURNING id::text AS id`,
  );
  ctx.audit.write('Referral', { ...referralScope(caseId, viewer.agencyId), recordId: inserted[0].id }, ['status', 'toAgency', 'offering', 'serviceType', 'reason', 'notes', 'respondBy']);
  return inserted[0].id;
}

interface ReferralForWrite {
  id: string;
  case_id: string;
  case_status: CaseStatus;
  status: ReferralStatus;
  from_agency_id: string;
  to_agency_id: string;
  sent_by_staff_id: string | null;
  case_number: string;
}

/** A referral the caller may act on: addressed to the caller's agency, or of a case the caller sees; NOT_FOUND otherwise. */
async function loadReferralForWrite(ctx: Context, tx: EntityManager, referralGlobalId: string): Promise<ReferralForWrite> {
  const viewer = requireViewer(ctx);
  const id = expectGlobalId(referralGlobalId, 'Referral', 'input.referral');
  const row = await queryOne<ReferralForWrite>(
    tx,
    sql`SELECT r.id::text AS id, r.case_id::text AS case_id, c.status AS case_status, r.status, r.from_agency_id::text AS from_agency_id,
               r.to_agency_id::text AS to_agency_id, r.sent_by_staff_id::text AS sent_by_staff_id, c.number AS case_number
          FROM referral r JOIN "case" c ON c.id = r.case_id
         WHERE r.id = ${id}::bigint AND ${or([sql`r.to_agency_id = ${viewer.agencyId}::bigint`, visibleCaseCondition(ctx)])}`,
  );
  if (!row) throw notFound('Referral');
  return row;
}

/**
 * The receiving agency accepts (it joins the case team through a REFERRAL grant whose source is the referral)
 * or declines with a reason. The version check and the answer are one UPDATE, which answers the referral as the
 * receiving agency's inbox shows it (the caller is its addressee).
 */
export async function respondToReferral(ctx: Context, tx: EntityManager, input: RespondToReferralInput): Promise<{ id: string; written: IncomingReferralRow }> {
  const viewer = requireViewer(ctx);
  const referral = await loadReferralForWrite(ctx, tx, input.referral);
  if (referral.to_agency_id !== viewer.agencyId) throw forbidden('Only the staff of the agency the referral is addressed to may answer it.');

  const violations = new Violations();
  if (!input.accept && !input.declineReason) violations.add('input.declineReason', 'is required when declining');
  if (input.accept && input.declineReason) violations.add('input.declineReason', 'is given only when declining');
  violations.throwIfAny();
  const next = input.accept ? ReferralStatus.ACCEPTED : ReferralStatus.DECLINED;
  assertTransition(referral.status, next);
  if (input.accept && referral.case_status === CaseStatus.CLOSED) throw invalidTransition('The case is closed; the referral can only be declined or cancelled.');

  const written = await updateVersioned<ReferralRow>(tx, 'referral', referral.id, input.expectedVersion, 'Referral', {
    alias: 'r',
    set: sql`status = ${next}, responded_at = now(), decline_reason = ${input.accept ? null : (input.declineReason as DeclineReason)},
             response_note = ${input.note ?? null}`,
    returning: REFERRAL_COLUMNS,
  });
  const scope = referralScope(referral.case_id, referral.from_agency_id);
  ctx.audit.write('Referral', { ...scope, recordId: referral.id }, ['status', 'respondedAt', 'declineReason', 'responseNote']);
  if (input.accept) {
    const [grant] = await query<{ id: string }>(
      tx,
      sql`INSERT INTO case_access_grant (case_id, agency_id, kind, source, source_id, granted_by_subject)
          VALUES (${referral.case_id}::bigint, ${referral.to_agency_id}::bigint, ${GrantKind.REFERRAL}, 'REFERRAL', ${referral.id}::bigint, ${viewer.subject})
          RETURNING id::text AS id`,
    );
    ctx.audit.write('CaseParticipant', { ...scope, recordId: grant.id }, ['kind', 'agency', 'source']);
  }
  return { id: referral.id, written: { ...written, case_number: referral.case_number } };
}

/** The receiving agency or the case manager closes an accepted referral with its outcome. */
export async function completeReferral(ctx: Context, tx: EntityManager, input: CompleteReferralInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const referral = await loadReferralForWrite(ctx, tx, input.referral);
  const relations = await relationsTo(ctx, { kind: 'case', id: referral.case_id });
  const receiver = referral.to_agency_id === viewer.agencyId;
  if (!receiver && !relations.has(Relation.CASE_MANAGER)) throw forbidden('Only the receiving agency or the case manager may complete a referral.');
  assertTransition(referral.status, ReferralStatus.COMPLETED);

  await bumpVersion(tx, 'referral', referral.id, input.expectedVersion, 'Referral');
  await query(tx, sql`UPDATE referral SET status = ${ReferralStatus.COMPLETED}, completed_at = now(), outcome = ${input.outcome} WHERE id = ${referral.id}::bigint`);
  ctx.audit.write('Referral', { ...referralScope(referral.case_id, referral.from_agency_id), recordId: referral.id }, ['status', 'completedAt', 'outcome']);
  return referral.id;
}

/** The sender withdraws a referral that is not closed yet; a grant it gave ends (the receiver no longer sees the case). */
export async function cancelReferral(ctx: Context, tx: EntityManager, input: CancelReferralInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const referral = await loadReferralForWrite(ctx, tx, input.referral);
  const relations = await relationsTo(ctx, { kind: 'case', id: referral.case_id });
  const sender = referral.sent_by_staff_id !== null && referral.sent_by_staff_id === viewer.staffId;
  if (!sender && !mayPlanCase(ctx, relations)) throw forbidden('Only the sender, the case manager or a coordinator of the region may cancel a referral.');
  assertTransition(referral.status, ReferralStatus.CANCELLED);

  await bumpVersion(tx, 'referral', referral.id, input.expectedVersion, 'Referral');
  await query(tx, sql`UPDATE referral SET status = ${ReferralStatus.CANCELLED} WHERE id = ${referral.id}::bigint`);
  const revoked = await query<{ id: string }>(
    tx,
    sql`UPDATE case_access_grant SET revoked_at = now()
         WHERE source = 'REFERRAL' AND source_id = ${referral.id}::bigint AND case_id = ${referral.case_id}::bigint AND revoked_at IS NULL
        RETURNING id::text AS id`,
  );
  const scope = referralScope(referral.case_id, referral.from_agency_id);
  ctx.audit.write('Referral', { ...scope, recordId: referral.id }, ['status']);
  for (const grant of revoked) ctx.audit.write('CaseParticipant', { ...scope, recordId: grant.id }, ['revokedAt']);
  return referral.id;
}
