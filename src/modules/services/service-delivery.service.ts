import type { EntityManager } from 'typeorm';
import type { Context } from '../../context';
import { requireViewer } from '../../context';
import type { RecordScope } from '../../core/auth/access';
import { mayAct } from '../../core/auth/policy';
import { Relation } from '../../core/auth/roles';
import { query, queryOne } from '../../core/db';
import { forbidden, notFound } from '../../core/graphql/errors';
import { expectGlobalId } from '../../core/graphql/global-id';
import { updateVersioned } from '../../core/mutation';
import { raw, sql, type Sql } from '../../core/sql';
import { visibleCaseCondition } from '../cases/case.scope';
import { isTeamWorker, keepCaseRelations, loadCaseForWrite, type CaseFacts, type CaseForWrite } from '../cases/plan.access';
import { agencyFact, agencyFromFact, checkAgency, serviceTypeFact, serviceTypeFromFact, type AgencyFact, type ServiceTypeFact } from '../cases/plan.rules';
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
 * The ids a delivery's rules look up. Each is read from the input once, before the statement that looks them all up
 * with the case (`loadCaseForWrite`'s facts), and the delivery is written with these same ids: a rule's fact is always
 * the fact of the id it judges. The rules then decide, in their order and with their messages, which of them the delivery gets.
 */
interface DeliveryLookups {
  /** The agency to check as the provider (null: the provider does not change, nothing to check). */
  providerId: string | null;
  /** The specialist to check against `specialistProviderId`. */
  specialistId: string | null;
  specialistProviderId: string | null;
  /** The service type as given (null or left out: nothing to check). */
  serviceType: string | null | undefined;
  recipientId: string | null;
  planStepId: string | null;
  referralId: string | null;
  brigadeTripId: string | null;
}

/** What the statement answers for `DeliveryLookups`. */
interface DeliveryFacts {
  provider: AgencyFact;
  service_type: ServiceTypeFact;
  recipient_in_family: boolean | null;
  specialist_of_provider: boolean | null;
  plan_step_of_case: boolean | null;
  referral_of_case: boolean | null;
  brigade_trip_date: string | null;
}

/** The SQL of each lookup, over the case alias `c` (an absent id costs nothing: NULL). */
function deliveryFacts(lookups: DeliveryLookups): CaseFacts<DeliveryFacts> {
  const when = (id: string | null, fact: (id: string) => Sql): Sql => (id === null ? raw('NULL') : fact(id));
  return {
    provider: agencyFact(lookups.providerId),
    service_type: serviceTypeFact(lookups.serviceType),
    recipient_in_family: when(lookups.recipientId, (id) => sql`EXISTS (SELECT 1 FROM person pe WHERE pe.id = ${id}::bigint AND pe.family_id = c.family_id)`),
    specialist_of_provider:
      lookups.specialistId === null || lookups.specialistProviderId === null
        ? raw('NULL')
        : sql`EXISTS (SELECT 1 FROM staff_member s JOIN agency a ON a.id = s.agency_id, agency p
                       WHERE s.id = ${lookups.specialistId}::bigint AND s.active AND p.id = ${lookups.specialistProviderId}::bigint
                         AND (a.id = p.id OR a.id = p.parent_id OR a.parent_id = p.id))`,
    plan_step_of_case: when(lookups.planStepId, (id) => sql`EXISTS (SELECT 1 FROM plan_step ps WHERE ps.id = ${id}::bigint AND ps.case_id = c.id)`),
    referral_of_case: when(lookups.referralId, (id) => sql`EXISTS (SELECT 1 FROM referral r WHERE r.id = ${id}::bigint AND r.case_id = c.id)`),
    brigade_trip_date: when(lookups.brigadeTripId, (id) => sql`(SELECT bt.trip_date FROM brigade_trip bt WHERE bt.id = ${id}::bigint)`),
  };
}

/**
 * A specialist records services only for its own agency (or one of its units); the case manager for any provider.
 * Takes the provider as `agencyFromFact` judged it: null (with a violation) when it is not an active agency.
 */
function checkProvider(ctx: Context, provider: AgencyFact, manager: boolean): AgencyFact {
  const viewer = requireViewer(ctx);
  if (provider && !manager && provider.id !== viewer.agencyId && provider.parent_id !== viewer.agencyId) {
    throw forbidden('A specialist records services only for its own agency (or one of its units); the case manager may record for any provider.');
  }
  return provider;
}

/**
 * Every rule of a delivery's values against its case (and the facts read with it, for the values' own ids: see
 * `DeliveryLookups`); violations name the input fields.
 */
function checkDelivery(kase: CaseForWrite, values: DeliveryValues, facts: DeliveryFacts, violations: Violations): void {
  if (values.recipientId && !facts.recipient_in_family) violations.add('input.recipient', "must be a member of the case's family");
  // The provider is the one looked up with the specialist (`specialistProviderId`), or null when it is not an active agency.
  if (values.specialistId && values.providerId && !facts.specialist_of_provider) violations.add('input.specialist', 'must be an active staff member of the provider');
  if (values.deliveredOn > kase.today) violations.add('input.deliveredOn', 'must not be in the future');
  if (values.deliveredOn < kase.opened_on) violations.add('input.deliveredOn', `must not be before the case was opened (${kase.opened_on})`);
  if (kase.closed_on && values.deliveredOn > kase.closed_on) violations.add('input.deliveredOn', `must not be after the case was closed (${kase.closed_on})`);
  if (values.planStepId && !facts.plan_step_of_case) violations.add('input.planStep', 'is not a plan step of this case');
  if (values.referralId && !facts.referral_of_case) violations.add('input.referral', 'is not a referral of this case');
  if (values.brigadeTripId) {
    const tripDate = facts.brigade_trip_date;
    if (!tripDate) violations.add('input.brigadeTrip', 'is not a recorded brigade trip');
    else if (tripDate !== values.deliveredOn) violations.add('input.brigadeTrip', `was on ${tripDate}, not on the delivery date`);
    if (values.deliveryMode !== DeliveryMode.MOBILE_BRIGADE) violations.add('input.deliveryMode', 'must be MOBILE_BRIGADE for a service given on a brigade trip');
  }
}

/** The columns of a service delivery as the payload reads them (`serviceDeliveryById`). */
const DELIVERY_COLUMNS = raw('*');

/**
 * Records a service. The caller's agency must be on the case team (or the caller is the case manager); a specialist
 * records only for its own agency; the recording agency owns the entry and its notes. The case, the caller's standing
 * and every lookup of the rules are read in one statement; the row is returned as written.
 */
export async function recordServiceDelivery(ctx: Context, tx: EntityManager, input: RecordServiceDeliveryInput): Promise<{ id: string; written: ServiceDeliveryRow; keep: () => void }> {
  const viewer = requireViewer(ctx);
  const caseId = expectGlobalId(input.case, 'Case', 'input.case');
  // Each id is read once, here: a wrong one names its field (and looks up nothing), but is only thrown, with every
  // other violation, once the case is found and the caller's standing allows the write (NOT_FOUND, then FORBIDDEN first).
  const violations = new Violations();
  const providerId = input.provider == null ? viewer.agencyId : localIdOf(input.provider, 'Agency', 'input.provider', violations);
  let specialistId = localIdOf(input.specialist, 'StaffMember', 'input.specialist', violations);
  const lookups: DeliveryLookups = {
    providerId,
    // Left out, the specialist is the caller when the caller works for the provider (decided below).
    specialistId: input.specialist == null ? viewer.staffId : specialistId,
    specialistProviderId: providerId,
    serviceType: input.serviceType,
    recipientId: localIdOf(input.recipient, 'Person', 'input.recipient', violations),
    planStepId: localIdOf(input.planStep, 'PlanStep', 'input.planStep', violations),
    referralId: localIdOf(input.referral, 'Referral', 'input.referral', violations),
    brigadeTripId: localIdOf(input.brigadeTrip, 'BrigadeTrip', 'input.brigadeTrip', violations),
  };
  const { row, relations, facts } = await loadCaseForWrite<DeliveryFacts>(ctx, caseId, tx, deliveryFacts(lookups));
  const manager = isCaseManager(ctx, relations);
  if (!manager && !isTeamWorker(ctx, relations)) throw forbidden('Only the agencies on the case team and the case manager record services on a case.');

  const provider = checkProvider(ctx, agencyFromFact(providerId, facts.provider, 'input.provider', violations), manager);
  if (input.specialist == null && provider && (provider.id === viewer.agencyId || provider.parent_id === viewer.agencyId)) specialistId = viewer.staffId;
  const serviceType = serviceTypeFromFact(input.serviceType, facts.service_type, 'input.serviceType', violations);
  const values: DeliveryValues = {
    recipientId: lookups.recipientId,
    serviceTypeId: serviceType?.id ?? null,
    providerId: provider?.id ?? null,
    specialistId,
    deliveredOn: input.deliveredOn,
    durationMinutes: input.durationMinutes ?? null,
    deliveryMode: input.deliveryMode,
    notes: input.notes ?? null,
    planStepId: lookups.planStepId,
    referralId: lookups.referralId,
    brigadeTripId: lookups.brigadeTripId,
  };
  checkDelivery(row, values, facts, violations);
  violations.throwIfAny();

  const inserted = await query<ServiceDeliveryRow>(
    tx,
    sql`INSERT INTO service_delivery (case_id, recipient_id, service_type_id, provider_id, specialist_id, delivered_on, duration_minutes, delivery_mode,
                                      notes, plan_step_id, referral_id, brigade_trip_id, recorded_by_agency_id, recorded_by_subject)
        VALUES (${caseId}::bigint, ${values.recipientId}::bigint, ${values.serviceTypeId}::bigint, ${values.providerId}::bigint, ${values.specialistId}::bigint,
                ${values.deliveredOn}::date, ${values.durationMinutes}::integer, ${values.deliveryMode}, ${values.notes}, ${values.planStepId}::bigint,
                ${values.referralId}::bigint, ${values.brigadeTripId}::bigint, ${viewer.agencyId}::bigint, ${viewer.subject})
        RETURNING ${DELIVERY_COLUMNS}`,
  );
  ctx.audit.write('ServiceDelivery', { ...deliveryScope(caseId, viewer.agencyId), recordId: String(inserted[0].id) }, [
    'recipient', 'serviceType', 'provider', 'specialist', 'deliveredOn', 'durationMinutes', 'deliveryMode', 'notes', 'planStep', 'referral', 'brigadeTrip',
  ]);
  // A service record changes no grant, manager or region: the caller's standing on the case stays.
  return { id: String(inserted[0].id), written: inserted[0], keep: keepCaseRelations(ctx, caseId, relations) };
}

/** Picks the new value of an optional input field: left out keeps the current one, null clears it. */
function pick<T>(given: T | null | undefined, current: T | null): T | null {
  return given === undefined ? current : given;
}

/** Corrects a recorded service: only the agency that recorded it (while on the team) or the case manager. */
export async function updateServiceDelivery(ctx: Context, tx: EntityManager, input: UpdateServiceDeliveryInput): Promise<{ id: string; written: ServiceDeliveryRow }> {
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
  // As when recording, each id is read once, here, and its violation thrown only after NOT_FOUND and FORBIDDEN.
  // Left out (the recipient and the provider also when null: they cannot be cleared), the row keeps its own.
  const violations = new Violations();
  if (input.recipient === null) violations.add('input.recipient', 'cannot be cleared');
  if (input.serviceType === null) violations.add('input.serviceType', 'cannot be cleared');
  if (input.provider === null) violations.add('input.provider', 'cannot be cleared');
  if (input.deliveredOn === null) violations.add('input.deliveredOn', 'cannot be cleared');
  if (input.deliveryMode === null) violations.add('input.deliveryMode', 'cannot be cleared');
  const providerId = input.provider == null ? null : localIdOf(input.provider, 'Agency', 'input.provider', violations);
  // Read in this order (the recipient before the specialist): the order the violations name the fields in.
  const lookups: DeliveryLookups = {
    providerId,
    specialistProviderId: input.provider == null ? current.provider_id : providerId,
    serviceType: input.serviceType,
    recipientId: input.recipient == null ? current.recipient_id : localIdOf(input.recipient, 'Person', 'input.recipient', violations),
    specialistId: input.specialist === undefined ? current.specialist_id : localIdOf(input.specialist, 'StaffMember', 'input.specialist', violations),
    planStepId: input.planStep === undefined ? current.plan_step_id : localIdOf(input.planStep, 'PlanStep', 'input.planStep', violations),
    referralId: input.referral === undefined ? current.referral_id : localIdOf(input.referral, 'Referral', 'input.referral', violations),
    brigadeTripId: input.brigadeTrip === undefined ? current.brigade_trip_id : localIdOf(input.brigadeTrip, 'BrigadeTrip', 'input.brigadeTrip', violations),
  };
  const { row, relations, facts } = await loadCaseForWrite<DeliveryFacts>(ctx, current.case_id, tx, deliveryFacts(lookups));
  const manager = isCaseManager(ctx, relations);
  const owner = isTeamWorker(ctx, relations) && current.recorded_by_agency_id === viewer.agencyId;
  if (!manager && !owner) throw forbidden('Only the agency that recorded a service, or the case manager, may correct it.');

  const provider = input.provider == null ? { id: current.provider_id } : checkProvider(ctx, agencyFromFact(providerId, facts.provider, 'input.provider', violations), manager);
  const serviceType = input.serviceType == null ? { id: current.service_type_id } : serviceTypeFromFact(input.serviceType, facts.service_type, 'input.serviceType', violations);
  const values: DeliveryValues = {
    recipientId: lookups.recipientId,
    serviceTypeId: serviceType?.id ?? null,
    providerId: provider?.id ?? null,
    specialistId: lookups.specialistId,
    deliveredOn: input.deliveredOn ?? current.delivered_on,
    durationMinutes: pick(input.durationMinutes, current.duration_minutes),
    deliveryMode: input.deliveryMode ?? current.delivery_mode,
    notes: pick(input.notes, current.notes),
    planStepId: lookups.planStepId,
    referralId: lookups.referralId,
    brigadeTripId: lookups.brigadeTripId,
  };
  checkDelivery(row, values, facts, violations);
  violations.throwIfAny();

  // The version check and the correction in one statement; it answers the row as corrected.
  const written = await updateVersioned<ServiceDeliveryRow>(tx, 'service_delivery', id, input.expectedVersion, 'ServiceDelivery', {
    set: sql`recipient_id = ${values.recipientId}::bigint, service_type_id = ${values.serviceTypeId}::bigint, provider_id = ${values.providerId}::bigint,
             specialist_id = ${values.specialistId}::bigint, delivered_on = ${values.deliveredOn}::date, duration_minutes = ${values.durationMinutes}::integer,
             delivery_mode = ${values.deliveryMode}, notes = ${values.notes}, plan_step_id = ${values.planStepId}::bigint,
             referral_id = ${values.referralId}::bigint, brigade_trip_id = ${values.brigadeTripId}::bigint`,
    returning: DELIVERY_COLUMNS,
  });
  const fieldNames = ['recipient', 'serviceType', 'provider', 'specialist', 'deliveredOn', 'durationMinutes', 'deliveryMode', 'notes', 'planStep', 'referral', 'brigadeTrip'];
  const changed = fieldNames.filter((f) => (input as unknown as Record<string, unknown>)[f] !== undefined);
  ctx.audit.write('ServiceDelivery', { ...deliveryScope(current.case_id, current.recorded_by_agency_id), recordId: id }, changed);
  return { id, written };
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
