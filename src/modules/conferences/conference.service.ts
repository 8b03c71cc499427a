import { Violations, localIdOf } from '../../core/graphql/violations';
import type { EntityManager } from 'typeorm';
import type { Context } from '../../context';
import { requireViewer } from '../../context';
import { mayAct } from '../../core/auth/policy';
import type { RecordScope } from '../../core/auth/access';
import type { Viewer } from '../../core/auth/viewer';
import { query, queryOne } from '../../core/db';
import { badInput, conflict, forbidden, invalidTransition, notFound, type FieldViolation } from '../../core/graphql/errors';
import { expectGlobalId } from '../../core/graphql/global-id';
import { bumpVersion } from '../../core/mutation';
import { and, raw, sql, type Sql } from '../../core/sql';
import { visibleCaseCondition } from '../cases/case.scope';
import { ConferenceStatus, DecisionStatus } from './conference.enums';
import type {
  AddConferenceItemInput,
  AddConferenceParticipantsInput,
  CancelConferenceInput,
  HoldConferenceInput,
  RecordDecisionInput,
  ScheduleConferenceInput,
  SetItemOutcomeInput,
  UpdateDecisionInput,
} from './conference.inputs';
import { conferenceScope, today, type ConferenceItemRow, type ConferenceRow, type DecisionRow } from './conference.type';
import { visibleConferenceCondition } from './conference.scope';

/**
 * The rules of inter-agency conferences: SCHEDULED → HELD | CANCELLED, an agenda of cases of the conference's region,
 * decisions assigned to participating agencies, and the CONFERENCE grants that give participants access to the
 * agenda's cases until the end of the follow-up period. Each function runs inside the mutation's transaction and
 * returns the local id of the object the payload carries; a refused rule throws and nothing is written.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The calendar day (UTC) of an instant. */
const dayOf = (instant: Date): string => instant.toISOString().slice(0, 10);

/** A day plus a number of days. */
const addDays = (day: string, days: number): string => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));

/** The end of the follow-up period: the end (UTC) of the conference's `follow_up_until` day. */
const followUpEnd = (conference: Sql): Sql => sql`((${conference}.follow_up_until + 1)::timestamp AT TIME ZONE 'UTC')`;

/**
 * The conference the caller is to change, locked for the rest of the transaction (so that status checks and
 * agenda positions cannot race). Hidden conferences do not exist; a visible one outside the caller's regions
 * (a coordinator whose agency merely takes part) may not be run by the caller.
 */
async function lockConferenceToManage(ctx: Context, tx: EntityManager, conferenceId: string): Promise<ConferenceRow> {
  const viewer = requireViewer(ctx);
  const row = await queryOne<ConferenceRow>(
    tx,
    sql`SELECT cc.* FROM case_conference cc WHERE cc.id = ${conferenceId}::bigint AND ${visibleConferenceCondition(ctx)} FOR UPDATE OF cc`,
  );
  if (!row) throw notFound('The conference');
  assertCoordinates(viewer, row.region_code);
  return row;
}

function assertCoordinates(viewer: Viewer, regionCode: string): void {
  if (!mayAct(viewer.roles, 'conferences.manage') || !viewer.regions.includes(regionCode)) {
    throw forbidden(`Only a coordinator of region ${regionCode} may run its conferences.`);
  }
}

function audit(ctx: Context, conferenceId: string, fields: string[]): void {
  ctx.audit.write('CaseConference', conferenceScope(conferenceId), fields);
}

function auditCase(ctx: Context, caseId: string, fields: string[]): void {
  ctx.audit.write('Case', { kind: 'case', id: caseId } satisfies RecordScope, fields);
}

/** Active agencies among ids, by id. */
async function activeAgencies(tx: EntityManager, ids: string[]): Promise<Map<string, { id: string; region_code: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await query<{ id: string; region_code: string }>(tx, sql`SELECT id::text AS id, region_code FROM agency WHERE id = ANY(${ids}::bigint[]) AND active`);
  return new Map(rows.map((r) => [r.id, r]));
}

/** Active staff members among ids, with their agency. */
async function activeStaff(tx: EntityManager, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await query<{ id: string; agency_id: string }>(tx, sql`SELECT id::text AS id, agency_id::text AS agency_id FROM staff_member WHERE id = ANY(${ids}::bigint[]) AND active`);
  return new Map(rows.map((r) => [r.id, r.agency_id]));
}

/**
 * Gives participating agencies a CONFERENCE grant to agenda cases, expiring at the end of the follow-up period:
 * all agencies × all items, or narrowed to one case (a new item) or to some agencies (new participants).
 * An agency that already holds this conference's active grant to the case gets no second one.
 */
async function grantConferenceAccess(tx: EntityManager, viewer: Viewer, conferenceId: string, only: { caseId?: string; agencyIds?: string[] } = {}): Promise<string[]> {
  const conditions: Sql[] = [sql`cc.id = ${conferenceId}::bigint`];
  if (only.caseId) conditions.push(sql`i.case_id = ${only.caseId}::bigint`);
  if (only.agencyIds) conditions.push(sql`ca.agency_id = ANY(${only.agencyIds}::bigint[])`);
  const rows = await query<{ case_id: string }>(
    tx,
    sql`INSERT INTO case_access_grant (case_id, agency_id, kind, source, source_id, expires_at, granted_by_subject)
        SELECT i.case_id, ca.agency_id, 'CONFERENCE', 'CONFERENCE', cc.id, ${followUpEnd(raw('cc'))}, ${viewer.subject}
          FROM case_conference cc
          JOIN conference_item i ON i.conference_id = cc.id
          JOIN conference_agency ca ON ca.conference_id = cc.id
         WHERE ${and(conditions)}
           AND NOT EXISTS (SELECT 1 FROM case_access_grant g
                            WHERE g.case_id = i.case_id AND g.agency_id = ca.agency_id AND g.kind = 'CONFERENCE'
                              AND g.source = 'CONFERENCE' AND g.source_id = cc.id AND g.revoked_at IS NULL)
        RETURNING case_id::text AS case_id`,
  );
  return [...new Set(rows.map((r) => r.case_id))];
}

// ---------------------------------------------------------------------------------------------------------------
// Conferences

export async function scheduleConference(ctx: Context, tx: EntityManager, input: ScheduleConferenceInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const violations = new Violations();
  const region = await queryOne<{ code: string }>(tx, sql`SELECT code FROM region WHERE code = ${input.region}`);
  if (!region) violations.add('input.region', 'is not a region of the registry');
  else assertCoordinates(viewer, input.region);

  const chairId = localIdOf(input.chairAgency, 'Agency', 'input.chairAgency', violations);
  const agencyIds = input.participatingAgencies.map((id, i) => localIdOf(id, 'Agency', `input.participatingAgencies[${i}]`, violations));
  const staffIds = (input.participatingStaff ?? []).map((id, i) => localIdOf(id, 'StaffMember', `input.participatingStaff[${i}]`, violations));
  const agencies = await activeAgencies(tx, [chairId, ...agencyIds].filter((id): id is string => id !== null));
  const staff = await activeStaff(tx, staffIds.filter((id): id is string => id !== null));

  if (chairId !== null) {
    const chair = agencies.get(chairId);
    if (!chair) violations.add('input.chairAgency', 'is not an active agency');
    else if (chair.region_code !== input.region) violations.add('input.chairAgency', `must be an agency of region ${input.region}`);
  }
  agencyIds.forEach((id, i) => {
    if (id !== null && !agencies.has(id)) violations.add(`input.participatingAgencies[${i}]`, 'is not an active agency');
  });
  // The chair takes part; agencies of other regions may (a federal pilot site, a trusted NGO elsewhere).
  const participants = new Set([chairId, ...agencyIds].filter((id): id is string => id !== null && agencies.has(id)));
  staffIds.forEach((id, i) => {
    if (id === null) return;
    const agencyId = staff.get(id);
    if (!agencyId) violations.add(`input.participatingStaff[${i}]`, 'is not an active staff member');
    else if (!participants.has(agencyId)) violations.add(`input.participatingStaff[${i}]`, 'must work for the chair or a participating agency');
  });
  violations.throwIfAny();

  const created = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO case_conference (region_code, chair_agency_id, title, scheduled_at, format, follow_up_until)
        VALUES (${input.region}, ${chairId}::bigint, ${input.title}, ${input.scheduledAt}, ${input.format}::conference_format,
                ${addDays(dayOf(input.scheduledAt), input.followUpDays)}::date)
        RETURNING id::text AS id`,
  );
  const id = created!.id;
  await query(tx, sql`INSERT INTO conference_agency (conference_id, agency_id) SELECT ${id}::bigint, unnest(${[...participants]}::bigint[])`);
  const staffToAdd = [...new Set(staffIds.filter((s): s is string => s !== null))];
  if (staffToAdd.length) await query(tx, sql`INSERT INTO conference_staff (conference_id, staff_id) SELECT ${id}::bigint, unnest(${staffToAdd}::bigint[])`);
  audit(ctx, id, ['region', 'chairAgency', 'title', 'scheduledAt', 'format', 'participants', 'followUpUntil']);
  return id;
}

export async function addConferenceParticipants(ctx: Context, tx: EntityManager, input: AddConferenceParticipantsInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const conference = await lockConferenceToManage(ctx, tx, expectGlobalId(input.conference, 'CaseConference', 'input.conference'));
  if (conference.status !== ConferenceStatus.SCHEDULED) {
    throw invalidTransition(`The conference is ${conference.status}: participants can be added only while it is SCHEDULED.`);
  }
  await bumpVersion(tx, 'case_conference', conference.id, input.expectedVersion, 'The conference');

  const violations = new Violations();
  const agencyIds = (input.agencies ?? []).map((id, i) => localIdOf(id, 'Agency', `input.agencies[${i}]`, violations));
  const staffIds = (input.staff ?? []).map((id, i) => localIdOf(id, 'StaffMember', `input.staff[${i}]`, violations));
  const agencies = await activeAgencies(tx, agencyIds.filter((id): id is string => id !== null));
  agencyIds.forEach((id, i) => {
    if (id !== null && !agencies.has(id)) violations.add(`input.agencies[${i}]`, 'is not an active agency');
  });
  const existing = await query<{ agency_id: string }>(tx, sql`SELECT agency_id::text AS agency_id FROM conference_agency WHERE conference_id = ${conference.id}::bigint`);
  const participants = new Set([...existing.map((r) => r.agency_id), ...agencies.keys()]);
  const staff = await activeStaff(tx, staffIds.filter((id): id is string => id !== null));
  staffIds.forEach((id, i) => {
    if (id === null) return;
    const agencyId = staff.get(id);
    if (!agencyId) violations.add(`input.staff[${i}]`, 'is not an active staff member');
    else if (!participants.has(agencyId)) violations.add(`input.staff[${i}]`, 'must work for a participating agency');
  });
  if (agencyIds.length === 0 && staffIds.length === 0) violations.add('input.agencies', 'name at least one agency or staff member to add');
  violations.throwIfAny();

  const newAgencies = [...agencies.keys()].filter((id) => !existing.some((r) => r.agency_id === id));
  if (newAgencies.length) {
    await query(tx, sql`INSERT INTO conference_agency (conference_id, agency_id) SELECT ${conference.id}::bigint, unnest(${newAgencies}::bigint[]) ON CONFLICT DO NOTHING`);
    // Agencies joining an agenda that already holds cases get access to them at once.
    const cases = await grantConferenceAccess(tx, viewer, conference.id, { agencyIds: newAgencies });
    for (const caseId of cases) auditCase(ctx, caseId, ['participants']);
  }
  const newStaff = [...staff.keys()];
  if (newStaff.length) {
    await query(tx, sql`INSERT INTO conference_staff (conference_id, staff_id) SELECT ${conference.id}::bigint, unnest(${newStaff}::bigint[]) ON CONFLICT DO NOTHING`);
  }
  audit(ctx, conference.id, ['participants']);
  return conference.id;
}

export async function holdConference(ctx: Context, tx: EntityManager, input: HoldConferenceInput): Promise<string> {
  const conference = await lockConferenceToManage(ctx, tx, expectGlobalId(input.conference, 'CaseConference', 'input.conference'));
  if (conference.status !== ConferenceStatus.SCHEDULED) {
    throw invalidTransition(`The conference is ${conference.status}: only a SCHEDULED conference can be held.`);
  }
  await bumpVersion(tx, 'case_conference', conference.id, input.expectedVersion, 'The conference');
  const violations = new Violations();
  if (input.heldAt.getTime() > Date.now()) violations.add('input.heldAt', 'must not be in the future: a conference is held once it has met');
  const scheduledDay = dayOf(conference.scheduled_at);
  if (dayOf(input.heldAt) < scheduledDay) violations.add('input.heldAt', `must not be before the day the conference was scheduled for (${scheduledDay})`);
  violations.throwIfAny();

  // The follow-up period runs from the day the conference actually met; participants' grants move with it.
  await query(
    tx,
    sql`UPDATE case_conference
           SET status = ${ConferenceStatus.HELD}::conference_status, held_at = ${input.heldAt}, minutes = ${input.minutes},
               follow_up_until = follow_up_until + (${dayOf(input.heldAt)}::date - ${scheduledDay}::date)
         WHERE id = ${conference.id}::bigint`,
  );
  await query(
    tx,
    sql`UPDATE case_access_grant g SET expires_at = ${followUpEnd(raw('cc'))}
          FROM case_conference cc
         WHERE cc.id = ${conference.id}::bigint AND g.kind = 'CONFERENCE' AND g.source = 'CONFERENCE' AND g.source_id = cc.id AND g.revoked_at IS NULL`,
  );
  audit(ctx, conference.id, ['status', 'heldAt', 'minutes', 'followUpUntil']);
  return conference.id;
}

export async function cancelConference(ctx: Context, tx: EntityManager, input: CancelConferenceInput): Promise<string> {
  const conference = await lockConferenceToManage(ctx, tx, expectGlobalId(input.conference, 'CaseConference', 'input.conference'));
  if (conference.status !== ConferenceStatus.SCHEDULED) {
    throw invalidTransition(`The conference is ${conference.status}: only a SCHEDULED conference can be cancelled.`);
  }
  await bumpVersion(tx, 'case_conference', conference.id, input.expectedVersion, 'The conference');
  await query(tx, sql`UPDATE case_conference SET status = ${ConferenceStatus.CANCELLED}::conference_status WHERE id = ${conference.id}::bigint`);
  const revoked = await query<{ case_id: string }>(
    tx,
    sql`UPDATE case_access_grant SET revoked_at = now()
         WHERE kind = 'CONFERENCE' AND source = 'CONFERENCE' AND source_id = ${conference.id}::bigint AND revoked_at IS NULL
        RETURNING case_id::text AS case_id`,
  );
  for (const caseId of new Set(revoked.map((r) => r.case_id))) auditCase(ctx, caseId, ['participants']);
  audit(ctx, conference.id, ['status']);
  return conference.id;
}

// ---------------------------------------------------------------------------------------------------------------
// The agenda

export async function addConferenceItem(ctx: Context, tx: EntityManager, input: AddConferenceItemInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const conferenceId = expectGlobalId(input.conference, 'CaseConference', 'input.conference');
  const caseId = expectGlobalId(input.case, 'Case', 'input.case');
  const conference = await lockConferenceToManage(ctx, tx, conferenceId);
  if (conference.status !== ConferenceStatus.SCHEDULED) {
    throw badInput([{ field: 'input.conference', message: `is ${conference.status}: cases can be put on the agenda only while it is SCHEDULED` }]);
  }
  // The same message whether the case is of another region or hidden from the caller: no error reveals a hidden case.
  const found = await queryOne<{ id: string; region_code: string }>(
    tx,
    sql`SELECT c.id::text AS id, c.region_code FROM "case" c WHERE c.id = ${caseId}::bigint AND ${visibleCaseCondition(ctx)}`,
  );
  if (!found || found.region_code !== conference.region_code) {
    throw badInput([{ field: 'input.case', message: `must be a case of the conference's region (${conference.region_code}) that you may see` }]);
  }
  const duplicate = () => badInput([{ field: 'input.case', message: 'is already on the agenda of this conference' }]);
  const already = await queryOne(tx, sql`SELECT 1 FROM conference_item WHERE conference_id = ${conferenceId}::bigint AND case_id = ${caseId}::bigint`);
  if (already) throw duplicate();
  const created = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO conference_item (conference_id, case_id, position, question)
        SELECT ${conferenceId}::bigint, ${caseId}::bigint, coalesce(max(position), 0) + 1, ${input.question}
          FROM conference_item WHERE conference_id = ${conferenceId}::bigint
        ON CONFLICT (conference_id, case_id) DO NOTHING
        RETURNING id::text AS id`,
  );
  if (!created) throw duplicate();
  const granted = await grantConferenceAccess(tx, viewer, conferenceId, { caseId });
  if (granted.length) auditCase(ctx, caseId, ['participants']);
  audit(ctx, conferenceId, ['items']);
  return created.id;
}

async function lockItemToManage(ctx: Context, tx: EntityManager, itemGlobalId: string, field: string): Promise<{ item: ConferenceItemRow; conference: ConferenceRow }> {
  const itemId = expectGlobalId(itemGlobalId, 'ConferenceItem', field);
  const visible = await queryOne<{ conference_id: string }>(
    tx,
    sql`SELECT i.conference_id::text AS conference_id FROM conference_item i JOIN case_conference cc ON cc.id = i.conference_id
         WHERE i.id = ${itemId}::bigint AND ${visibleConferenceCondition(ctx)}`,
  );
  if (!visible) throw notFound('The agenda item');
  const conference = await lockConferenceToManage(ctx, tx, visible.conference_id);
  // Read again under the conference's lock.
  const item = await queryOne<ConferenceItemRow>(tx, sql`SELECT * FROM conference_item WHERE id = ${itemId}::bigint`);
  return { item: item!, conference };
}

export async function setItemOutcome(ctx: Context, tx: EntityManager, input: SetItemOutcomeInput): Promise<string> {
  const { item, conference } = await lockItemToManage(ctx, tx, input.item, 'input.item');
  if (conference.status === ConferenceStatus.CANCELLED) {
    throw badInput([{ field: 'input.item', message: 'belongs to a cancelled conference: nothing can be decided on it' }]);
  }
  await bumpVersion(tx, 'conference_item', String(item.id), input.expectedVersion, 'The agenda item');
  await query(tx, sql`UPDATE conference_item SET outcome = ${input.outcome}::conference_item_outcome WHERE id = ${item.id}::bigint`);
  audit(ctx, conference.id, ['items.outcome']);
  return String(item.id);
}

// ---------------------------------------------------------------------------------------------------------------
// Decisions

export async function recordDecision(ctx: Context, tx: EntityManager, input: RecordDecisionInput): Promise<string> {
  const { item, conference } = await lockItemToManage(ctx, tx, input.item, 'input.item');
  const violations = new Violations();
  if (conference.status === ConferenceStatus.CANCELLED) violations.add('input.item', 'belongs to a cancelled conference: no decision can be recorded on it');
  const agencyId = localIdOf(input.responsibleAgency, 'Agency', 'input.responsibleAgency', violations);
  if (agencyId !== null) {
    const participant = await queryOne(tx, sql`SELECT 1 FROM conference_agency WHERE conference_id = ${conference.id}::bigint AND agency_id = ${agencyId}::bigint`);
    if (!participant) violations.add('input.responsibleAgency', 'must be an agency taking part in the conference');
  }
  const meetingDay = dayOf(conference.held_at ?? conference.scheduled_at);
  if (input.dueOn < meetingDay) violations.add('input.dueOn', `must not be before the day of the meeting (${meetingDay})`);
  violations.throwIfAny();

  const created = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO decision (item_id, conference_id, case_id, text, responsible_agency_id, due_on)
        VALUES (${item.id}::bigint, ${conference.id}::bigint, ${item.case_id}::bigint, ${input.text}, ${agencyId}::bigint, ${input.dueOn}::date)
        RETURNING id::text AS id`,
  );
  const decisionId = created!.id;
  const fields = ['decisions'];
  if (input.createPlanStep) {
    // The case row is locked so that the step's position in the route of help cannot race another new step.
    await query(tx, sql`SELECT id FROM "case" WHERE id = ${item.case_id}::bigint FOR UPDATE`);
    const step = await queryOne<{ id: string }>(
      tx,
      sql`INSERT INTO plan_step (case_id, position, title, responsible_agency_id, due_on, decision_id)
          SELECT ${item.case_id}::bigint, coalesce(max(position), 0) + 1, ${input.text}, ${agencyId}::bigint, ${input.dueOn}::date, ${decisionId}::bigint
            FROM plan_step WHERE case_id = ${item.case_id}::bigint
          RETURNING id::text AS id`,
    );
    await query(tx, sql`UPDATE decision SET plan_step_id = ${step!.id}::bigint WHERE id = ${decisionId}::bigint`);
    auditCase(ctx, String(item.case_id), ['plan']);
    fields.push('decisions.planStep');
  }
  audit(ctx, conference.id, fields);
  return decisionId;
}

export async function updateDecision(ctx: Context, tx: EntityManager, input: UpdateDecisionInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const decisionId = expectGlobalId(input.decision, 'Decision', 'input.decision');
  const decision = await queryOne<DecisionRow & { region_code: string; conference_status: ConferenceStatus }>(
    tx,
    sql`SELECT d.*, cc.region_code, cc.status AS conference_status
          FROM decision d JOIN case_conference cc ON cc.id = d.conference_id
         WHERE d.id = ${decisionId}::bigint AND ${visibleConferenceCondition(ctx)}`,
  );
  if (!decision) throw notFound('The decision');
  // The responsible agency reports its decisions; the region's coordinator may too.
  const coordinates = mayAct(viewer.roles, 'conferences.manage') && viewer.regions.includes(decision.region_code);
  if (!coordinates && String(decision.responsible_agency_id) !== viewer.agencyId) {
    throw forbidden("Only the decision's responsible agency or the region's coordinator may report on it.");
  }
  const violations = new Violations();
  if (decision.conference_status === ConferenceStatus.CANCELLED) violations.add('input.decision', 'belongs to a cancelled conference');
  let doneOn: string | null = null;
  if (input.status === DecisionStatus.DONE) {
    doneOn = input.doneOn ?? today();
    if (doneOn > today()) violations.add('input.doneOn', 'must not be in the future');
  } else if (input.doneOn != null) {
    violations.add('input.doneOn', 'must be empty when the status is OPEN');
  }
  violations.throwIfAny();

  await bumpVersion(tx, 'decision', decisionId, input.expectedVersion, 'The decision');
  await query(tx, sql`UPDATE decision SET status = ${input.status}::decision_status, done_on = ${doneOn}::date WHERE id = ${decisionId}::bigint`);
  const fields = ['status', 'doneOn'];
  if (input.status === DecisionStatus.DONE && decision.plan_step_id !== null) {
    // Linked both ways: carrying the decision out finishes its plan step (a cancelled step stays cancelled).
    const steps = await query<{ id: string }>(
      tx,
      sql`UPDATE plan_step SET status = 'DONE', completed_on = ${doneOn}::date, version = version + 1, updated_at = now()
           WHERE id = ${decision.plan_step_id}::bigint AND status NOT IN ('DONE', 'CANCELLED') RETURNING id::text AS id`,
    );
    for (const step of steps) {
      ctx.audit.write('PlanStep', { kind: 'case', id: String(decision.case_id), recordId: step.id } satisfies RecordScope, ['status', 'completedOn']);
    }
  }
  ctx.audit.write('Decision', { ...conferenceScope(String(decision.conference_id)), recordId: decisionId }, fields);
  return decisionId;
}
