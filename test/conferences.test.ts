import { harness, gql, codes, createCaller, type Caller, type Harness, type GraphQLResponse } from './support/harness';
import { agencyGlobalId, createCaseRow, createConferenceWorld, staffGlobalId, type ConferenceWorld } from './support/conference-fixtures';
import { countWhere } from './support/fixtures';
import { AgencyKind, FieldClass, Relation, Role } from '../src/core/auth/roles';
import { readableClasses } from '../src/core/auth/policy';
import { fromGlobalId, toGlobalId } from '../src/core/graphql/global-id';
import { createContext } from '../src/context';
import { classesReadable, type RecordScope } from '../src/core/auth/access';
import { resolveViewer } from '../src/core/auth/viewer';
import { createSchema } from '../src/schema';
import { seedDemoConferences } from '../src/demo/conferences';
import type { GraphQLObjectType } from 'graphql';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());

const DAY = 24 * 60 * 60 * 1000;
const isoDay = (offsetDays: number): string => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
const instant = (offsetDays: number, hour = 10): string => `${isoDay(offsetDays)}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const localId = (globalId: string): string => fromGlobalId(globalId)!.id;

const SCHEDULE = /* GraphQL */ `
  mutation Schedule($input: ScheduleConferenceInput!) {
    scheduleConference(input: $input) {
      conference { id title status format scheduledAt followUpUntil version region { code } chairAgency { id }
                   participants { agencies { id } staff { id } } }
    }
  }`;

const ADD_ITEM = /* GraphQL */ `
  mutation AddItem($input: AddConferenceItemInput!) {
    addConferenceItem(input: $input) { item { id position question version case { id number } conference { id } } }
  }`;

const ADD_PARTICIPANTS = /* GraphQL */ `
  mutation AddParticipants($input: AddConferenceParticipantsInput!) {
    addConferenceParticipants(input: $input) { conference { id version participants { agencies { id } staff { id } } } }
  }`;

const HOLD = /* GraphQL */ `
  mutation Hold($input: HoldConferenceInput!) {
    holdConference(input: $input) { conference { id status heldAt followUpUntil version } }
  }`;

const CANCEL = /* GraphQL */ `
  mutation Cancel($input: CancelConferenceInput!) {
    cancelConference(input: $input) { conference { id status version } }
  }`;

const SET_OUTCOME = /* GraphQL */ `
  mutation SetOutcome($input: SetItemOutcomeInput!) {
    setItemOutcome(input: $input) { item { id outcome version } }
  }`;

const RECORD_DECISION = /* GraphQL */ `
  mutation RecordDecision($input: RecordDecisionInput!) {
    recordDecision(input: $input) {
      decision { id text dueOn status doneOn overdue planStepId version responsibleAgency { id } item { id } case { id number } conference { id } }
    }
  }`;

const UPDATE_DECISION = /* GraphQL */ `
  mutation UpdateDecision($input: UpdateDecisionInput!) {
    updateDecision(input: $input) { decision { id status doneOn overdue doneOnTime version } }
  }`;

const CONFERENCE = /* GraphQL */ `
  query Conference($id: ID!) {
    conference(id: $id) {
      id title status minutes
      items { id question outcome case { id number } decisions { id } }
      decisions { id text }
    }
  }`;

const CONFERENCE_LIST = /* GraphQL */ `
  query Conferences($filter: ConferenceFilter, $first: Int, $after: String) {
    conferences(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id title status }
    }
  }`;

const NODE = /* GraphQL */ `
  query Node($id: ID!) { node(id: $id) { id ... on CaseConference { title } } }`;

function expectOk(response: GraphQLResponse): void {
  if (response.errors) throw new Error(`unexpected errors: ${JSON.stringify(response.errors, null, 2)}`);
}

function badFields(response: GraphQLResponse): string[] {
  return (response.errors ?? []).flatMap((e) => ((e.extensions?.fields ?? []) as Array<{ field: string }>).map((f) => f.field));
}

function scheduleInput(world: ConferenceWorld, overrides: Record<string, unknown> = {}) {
  return {
    region: '23',
    chairAgency: agencyGlobalId(world.chair),
    title: 'Очное межведомственное заседание по сложным случаям',
    scheduledAt: instant(-10),
    format: 'IN_PERSON',
    participatingAgencies: [agencyGlobalId(world.ngo), agencyGlobalId(world.health)],
    participatingStaff: [staffGlobalId(world.chair), staffGlobalId(world.ngo)],
    ...overrides,
  };
}

async function schedule(world: ConferenceWorld, overrides: Record<string, unknown> = {}, as: Caller = world.coordinator) {
  const response = await gql(h, SCHEDULE, { input: scheduleInput(world, overrides) }, as);
  expectOk(response);
  return response.data!.scheduleConference.conference as { id: string; version: number; followUpUntil: string; scheduledAt: string };
}

async function addItem(world: ConferenceWorld, conferenceId: string, caseGlobalId: string, question = 'Сохранить ребёнка в семье?') {
  const response = await gql(h, ADD_ITEM, { input: { conference: conferenceId, case: caseGlobalId, question } }, world.coordinator);
  expectOk(response);
  return response.data!.addConferenceItem.item as { id: string; version: number; position: number };
}

async function version(conferenceId: string): Promise<number> {
  const [row] = await h.db.query('SELECT version FROM case_conference WHERE id = $1', [localId(conferenceId)]);
  return row.version;
}

describe('scheduling a conference', () => {
  let world: ConferenceWorld;
  beforeAll(async () => {
    world = await createConferenceWorld(h);
  });

  test("the region's coordinator schedules it; the chair takes part; the follow-up period runs 90 days by default", async () => {
    const response = await gql(h, SCHEDULE, { input: scheduleInput(world) }, world.coordinator);
    expectOk(response);
    const conference = response.data!.scheduleConference.conference;
    expect(conference).toMatchObject({
      title: 'Очное межведомственное заседание по сложным случаям',
      status: 'SCHEDULED',
      format: 'IN_PERSON',
      version: 1,
      region: { code: '23' },
      chairAgency: { id: agencyGlobalId(world.chair) },
      followUpUntil: isoDay(80),
    });
    expect(conference.participants.agencies.map((a: { id: string }) => a.id).sort()).toEqual(
      [agencyGlobalId(world.chair), agencyGlobalId(world.ngo), agencyGlobalId(world.health)].sort(),
    );
    expect(conference.participants.staff.map((s: { id: string }) => s.id).sort()).toEqual([staffGlobalId(world.chair), staffGlobalId(world.ngo)].sort());
    const audit = await h.db.query(`SELECT fields FROM audit_event WHERE action = 'WRITE' AND record_type = 'CaseConference' AND record_id = $1`, [localId(conference.id)]);
    expect(audit).toHaveLength(1);
  });

  test('followUpDays sets the end of the follow-up period', async () => {
    const conference = await schedule(world, { followUpDays: 30 });
    expect(conference.followUpUntil).toBe(isoDay(20));
  });

  test('a coordinator of another region, or a specialist, may not schedule one: FORBIDDEN, nothing written', async () => {
    const before = await countWhere(h.db, 'case_conference', 'chair_agency_id = $1', [world.chair.agency.id]);
    const other = await gql(h, SCHEDULE, { input: scheduleInput(world) }, world.otherCoordinator);
    expect(codes(other)).toEqual(['FORBIDDEN']);
    const specialist = await gql(h, SCHEDULE, { input: scheduleInput(world) }, world.ngo);
    expect(codes(specialist)).toEqual(['FORBIDDEN']);
    expect(await countWhere(h.db, 'case_conference', 'chair_agency_id = $1', [world.chair.agency.id])).toBe(before);
  });

  test('input rules name their fields: follow-up days, a chair of another region, staff of an agency that does not take part', async () => {
    const stranger = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.NGO, region: '23' });
    const before = await countWhere(h.db, 'case_conference', 'chair_agency_id = $1', [world.chair.agency.id]);

    const days = await gql(h, SCHEDULE, { input: scheduleInput(world, { followUpDays: 0 }) }, world.coordinator);
    expect(codes(days)).toEqual(['BAD_USER_INPUT']);
    expect(badFields(days)).toEqual(['input.followUpDays']);

    const chair = await gql(h, SCHEDULE, { input: scheduleInput(world, { chairAgency: toGlobalId('Agency', world.otherCoordinator.agency.id), participatingStaff: [] }) }, world.coordinator);
    expect(badFields(chair)).toEqual(['input.chairAgency']);

    const staff = await gql(h, SCHEDULE, { input: scheduleInput(world, { participatingStaff: [staffGlobalId(stranger)] }) }, world.coordinator);
    expect(codes(staff)).toEqual(['BAD_USER_INPUT']);
    expect(badFields(staff)).toEqual(['input.participatingStaff[0]']);
    expect(staff.errors![0].message).toContain('participating agency');

    expect(await countWhere(h.db, 'case_conference', 'chair_agency_id = $1', [world.chair.agency.id])).toBe(before);
  });

  test('a retry with the same idempotency key returns the first conference and writes nothing twice', async () => {
    const input = scheduleInput(world, { title: 'Заседание с ключом', idempotencyKey: `schedule-${process.pid}-${Date.now()}` });
    const first = await gql(h, SCHEDULE, { input }, world.coordinator);
    const second = await gql(h, SCHEDULE, { input }, world.coordinator);
    expectOk(first);
    expectOk(second);
    expect(second.data!.scheduleConference.conference.id).toBe(first.data!.scheduleConference.conference.id);
    expect(await countWhere(h.db, 'case_conference', "title = 'Заседание с ключом' AND chair_agency_id = $1", [world.chair.agency.id])).toBe(1);
  });
});

describe('the agenda and the access it gives', () => {
  let world: ConferenceWorld;
  let conferenceId: string;
  let followUpUntil: string;
  let items: Array<{ id: string }>;

  beforeAll(async () => {
    world = await createConferenceWorld(h);
    const conference = await schedule(world);
    conferenceId = conference.id;
    followUpUntil = conference.followUpUntil;
    items = [await addItem(world, conferenceId, world.cases[0].caseGlobalId), await addItem(world, conferenceId, world.cases[1].caseGlobalId)];
  });

  test('items are numbered in agenda order; each participating agency gets a CONFERENCE grant to each case until the end of the follow-up period', async () => {
    const response = await gql(h, CONFERENCE, { id: conferenceId }, world.coordinator);
    expectOk(response);
    expect(response.data!.conference.items.map((i: { case: { number: string } }) => i.case.number)).toEqual([world.cases[0].number, world.cases[1].number]);
    const grants = await h.db.query(
      `SELECT case_id::text, agency_id::text, source, source_id::text, expires_at FROM case_access_grant WHERE kind = 'CONFERENCE' AND source_id = $1 ORDER BY case_id, agency_id`,
      [localId(conferenceId)],
    );
    const participants = [world.chair, world.ngo, world.health].map((c) => c.agency.id);
    expect(grants).toHaveLength(2 * participants.length);
    for (const grant of grants) {
      expect(grant.source).toBe('CONFERENCE');
      expect(participants).toContain(grant.agency_id);
      expect(new Date(grant.expires_at).toISOString()).toBe(new Date(Date.parse(`${followUpUntil}T00:00:00Z`) + DAY).toISOString());
    }
  });

  test('the same case twice on one agenda is BAD_USER_INPUT naming input.case, and nothing is written', async () => {
    const items0 = await countWhere(h.db, 'conference_item', 'conference_id = $1', [localId(conferenceId)]);
    const grants0 = await countWhere(h.db, 'case_access_grant', "kind = 'CONFERENCE' AND source_id = $1", [localId(conferenceId)]);
    const response = await gql(h, ADD_ITEM, { input: { conference: conferenceId, case: world.cases[0].caseGlobalId, question: 'Ещё раз?' } }, world.coordinator);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(badFields(response)).toEqual(['input.case']);
    expect(response.errors![0].message).toContain('already on the agenda');
    expect(await countWhere(h.db, 'conference_item', 'conference_id = $1', [localId(conferenceId)])).toBe(items0);
    expect(await countWhere(h.db, 'case_access_grant', "kind = 'CONFERENCE' AND source_id = $1", [localId(conferenceId)])).toBe(grants0);
  });

  test('a case of another region is BAD_USER_INPUT naming input.case, and nothing is written', async () => {
    const response = await gql(h, ADD_ITEM, { input: { conference: conferenceId, case: world.otherRegionCase.caseGlobalId, question: 'Чужой случай?' } }, world.coordinator);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(badFields(response)).toEqual(['input.case']);
    expect(await countWhere(h.db, 'conference_item', 'case_id = $1', [world.otherRegionCase.caseId])).toBe(0);
  });

  test("a participating NGO sees the agenda case's number and identity, but neither health nor social-risk data", async () => {
    const response = await gql(h, CONFERENCE, { id: conferenceId }, world.ngo);
    const errorsAt = (response.errors ?? []).map((e) => [e.path?.join('.'), e.extensions.code]);
    // Minutes are NOTES of the chair agency and the coordinator.
    expect(errorsAt).toEqual([['conference.minutes', 'FORBIDDEN']]);
    expect(response.data!.conference.minutes).toBeNull();
    expect(response.data!.conference.items.map((i: { case: { number: string } }) => i.case.number)).toEqual([world.cases[0].number, world.cases[1].number]);

    // What the policy table decides for the NGO on the agenda case and its family (the relation resolvers read the CONFERENCE grant).
    const { classesOf } = await policyProbe(world.ngo);
    const onCase = await classesOf({ kind: 'case', id: world.cases[0].caseId });
    const onFamily = await classesOf({ kind: 'family', id: world.cases[0].familyId });
    for (const classes of [onCase, onFamily]) {
      expect(classes.has(FieldClass.CASE_META)).toBe(true);
      expect(classes.has(FieldClass.IDENTITY)).toBe(true);
      expect(classes.has(FieldClass.HEALTH)).toBe(false);
      expect(classes.has(FieldClass.SOCIAL_RISK)).toBe(false);
      expect(classes.has(FieldClass.NOTES)).toBe(false);
    }

    // Over the API, through whatever path from a case to its family the schema offers.
    const path = await caseDataPath();
    if (path) {
      const data = await gql(h, `query($id: ID!) { conference(id: $id) { items { case { number ${path.selection} } } } }`, { id: conferenceId }, world.ngo);
      const item = data.data!.conference.items[0].case;
      expect(path.childNames(item)).toContain(world.cases[0].childFirstName);
      const denied = (data.errors ?? []).map((e) => `${e.path?.slice(-1)[0]}:${e.extensions.code}`);
      expect(denied).toEqual(expect.arrayContaining(['diagnosis:FORBIDDEN', 'situations:FORBIDDEN']));
      expect(path.diagnoses(item)).toEqual([null]);
    }
  });

  test("the chair agency and the region's coordinator read the minutes", async () => {
    const other = await schedule(world, { title: 'С протоколом' });
    const hold = await gql(h, HOLD, { input: { conference: other.id, heldAt: instant(-9), minutes: 'Решено коллегиально.', expectedVersion: other.version } }, world.coordinator);
    expectOk(hold);
    for (const caller of [world.chair, world.coordinator]) {
      const response = await gql(h, 'query($id: ID!) { conference(id: $id) { minutes } }', { id: other.id }, caller);
      expectOk(response);
      expect(response.data!.conference.minutes).toBe('Решено коллегиально.');
    }
    const ngo = await gql(h, 'query($id: ID!) { conference(id: $id) { minutes } }', { id: other.id }, world.ngo);
    expect(codes(ngo)).toEqual(['FORBIDDEN']);
    const audited = await h.db.query(
      `SELECT fields FROM audit_event WHERE action = 'READ' AND record_type = 'CaseConference' AND record_id = $1 AND actor_staff_id = $2`,
      [localId(other.id), world.chair.staff.id],
    );
    expect(audited.map((a: { fields: string[] }) => a.fields).flat()).toContain('minutes');
  });

  test('the rule giving the coordinator NOTES holds on conferences only, never on cases', () => {
    const region = new Set([Relation.REGION]);
    expect(readableClasses([Role.COORDINATOR], AgencyKind.SOCIAL_PROTECTION, region, 'conference').has(FieldClass.NOTES)).toBe(true);
    expect(readableClasses([Role.COORDINATOR], AgencyKind.SOCIAL_PROTECTION, region, 'case').has(FieldClass.NOTES)).toBe(false);
    expect(readableClasses([Role.COORDINATOR], AgencyKind.SOCIAL_PROTECTION, region).has(FieldClass.NOTES)).toBe(false);
  });

  test('a non-participating agency of the region sees no conference: not in lists, not by id, not by node', async () => {
    const list = await gql(h, CONFERENCE_LIST, { filter: { region: '23' }, first: 100 }, world.outsider);
    expectOk(list);
    expect(list.data!.conferences.nodes.map((n: { id: string }) => n.id)).not.toContain(conferenceId);
    const one = await gql(h, CONFERENCE, { id: conferenceId }, world.outsider);
    expect(one.data!.conference).toBeNull();
    const node = await gql(h, NODE, { id: conferenceId }, world.outsider);
    expect(node.data!.node).toBeNull();
    const itemNode = await gql(h, NODE, { id: items[0].id }, world.outsider);
    expect(itemNode.data!.node).toBeNull();
  });

  test('a coordinator of another region sees none of them', async () => {
    const list = await gql(h, CONFERENCE_LIST, { first: 100 }, world.otherCoordinator);
    expectOk(list);
    expect(list.data!.conferences.nodes.map((n: { id: string }) => n.id)).not.toContain(conferenceId);
    expect(list.data!.conferences.totalCount).toBe(0);
    const node = await gql(h, NODE, { id: conferenceId }, world.otherCoordinator);
    expect(node.data!.node).toBeNull();
  });

  test('participants and the coordinator list it; Case.conferences shows it on the case', async () => {
    for (const caller of [world.coordinator, world.ngo, world.health]) {
      const list = await gql(h, CONFERENCE_LIST, { filter: { case: world.cases[0].caseGlobalId }, first: 10 }, caller);
      expectOk(list);
      expect(list.data!.conferences.nodes.map((n: { id: string }) => n.id)).toContain(conferenceId);
    }
    const response = await gql(h, 'query($id: ID!) { conference(id: $id) { items { case { conferences { id } } } } }', { id: conferenceId }, world.ngo);
    expectOk(response);
    expect(response.data!.conference.items[0].case.conferences.map((c: { id: string }) => c.id)).toContain(conferenceId);
  });

  test('an agency added later gets access to the cases already on the agenda', async () => {
    const late = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.EDUCATION, region: '23' });
    const before = await gql(h, CONFERENCE, { id: conferenceId }, late);
    expect(before.data!.conference).toBeNull();
    const added = await gql(
      h,
      ADD_PARTICIPANTS,
      { input: { conference: conferenceId, agencies: [agencyGlobalId(late)], staff: [staffGlobalId(late)], expectedVersion: await version(conferenceId) } },
      world.coordinator,
    );
    expectOk(added);
    expect(added.data!.addConferenceParticipants.conference.participants.staff.map((s: { id: string }) => s.id)).toContain(staffGlobalId(late));
    const after = await gql(h, CONFERENCE, { id: conferenceId }, late);
    expect(after.data!.conference.items.map((i: { case: { number: string } }) => i.case.number)).toEqual([world.cases[0].number, world.cases[1].number]);
  });

  test('the grant ends after the follow-up period: the conference stays, its cases are gone', async () => {
    await h.db.query(`UPDATE case_access_grant SET expires_at = now() - interval '1 minute' WHERE kind = 'CONFERENCE' AND source_id = $1 AND agency_id = $2`, [
      localId(conferenceId),
      world.ngo.agency.id,
    ]);
    const response = await gql(h, 'query($id: ID!) { conference(id: $id) { id items { id case { id number } } } }', { id: conferenceId }, world.ngo);
    expectOk(response);
    expect(response.data!.conference.items.map((i: { case: unknown }) => i.case)).toEqual([null, null]);
    const { classesOf } = await policyProbe(world.ngo);
    expect((await classesOf({ kind: 'case', id: world.cases[0].caseId })).has(FieldClass.CASE_META)).toBe(false);
  });
});

describe('holding and cancelling', () => {
  let world: ConferenceWorld;
  beforeAll(async () => {
    world = await createConferenceWorld(h);
  });

  test('a held conference cannot be in the future: BAD_USER_INPUT naming input.heldAt, nothing written', async () => {
    const conference = await schedule(world, { scheduledAt: instant(-1) });
    const response = await gql(h, HOLD, { input: { conference: conference.id, heldAt: instant(1), minutes: 'Будет.', expectedVersion: conference.version } }, world.coordinator);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(badFields(response)).toEqual(['input.heldAt']);
    const [row] = await h.db.query('SELECT status, held_at, minutes, version FROM case_conference WHERE id = $1', [localId(conference.id)]);
    expect(row).toEqual({ status: 'SCHEDULED', held_at: null, minutes: null, version: 1 });
  });

  test('nor held before the day it was scheduled for', async () => {
    const conference = await schedule(world, { scheduledAt: instant(-3) });
    const response = await gql(h, HOLD, { input: { conference: conference.id, heldAt: instant(-4), minutes: 'Рано.', expectedVersion: conference.version } }, world.coordinator);
    expect(badFields(response)).toEqual(['input.heldAt']);
  });

  test('holding moves the follow-up period (and the grants) to the day it met; a stale version is CONFLICT; a held one cannot be held again', async () => {
    const conference = await schedule(world, { scheduledAt: instant(-6), followUpDays: 10 });
    await addItem(world, conference.id, world.cases[0].caseGlobalId);
    const stale = await gql(h, HOLD, { input: { conference: conference.id, heldAt: instant(-2), minutes: 'Протокол.', expectedVersion: 99 } }, world.coordinator);
    expect(codes(stale)).toEqual(['CONFLICT']);
    const held = await gql(h, HOLD, { input: { conference: conference.id, heldAt: instant(-2), minutes: 'Протокол.', expectedVersion: conference.version } }, world.coordinator);
    expectOk(held);
    expect(held.data!.holdConference.conference).toMatchObject({ status: 'HELD', followUpUntil: isoDay(8), version: 2 });
    const [grant] = await h.db.query(`SELECT expires_at FROM case_access_grant WHERE kind = 'CONFERENCE' AND source_id = $1 LIMIT 1`, [localId(conference.id)]);
    expect(new Date(grant.expires_at).toISOString()).toBe(`${isoDay(9)}T00:00:00.000Z`);
    const again = await gql(h, HOLD, { input: { conference: conference.id, heldAt: instant(-1), minutes: 'Ещё.', expectedVersion: 2 } }, world.coordinator);
    expect(codes(again)).toEqual(['INVALID_TRANSITION']);
  });

  test('cancelling revokes the grants; then no agenda item and no decision can be added', async () => {
    const conference = await schedule(world);
    const item = await addItem(world, conference.id, world.cases[1].caseGlobalId);
    const ngoSees = await gql(h, CONFERENCE, { id: conference.id }, world.ngo);
    expect(ngoSees.data!.conference.items[0].case.number).toBe(world.cases[1].number);

    const cancelled = await gql(h, CANCEL, { input: { conference: conference.id, expectedVersion: conference.version } }, world.coordinator);
    expectOk(cancelled);
    expect(cancelled.data!.cancelConference.conference.status).toBe('CANCELLED');
    expect(await countWhere(h.db, 'case_access_grant', "kind = 'CONFERENCE' AND source_id = $1 AND revoked_at IS NULL", [localId(conference.id)])).toBe(0);
    const ngoAfter = await gql(h, CONFERENCE, { id: conference.id }, world.ngo);
    // The NGO took part in it (the conference stays visible) but its access to the case ended with the cancellation.
    expect(ngoAfter.data!.conference.items[0].case).toBeNull();

    const decision = await gql(
      h,
      RECORD_DECISION,
      { input: { item: item.id, text: 'Провести обследование.', responsibleAgency: agencyGlobalId(world.ngo), dueOn: isoDay(30) } },
      world.coordinator,
    );
    expect(codes(decision)).toEqual(['BAD_USER_INPUT']);
    expect(badFields(decision)).toEqual(['input.item']);
    expect(decision.errors![0].message).toContain('cancelled');
    expect(await countWhere(h.db, 'decision', 'conference_id = $1', [localId(conference.id)])).toBe(0);

    const newItem = await gql(h, ADD_ITEM, { input: { conference: conference.id, case: world.cases[0].caseGlobalId, question: 'Поздно?' } }, world.coordinator);
    expect(badFields(newItem)).toEqual(['input.conference']);
    expect(await countWhere(h.db, 'conference_item', 'conference_id = $1', [localId(conference.id)])).toBe(1);
  });
});

describe('decisions', () => {
  let world: ConferenceWorld;
  let conferenceId: string;
  let itemId: string;

  beforeAll(async () => {
    world = await createConferenceWorld(h);
    const conference = await schedule(world, { scheduledAt: instant(-20) });
    conferenceId = conference.id;
    itemId = (await addItem(world, conferenceId, world.cases[0].caseGlobalId)).id;
    expectOk(await gql(h, HOLD, { input: { conference: conferenceId, heldAt: instant(-20, 14), minutes: 'Протокол заседания.', expectedVersion: conference.version } }, world.coordinator));
  });

  test('the outcome of an item is set with its version', async () => {
    const set = await gql(h, SET_OUTCOME, { input: { item: itemId, outcome: 'CHANGE_PLAN', expectedVersion: 1 } }, world.coordinator);
    expectOk(set);
    expect(set.data!.setItemOutcome.item).toMatchObject({ outcome: 'CHANGE_PLAN', version: 2 });
    const stale = await gql(h, SET_OUTCOME, { input: { item: itemId, outcome: 'ESCALATE', expectedVersion: 1 } }, world.coordinator);
    expect(codes(stale)).toEqual(['CONFLICT']);
  });

  test('a responsible agency that does not take part is BAD_USER_INPUT naming input.responsibleAgency, nothing written', async () => {
    const response = await gql(
      h,
      RECORD_DECISION,
      { input: { item: itemId, text: 'Направить к неврологу.', responsibleAgency: agencyGlobalId(world.outsider), dueOn: isoDay(10), createPlanStep: true } },
      world.coordinator,
    );
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(badFields(response)).toEqual(['input.responsibleAgency']);
    expect(await countWhere(h.db, 'decision', 'item_id = $1', [localId(itemId)])).toBe(0);
    expect(await countWhere(h.db, 'plan_step', 'case_id = $1', [world.cases[0].caseId])).toBe(0);
  });

  test('a decision that becomes a plan step is linked both ways; reporting it DONE finishes the step in the same write', async () => {
    const response = await gql(
      h,
      RECORD_DECISION,
      { input: { item: itemId, text: 'Оформить курс реабилитации.', responsibleAgency: agencyGlobalId(world.health), dueOn: isoDay(30), createPlanStep: true } },
      world.coordinator,
    );
    expectOk(response);
    const decision = response.data!.recordDecision.decision;
    expect(decision).toMatchObject({ status: 'OPEN', overdue: false, doneOn: null, responsibleAgency: { id: agencyGlobalId(world.health) }, item: { id: itemId } });
    const [step] = await h.db.query('SELECT id::text, title, responsible_agency_id::text, due_on, status, decision_id::text FROM plan_step WHERE case_id = $1', [world.cases[0].caseId]);
    expect(step).toMatchObject({ title: 'Оформить курс реабилитации.', responsible_agency_id: world.health.agency.id, due_on: isoDay(30), status: 'PLANNED', decision_id: localId(decision.id) });
    expect(decision.planStepId).toBe(toGlobalId('PlanStep', step.id));

    // Another participant may not report the health agency's decision; the responsible agency may.
    const byNgo = await gql(h, UPDATE_DECISION, { input: { decision: decision.id, status: 'DONE', expectedVersion: decision.version } }, world.ngo);
    expect(codes(byNgo)).toEqual(['FORBIDDEN']);
    const byOutsider = await gql(h, UPDATE_DECISION, { input: { decision: decision.id, status: 'DONE', expectedVersion: decision.version } }, world.outsider);
    expect(codes(byOutsider)).toEqual(['NOT_FOUND']);

    const done = await gql(h, UPDATE_DECISION, { input: { decision: decision.id, status: 'DONE', doneOn: isoDay(0), expectedVersion: decision.version } }, world.health);
    expectOk(done);
    expect(done.data!.updateDecision.decision).toMatchObject({ status: 'DONE', doneOn: isoDay(0), overdue: false, doneOnTime: true });
    const [after] = await h.db.query('SELECT status, completed_on FROM plan_step WHERE id = $1', [step.id]);
    expect(after).toEqual({ status: 'DONE', completed_on: isoDay(0) });

    const stale = await gql(h, UPDATE_DECISION, { input: { decision: decision.id, status: 'OPEN', expectedVersion: decision.version } }, world.health);
    expect(codes(stale)).toEqual(['CONFLICT']);
    const future = await gql(h, UPDATE_DECISION, { input: { decision: decision.id, status: 'DONE', doneOn: isoDay(2), expectedVersion: decision.version + 1 } }, world.health);
    expect(badFields(future)).toEqual(['input.doneOn']);
  });

  test('a decision past its due day is overdue; it is found by openDecisions and by the conferences filter', async () => {
    const recorded = await gql(
      h,
      RECORD_DECISION,
      { input: { item: itemId, text: 'Подключить социальную няню.', responsibleAgency: agencyGlobalId(world.ngo), dueOn: isoDay(-5) } },
      world.coordinator,
    );
    expectOk(recorded);
    const decision = recorded.data!.recordDecision.decision;
    expect(decision).toMatchObject({ status: 'OPEN', overdue: true, planStepId: null, case: { number: world.cases[0].number } });

    const OPEN = `query($agency: ID!, $overdue: Boolean) { openDecisions(agency: $agency, overdue: $overdue, first: 10) { totalCount nodes { id overdue } } }`;
    for (const caller of [world.ngo, world.coordinator]) {
      const open = await gql(h, OPEN, { agency: agencyGlobalId(world.ngo), overdue: true }, caller);
      expectOk(open);
      expect(open.data!.openDecisions.nodes).toEqual([{ id: decision.id, overdue: true }]);
    }
    const notOverdue = await gql(h, OPEN, { agency: agencyGlobalId(world.ngo), overdue: false }, world.ngo);
    expect(notOverdue.data!.openDecisions.totalCount).toBe(0);
    const outsider = await gql(h, OPEN, { agency: agencyGlobalId(world.ngo) }, world.outsider);
    expect(outsider.data!.openDecisions.totalCount).toBe(0);

    const withOverdue = await gql(h, CONFERENCE_LIST, { filter: { region: '23', hasOverdueDecisions: true }, first: 100 }, world.coordinator);
    expect(withOverdue.data!.conferences.nodes.map((n: { id: string }) => n.id)).toContain(conferenceId);
    const without = await gql(h, CONFERENCE_LIST, { filter: { region: '23', hasOverdueDecisions: false }, first: 100 }, world.coordinator);
    expect(without.data!.conferences.nodes.map((n: { id: string }) => n.id)).not.toContain(conferenceId);
  });

  test('a due day before the meeting and a malformed day are refused with their field', async () => {
    const early = await gql(h, RECORD_DECISION, { input: { item: itemId, text: 'Раньше.', responsibleAgency: agencyGlobalId(world.ngo), dueOn: isoDay(-30) } }, world.coordinator);
    expect(badFields(early)).toEqual(['input.dueOn']);
    const malformed = await gql(h, RECORD_DECISION, { input: { item: itemId, text: 'Когда?', responsibleAgency: agencyGlobalId(world.ngo), dueOn: '2024-02-30' } }, world.coordinator);
    expect(badFields(malformed)).toEqual(['input.dueOn']);
  });
});

describe('bounded SQL', () => {
  test('a page of 5 and a page of 30 conferences with items, cases and decisions run the same number of statements', async () => {
    const region = '10';
    const coordinator = await createCaller(h, { roles: [Role.COORDINATOR], kind: AgencyKind.SOCIAL_PROTECTION, region });
    const ngo = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.NGO, region });
    const cases = [];
    for (let i = 0; i < 3; i++) cases.push(await createCaseRow(h.db, { region, leadAgencyId: coordinator.agency.id }));
    for (let i = 0; i < 30; i++) {
      const [conference] = await h.db.query(
        `INSERT INTO case_conference (region_code, chair_agency_id, title, scheduled_at, format, follow_up_until)
         VALUES ($1, $2, $3, now() - make_interval(days => $4::int), 'IN_PERSON', current_date + 60) RETURNING id`,
        [region, coordinator.agency.id, `Заседание ${i}`, i],
      );
      await h.db.query('INSERT INTO conference_agency (conference_id, agency_id) VALUES ($1, $2), ($1, $3)', [conference.id, coordinator.agency.id, ngo.agency.id]);
      for (let j = 0; j < 2; j++) {
        const kase = cases[(i + j) % cases.length];
        const [item] = await h.db.query('INSERT INTO conference_item (conference_id, case_id, position, question) VALUES ($1, $2, $3, $4) RETURNING id', [
          conference.id,
          kase.caseId,
          j + 1,
          'Вопрос',
        ]);
        await h.db.query(
          `INSERT INTO decision (item_id, conference_id, case_id, text, responsible_agency_id, due_on) VALUES ($1, $2, $3, 'Решение', $4, current_date + 10)`,
          [item.id, conference.id, kase.caseId, ngo.agency.id],
        );
      }
    }
    const PAGE = `query($first: Int) {
      conferences(filter: { region: "${region}" }, first: $first) {
        totalCount
        nodes {
          id title status region { name } chairAgency { name }
          participants { agencies { name } staff { fullName } }
          items { question case { number conferences { id } } decisions { text } }
          decisions { text overdue responsibleAgency { name } item { id } case { number } }
        }
      }
    }`;
    const small = await gql(h, PAGE, { first: 5 }, coordinator);
    const large = await gql(h, PAGE, { first: 30 }, coordinator);
    expectOk(small);
    expectOk(large);
    expect(small.data!.conferences.nodes).toHaveLength(5);
    expect(large.data!.conferences.nodes).toHaveLength(30);
    expect(large.data!.conferences.nodes[29].items[1].case.number).toMatch(/^10-/);
    // Six times the rows never cost more statements. The small page may cost one more: its cases sit on conferences
    // beyond the page, whose guard relations are then loaded in a batch of their own (on the whole list they are the page).
    expect(large.sqlStatements).toBeLessThanOrEqual(small.sqlStatements);
    expect(small.sqlStatements).toBeLessThanOrEqual(17);

    // Keyset pagination walks the same list without gaps or repeats.
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: GraphQLResponse = await gql(h, CONFERENCE_LIST, { filter: { region }, first: 7, after }, coordinator);
      expectOk(page);
      seen.push(...page.data!.conferences.nodes.map((n: { id: string }) => n.id));
      after = page.data!.conferences.pageInfo.hasNextPage ? page.data!.conferences.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(large.data!.conferences.nodes.map((n: { id: string }) => n.id));
  });
});

describe('demo data', () => {
  /** Runs the demo step in a transaction that is rolled back, and returns what it wrote. */
  async function seedAndRead() {
    const runner = h.db.createQueryRunner();
    await runner.startTransaction();
    try {
      const [{ last }] = await runner.manager.query('SELECT coalesce(max(id), 0)::text AS last FROM case_conference');
      await seedDemoConferences(runner.manager);
      const conferences = await runner.manager.query(
        `SELECT cc.id::text, cc.region_code, cc.title, cc.status, cc.format, cc.held_at IS NOT NULL AS held, cc.minutes IS NOT NULL AS has_minutes,
                (SELECT array_agg(i.case_id::text ORDER BY i.position) FROM conference_item i WHERE i.conference_id = cc.id) AS cases
           FROM case_conference cc WHERE cc.id > $1 ORDER BY cc.id`,
        [last],
      );
      const decisions = await runner.manager.query(
        `SELECT d.conference_id::text, d.status, d.due_on, d.done_on, d.due_on < current_date AND d.status = 'OPEN' AS overdue,
                d.plan_step_id IS NOT NULL AS has_step, ps.decision_id = d.id AS linked_back, ps.status AS step_status
           FROM decision d LEFT JOIN plan_step ps ON ps.id = d.plan_step_id WHERE d.conference_id > $1 ORDER BY d.id`,
        [last],
      );
      const grants = await runner.manager.query(
        `SELECT cc.status, count(*)::int AS grants, count(g.revoked_at)::int AS revoked
           FROM case_access_grant g JOIN case_conference cc ON cc.id = g.source_id
          WHERE g.kind = 'CONFERENCE' AND g.source = 'CONFERENCE' AND cc.id > $1 GROUP BY cc.status ORDER BY cc.status`,
        [last],
      );
      return { conferences, decisions, grants };
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  test('Krasnodar first: held meetings with decisions done on time and overdue, one scheduled, one cancelled; deterministic', async () => {
    // The demo works from whatever cases exist; make sure Krasnodar has some.
    const lead = await createCaller(h, { roles: [Role.CASE_MANAGER], kind: AgencyKind.SOCIAL_PROTECTION, region: '23' });
    for (let i = 0; i < 3; i++) await createCaseRow(h.db, { region: '23', leadAgencyId: lead.agency.id });

    const first = await seedAndRead();
    const krasnodar = first.conferences.filter((c: { region_code: string }) => c.region_code === '23');
    expect(first.conferences[0].region_code).toBe('23');
    expect(krasnodar.map((c: { status: string }) => c.status)).toEqual(['HELD', 'HELD', 'SCHEDULED', 'CANCELLED']);
    expect(krasnodar[0]).toMatchObject({ format: 'IN_PERSON', held: true, has_minutes: true });
    for (const c of krasnodar) expect(new Set(c.cases).size).toBe(c.cases.length);

    const doneOnTime = first.decisions.filter((d: { status: string; done_on: string; due_on: string }) => d.status === 'DONE' && d.done_on <= d.due_on);
    expect(doneOnTime.length).toBeGreaterThanOrEqual(3);
    expect(first.decisions.some((d: { overdue: boolean }) => d.overdue)).toBe(true);
    const withSteps = first.decisions.filter((d: { has_step: boolean }) => d.has_step);
    expect(withSteps.length).toBeGreaterThanOrEqual(2);
    for (const d of withSteps) {
      expect(d.linked_back).toBe(true);
      expect(d.step_status).toBe(d.status === 'DONE' ? 'DONE' : 'PLANNED');
    }
    const byStatus = Object.fromEntries(first.grants.map((g: { status: string }) => [g.status, g]));
    expect(byStatus.CANCELLED.revoked).toBe(byStatus.CANCELLED.grants);
    expect(byStatus.SCHEDULED.revoked).toBe(0);

    const second = await seedAndRead();
    const shape = (r: typeof first) => ({
      conferences: r.conferences.map(({ id: _id, ...rest }: { id: string }) => rest),
      decisions: r.decisions.map(({ conference_id: _c, ...rest }: { conference_id: string }) => rest),
      grants: r.grants,
    });
    expect(shape(second)).toEqual(shape(first));
  });
});

// ---------------------------------------------------------------------------------------------------------------

/** Asks the policy, as a caller, which classes it may read on a record (the same path @Guard takes). */
async function policyProbe(caller: Caller) {
  const viewer = await resolveViewer(`Bearer ${caller.token}`, h.config.jwt, h.db);
  const ctx = createContext({ requestId: 'policy-probe', viewer, db: h.db, config: h.config });
  return { classesOf: (scope: RecordScope) => classesReadable(ctx, scope) };
}

interface CaseDataPath {
  selection: string;
  childNames(kase: any): string[];
  diagnoses(kase: any): Array<string | null>;
}

/**
 * The path from a Case to its children's names, diagnoses and family situations, as the families/cases module
 * exposes it (`Case.family { situations members }` or `Case.children`); null while the schema has neither.
 */
async function caseDataPath(): Promise<CaseDataPath | null> {
  const schema = await createSchema();
  const fields = (schema.getType('Case') as GraphQLObjectType).getFields();
  const familyType = fields.family && (schema.getType('Family') as GraphQLObjectType | undefined);
  const members = familyType?.getFields().members ? 'members' : null;
  if (familyType && members && familyType.getFields().situations) {
    return {
      selection: `family { situations ${members} { firstName disability { diagnosis } } }`,
      childNames: (kase) => kase.family[members].map((m: { firstName: string }) => m.firstName),
      diagnoses: (kase) => kase.family[members].map((m: { disability: { diagnosis: string | null } }) => m.disability.diagnosis),
    };
  }
  if (fields.children && familyType?.getFields().situations) {
    return {
      selection: `family { situations } children { firstName disability { diagnosis } }`,
      childNames: (kase) => kase.children.map((m: { firstName: string }) => m.firstName),
      diagnoses: (kase) => kase.children.map((m: { disability: { diagnosis: string | null } }) => m.disability.diagnosis),
    };
  }
  return null;
}
