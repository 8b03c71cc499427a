import { coldReferenceCache, harness, gql, codes, createAgency, type Caller, type Harness, type GraphQLResponse } from './support/harness';
import { AgencyKind } from '../src/core/auth/roles';
import { countWhere } from './support/fixtures';
import { createRouteWorld, day, gid, versionOf, type RouteCase, type RouteWorld } from './support/route-fixtures';

const RECORD = `mutation($input: RecordServiceDeliveryInput!) {
  recordServiceDelivery(input: $input) {
    serviceDelivery { id deliveredOn durationMinutes deliveryMode notes version provider { id } specialist { id } recordedBy { id } serviceType { code } recipient { id } brigadeTrip { id } }
    case { id }
  }
}`;
const UPDATE = `mutation($input: UpdateServiceDeliveryInput!) { updateServiceDelivery(input: $input) { serviceDelivery { id durationMinutes notes version } } }`;
const TRIP = `mutation($input: RecordBrigadeTripInput!) { recordBrigadeTrip(input: $input) { brigadeTrip { id tripDate destination agency { id } region { code } } } }`;
const NOTES = `query($id: ID!) { node(id: $id) { ... on ServiceDelivery { deliveryMode notes } } }`;
const SERVICES = `query($id: ID!, $first: Int, $after: String) {
  node(id: $id) { ... on Case { services(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id deliveredOn } } } }
}`;

let h: Harness;
let w: RouteWorld;
beforeAll(async () => {
  h = await harness();
  w = await createRouteWorld(h);
});
afterAll(() => h.close());

const fields = (r: GraphQLResponse) => (r.errors?.[0]?.extensions?.fields ?? []).map((f: { field: string }) => f.field).sort();
const errorPaths = (r: GraphQLResponse) => (r.errors ?? []).map((e) => `${e.extensions.code}@${(e.path ?? []).join('.')}`).sort();

function record(kase: RouteCase, input: Record<string, unknown>, as = w.health) {
  return gql(h, RECORD, { input: { case: kase.caseGlobalId, recipient: gid('Person', kase.childId), serviceType: w.consultation.code, deliveredOn: day(-1), durationMinutes: 45, deliveryMode: 'ON_SITE', ...input } }, as);
}

describe('recording services', () => {
  test('a team specialist records for its own agency: it provides, it is the specialist, it owns the entry', async () => {
    const kase = await w.createCase();
    const response = await record(kase, { notes: 'Ребёнок устал к концу занятия' });
    expect(response.errors).toBeUndefined();
    expect(response.data!.recordServiceDelivery.serviceDelivery).toMatchObject({
      deliveredOn: day(-1),
      durationMinutes: 45,
      deliveryMode: 'ON_SITE',
      notes: 'Ребёнок устал к концу занятия',
      version: 1,
      provider: { id: gid('Agency', w.health.agency.id) },
      specialist: { id: gid('StaffMember', w.health.staff.id) },
      recordedBy: { id: gid('Agency', w.health.agency.id) },
      serviceType: { code: w.consultation.code },
      recipient: { id: gid('Person', kase.childId) },
    });
  });

  test('a specialist cannot record a service for a provider not its own: FORBIDDEN, no row', async () => {
    const kase = await w.createCase();
    const response = await record(kase, { provider: gid('Agency', w.health.agency.id) }, w.education);
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(await countWhere(h.db, 'service_delivery', 'case_id = $1', [kase.caseId])).toBe(0);
  });

  test('only agencies on the team (and the case manager) record; the case manager for any provider', async () => {
    const kase = await w.createCase();
    expect(codes(await record(kase, {}, w.outsider))).toEqual(['NOT_FOUND']);
    // The coordinator sees the case by region but is not on its team.
    expect(codes(await record(kase, {}, w.coordinator))).toEqual(['FORBIDDEN']);
    const byManager = await record(kase, { provider: gid('Agency', w.ngo.agency.id), deliveryMode: 'REMOTE' }, w.manager);
    expect(byManager.errors).toBeUndefined();
    expect(byManager.data!.recordServiceDelivery.serviceDelivery).toMatchObject({
      provider: { id: gid('Agency', w.ngo.agency.id) },
      specialist: null,
      recordedBy: { id: gid('Agency', w.manager.agency.id) },
    });
    expect(await countWhere(h.db, 'service_delivery', 'case_id = $1', [kase.caseId])).toBe(1);
  });

  test('notes are read by the owning agency and the case manager; another team agency gets null and FORBIDDEN', async () => {
    const kase = await w.createCase();
    const id = (await record(kase, { notes: 'Конфиденциально' })).data!.recordServiceDelivery.serviceDelivery.id;
    expect((await gql(h, NOTES, { id }, w.health)).data!.node).toEqual({ deliveryMode: 'ON_SITE', notes: 'Конфиденциально' });
    expect((await gql(h, NOTES, { id }, w.manager)).data!.node).toEqual({ deliveryMode: 'ON_SITE', notes: 'Конфиденциально' });
    for (const other of [w.education, w.leadSpecialist, w.coordinator]) {
      const response = await gql(h, NOTES, { id }, other);
      expect(response.data!.node).toEqual({ deliveryMode: 'ON_SITE', notes: null });
      expect(errorPaths(response)).toEqual(['FORBIDDEN@node.notes']);
    }
    expect((await gql(h, NOTES, { id }, w.outsider)).data!.node).toBeNull();
    const [audit] = await h.db.query(
      `SELECT count(*)::int AS n, array_agg(DISTINCT record_id::text) AS records FROM audit_event WHERE action = 'READ' AND record_type = 'ServiceDelivery' AND case_id = $1 AND 'notes' = ANY(fields)`,
      [kase.caseId],
    );
    // The reads that returned the notes are audited: the recording payload and the two reads above; refused reads are not.
    expect(audit.n).toBe(3);
    // Each names the service record read, with its case alongside.
    expect(audit.records).toEqual([Buffer.from(id, 'base64url').toString().split(':')[1]]);
  });

  test('bad input names every field and writes nothing', async () => {
    const kase = await w.createCase({ openedOn: '2024-03-01' });
    const other = await w.createCase();
    const response = await record(kase, { deliveredOn: day(1), recipient: gid('Person', other.childId), serviceType: 'NO_SUCH_TYPE', specialist: gid('StaffMember', w.education.staff.id) });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(fields(response)).toEqual(['input.deliveredOn', 'input.recipient', 'input.serviceType', 'input.specialist']);
    const early = await record(kase, { deliveredOn: '2024-02-29' });
    expect(fields(early)).toEqual(['input.deliveredOn']);
    const shapes = await record(kase, { durationMinutes: 0, deliveredOn: '2024-13-01', idempotencyKey: 'short' });
    expect(codes(shapes)).toEqual(['BAD_USER_INPUT']);
    expect(fields(shapes)).toEqual(['input.deliveredOn', 'input.durationMinutes', 'input.idempotencyKey']);
    expect(fields(await record(kase, { durationMinutes: 1441 }))).toEqual(['input.durationMinutes']);
    expect(await countWhere(h.db, 'service_delivery', 'case_id = $1', [kase.caseId])).toBe(0);
  });

  test('an idempotent retry writes one row', async () => {
    const kase = await w.createCase();
    const key = `svc-${kase.caseId}-retry`;
    const first = await record(kase, { idempotencyKey: key });
    const second = await record(kase, { idempotencyKey: key });
    expect(first.errors).toBeUndefined();
    expect(second.data!.recordServiceDelivery.serviceDelivery.id).toBe(first.data!.recordServiceDelivery.serviceDelivery.id);
    expect(await countWhere(h.db, 'service_delivery', 'case_id = $1', [kase.caseId])).toBe(1);
    // The same key with another input is a conflict, not a second row.
    expect(codes(await record(kase, { idempotencyKey: key, durationMinutes: 30 }))).toEqual(['CONFLICT']);
    expect(await countWhere(h.db, 'service_delivery', 'case_id = $1', [kase.caseId])).toBe(1);
  });

  test('mobile-brigade services point to a recorded trip of the same day', async () => {
    const kase = await w.createCase();
    const trip = await gql(h, TRIP, { input: { tripDate: day(-2), destination: 'Ордынский район, с. Вагайцево' } }, w.health);
    expect(trip.errors).toBeUndefined();
    expect(trip.data!.recordBrigadeTrip.brigadeTrip).toMatchObject({ tripDate: day(-2), agency: { id: gid('Agency', w.health.agency.id) }, region: { code: w.region } });
    const tripId = trip.data!.recordBrigadeTrip.brigadeTrip.id;
    const onTrip = await record(kase, { deliveryMode: 'MOBILE_BRIGADE', brigadeTrip: tripId, deliveredOn: day(-2) });
    expect(onTrip.errors).toBeUndefined();
    expect(onTrip.data!.recordServiceDelivery.serviceDelivery.brigadeTrip).toEqual({ id: tripId });
    const wrong = await record(kase, { deliveryMode: 'HOME', brigadeTrip: tripId, deliveredOn: day(-1) });
    expect(fields(wrong)).toEqual(['input.brigadeTrip', 'input.deliveryMode']);
    // Trips are recorded for the own agency only.
    expect(codes(await gql(h, TRIP, { input: { agency: gid('Agency', w.ngo.agency.id), tripDate: day(-2), destination: 'x' } }, w.health))).toEqual(['FORBIDDEN']);
  });
});

describe('correcting services', () => {
  test('the owning agency or the case manager corrects; another team agency may not; stale versions conflict', async () => {
    const kase = await w.createCase();
    const id = (await record(kase, { notes: 'Черновик' })).data!.recordServiceDelivery.serviceDelivery.id;
    expect(codes(await gql(h, UPDATE, { input: { delivery: id, durationMinutes: 60, expectedVersion: 1 } }, w.education))).toEqual(['FORBIDDEN']);
    const own = await gql(h, UPDATE, { input: { delivery: id, durationMinutes: 60, notes: null, expectedVersion: 1 } }, w.health);
    expect(own.errors).toBeUndefined();
    expect(own.data!.updateServiceDelivery.serviceDelivery).toEqual({ id, durationMinutes: 60, notes: null, version: 2 });
    expect(codes(await gql(h, UPDATE, { input: { delivery: id, durationMinutes: 30, expectedVersion: 1 } }, w.health))).toEqual(['CONFLICT']);
    const byManager = await gql(h, UPDATE, { input: { delivery: id, durationMinutes: 30, expectedVersion: 2 } }, w.manager);
    expect(byManager.data!.updateServiceDelivery.serviceDelivery).toMatchObject({ durationMinutes: 30, version: 3 });
    expect(fields(await gql(h, UPDATE, { input: { delivery: id, deliveredOn: day(3), expectedVersion: 3 } }, w.health))).toEqual(['input.deliveredOn']);
    expect(await versionOf(h.db, 'service_delivery', Buffer.from(id, 'base64url').toString().split(':')[1])).toBe(3);
  });
});

describe("a case's services", () => {
  test('newest first, keyset-paginated, counted', async () => {
    const kase = await w.createCase();
    for (const offset of [-5, -1, -3, -1, -2]) await record(kase, { deliveredOn: day(offset) });
    const first = await gql(h, SERVICES, { id: kase.caseGlobalId, first: 2 }, w.education);
    expect(first.errors).toBeUndefined();
    const page = first.data!.node.services;
    expect(page.totalCount).toBe(5);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.nodes.map((n: { deliveredOn: string }) => n.deliveredOn)).toEqual([day(-1), day(-1)]);
    const rest = await gql(h, SERVICES, { id: kase.caseGlobalId, first: 10, after: page.pageInfo.endCursor }, w.education);
    expect(rest.data!.node.services.nodes.map((n: { deliveredOn: string }) => n.deliveredOn)).toEqual([day(-2), day(-3), day(-5)]);
    expect(rest.data!.node.services.pageInfo.hasNextPage).toBe(false);
    const ids = [...page.nodes, ...rest.data!.node.services.nodes].map((n: { id: string }) => n.id);
    expect(new Set(ids).size).toBe(5);
    expect(codes(await gql(h, SERVICES, { id: kase.caseGlobalId, first: 101 }, w.education))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(h, SERVICES, { id: kase.caseGlobalId, after: 'bogus' }, w.education))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('bounded SQL', () => {
  const PAGE = `query($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Case {
        number
        needs { id domain }
        plan { id position title status overdue dueOn need { description } serviceType { code } responsibleAgency { name } }
        referrals { id status overdue reason toAgency { name } serviceType { code } }
        services(first: 5) { totalCount nodes { id deliveredOn deliveryMode durationMinutes serviceType { code } provider { name } specialist { fullName } recipient { firstName } } }
      }
    }
  }`;

  async function seedRoute(kase: RouteCase): Promise<void> {
    const [need] = await h.db.query(`INSERT INTO need (case_id, domain, description, identified_by_agency_id) VALUES ($1, 'MEDICAL', 'Реабилитация', $2) RETURNING id`, [kase.caseId, w.health.agency.id]);
    await h.db.query(
      `INSERT INTO plan_step (case_id, position, need_id, title, service_type_id, responsible_agency_id, due_on)
       SELECT $1, p, $2, 'Шаг ' || p, $3, $4, current_date + p - 2 FROM generate_series(1, 2) AS p`,
      [kase.caseId, need.id, w.consultation.id, w.health.agency.id],
    );
    await h.db.query(
      `INSERT INTO referral (case_id, from_agency_id, to_agency_id, service_type_id, status, reason, sent_at, respond_by)
       VALUES ($1, $2, $3, $4, 'SENT', 'Консультация', now() - interval '1 day', now() + interval '4 days')`,
      [kase.caseId, w.manager.agency.id, w.ngo.agency.id, w.consultation.id],
    );
    await h.db.query(
      `INSERT INTO service_delivery (case_id, recipient_id, service_type_id, provider_id, specialist_id, delivered_on, duration_minutes, delivery_mode, recorded_by_agency_id, recorded_by_subject)
       SELECT $1, $2, $3, $4, $5, current_date - d, 40, 'HOME', $4, 'fixture' FROM generate_series(1, 7) AS d`,
      [kase.caseId, kase.childId, w.lekoteka.id, w.health.agency.id, w.health.staff.id],
    );
  }

  test('one case, a page of 5 and a page of 50 cost the same number of statements', async () => {
    const cases: RouteCase[] = [];
    for (let i = 0; i < 50; i += 1) {
      const kase = await w.createCase();
      await seedRoute(kase);
      cases.push(kase);
    }
    const run = async (n: number) => {
      coldReferenceCache(h);
      const response = await gql(h, PAGE, { ids: cases.slice(0, n).map((c) => c.caseGlobalId) }, w.coordinator);
      expect(response.errors).toBeUndefined();
      expect(response.data!.nodes).toHaveLength(n);
      for (const node of response.data!.nodes) {
        expect(node.plan).toHaveLength(2);
        expect(node.referrals).toHaveLength(1);
        expect(node.services.nodes).toHaveLength(5);
        expect(node.services.totalCount).toBe(7);
      }
      return response.sqlStatements;
    };
    const one = await run(1);
    const five = await run(5);
    const fifty = await run(50);
    expect({ five, fifty }).toEqual({ five: one, fifty: one });
    expect(one).toBeLessThanOrEqual(20);
  });
});

describe('the write mix (W4): few statements, the same rules', () => {
  // The benchmark's selection: nothing of the case, nothing below the service.
  const W4_RECORD = `mutation($input: RecordServiceDeliveryInput!) { recordServiceDelivery(input: $input) { serviceDelivery { id deliveredOn version } } }`;
  const WITH_CASE = `mutation($input: RecordServiceDeliveryInput!) { recordServiceDelivery(input: $input) { serviceDelivery { id caseNumber: case { number } } case { id number } } }`;
  const w4 = (kase: RouteCase, input: Record<string, unknown> = {}, as = w.health, query = W4_RECORD) =>
    gql(h, query, { input: { case: kase.caseGlobalId, recipient: gid('Person', kase.childId), serviceType: w.consultation.code, deliveredOn: day(0), deliveryMode: 'ON_SITE', durationMinutes: 45, notes: 'Плановое занятие', ...input } }, as);

  test('a recorded service with the minimal selection costs at most 6 statements (was 14), and is audited', async () => {
    const kase = await w.createCase();
    const response = await w4(kase);
    expect(response.errors).toBeUndefined();
    expect(response.data!.recordServiceDelivery.serviceDelivery).toMatchObject({ deliveredOn: day(0), version: 1 });
    // The viewer, BEGIN, one statement for the case, the caller's standing and every lookup, INSERT … RETURNING, the audit, COMMIT.
    // The payload's guards decide from the standing read with the case (the write changes none of it): no statement of their own.
    expect(response.sqlStatements).toBeLessThanOrEqual(6);
    const id = response.data!.recordServiceDelivery.serviceDelivery.id;
    const [row] = await h.db.query(`SELECT recorded_by_agency_id::text AS agency, specialist_id::text AS specialist, duration_minutes FROM service_delivery WHERE id = $1`, [Buffer.from(id, 'base64url').toString().split(':')[1]]);
    expect(row).toEqual({ agency: w.health.agency.id, specialist: w.health.staff.id, duration_minutes: 45 });
    expect(await countWhere(h.db, 'audit_event', `action = 'WRITE' AND record_type = 'ServiceDelivery' AND case_id = $1`, [kase.caseId])).toBe(1);
  });

  test('the case of the payload is read when selected, and only then', async () => {
    const kase = await w.createCase();
    const response = await w4(kase, {}, w.health, WITH_CASE);
    expect(response.errors).toBeUndefined();
    expect(response.data!.recordServiceDelivery.case).toEqual({ id: kase.caseGlobalId, number: kase.number });
    expect(response.data!.recordServiceDelivery.serviceDelivery.caseNumber).toEqual({ number: kase.number });
    const minimal = await w4(kase);
    expect(response.sqlStatements).toBeGreaterThan(minimal.sqlStatements);
  });

  test('every lookup read in the one statement still judges its own field, and nothing is written', async () => {
    const kase = await w.createCase();
    const other = await w.createCase();
    const foreignStep = await h.db.query(`INSERT INTO plan_step (case_id, position, title, responsible_agency_id) VALUES ($1, 1, 'Чужой шаг', $2) RETURNING id::text AS id`, [other.caseId, w.health.agency.id]);
    const foreignReferral = await h.db.query(
      `INSERT INTO referral (case_id, from_agency_id, to_agency_id, status, reason, sent_at, respond_by) VALUES ($1, $2, $3, 'SENT', 'x', now(), now() + interval '3 days') RETURNING id::text AS id`,
      [other.caseId, w.manager.agency.id, w.ngo.agency.id],
    );
    const bad = await w4(kase, {
      recipient: gid('Person', other.motherId),
      planStep: gid('PlanStep', foreignStep[0].id),
      referral: gid('Referral', foreignReferral[0].id),
      brigadeTrip: gid('BrigadeTrip', '999999999'),
      serviceType: gid('ServiceType', '999999999'),
    });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(fields(bad)).toEqual(['input.brigadeTrip', 'input.deliveryMode', 'input.planStep', 'input.recipient', 'input.referral', 'input.serviceType']);
    expect(bad.errors![0].extensions.fields).toEqual(
      expect.arrayContaining([
        { field: 'input.recipient', message: "must be a member of the case's family" },
        { field: 'input.planStep', message: 'is not a plan step of this case' },
        { field: 'input.referral', message: 'is not a referral of this case' },
        { field: 'input.brigadeTrip', message: 'is not a recorded brigade trip' },
        { field: 'input.serviceType', message: 'is not a service type of the catalogue (give its code or its id)' },
      ]),
    );
    // A provider that is not an active agency (the case manager may name any provider): named, not written.
    const inactive = await createAgency(h.db, AgencyKind.NGO, w.region);
    await h.db.query(`UPDATE agency SET active = false WHERE id = $1`, [inactive.id]);
    const byManager = await w4(kase, { provider: gid('Agency', inactive.id) }, w.manager);
    expect(byManager.errors![0].extensions.fields).toEqual([{ field: 'input.provider', message: 'is not an active agency of the registry' }]);
    // A malformed id names its field without a lookup.
    expect(fields(await w4(kase, { planStep: gid('Need', '1') }))).toEqual(['input.planStep']);
    expect(await countWhere(h.db, 'service_delivery', 'case_id = $1', [kase.caseId])).toBe(0);
    expect(await countWhere(h.db, 'audit_event', `action = 'WRITE' AND case_id = $1`, [kase.caseId])).toBe(0);
  });

  test('the caller standing is read with the case: off the team FORBIDDEN or NOT_FOUND, another provider FORBIDDEN, nothing written', async () => {
    const kase = await w.createCase();
    expect(codes(await w4(kase, {}, w.coordinator))).toEqual(['FORBIDDEN']);
    expect(codes(await w4(kase, {}, w.outsider))).toEqual(['NOT_FOUND']);
    expect(codes(await w4(kase, { provider: gid('Agency', w.health.agency.id) }, w.education))).toEqual(['FORBIDDEN']);
    // A specialist of the team may not name another agency's specialist.
    expect(fields(await w4(kase, { specialist: gid('StaffMember', w.education.staff.id) }))).toEqual(['input.specialist']);
    expect(await countWhere(h.db, 'service_delivery', 'case_id = $1', [kase.caseId])).toBe(0);
  });

  test('a malformed id is judged after the case and the standing: NOT_FOUND first, then FORBIDDEN, then every field at once', async () => {
    const kase = await w.createCase();
    const id = (await w4(kase)).data!.recordServiceDelivery.serviceDelivery.id;
    // Ids of the wrong type or not ids at all: each is a violation of its field, none is a lookup.
    const malformed = { recipient: gid('Need', '1'), specialist: 'not-an-id', planStep: gid('Referral', '1'), referral: gid('PlanStep', '1'), brigadeTrip: gid('Person', '1') };
    const named = [
      { field: 'input.provider', message: 'must be the id of a Agency' },
      { field: 'input.specialist', message: 'must be the id of a StaffMember' },
      { field: 'input.recipient', message: 'must be the id of a Person' },
      { field: 'input.planStep', message: 'must be the id of a PlanStep' },
      { field: 'input.referral', message: 'must be the id of a Referral' },
      { field: 'input.brigadeTrip', message: 'must be the id of a BrigadeTrip' },
    ];
    // Recording: a case the caller may not see does not exist, whatever the input; off the team, or for another provider, FORBIDDEN.
    expect(codes(await w4(kase, { ...malformed, provider: gid('Agency', 'x') }, w.outsider))).toEqual(['NOT_FOUND']);
    expect(codes(await w4(kase, { ...malformed, provider: gid('Agency', 'x') }, w.coordinator))).toEqual(['FORBIDDEN']);
    expect(codes(await w4(kase, { ...malformed, provider: gid('Agency', w.health.agency.id) }, w.education))).toEqual(['FORBIDDEN']);
    const recorded = await w4(kase, { ...malformed, provider: gid('Agency', 'x') });
    expect(codes(recorded)).toEqual(['BAD_USER_INPUT']);
    expect(recorded.errors![0].extensions.fields).toEqual(named);
    // Correcting: a service the caller may not see does not exist; another team agency may not correct it.
    const update = (input: Record<string, unknown>, as: Caller) => gql(h, UPDATE, { input: { delivery: id, expectedVersion: 1, ...malformed, provider: gid('Agency', 'x'), ...input } }, as);
    expect(codes(await update({}, w.outsider))).toEqual(['NOT_FOUND']);
    expect(codes(await update({}, w.education))).toEqual(['FORBIDDEN']);
    const corrected = await update({ serviceType: null }, w.health);
    expect(codes(corrected)).toEqual(['BAD_USER_INPUT']);
    // The same fields, in the order a correction reads them (the recipient before the specialist).
    const [provider, specialist, recipient, ...rest] = named;
    expect(corrected.errors![0].extensions.fields).toEqual([{ field: 'input.serviceType', message: 'cannot be cleared' }, provider, recipient, specialist, ...rest]);
    expect(await countWhere(h.db, 'service_delivery', 'case_id = $1', [kase.caseId])).toBe(1);
    expect(await versionOf(h.db, 'service_delivery', Buffer.from(id, 'base64url').toString().split(':')[1])).toBe(1);
  });

  test('a correction reads its lookups with the case too and answers the row as corrected', async () => {
    const kase = await w.createCase();
    const other = await w.createCase();
    const id = (await w4(kase)).data!.recordServiceDelivery.serviceDelivery.id;
    const wrong = await gql(h, UPDATE, { input: { delivery: id, recipient: gid('Person', other.childId), expectedVersion: 1 } }, w.health);
    expect(fields(wrong)).toEqual(['input.recipient']);
    const right = await gql(h, UPDATE, { input: { delivery: id, recipient: gid('Person', kase.motherId), durationMinutes: 50, expectedVersion: 1 } }, w.health);
    expect(right.errors).toBeUndefined();
    expect(right.data!.updateServiceDelivery.serviceDelivery).toMatchObject({ id, durationMinutes: 50, version: 2 });
    expect(await versionOf(h.db, 'service_delivery', Buffer.from(id, 'base64url').toString().split(':')[1])).toBe(2);
  });
});
