import type { EntityManager } from 'typeorm';
import type { Context } from '../../context';
import { requireViewer } from '../../context';
import type { RecordScope } from '../../core/auth/access';
import { mayAct } from '../../core/auth/policy';
import { Relation } from '../../core/auth/roles';
import { query, queryOne } from '../../core/db';
import { forbidden, notFound } from '../../core/graphql/errors';
import { expectGlobalId } from '../../core/graphql/global-id';
import { bumpVersion } from '../../core/mutation';
import { sql } from '../../core/sql';
import { visibleCaseCondition } from '../cases/case.scope';
import { isTeamWorker, loadCaseForWrite, type CaseForWrite } from '../cases/plan.access';
import { checkAgency, resolveServiceType } from '../cases/plan.rules';
import { Violations, localIdOf } from '../../core/graphql/violations';
import { DeliveryMode } from '../providers/provider.enums';
import type { ServiceDeliveryRow } from './service-delivery.type';
import type { RecordBrigadeTripInput, RecordServiceDeliveryInput, UpdateServiceDeliveryInput } from './service-delivery.inputs';

/** The values of a service delivery as they will be written. */
interface DeliveryValues {
  recipientId: string | null;
  serviceTypeId: string | null;
  providerId: string | null;
  specialistId: string | null;
  deliveredOn: string;
  durationMinutes: number | null;
  deliveryMode: DeliveryMode;
  notes: string | null;
  planStepId: string | null;
  referralId: string | null;
  brigadeTripId: string | null;
}

const deliveryScope = (caseId: string, ownerAgencyId: string): RecordScope => ({ kind: 'case', id: caseId, ownerAgencyId });

/** Whether the caller is the manager of the case, with a role that works on cases: they may record for any provider. */
function isCaseManager(ctx: Context, relations: ReadonlySet<Relation>): boolean {
  return mayAct(requireViewer(ctx).roles, 'cases.work') && relations.has(Relation.CASE_MANAGER);
}

/**
 * A specialist records services only for its own agency (or one of its units); the case manager for any provider.
 * Returns the provider, or null (with a violation) when it is not an active agency.
 */
async function checkProvider(ctx: Context, tx: EntityManager, providerId: string | null, manager: boolean, violations: Violations) {
  const viewer = requireViewer(ctx);
  const provider = await checkAgency(tx, providerId, 'input.provider', violations);
  if (provider && !manager && provider.id !== viewer.agencyId && provider.parent_id !== viewer.agencyId) {
    throw forbidden('A specialist records services only for its own agency (or one of its units); the case manager may record for any provider.');
  }
  return provider;
}

/** Every rule of a delivery's values against its case; violations name the input fields. */
async function checkDelivery(tx: EntityManager, kase: CaseForWrite, values: DeliveryValues, violations: Violations): Promise<void> {
  if (values.recipientId) {
    const person = await queryOne(tx, sql`SELECT 1 FROM person WHERE id = ${values.recipientId}::bigint AND family_id = ${kase.family_id}::bigint`);
    if (!person) violations.add('input.recipient', "must be a member of the case's family");
  }
  if (values.specialistId && values.providerId) {
    const staff = await queryOne(
      tx,
      sql`SELECT 1 FROM staff_member s JOIN agency a ON a.id = s.agency_id, agency p
           WHERE s.id = ${values.specialistId}::bigint AND s.active AND p.id = ${values.providerId}::bigint
             AND (a.id = p.id OR a.id = p.parent_id OR a.parent_id = p.id)`,
    );
    if (!staff) violations.add('input.specialist', 'must be an active staff member of the provider');
  }
  if (values.deliveredOn > kase.today) violations.add('input.deliveredOn', 'must not be in the future');
  if (values.deliveredOn < kase.opened_on) violations.add('input.deliveredOn', `must not be before the case was opened (${kase.opened_on})`);
  if (kase.closed_on && values.deliveredOn > kase.closed_on) violations.add('input.deliveredOn', `must not be after the case was closed (${kase.closed_on})`);
  if (values.planStepId) {
    const step = await queryOne(tx, sql`SELECT 1 FROM plan_step WHERE id = ${values.planStepId}::bigint AND case_id = ${kase.id}::bigint`);
    if (!step) violations.add('input.planStep', 'is not a plan step of this case');
  }
  if (values.referralId) {
    const referral = await queryOne(tx, sql`SELECT 1 FROM referral WHERE id = ${values.referralId}::bigint AND case_id = ${kase.id}::bigint`);
    if (!referral) violations.add('input.referral', 'is not a referral of this case');
  }
  if (values.brigadeTripId) {
    const trip = await queryOne<{ trip_date: string }>(tx, sql`SELECT trip_date FROM brigade_trip WHERE id = ${values.brigadeTripId}::bigint`);
    if (!trip) violations.add('input.brigadeTrip', 'is not a recorded brigade trip');
    else if (trip.trip_date !== values.deliveredOn) violations.add('input.brigadeTrip', `was on ${trip.trip_date}, not on the delivery date`);
    if (values.deliveryMode !== DeliveryMode.MOBILE_BRIGADE) violations.add('input.deliveryMode', 'must be MOBILE_BRIGADE for a service given on a brigade trip');
  }
}

/**
 * Records a service. The caller's agency must be on the case team (or the caller is the case manager); a specialist
 * records only for its own agency; the recording agency owns the entry and its notes.
 */
export async function recordServiceDelivery(ctx: Context, tx: EntityManager, input: RecordServiceDeliveryInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const caseId = expectGlobalId(input.case, 'Case', 'input.case');
  const { row, relations } = await loadCaseForWrite(ctx, caseId, tx);
  const manager = isCaseManager(ctx, relations);
  if (!manager && !isTeamWorker(ctx, relations)) throw forbidden('Only the agencies on the case team and the case manager record services on a case.');

  const violations = new Violations();
  const providerId = input.provider == null ? viewer.agencyId : localIdOf(input.provider, 'Agency', 'input.provider', violations);
  const provider = await checkProvider(ctx, tx, providerId, manager, violations);
  let specialistId = localIdOf(input.specialist, 'StaffMember', 'input.specialist', violations);
  if (input.specialist == null && provider && (provider.id === viewer.agencyId || provider.parent_id === viewer.agencyId)) specialistId = viewer.staffId;
  const serviceType = await resolveServiceType(tx, input.serviceType, 'input.serviceType', violations);
  const values: DeliveryValues = {
    recipientId: localIdOf(input.recipient, 'Person', 'input.recipient', violations),
    serviceTypeId: serviceType?.id ?? null,
    providerId: provider?.id ?? null,
    specialistId,
    deliveredOn: input.deliveredOn,
    durationMinutes: input.durationMinutes ?? null,
    deliveryMode: input.deliveryMode,
    notes: input.notes ?? null,
    planStepId: localIdOf(input.planStep, 'PlanStep', 'input.planStep', violations),
    referralId: localIdOf(input.referral, 'Referral', 'input.referral', violations),
    brigadeTripId: localIdOf(input.brigadeTrip, 'BrigadeTrip', 'input.brigadeTrip', violations),
  };
  await checkDelivery(tx, row, values, violations);
  violations.throwIfAny();

  const inserted = await query<{ id: string }>(
    tx,
    sql`INSERT INTO service_delivery (case_id, recipient_id, service_type_id, provider_id, specialist_id, delivered_on, duration_minutes, delivery_mode,
                                      notes, plan_step_id, referral_id, brigade_trip_id, recorded_by_agency_id, recorded_by_subject)
        VALUES (${caseId}::bigint, ${values.recipientId}::bigint, ${values.serviceTypeId}::bigint, ${values.providerId}::bigint, ${values.specialistId}::bigint,
                ${values.deliveredOn}::date, ${values.durationMinutes}::integer, ${values.deliveryMode}, ${values.notes}, ${values.planStepId}::bigint,
                ${values.referralId}::bigint, ${values.brigadeTripId}::bigint, ${viewer.agencyId}::bigint, ${viewer.subject})
        RETURNING id::text AS id`,
  );
  ctx.audit.write('ServiceDelivery', deliveryScope(caseId, viewer.agencyId), [
    'recipient', 'serviceType', 'provider', 'specialist', 'deliveredOn', 'durationMinutes', 'deliveryMode', 'notes', 'planStep', 'referral', 'brigadeTrip',
  ]);
  return inserted[0].id;
}

/** Picks the new value of an optional input field: left out keeps the current one, null clears it. */
function pick<T>(given: T | null | undefined, current: T | null): T | null {
  return given === undefined ? current : given;
}

/** Corrects a recorded service: only the agency that recorded it (while on the team) or the case manager. */
export async function updateServiceDelivery(ctx: Context, tx: EntityManager, input: UpdateServiceDeliveryInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const id = expectGlobalId(input.delivery, 'ServiceDelivery', 'input.delivery');
  const current = await queryOne<ServiceDeliveryRow>(
    tx,
    sql`SELECT sd.id::text AS id, sd.case_id::text AS case_id, sd.recipient_id::text AS recipient_id, sd.service_type_id::text AS service_type_id,
               sd.provider_id::text AS provider_id, sd.specialist_id::text AS specialist_id, sd.delivered_on, sd.duration_minutes, sd.delivery_mode, sd.notes,
               sd.plan_step_id::text AS plan_step_id, sd.referral_id::text AS referral_id, sd.brigade_trip_id::text AS brigade_trip_id,
               sd.recorded_by_agency_id::text AS recorded_by_agency_id
          FROM service_delivery sd JOIN "case" c ON c.id = sd.case_id WHERE sd.id = ${id}::bigint AND ${visibleCaseCondition(ctx)}`,
  );
  if (!current) throw notFound('ServiceDelivery');
  const { row, relations } = await loadCaseForWrite(ctx, current.case_id, tx);
  const manager = isCaseManager(ctx, relations);
  const owner = isTeamWorker(ctx, relations) && current.recorded_by_agency_id === viewer.agencyId;
  if (!manager && !owner) throw forbidden('Only the agency that recorded a service, or the case manager, may correct it.');

  const violations = new Violations();
  if (input.recipient === null) violations.add('input.recipient', 'cannot be cleared');
  if (input.serviceType === null) violations.add('input.serviceType', 'cannot be cleared');
  if (input.provider === null) violations.add('input.provider', 'cannot be cleared');
  if (input.deliveredOn === null) violations.add('input.deliveredOn', 'cannot be cleared');
  if (input.deliveryMode === null) violations.add('input.deliveryMode', 'cannot be cleared');
  const providerId = input.provider == null ? current.provider_id : localIdOf(input.provider, 'Agency', 'input.provider', violations);
  const provider = input.provider == null ? { id: current.provider_id } : await checkProvider(ctx, tx, providerId, manager, violations);
  const serviceType = input.serviceType == null ? { id: current.service_type_id } : await resolveServiceType(tx, input.serviceType, 'input.serviceType', violations);
  const values: DeliveryValues = {
    recipientId: input.recipient == null ? current.recipient_id : localIdOf(input.recipient, 'Person', 'input.recipient', violations),
    serviceTypeId: serviceType?.id ?? null,
    providerId: provider?.id ?? null,
    specialistId: input.specialist === undefined ? current.specialist_id : localIdOf(input.specialist, 'StaffMember', 'input.specialist', violations),
    deliveredOn: input.deliveredOn ?? current.delivered_on,
    durationMinutes: pick(input.durationMinutes, current.duration_minutes),
    deliveryMode: input.deliveryMode ?? current.delivery_mode,
    notes: pick(input.notes, current.notes),
    planStepId: input.planStep === undefined ? current.plan_step_id : localIdOf(input.planStep, 'PlanStep', 'input.planStep', violations),
    referralId: input.referral === undefined ? current.referral_id : localIdOf(input.referral, 'Referral', 'input.referral', violations),
    brigadeTripId: input.brigadeTrip === undefined ? current.brigade_trip_id : localIdOf(input.brigadeTrip, 'BrigadeTrip', 'input.brigadeTrip', violations),
  };
  await checkDelivery(tx, row, values, violations);
  violations.throwIfAny();

  await bumpVersion(tx, 'service_delivery', id, input.expectedVersion, 'ServiceDelivery');
  await query(
    tx,
    sql`UPDATE service_delivery
           SET recipient_id = ${values.recipientId}::bigint, service_type_id = ${values.serviceTypeId}::bigint, provider_id = ${values.providerId}::bigint,
               specialist_id = ${values.specialistId}::bigint, delivered_on = ${values.deliveredOn}::date, duration_minutes = ${values.durationMinutes}::integer,
               delivery_mode = ${values.deliveryMode}, notes = ${values.notes}, plan_step_id = ${values.planStepId}::bigint,
               referral_id = ${values.referralId}::bigint, brigade_trip_id = ${values.brigadeTripId}::bigint
         WHERE id = ${id}::bigint`,
  );
  const fieldNames = ['recipient', 'serviceType', 'provider', 'specialist', 'deliveredOn', 'durationMinutes', 'deliveryMode', 'notes', 'planStep', 'referral', 'brigadeTrip'];
  const changed = fieldNames.filter((f) => (input as unknown as Record<string, unknown>)[f] !== undefined);
  ctx.audit.write('ServiceDelivery', deliveryScope(current.case_id, current.recorded_by_agency_id), changed);
  return id;
}

/** Records a trip of an agency's mobile brigade (staff of that agency or of its parent). */
export async function recordBrigadeTrip(ctx: Context, tx: EntityManager, input: RecordBrigadeTripInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const violations = new Violations();
  const agencyId = input.agency == null ? viewer.agencyId : localIdOf(input.agency, 'Agency', 'input.agency', violations);
  const agency = await checkAgency(tx, agencyId, 'input.agency', violations);
  if (agency && agency.id !== viewer.agencyId && agency.parent_id !== viewer.agencyId) {
    throw forbidden('Trips are recorded only for the own agency or one of its units.');
  }
  const regionCode = input.region ?? agency?.region_code ?? null;
  if (input.region) {
    const region = await queryOne(tx, sql`SELECT 1 FROM region WHERE code = ${input.region}`);
    if (!region) violations.add('input.region', 'is not a region of the registry');
  }
  const today = await queryOne<{ today: string }>(tx, sql`SELECT current_date::text AS today`);
  if (today && input.tripDate > addDays(today.today, 366)) violations.add('input.tripDate', 'must not be more than a year ahead');
  violations.throwIfAny();
  const inserted = await query<{ id: string }>(
    tx,
    sql`INSERT INTO brigade_trip (agency_id, region_code, trip_date, destination)
        VALUES (${agency!.id}::bigint, ${regionCode}, ${input.tripDate}::date, ${input.destination}) RETURNING id::text AS id`,
  );
  return inserted[0].id;
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
