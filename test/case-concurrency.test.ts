import { harness, gql, createCaller, codes, unique, type Caller, type Harness } from './support/harness';
import { countRows, createCase, createFamily } from './support/fixtures';
import { AgencyKind, Role } from '../src/core/auth/roles';
import { CaseStatus } from '../src/modules/cases/case.enums';

const CHANGE_STATUS = `mutation Move($input: ChangeCaseStatusInput!) { changeCaseStatus(input: $input) { case { status version } } }`;
const OPEN_CASE = `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { case { id number } } }`;

let h: Harness;
let manager: Caller;

beforeAll(async () => {
  h = await harness();
  manager = await createCaller(h, { roles: [Role.CASE_MANAGER], kind: AgencyKind.SOCIAL_PROTECTION });
});
afterAll(() => h.close());

const key = (prefix: string) => unique(prefix).replace(/\s/g, '-');

describe('optimistic concurrency', () => {
  test('two concurrent status changes with the same expectedVersion: exactly one succeeds, the other is a CONFLICT; one history row', async () => {
    const family = await createFamily(h.db, { registeredBy: manager.agency.id });
    const c = await createCase(h.db, { family, status: CaseStatus.ACTIVE, leadAgencyId: manager.agency.id, caseManagerId: manager.staff.id });
    const historyBefore = await h.db.query('SELECT count(*)::int AS n FROM case_status_change WHERE case_id = $1', [c.id]);
    const [a, b] = await Promise.all([
      gql(h, CHANGE_STATUS, { input: { case: c.globalId, status: 'MONITORING', expectedVersion: 1, comment: 'первый' } }, manager),
      gql(h, CHANGE_STATUS, { input: { case: c.globalId, status: 'MONITORING', expectedVersion: 1, comment: 'второй' } }, manager),
    ]);
    const outcomes = [a, b].map((r) => (r.errors ? codes(r).join() : 'OK')).sort();
    expect(outcomes).toEqual(['CONFLICT', 'OK']);
    const winner = [a, b].find((r) => !r.errors)!;
    expect(winner.data!.changeCaseStatus.case).toEqual({ status: 'MONITORING', version: 2 });
    const historyAfter = await h.db.query('SELECT count(*)::int AS n FROM case_status_change WHERE case_id = $1', [c.id]);
    expect(historyAfter[0].n - historyBefore[0].n).toBe(1);
    const row = await h.db.query('SELECT version, status FROM "case" WHERE id = $1', [c.id]);
    expect(row[0]).toEqual({ version: 2, status: 'MONITORING' });
  });

  test('two concurrent different moves from one version: one wins, the loser changes nothing', async () => {
    const family = await createFamily(h.db, { registeredBy: manager.agency.id });
    const c = await createCase(h.db, { family, status: CaseStatus.MONITORING, leadAgencyId: manager.agency.id, caseManagerId: manager.staff.id });
    const responses = await Promise.all([
      gql(h, CHANGE_STATUS, { input: { case: c.globalId, status: 'ACTIVE', expectedVersion: 1 } }, manager),
      gql(h, `mutation($input: CloseCaseInput!) { closeCase(input: $input) { case { status } } }`, { input: { case: c.globalId, outcome: 'GOALS_ACHIEVED', expectedVersion: 1 } }, manager),
    ]);
    expect(responses.filter((r) => !r.errors)).toHaveLength(1);
    expect(responses.flatMap(codes)).toEqual(['CONFLICT']);
    const row = await h.db.query('SELECT version FROM "case" WHERE id = $1', [c.id]);
    expect(row[0].version).toBe(2);
  });
});

describe('idempotency keys', () => {
  test('five concurrent retries of openCase with one key: one case, all five answers carry its id', async () => {
    const family = await createFamily(h.db, { registeredBy: manager.agency.id });
    const input = { family: family.globalId, children: [family.children[0].globalId], source: 'EARLY_DETECTION', riskLevel: 'HIGH', idempotencyKey: key('open-case') };
    const casesBefore = await countRows(h.db, 'case');
    const grantsBefore = await countRows(h.db, 'case_access_grant');
    const responses = await Promise.all(Array.from({ length: 5 }, () => gql(h, OPEN_CASE, { input }, manager)));
    for (const response of responses) expect(response.errors).toBeUndefined();
    const ids = new Set(responses.map((r) => r.data!.openCase.case.id));
    const numbers = new Set(responses.map((r) => r.data!.openCase.case.number));
    expect(ids.size).toBe(1);
    expect(numbers.size).toBe(1);
    expect(await countRows(h.db, 'case')).toBe(casesBefore + 1);
    expect(await countRows(h.db, 'case_access_grant')).toBe(grantsBefore + 1);
    const onFamily = await h.db.query('SELECT count(*)::int AS n FROM "case" WHERE family_id = $1', [family.id]);
    expect(onFamily[0].n).toBe(1);
  });

  test('the same key with a different input is a CONFLICT and writes nothing', async () => {
    const family = await createFamily(h.db, { registeredBy: manager.agency.id });
    const idempotencyKey = key('open-other');
    const first = await gql(h, OPEN_CASE, { input: { family: family.globalId, children: [family.children[0].globalId], source: 'EARLY_DETECTION', riskLevel: 'HIGH', idempotencyKey } }, manager);
    expect(first.errors).toBeUndefined();
    const cases = await countRows(h.db, 'case');
    const other = await gql(h, OPEN_CASE, { input: { family: family.globalId, children: [family.children[0].globalId], source: 'EARLY_DETECTION', riskLevel: 'LOW', idempotencyKey } }, manager);
    expect(codes(other)).toEqual(['CONFLICT']);
    expect(await countRows(h.db, 'case')).toBe(cases);
  });

  test('a key is per caller: another caller with the same key gets its own result', async () => {
    const family = await createFamily(h.db, { registeredBy: manager.agency.id });
    const colleague = await createCaller(h, { roles: [Role.CASE_MANAGER], agency: manager.agency });
    const idempotencyKey = key('open-mine');
    const input = { family: family.globalId, children: [family.children[0].globalId], source: 'EARLY_DETECTION', riskLevel: 'HIGH', idempotencyKey };
    const mine = await gql(h, OPEN_CASE, { input }, manager);
    const theirs = await gql(h, OPEN_CASE, { input }, colleague);
    expect(mine.errors).toBeUndefined();
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data!.openCase.case.id).not.toBe(mine.data!.openCase.case.id);
  });

  test('concurrent openings in one region never repeat a number', async () => {
    const families = await Promise.all(Array.from({ length: 6 }, () => createFamily(h.db, { registeredBy: manager.agency.id })));
    const responses = await Promise.all(
      families.map((family) => gql(h, OPEN_CASE, { input: { family: family.globalId, children: [family.children[0].globalId], source: 'SCHOOL', riskLevel: 'LOW', openedOn: '2022-09-01' } }, manager)),
    );
    for (const response of responses) expect(response.errors).toBeUndefined();
    const numbers = responses.map((r) => r.data!.openCase.case.number);
    expect(new Set(numbers).size).toBe(6);
    for (const number of numbers) expect(number).toMatch(/^54-2022-\d{6}$/);
  });
});
