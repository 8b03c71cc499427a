import { harness, gql, codes, type Harness, type GraphQLResponse } from './support/harness';
import { AgencyKind, Role } from '../src/core/auth/roles';
import { seedDemoRoutes } from '../src/demo/route';
import { createAgency, createStaff } from './support/harness';
import { countWhere } from './support/fixtures';
import { createRouteCase, createRouteWorld, createServiceType, day, gid, versionOf, type RouteCase, type RouteWorld } from './support/route-fixtures';

const ADD_NEED = `mutation($input: AddNeedInput!) { addNeed(input: $input) { need { id domain description status identifiedBy { id } } case { id version } } }`;
const ADD_STEP = `mutation($input: AddPlanStepInput!) {
  addPlanStep(input: $input) { planStep { id position title dueOn status overdue version need { id } serviceType { code } responsibleAgency { id } offering { id } } case { version } }
}`;
const UPDATE_STEP = `mutation($input: UpdatePlanStepInput!) { updatePlanStep(input: $input) { planStep { id status completedOn dueOn overdue version } } }`;
const PLAN = `query($id: ID!) { node(id: $id) { ... on Case { version needs { id domain } plan { id position title status overdue dueOn completedOn responsibleAgency { id } } } } }`;

let h: Harness;
let w: RouteWorld;
beforeAll(async () => {
  h = await harness();
  w = await createRouteWorld(h);
});
afterAll(() => h.close());

const fields = (r: GraphQLResponse) => (r.errors?.[0]?.extensions?.fields ?? []).map((f: { field: string }) => f.field).sort();

async function addStep(kase: RouteCase, input: Record<string, unknown> = {}, as = w.manager) {
  const version = await versionOf(h.db, 'case', kase.caseId);
  return gql(h, ADD_STEP, { input: { case: kase.caseGlobalId, title: 'Консультация невролога', responsibleAgency: gid('Agency', w.health.agency.id), expectedVersion: version, ...input } }, as);
}

describe('needs', () => {
  test('a team agency records a need; it is named as the one that found it and the case version moves on', async () => {
    const kase = await w.createCase();
    const response = await gql(h, ADD_NEED, { input: { case: kase.caseGlobalId, domain: 'MEDICAL', description: 'Реабилитация ребёнка с ДЦП', expectedVersion: 1 } }, w.health);
    expect(response.errors).toBeUndefined();
    expect(response.data!.addNeed.need).toMatchObject({ domain: 'MEDICAL', status: 'IDENTIFIED', identifiedBy: { id: gid('Agency', w.health.agency.id) } });
    expect(response.data!.addNeed.case.version).toBe(2);
    const read = await gql(h, PLAN, { id: kase.caseGlobalId }, w.manager);
    expect(read.data!.node.needs).toEqual([{ id: response.data!.addNeed.need.id, domain: 'MEDICAL' }]);
  });

  test('a stale case version is a CONFLICT and writes nothing', async () => {
    const kase = await w.createCase();
    const response = await gql(h, ADD_NEED, { input: { case: kase.caseGlobalId, domain: 'SOCIAL', description: 'x', expectedVersion: 7 } }, w.manager);
    expect(codes(response)).toEqual(['CONFLICT']);
    expect(await countWhere(h.db, 'need', 'case_id = $1', [kase.caseId])).toBe(0);
  });

  test('an agency not on the team does not find the case', async () => {
    const kase = await w.createCase();
    const response = await gql(h, ADD_NEED, { input: { case: kase.caseGlobalId, domain: 'SOCIAL', description: 'x', expectedVersion: 1 } }, w.outsider);
    expect(codes(response)).toEqual(['NOT_FOUND']);
  });
});

describe('building the route of help', () => {
  test('the case manager adds steps (service type by code or id, need, offering) that the plan lists by position', async () => {
    const kase = await w.createCase();
    const need = await gql(h, ADD_NEED, { input: { case: kase.caseGlobalId, domain: 'PSYCHOLOGICAL', description: 'Поддержка матери', expectedVersion: 1 } }, w.manager);
    const first = await addStep(kase, { need: need.data!.addNeed.need.id, serviceType: w.consultation.code, dueOn: day(10) });
    expect(first.errors).toBeUndefined();
    expect(first.data!.addPlanStep.planStep).toMatchObject({ position: 1, status: 'PLANNED', overdue: false, version: 1, need: { id: need.data!.addNeed.need.id }, serviceType: { code: w.consultation.code } });
    expect(first.data!.addPlanStep.case.version).toBe(3);
    // An offering implies its provider and service type.
    const second = await addStep(kase, { title: 'Консультации в НКО', responsibleAgency: null, offering: w.ngoOffering.globalId });
    expect(second.errors).toBeUndefined();
    expect(second.data!.addPlanStep.planStep).toMatchObject({ position: 2, serviceType: { code: w.consultation.code }, responsibleAgency: { id: gid('Agency', w.ngo.agency.id) }, offering: { id: w.ngoOffering.globalId } });
    const third = await addStep(kase, { title: 'Лекотека', serviceType: w.lekoteka.globalId });
    expect(third.data!.addPlanStep.planStep.serviceType.code).toBe(w.lekoteka.code);

    const plan = await gql(h, PLAN, { id: kase.caseGlobalId }, w.education);
    expect(plan.errors).toBeUndefined();
    expect(plan.data!.node.plan.map((s: { position: number; title: string }) => [s.position, s.title])).toEqual([
      [1, 'Консультация невролога'],
      [2, 'Консультации в НКО'],
      [3, 'Лекотека'],
    ]);
  });

  test('a coordinator of the region builds the plan too; a specialist or another case manager may not', async () => {
    const kase = await w.createCase();
    expect((await addStep(kase, {}, w.coordinator)).errors).toBeUndefined();
    expect(codes(await addStep(kase, {}, w.health))).toEqual(['FORBIDDEN']);
    expect(codes(await addStep(kase, {}, w.otherManager))).toEqual(['FORBIDDEN']);
    expect(await countWhere(h.db, 'plan_step', 'case_id = $1', [kase.caseId])).toBe(1);
  });

  test('bad input names every field and writes nothing', async () => {
    const kase = await w.createCase({ openedOn: '2024-02-01' });
    const response = await addStep(kase, { dueOn: '2024-01-31', serviceType: 'NO_SUCH_SERVICE', responsibleAgency: null, need: gid('Need', '999999999') });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(fields(response)).toEqual(['input.dueOn', 'input.need', 'input.responsibleAgency', 'input.serviceType']);
    const malformed = await addStep(kase, { dueOn: '2024-02-30', title: '' });
    expect(codes(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(fields(malformed)).toEqual(['input.dueOn', 'input.title']);
    expect(await countWhere(h.db, 'plan_step', 'case_id = $1', [kase.caseId])).toBe(0);
    expect(await versionOf(h.db, 'case', kase.caseId)).toBe(1);
  });
});

describe('progress of a step', () => {
  test('PLANNED → IN_PROGRESS → DONE by the responsible agency; completion date required and not in the future', async () => {
    const kase = await w.createCase();
    const step = (await addStep(kase, { dueOn: day(5) })).data!.addPlanStep.planStep;
    const started = await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'IN_PROGRESS', expectedVersion: 1 } }, w.health);
    expect(started.errors).toBeUndefined();
    expect(started.data!.updatePlanStep.planStep).toMatchObject({ status: 'IN_PROGRESS', version: 2 });
    // The audit names the step written (its case alongside), not the case.
    const stepLocal = Buffer.from(step.id, 'base64url').toString().split(':')[1];
    const written = await h.db.query(`SELECT record_id::text AS record_id, case_id::text AS case_id, fields FROM audit_event WHERE action = 'WRITE' AND record_type = 'PlanStep' AND record_id = $1 ORDER BY id`, [stepLocal]);
    expect(written.map((r: { record_id: string; case_id: string; fields: string[] }) => [r.record_id, r.case_id, r.fields])).toEqual([
      [stepLocal, kase.caseId, expect.arrayContaining(['title', 'dueOn'])],
      [stepLocal, kase.caseId, ['status']],
    ]);

    const noDate = await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'DONE', expectedVersion: 2 } }, w.health);
    expect(fields(noDate)).toEqual(['input.completedOn']);
    const future = await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'DONE', completedOn: day(2), expectedVersion: 2 } }, w.health);
    expect(codes(future)).toEqual(['BAD_USER_INPUT']);
    expect(fields(future)).toEqual(['input.completedOn']);

    const done = await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'DONE', completedOn: day(-1), expectedVersion: 2 } }, w.health);
    expect(done.errors).toBeUndefined();
    expect(done.data!.updatePlanStep.planStep).toMatchObject({ status: 'DONE', completedOn: day(-1), version: 3 });

    const back = await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'IN_PROGRESS', expectedVersion: 3 } }, w.health);
    expect(codes(back)).toEqual(['INVALID_TRANSITION']);
  });

  test('illegal moves are INVALID_TRANSITION; a stale step version is a CONFLICT', async () => {
    const kase = await w.createCase();
    const step = (await addStep(kase)).data!.addPlanStep.planStep;
    expect(codes(await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'DONE', completedOn: day(0), expectedVersion: 1 } }, w.manager))).toEqual(['INVALID_TRANSITION']);
    expect(codes(await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'IN_PROGRESS', expectedVersion: 5 } }, w.manager))).toEqual(['CONFLICT']);
    const cancelled = await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'CANCELLED', expectedVersion: 1 } }, w.manager);
    expect(cancelled.data!.updatePlanStep.planStep.status).toBe('CANCELLED');
    expect(codes(await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'PLANNED', expectedVersion: 2 } }, w.manager))).toEqual(['INVALID_TRANSITION']);
  });

  test('only the responsible agency reports progress, and only the manager re-plans', async () => {
    const kase = await w.createCase();
    const step = (await addStep(kase)).data!.addPlanStep.planStep;
    // Education is on the team but not responsible for this step.
    expect(codes(await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'IN_PROGRESS', expectedVersion: 1 } }, w.education))).toEqual(['FORBIDDEN']);
    // The responsible agency may not move the due date.
    expect(codes(await gql(h, UPDATE_STEP, { input: { step: step.id, dueOn: day(30), expectedVersion: 1 } }, w.health))).toEqual(['FORBIDDEN']);
    // An agency off the team does not find the step.
    expect(codes(await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'IN_PROGRESS', expectedVersion: 1 } }, w.outsider))).toEqual(['NOT_FOUND']);
    expect(await versionOf(h.db, 'plan_step', gidLocal(step.id))).toBe(1);

    const replanned = await gql(h, UPDATE_STEP, { input: { step: step.id, dueOn: day(30), responsibleAgency: gid('Agency', w.education.agency.id), expectedVersion: 1 } }, w.manager);
    expect(replanned.errors).toBeUndefined();
    expect(replanned.data!.updatePlanStep.planStep).toMatchObject({ dueOn: day(30), status: 'PLANNED', version: 2 });
    expect((await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'IN_PROGRESS', expectedVersion: 2 } }, w.education)).errors).toBeUndefined();
  });

  test('a step past its due date shows as overdue until it is done', async () => {
    const kase = await w.createCase();
    const step = (await addStep(kase, { dueOn: day(-3) })).data!.addPlanStep.planStep;
    expect(step.overdue).toBe(true);
    const plan = await gql(h, PLAN, { id: kase.caseGlobalId }, w.manager);
    expect(plan.data!.node.plan[0].overdue).toBe(true);
    await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'IN_PROGRESS', expectedVersion: 1 } }, w.health);
    const done = await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'DONE', completedOn: day(0), expectedVersion: 2 } }, w.health);
    expect(done.data!.updatePlanStep.planStep.overdue).toBe(false);
  });

  test('a step that carries out a conference decision marks the decision done, in the same transaction', async () => {
    const kase = await w.createCase();
    const [conference] = await h.db.query(
      `INSERT INTO case_conference (region_code, chair_agency_id, title, scheduled_at, format, status, follow_up_until)
       VALUES ($1, $2, 'Межведомственный консилиум', now() - interval '2 days', 'IN_PERSON', 'HELD', current_date + 60) RETURNING id::text AS id`,
      [w.region, w.coordinator.agency.id],
    );
    const [item] = await h.db.query(`INSERT INTO conference_item (conference_id, case_id, position, question) VALUES ($1, $2, 1, 'Маршрут') RETURNING id::text AS id`, [conference.id, kase.caseId]);
    const [decision] = await h.db.query(
      `INSERT INTO decision (item_id, conference_id, case_id, text, responsible_agency_id, due_on) VALUES ($1, $2, $3, 'Курс реабилитации', $4, current_date + 10) RETURNING id::text AS id`,
      [item.id, conference.id, kase.caseId, w.health.agency.id],
    );
    const step = (await addStep(kase, { title: 'Курс реабилитации' })).data!.addPlanStep.planStep;
    await h.db.query(`UPDATE plan_step SET decision_id = $1 WHERE id = $2`, [decision.id, gidLocal(step.id)]);
    await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'IN_PROGRESS', expectedVersion: 1 } }, w.health);
    const done = await gql(h, UPDATE_STEP, { input: { step: step.id, status: 'DONE', completedOn: day(-1), expectedVersion: 2 } }, w.health);
    expect(done.errors).toBeUndefined();
    const [row] = await h.db.query(`SELECT status, done_on::text AS done_on, plan_step_id::text AS plan_step_id FROM decision WHERE id = $1`, [decision.id]);
    expect(row).toEqual({ status: 'DONE', done_on: day(-1), plan_step_id: gidLocal(step.id) });
  });

  test('a closed case keeps its route as it was', async () => {
    const kase = await w.createCase({ status: 'CLOSED' });
    expect(codes(await addStep(kase))).toEqual(['INVALID_TRANSITION']);
  });
});

describe('the write mix (W4): a step set in progress costs few statements, the same rules', () => {
  const W4_STEP = `mutation($input: UpdatePlanStepInput!) { updatePlanStep(input: $input) { planStep { id status version } } }`;
  const WITH_CASE = `mutation($input: UpdatePlanStepInput!) { updatePlanStep(input: $input) { planStep { id status version updatedAt } case { id number } } }`;

  test('the responsible agency sets a step in progress in at most 6 statements (was 12); the step is audited', async () => {
    const kase = await w.createCase();
    const step = (await addStep(kase)).data!.addPlanStep.planStep;
    const response = await gql(h, W4_STEP, { input: { step: step.id, status: 'IN_PROGRESS', expectedVersion: 1 } }, w.health);
    expect(response.errors).toBeUndefined();
    expect(response.data!.updatePlanStep.planStep).toEqual({ id: step.id, status: 'IN_PROGRESS', version: 2 });
    // The viewer, BEGIN, one statement for the step, its case, the caller's standing and the lookups, one UPDATE (version and change), the audit, COMMIT.
    // The payload's guards decide from the standing read with the step (the write changes none of it): no statement of their own.
    expect(response.sqlStatements).toBeLessThanOrEqual(6);
    const [row] = await h.db.query(`SELECT status, version, updated_at > created_at AS touched FROM plan_step WHERE id = $1`, [gidLocal(step.id)]);
    expect(row).toEqual({ status: 'IN_PROGRESS', version: 2, touched: true });
    expect(await countWhere(h.db, 'audit_event', `action = 'WRITE' AND record_type = 'PlanStep' AND case_id = $1 AND 'status' = ANY(fields)`, [kase.caseId])).toBe(1);
  });

  test('the case of the payload is read only when selected', async () => {
    const kase = await w.createCase();
    const step = (await addStep(kase)).data!.addPlanStep.planStep;
    const response = await gql(h, WITH_CASE, { input: { step: step.id, status: 'IN_PROGRESS', expectedVersion: 1 } }, w.health);
    expect(response.errors).toBeUndefined();
    expect(response.data!.updatePlanStep.case).toEqual({ id: kase.caseGlobalId, number: kase.number });
    expect(response.data!.updatePlanStep.planStep.updatedAt).toBeTruthy();
  });

  test('a bad responsible agency or date names its field and changes nothing; others are refused; a stale version conflicts', async () => {
    const kase = await w.createCase({ openedOn: '2024-02-01' });
    const step = (await addStep(kase)).data!.addPlanStep.planStep;
    const bad = await gql(h, UPDATE_STEP, { input: { step: step.id, responsibleAgency: gid('Agency', '999999999'), dueOn: '2024-01-31', expectedVersion: 1 } }, w.manager);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions.fields).toEqual([
      { field: 'input.responsibleAgency', message: 'is not an active agency of the registry' },
      { field: 'input.dueOn', message: 'must not be before the case was opened (2024-02-01)' },
    ]);
    expect(fields(await gql(h, UPDATE_STEP, { input: { step: step.id, responsibleAgency: gid('Need', '1'), expectedVersion: 1 } }, w.manager))).toEqual(['input.responsibleAgency']);
    expect(codes(await gql(h, W4_STEP, { input: { step: step.id, status: 'IN_PROGRESS', expectedVersion: 1 } }, w.education))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(h, W4_STEP, { input: { step: step.id, status: 'IN_PROGRESS', expectedVersion: 1 } }, w.outsider))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(h, W4_STEP, { input: { step: step.id, status: 'IN_PROGRESS', expectedVersion: 2 } }, w.health))).toEqual(['CONFLICT']);
    expect(codes(await gql(h, W4_STEP, { input: { step: gid('PlanStep', '999999999'), status: 'IN_PROGRESS', expectedVersion: 1 } }, w.health))).toEqual(['NOT_FOUND']);
    const [row] = await h.db.query(`SELECT status, version, responsible_agency_id::text AS agency FROM plan_step WHERE id = $1`, [gidLocal(step.id)]);
    expect(row).toEqual({ status: 'PLANNED', version: 1, agency: w.health.agency.id });
    expect(await countWhere(h.db, 'audit_event', `action = 'WRITE' AND record_type = 'PlanStep' AND case_id = $1 AND 'status' = ANY(fields)`, [kase.caseId])).toBe(0);
  });

  test('a coordinator of the region (standing by region, read with the step) re-plans a step', async () => {
    const kase = await w.createCase();
    const step = (await addStep(kase)).data!.addPlanStep.planStep;
    const replanned = await gql(h, UPDATE_STEP, { input: { step: step.id, dueOn: day(20), responsibleAgency: gid('Agency', w.education.agency.id), expectedVersion: 1 } }, w.coordinator);
    expect(replanned.errors).toBeUndefined();
    expect(replanned.data!.updatePlanStep.planStep).toMatchObject({ dueOn: day(20), version: 2 });
  });
});

describe('demo routes', () => {
  /** A Karelian organisation like the seed's: the KCSON, a department with a Lekoteka, a mobile brigade; a partner clinic; an NGO. */
  async function karelia() {
    const kcson = await createAgency(h.db, AgencyKind.SOCIAL_PROTECTION, '10');
    const department = await createAgency(h.db, AgencyKind.SOCIAL_PROTECTION, '10');
    const brigade = await createAgency(h.db, AgencyKind.SOCIAL_PROTECTION, '10');
    await h.db.query(`UPDATE agency SET parent_id = $1 WHERE id = ANY($2::bigint[])`, [kcson.id, [department.id, brigade.id]]);
    const clinic = await createAgency(h.db, AgencyKind.HEALTH, '10');
    await createAgency(h.db, AgencyKind.NGO, '10');
    const manager = await createStaff(h.db, department.id, [Role.CASE_MANAGER]);
    for (const agency of [department, brigade, clinic]) await createStaff(h.db, agency.id, [Role.SPECIALIST]);
    const lekoteka = await createServiceType(h.db, 'Занятие в Лекотеке', 'PEDAGOGICAL');
    const rehabilitation = await createServiceType(h.db, 'Социально-реабилитационное занятие', 'SOCIAL');
    const neurologist = await createServiceType(h.db, 'Консультация невролога', 'MEDICAL');
    await h.db.query(
      `INSERT INTO service_offering (provider_id, service_type_id, delivery_modes, region_codes)
       VALUES ($1, $2, '{ON_SITE,REMOTE}', '{10}'), ($3, $4, '{MOBILE_BRIGADE,HOME}', '{10}'), ($5, $6, '{ON_SITE,HOME}', '{10}')`,
      [department.id, lekoteka.id, brigade.id, rehabilitation.id, clinic.id, neurologist.id],
    );
    const cases: RouteCase[] = [];
    const statuses = ['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'MONITORING', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'CLOSED', 'ASSESSMENT', 'REFERRED'];
    for (const [i, status] of statuses.entries()) {
      const kase = await createRouteCase(h.db, { region: '10', leadAgencyId: department.id, managerStaffId: manager.id, teamAgencyIds: [], openedOn: day(-120 + i), status });
      if (status === 'CLOSED') await h.db.query(`UPDATE "case" SET closed_on = $1 WHERE id = $2`, [day(-5), kase.caseId]);
      if (i % 2 === 1) await h.db.query(`UPDATE family SET remote = true, settlement = 'Вокнаволок' WHERE id = $1`, [kase.familyId]);
      cases.push(kase);
    }
    return { cases, lekotekaId: lekoteka.id };
  }

  /** Runs the demo step in a transaction that is rolled back, and returns what it wrote for the given cases. */
  async function seedAndRead(caseIds: string[]) {
    const runner = h.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await seedDemoRoutes(runner.manager);
      const read = (text: string) => runner.manager.query(text, [caseIds]);
      return {
        needs: await read(`SELECT case_id::text, domain, status FROM need WHERE case_id = ANY($1::bigint[]) ORDER BY case_id, id`),
        steps: await read(
          `SELECT ps.case_id::text, ps.position, ps.status, ps.due_on < current_date AND ps.status NOT IN ('DONE', 'CANCELLED') AS overdue,
                  ps.completed_on <= ps.due_on AS on_time, ps.due_on >= c.opened_on AS due_after_opening, coalesce(ps.completed_on <= current_date, true) AS completed_not_future
             FROM plan_step ps JOIN "case" c ON c.id = ps.case_id WHERE ps.case_id = ANY($1::bigint[]) ORDER BY ps.case_id, ps.position`,
        ),
        referrals: await read(
          `SELECT r.case_id::text, r.status, r.status = 'SENT' AND r.respond_by < now() AS overdue, r.respond_by > r.sent_at AS deadline_after_sending,
                  (SELECT count(*)::int FROM case_access_grant g WHERE g.source = 'REFERRAL' AND g.source_id = r.id AND g.agency_id = r.to_agency_id) AS grants
             FROM referral r WHERE r.case_id = ANY($1::bigint[]) ORDER BY r.case_id, r.id`,
        ),
        services: await read(
          `SELECT sd.case_id::text, sd.delivery_mode, sd.service_type_id::text, sd.delivered_on BETWEEN c.opened_on AND least(current_date, coalesce(c.closed_on, current_date)) AS in_span,
                  sd.brigade_trip_id IS NOT NULL AS on_trip, t.trip_date = sd.delivered_on AS trip_same_day, sd.referral_id IS NOT NULL AS for_referral,
                  sd.recorded_by_agency_id = c.lead_agency_id OR EXISTS (SELECT 1 FROM case_access_grant g WHERE g.case_id = c.id AND g.agency_id = sd.recorded_by_agency_id) AS recorder_on_team
             FROM service_delivery sd JOIN "case" c ON c.id = sd.case_id LEFT JOIN brigade_trip t ON t.id = sd.brigade_trip_id
            WHERE sd.case_id = ANY($1::bigint[]) ORDER BY sd.case_id, sd.id`,
        ),
      };
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  test('routes for the demo cases: steps done and overdue, the referral loop in every state, every delivery mode; deterministic', async () => {
    const { cases, lekotekaId } = await karelia();
    const ids = cases.map((c) => c.caseId);
    const first = await seedAndRead(ids);

    expect(new Set(first.needs.map((n: { case_id: string }) => n.case_id)).size).toBe(cases.length);
    const referred = cases[cases.length - 1].caseId;
    expect(first.steps.some((s: { case_id: string }) => s.case_id === referred)).toBe(false);
    expect(first.steps.some((s: { status: string; on_time: boolean }) => s.status === 'DONE' && s.on_time)).toBe(true);
    expect(first.steps.some((s: { status: string; on_time: boolean }) => s.status === 'DONE' && !s.on_time)).toBe(true);
    expect(first.steps.some((s: { overdue: boolean }) => s.overdue)).toBe(true);
    expect(new Set(first.steps.map((s: { status: string }) => s.status))).toEqual(new Set(['DONE', 'IN_PROGRESS', 'PLANNED', 'CANCELLED']));
    for (const s of first.steps) expect(s).toMatchObject({ due_after_opening: true, completed_not_future: true });

    const states = new Set(first.referrals.map((r: { status: string; overdue: boolean }) => (r.overdue ? 'OVERDUE' : r.status)));
    expect(states).toEqual(new Set(['SENT', 'OVERDUE', 'ACCEPTED', 'DECLINED', 'COMPLETED', 'CANCELLED']));
    for (const r of first.referrals) {
      expect(r.deadline_after_sending).toBe(true);
      expect(r.grants).toBe(['ACCEPTED', 'COMPLETED'].includes(r.status) ? 1 : 0);
    }

    expect(new Set(first.services.map((s: { delivery_mode: string }) => s.delivery_mode))).toEqual(new Set(['ON_SITE', 'REMOTE', 'HOME', 'MOBILE_BRIGADE']));
    expect(first.services.filter((s: { service_type_id: string }) => s.service_type_id === lekotekaId).length).toBeGreaterThanOrEqual(cases.length - 2);
    expect(first.services.some((s: { for_referral: boolean }) => s.for_referral)).toBe(true);
    for (const s of first.services) {
      expect(s).toMatchObject({ in_span: true, recorder_on_team: true });
      expect(s.on_trip).toBe(s.delivery_mode === 'MOBILE_BRIGADE');
      if (s.on_trip) expect(s.trip_same_day).toBe(true);
    }

    const second = await seedAndRead(ids);
    expect(second).toEqual(first);
  });
});

function gidLocal(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
}
