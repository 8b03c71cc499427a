import { harness, gql, codes, type Harness, type GraphQLResponse } from './support/harness';
import { createRouteWorld, countWhere, day, gid, versionOf, type RouteCase, type RouteWorld } from './support/route-fixtures';

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

function gidLocal(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
}
