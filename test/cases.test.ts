import { coldReferenceCache, harness, gql, createCaller, createStaff, codes, unique, type Caller, type Harness } from './support/harness';
import { countRows, createCase, createFamily, createProgram, grantAccess, type CaseFixture } from './support/fixtures';
import { AgencyKind, Role } from '../src/core/auth/roles';
import { CaseStatus, GrantKind, RiskLevel } from '../src/modules/cases/case.enums';
import { toGlobalId } from '../src/core/graphql/global-id';
import { registryToday } from '../src/modules/families/calendar';
import { signDevelopmentToken } from '../src/core/auth/token';
import { seedReferenceData } from '../src/demo/reference-data';
import { seedDemoCases } from '../src/demo/cases';
import { CLOSABLE_STATUSES, STATUS_TRANSITIONS } from '../src/modules/cases/case.service';

const CASE_FIELDS = `
  id number status riskLevel source openedOn closedOn closureOutcome closureNote version
  family { id }
  children { id firstName }
  caseManager { id }
  leadAgency { id }
  region { code }
  programs { id }
  participants { kind source active agency { id } staff { id } }
  statusHistory { fromStatus toStatus comment changedBy { id } }`;

const OPEN_CASE = `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { case { ${CASE_FIELDS} } } }`;
const CHANGE_STATUS = `mutation Move($input: ChangeCaseStatusInput!) { changeCaseStatus(input: $input) { case { status version statusHistory { fromStatus toStatus comment } } } }`;
const CLOSE_CASE = `mutation Close($input: CloseCaseInput!) { closeCase(input: $input) { case { status closedOn closureOutcome closureNote version } } }`;
const ASSIGN_MANAGER = `mutation Assign($input: AssignCaseManagerInput!) { assignCaseManager(input: $input) { case { caseManager { id } version } } }`;
const ADD_PARTICIPANT = `mutation Add($input: AddCaseParticipantInput!) { addCaseParticipant(input: $input) { participant { id kind source active expiresAt agency { id } staff { id } } case { version } } }`;
const REMOVE_PARTICIPANT = `mutation Remove($input: RemoveCaseParticipantInput!) { removeCaseParticipant(input: $input) { participant { id active revokedAt } case { version participants { id } all: participants(includeInactive: true) { id active } } } }`;
const CASE_VERSION = `query($id: ID!) { case(id: $id) { version status } }`;

let h: Harness;
let manager: Caller;
let coordinator: Caller;
let specialist: Caller;
let otherManager: Caller;
let farCoordinator: Caller;

beforeAll(async () => {
  h = await harness();
  manager = await createCaller(h, { roles: [Role.CASE_MANAGER], kind: AgencyKind.SOCIAL_PROTECTION });
  coordinator = await createCaller(h, { roles: [Role.COORDINATOR], kind: AgencyKind.SOCIAL_PROTECTION });
  specialist = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.HEALTH });
  otherManager = await createCaller(h, { roles: [Role.CASE_MANAGER], kind: AgencyKind.NGO });
  farCoordinator = await createCaller(h, { roles: [Role.COORDINATOR], region: '63' });
});
afterAll(() => h.close());

/** A case managed by `manager`, with the specialist's and the other manager's agencies on the team. */
async function teamCase(status: CaseStatus = CaseStatus.ACTIVE): Promise<CaseFixture> {
  const family = await createFamily(h.db, { registeredBy: manager.agency.id });
  return createCase(h.db, {
    family,
    status,
    leadAgencyId: manager.agency.id,
    caseManagerId: manager.staff.id,
    grants: [
      { agencyId: specialist.agency.id, kind: GrantKind.TEAM },
      { agencyId: otherManager.agency.id, kind: GrantKind.TEAM },
    ],
  });
}

async function versionOf(caseId: string): Promise<{ version: number; status: string }> {
  return (await gql(h, CASE_VERSION, { id: caseId }, manager)).data!.case;
}

describe('openCase', () => {
  test('opens a case: number from the region counter, REFERRED, lead grant, the caller as case manager, children and programmes', async () => {
    const family = await createFamily(h.db, { registeredBy: manager.agency.id });
    const program = await createProgram(h.db, { regions: ['54'] });
    const response = await gql(
      h,
      OPEN_CASE,
      { input: { family: family.globalId, children: [family.children[0].globalId], source: 'EARLY_DETECTION', riskLevel: 'HIGH', programs: [toGlobalId('Program', program)] } },
      manager,
    );
    expect(response.errors).toBeUndefined();
    const opened = response.data!.openCase.case;
    const year = registryToday().slice(0, 4);
    expect(opened.number).toMatch(new RegExp(`^54-${year}-\\d{6}$`));
    expect(opened).toMatchObject({
      status: 'REFERRED',
      riskLevel: 'HIGH',
      source: 'EARLY_DETECTION',
      openedOn: registryToday(),
      closedOn: null,
      version: 1,
      family: { id: family.globalId },
      children: [{ id: family.children[0].globalId }],
      caseManager: { id: toGlobalId('StaffMember', manager.staff.id) },
      leadAgency: { id: toGlobalId('Agency', manager.agency.id) },
      region: { code: '54' },
      programs: [{ id: toGlobalId('Program', program) }],
      participants: [{ kind: 'LEAD', source: 'OPEN_CASE', active: true, agency: { id: toGlobalId('Agency', manager.agency.id) }, staff: null }],
      statusHistory: [{ fromStatus: null, toStatus: 'REFERRED', comment: null, changedBy: { id: toGlobalId('StaffMember', manager.staff.id) } }],
    });
    // The family now shows the case.
    const familyView = await gql(h, `query($id: ID!) { node(id: $id) { ... on Family { cases { id number } } } }`, { id: family.globalId }, manager);
    expect(familyView.data!.node.cases).toEqual([{ id: opened.id, number: opened.number }]);
  });

  test('a case opened by a partner system whose client id is a number names no staff member as having moved it', async () => {
    // The partner's client id is the id of a staff member of another agency: that person did not open the case.
    const partnerAgency = (await createCaller(h, { roles: [Role.CASE_MANAGER], kind: AgencyKind.SOCIAL_PROTECTION })).agency;
    const token = signDevelopmentToken({ sub: specialist.staff.id, agencyId: partnerAgency.id, roles: [Role.PARTNER_SYSTEM] }, h.config.jwt.secret!);
    const family = await createFamily(h.db, { registeredBy: partnerAgency.id });
    const response = await gql(
      h,
      `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { case { statusHistory { fromStatus toStatus comment changedBy { id } } } } }`,
      { input: { family: family.globalId, children: [family.children[0].globalId], source: 'SELF_REFERRAL', riskLevel: 'LOW', leadAgency: toGlobalId('Agency', partnerAgency.id) } },
      token,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.openCase.case.statusHistory).toEqual([{ fromStatus: null, toStatus: 'REFERRED', comment: null, changedBy: null }]);
  });

  test('numbers are consecutive per region and year', async () => {
    const numbers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const family = await createFamily(h.db, { registeredBy: manager.agency.id });
      const response = await gql(h, OPEN_CASE, { input: { family: family.globalId, children: [family.children[0].globalId], source: 'SELF_REFERRAL', riskLevel: 'LOW', openedOn: '2021-03-04' } }, manager);
      expect(response.errors).toBeUndefined();
      const match = /^54-2021-(\d{6})$/.exec(response.data!.openCase.case.number)!;
      numbers.push(Number(match[1]));
    }
    expect(numbers[1]).toBe(numbers[0] + 1);
    expect(numbers[2]).toBe(numbers[0] + 2);
  });

  test('validation names each field (children not of the family or not children, future date, unknown or out-of-region programme) and writes nothing', async () => {
    const family = await createFamily(h.db, { registeredBy: manager.agency.id });
    const stranger = await createFamily(h.db, { registeredBy: manager.agency.id });
    const mother = family.members.find((m) => m.relation === 'MOTHER')!;
    const karelian = await createProgram(h.db, { regions: ['10'] });
    const tables = ['case', 'case_child', 'case_access_grant', 'case_status_change', 'audit_event'];
    const before = await Promise.all(tables.map((t) => countRows(h.db, t)));
    const response = await gql(
      h,
      OPEN_CASE,
      {
        input: {
          family: family.globalId,
          children: [family.children[0].globalId, stranger.children[0].globalId, mother.globalId, 'not-an-id'],
          source: 'HOSPITAL',
          riskLevel: 'MEDIUM',
          programs: [toGlobalId('Program', karelian), toGlobalId('Program', '999999999')],
          caseManager: toGlobalId('StaffMember', '999999999'),
        },
      },
      manager,
    );
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions.fields).toEqual([
      { field: 'input.children[1]', message: 'is not a member of the family' },
      { field: 'input.children[2]', message: 'is not a child of the family (relation CHILD)' },
      { field: 'input.children[3]', message: 'is not a member of the family' },
      { field: 'input.caseManager', message: 'is not an active staff member' },
      { field: 'input.programs[0]', message: "does not run in the family's region" },
      { field: 'input.programs[1]', message: 'is not a programme of the registry' },
    ]);
    const future = await gql(h, OPEN_CASE, { input: { family: family.globalId, children: [family.children[0].globalId], source: 'HOSPITAL', riskLevel: 'MEDIUM', openedOn: '2999-01-01' } }, manager);
    expect(future.errors![0].extensions.fields).toEqual([{ field: 'input.openedOn', message: 'must not be in the future' }]);
    const none = await gql(h, OPEN_CASE, { input: { family: family.globalId, children: [], source: 'HOSPITAL', riskLevel: 'MEDIUM' } }, manager);
    expect(none.errors![0].extensions.fields).toEqual([{ field: 'input.children', message: 'must name at least one child' }]);
    expect(await Promise.all(tables.map((t) => countRows(h.db, t)))).toEqual(before);
  });

  test('a family the caller cannot see is NOT_FOUND; a specialist may not open cases', async () => {
    const hidden = await createFamily(h.db, { registeredBy: coordinator.agency.id, region: '10' });
    const response = await gql(h, OPEN_CASE, { input: { family: hidden.globalId, children: [hidden.children[0].globalId], source: 'POLICE', riskLevel: 'CRITICAL' } }, manager);
    expect(codes(response)).toEqual(['NOT_FOUND']);
    expect(response.errors![0].message).toBe('Family was not found.');
    const family = await createFamily(h.db, { registeredBy: specialist.agency.id });
    expect(codes(await gql(h, OPEN_CASE, { input: { family: family.globalId, children: [family.children[0].globalId], source: 'POLICE', riskLevel: 'CRITICAL' } }, specialist))).toEqual(['FORBIDDEN']);
  });
});

describe('the status machine', () => {
  test('REFERRED → ASSESSMENT → ACTIVE → MONITORING → ACTIVE (relapse) → MONITORING → CLOSED, with history', async () => {
    const c = await teamCase(CaseStatus.REFERRED);
    let version = 1;
    for (const status of ['ASSESSMENT', 'ACTIVE', 'MONITORING', 'ACTIVE', 'MONITORING']) {
      const response = await gql(h, CHANGE_STATUS, { input: { case: c.globalId, status, expectedVersion: version, comment: `to ${status}` } }, manager);
      expect(response.errors).toBeUndefined();
      expect(response.data!.changeCaseStatus.case).toMatchObject({ status, version: version + 1 });
      version += 1;
    }
    const closed = await gql(h, CLOSE_CASE, { input: { case: c.globalId, outcome: 'FAMILY_STABILISED', note: 'Семья справляется сама', expectedVersion: version } }, manager);
    expect(closed.errors).toBeUndefined();
    expect(closed.data!.closeCase.case).toEqual({ status: 'CLOSED', closedOn: registryToday(), closureOutcome: 'FAMILY_STABILISED', closureNote: 'Семья справляется сама', version: version + 1 });
    const history = await gql(h, `query($id: ID!) { case(id: $id) { statusHistory { fromStatus toStatus } } }`, { id: c.globalId }, manager);
    expect(history.data!.case.statusHistory.map((s: { fromStatus: string; toStatus: string }) => `${s.fromStatus}>${s.toStatus}`)).toEqual([
      'null>REFERRED',
      'REFERRED>ASSESSMENT',
      'ASSESSMENT>ACTIVE',
      'ACTIVE>MONITORING',
      'MONITORING>ACTIVE',
      'ACTIVE>MONITORING',
      'MONITORING>CLOSED',
    ]);
  });

  test('illegal moves are INVALID_TRANSITION and change nothing', async () => {
    const c = await teamCase(CaseStatus.REFERRED);
    const moves: Array<[string, string]> = [
      ['REFERRED', 'ACTIVE'],
      ['REFERRED', 'MONITORING'],
      ['REFERRED', 'REFERRED'],
      ['REFERRED', 'CLOSED'],
    ];
    for (const [, status] of moves) {
      const response = await gql(h, CHANGE_STATUS, { input: { case: c.globalId, status, expectedVersion: 1 } }, manager);
      expect(codes(response)).toEqual(['INVALID_TRANSITION']);
    }
    const closeReferred = await gql(h, CLOSE_CASE, { input: { case: c.globalId, outcome: 'OTHER', expectedVersion: 1 } }, manager);
    expect(codes(closeReferred)).toEqual(['INVALID_TRANSITION']);
    expect(await versionOf(c.globalId)).toEqual({ version: 1, status: 'REFERRED' });

    const active = await teamCase();
    const toClosed = await gql(h, CHANGE_STATUS, { input: { case: active.globalId, status: 'CLOSED', expectedVersion: 1 } }, manager);
    expect(codes(toClosed)).toEqual(['INVALID_TRANSITION']);
    expect(toClosed.errors![0].message).toContain('closeCase');
    const back = await gql(h, CHANGE_STATUS, { input: { case: active.globalId, status: 'ASSESSMENT', expectedVersion: 1 } }, manager);
    expect(codes(back)).toEqual(['INVALID_TRANSITION']);

    const closed = await teamCase(CaseStatus.CLOSED);
    for (const status of ['REFERRED', 'ASSESSMENT', 'ACTIVE', 'MONITORING']) {
      expect(codes(await gql(h, CHANGE_STATUS, { input: { case: closed.globalId, status, expectedVersion: 1 } }, manager))).toEqual(['INVALID_TRANSITION']);
    }
    expect(codes(await gql(h, CLOSE_CASE, { input: { case: closed.globalId, outcome: 'OTHER', expectedVersion: 1 } }, manager))).toEqual(['INVALID_TRANSITION']);
    expect(await versionOf(closed.globalId)).toEqual({ version: 1, status: 'CLOSED' });
  });

  test('a stale version is a CONFLICT', async () => {
    const c = await teamCase(CaseStatus.REFERRED);
    await gql(h, CHANGE_STATUS, { input: { case: c.globalId, status: 'ASSESSMENT', expectedVersion: 1 } }, manager);
    const stale = await gql(h, CHANGE_STATUS, { input: { case: c.globalId, status: 'ACTIVE', expectedVersion: 1 } }, manager);
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect(await versionOf(c.globalId)).toEqual({ version: 2, status: 'ASSESSMENT' });
  });

  test("only the case's manager or the region's coordinator: a specialist or another case manager on the team gets FORBIDDEN, version unchanged", async () => {
    const c = await teamCase();
    for (const caller of [specialist, otherManager]) {
      const response = await gql(h, CHANGE_STATUS, { input: { case: c.globalId, status: 'MONITORING', expectedVersion: 1 } }, caller);
      expect(codes(response)).toEqual(['FORBIDDEN']);
      expect(response.data?.changeCaseStatus ?? null).toBeNull();
      expect(codes(await gql(h, CLOSE_CASE, { input: { case: c.globalId, outcome: 'OTHER', expectedVersion: 1 } }, caller))).toEqual(['FORBIDDEN']);
    }
    expect(await versionOf(c.globalId)).toEqual({ version: 1, status: 'ACTIVE' });
    expect(await countRows(h.db, 'case_status_change')).toBeGreaterThan(0);

    // A coordinator of another region does not see the case at all.
    expect(codes(await gql(h, CHANGE_STATUS, { input: { case: c.globalId, status: 'MONITORING', expectedVersion: 1 } }, farCoordinator))).toEqual(['NOT_FOUND']);
    const byCoordinator = await gql(h, CHANGE_STATUS, { input: { case: c.globalId, status: 'MONITORING', expectedVersion: 1, comment: 'Решение рабочей группы' } }, coordinator);
    expect(byCoordinator.errors).toBeUndefined();
    expect(byCoordinator.data!.changeCaseStatus.case.status).toBe('MONITORING');
  });

  test('closing needs an outcome; the closing date may not precede the opening', async () => {
    const c = await teamCase();
    const noOutcome = await gql(h, CLOSE_CASE, { input: { case: c.globalId, expectedVersion: 1 } }, manager);
    expect(codes(noOutcome)).toEqual(['BAD_USER_INPUT']);
    const early = await gql(h, CLOSE_CASE, { input: { case: c.globalId, outcome: 'OTHER', closedOn: '2020-01-01', expectedVersion: 1 } }, manager);
    expect(early.errors![0].extensions.fields).toEqual([{ field: 'input.closedOn', message: 'must not be before the case was opened' }]);
    expect(await versionOf(c.globalId)).toEqual({ version: 1, status: 'ACTIVE' });
  });
});

describe('assignCaseManager', () => {
  test("the region's coordinator assigns an active staff member; a case manager may not; an inactive one is refused", async () => {
    const c = await teamCase();
    const newManager = await createStaff(h.db, manager.agency.id, [Role.CASE_MANAGER]);
    expect(codes(await gql(h, ASSIGN_MANAGER, { input: { case: c.globalId, caseManager: toGlobalId('StaffMember', newManager.id), expectedVersion: 1 } }, manager))).toEqual(['FORBIDDEN']);
    const inactive = await createStaff(h.db, manager.agency.id, [Role.CASE_MANAGER]);
    await h.db.query('UPDATE staff_member SET active = false WHERE id = $1', [inactive.id]);
    const refused = await gql(h, ASSIGN_MANAGER, { input: { case: c.globalId, caseManager: toGlobalId('StaffMember', inactive.id), expectedVersion: 1 } }, coordinator);
    expect(refused.errors![0].extensions.fields).toEqual([{ field: 'input.caseManager', message: 'is not an active staff member' }]);
    const assigned = await gql(h, ASSIGN_MANAGER, { input: { case: c.globalId, caseManager: toGlobalId('StaffMember', newManager.id), expectedVersion: 1 } }, coordinator);
    expect(assigned.errors).toBeUndefined();
    expect(assigned.data!.assignCaseManager.case).toEqual({ caseManager: { id: toGlobalId('StaffMember', newManager.id) }, version: 2 });
    // The former manager no longer manages it, and no longer sees it (their agency is the lead agency, so they still do as team).
    const former = await gql(h, CHANGE_STATUS, { input: { case: c.globalId, status: 'MONITORING', expectedVersion: 2 } }, manager);
    expect(codes(former)).toEqual(['FORBIDDEN']);
  });
});

describe('case participants', () => {
  test('the manager adds an agency to the team (it then sees the case) and removes it (revokedAt set, the grant kept)', async () => {
    const c = await teamCase();
    const school = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.EDUCATION });
    const schoolView = `query($id: ID!) { case(id: $id) { number children { education { pmpkConclusion } } } }`;
    expect((await gql(h, schoolView, { id: c.globalId }, school)).data!.case).toBeNull();

    const added = await gql(h, ADD_PARTICIPANT, { input: { case: c.globalId, agency: toGlobalId('Agency', school.agency.id), expectedVersion: 1 } }, manager);
    expect(added.errors).toBeUndefined();
    expect(added.data!.addCaseParticipant).toMatchObject({ participant: { kind: 'TEAM', source: 'MANUAL', active: true, expiresAt: null, agency: { id: toGlobalId('Agency', school.agency.id) }, staff: null }, case: { version: 2 } });
    const seen = await gql(h, schoolView, { id: c.globalId }, school);
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.case).toEqual({ number: c.number, children: [{ education: { pmpkConclusion: c.children[0].pmpkConclusion } }] });

    const twice = await gql(h, ADD_PARTICIPANT, { input: { case: c.globalId, agency: toGlobalId('Agency', school.agency.id), expectedVersion: 2 } }, manager);
    expect(twice.errors![0].extensions.fields).toEqual([{ field: 'input.agency', message: 'is already on the team of the case' }]);

    const grants = await countRows(h.db, 'case_access_grant');
    const removed = await gql(h, REMOVE_PARTICIPANT, { input: { participant: added.data!.addCaseParticipant.participant.id, expectedVersion: 2 } }, manager);
    expect(removed.errors).toBeUndefined();
    const payload = removed.data!.removeCaseParticipant;
    expect(payload.participant.active).toBe(false);
    expect(payload.participant.revokedAt).toEqual(expect.any(String));
    expect(payload.case.version).toBe(3);
    expect(payload.case.participants.map((p: { id: string }) => p.id)).not.toContain(payload.participant.id);
    expect(payload.case.all).toContainEqual({ id: payload.participant.id, active: false });
    expect(await countRows(h.db, 'case_access_grant')).toBe(grants);
    expect((await gql(h, schoolView, { id: c.globalId }, school)).data!.case).toBeNull();
    // The audit names the participant (its grant) added and removed, with the case alongside.
    const grantLocal = Buffer.from(payload.participant.id, 'base64url').toString().split(':')[1];
    const audited = await h.db.query(
      `SELECT record_type, fields FROM audit_event WHERE action = 'WRITE' AND record_id = $1 AND case_id = $2 AND record_type = 'CaseParticipant' ORDER BY id`,
      [grantLocal, c.id],
    );
    expect(audited).toEqual([
      { record_type: 'CaseParticipant', fields: ['agency', 'kind'] },
      { record_type: 'CaseParticipant', fields: ['revokedAt'] },
    ]);
  });

  test('a person may be added with an expiry; the lead agency cannot be removed; a specialist may not manage the team', async () => {
    const c = await teamCase();
    const psychologist = await createStaff(h.db, specialist.agency.id, [Role.SPECIALIST]);
    const until = new Date(Date.now() + 7 * 24 * 3600 * 1000);
    const added = await gql(h, ADD_PARTICIPANT, { input: { case: c.globalId, staff: toGlobalId('StaffMember', psychologist.id), expiresAt: until.toISOString(), expectedVersion: 1 } }, manager);
    expect(added.errors).toBeUndefined();
    expect(added.data!.addCaseParticipant.participant).toMatchObject({ staff: { id: toGlobalId('StaffMember', psychologist.id) }, agency: null, expiresAt: until.toISOString() });

    const both = await gql(h, ADD_PARTICIPANT, { input: { case: c.globalId, staff: toGlobalId('StaffMember', psychologist.id), agency: toGlobalId('Agency', specialist.agency.id), expectedVersion: 2 } }, manager);
    expect(codes(both)).toEqual(['BAD_USER_INPUT']);
    const past = await gql(h, ADD_PARTICIPANT, { input: { case: c.globalId, agency: toGlobalId('Agency', coordinator.agency.id), expiresAt: '2020-01-01T00:00:00Z', expectedVersion: 2 } }, manager);
    expect(past.errors![0].extensions.fields).toEqual([{ field: 'input.expiresAt', message: 'must be in the future' }]);

    const participants = await gql(h, `query($id: ID!) { case(id: $id) { participants { id kind } } }`, { id: c.globalId }, manager);
    const lead = participants.data!.case.participants.find((p: { kind: string }) => p.kind === 'LEAD');
    const removeLead = await gql(h, REMOVE_PARTICIPANT, { input: { participant: lead.id, expectedVersion: 2 } }, manager);
    expect(removeLead.errors![0].extensions.fields).toEqual([{ field: 'input.participant', message: 'is the lead agency of the case; it cannot be removed' }]);

    expect(codes(await gql(h, ADD_PARTICIPANT, { input: { case: c.globalId, agency: toGlobalId('Agency', coordinator.agency.id), expectedVersion: 2 } }, specialist))).toEqual(['FORBIDDEN']);
    expect(await versionOf(c.globalId)).toEqual({ version: 2, status: 'ACTIVE' });
  });
});

describe('cases query', () => {
  const LIST = `query List($filter: CaseFilter, $orderBy: CaseOrder, $first: Int, $after: String, $last: Int, $before: String) {
    cases(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id number status riskLevel openedOn } }
    }
  }`;
  let program: string;
  let cases: CaseFixture[];
  let ngo: Caller;
  let boss: Caller;

  beforeAll(async () => {
    // A coordinator who sees all of them; the cases enrolled in one programme so that the list is ours alone.
    boss = await createCaller(h, { roles: [Role.COORDINATOR], regions: ['54', '10'] });
    ngo = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.NGO });
    program = await createProgram(h.db);
    const specs: Array<{ status: string; risk: string; opened: string; region: string; managed: boolean; ngo: boolean }> = [
      { status: 'REFERRED', risk: 'LOW', opened: '2023-01-10', region: '54', managed: true, ngo: false },
      { status: 'ACTIVE', risk: 'CRITICAL', opened: '2023-03-05', region: '54', managed: false, ngo: true },
      { status: 'ACTIVE', risk: 'MEDIUM', opened: '2023-03-05', region: '10', managed: true, ngo: false },
      { status: 'MONITORING', risk: 'HIGH', opened: '2023-07-01', region: '54', managed: false, ngo: false },
      { status: 'CLOSED', risk: 'LOW', opened: '2024-02-11', region: '10', managed: true, ngo: true },
      { status: 'ASSESSMENT', risk: 'HIGH', opened: '2024-05-20', region: '54', managed: false, ngo: false },
      { status: 'ACTIVE', risk: 'HIGH', opened: '2024-05-20', region: '54', managed: true, ngo: false },
    ];
    cases = [];
    for (const spec of specs) {
      const family = await createFamily(h.db, { registeredBy: manager.agency.id, region: spec.region });
      cases.push(
        await createCase(h.db, {
          family,
          status: spec.status as CaseStatus,
          riskLevel: spec.risk as RiskLevel,
          openedOn: spec.opened,
          leadAgencyId: manager.agency.id,
          caseManagerId: spec.managed ? boss.staff.id : null,
          programIds: [program],
          grants: spec.ngo ? [{ agencyId: ngo.agency.id, kind: GrantKind.TEAM }] : [],
        }),
      );
    }
    // Case 3 has a referral past its deadline; case 1 one still within it.
    for (const [index, respondBy] of [[3, "now() - interval '1 day'"], [1, "now() + interval '3 days'"]] as const) {
      await h.db.query(
        `INSERT INTO referral (case_id, from_agency_id, to_agency_id, status, sent_at, respond_by) VALUES ($1, $2, $3, 'SENT', now() - interval '10 days', ${respondBy})`,
        [cases[index].id, manager.agency.id, ngo.agency.id],
      );
    }
  });

  const list = (variables: Record<string, unknown>, as: Caller = boss) => gql(h, LIST, { ...variables, filter: { program: toGlobalId('Program', program), ...(variables.filter as object) } }, as);
  const numbersOf = (response: Awaited<ReturnType<typeof list>>) => response.data!.cases.edges.map((e: { node: { number: string } }) => e.node.number);
  const ids = (indexes: number[]) => indexes.map((i) => cases[i].number);

  test('filters: status, risk level, region, agency (lead or participant), assignedToMe, opened dates, overdue referrals', async () => {
    const sorted = (r: Awaited<ReturnType<typeof list>>) => [...numbersOf(r)].sort();
    const expectFilter = async (filter: Record<string, unknown>, indexes: number[]) => {
      const response = await list({ filter, first: 50 });
      expect(response.errors).toBeUndefined();
      expect(sorted(response)).toEqual(ids(indexes).sort());
      expect(response.data!.cases.totalCount).toBe(indexes.length);
    };
    await expectFilter({}, [0, 1, 2, 3, 4, 5, 6]);
    await expectFilter({ status: ['ACTIVE'] }, [1, 2, 6]);
    await expectFilter({ status: ['REFERRED', 'CLOSED'] }, [0, 4]);
    await expectFilter({ riskLevel: ['HIGH', 'CRITICAL'] }, [1, 3, 5, 6]);
    await expectFilter({ region: ['10'] }, [2, 4]);
    await expectFilter({ agency: toGlobalId('Agency', ngo.agency.id) }, [1, 4]);
    await expectFilter({ agency: toGlobalId('Agency', manager.agency.id) }, [0, 1, 2, 3, 4, 5, 6]);
    await expectFilter({ assignedToMe: true }, [0, 2, 4, 6]);
    await expectFilter({ assignedToMe: false }, [1, 3, 5]);
    await expectFilter({ openedFrom: '2023-03-05', openedTo: '2024-02-11' }, [1, 2, 3, 4]);
    await expectFilter({ hasOverdueReferrals: true }, [3]);
    await expectFilter({ hasOverdueReferrals: false }, [0, 1, 2, 4, 5, 6]);
    await expectFilter({ status: ['ACTIVE'], region: ['54'], riskLevel: ['HIGH'] }, [6]);
  });

  test('a specialist lists only the cases of its team; the count agrees', async () => {
    const response = await list({ first: 50 }, ngo);
    expect(response.data!.cases.totalCount).toBe(2);
    expect([...numbersOf(response)].sort()).toEqual(ids([1, 4]).sort());
  });

  test('order by opened date, number, risk level and last change, in both directions, ties broken by id', async () => {
    const byOpened = numbersOf(await list({ orderBy: { field: 'OPENED_ON', direction: 'ASC' }, first: 50 }));
    expect(byOpened).toEqual(ids([0, 1, 2, 3, 4, 5, 6]));
    const byOpenedDesc = numbersOf(await list({ first: 50 }));
    expect(byOpenedDesc).toEqual(ids([6, 5, 4, 3, 2, 1, 0]));
    expect(numbersOf(await list({ orderBy: { field: 'NUMBER', direction: 'ASC' }, first: 50 }))).toEqual(ids([0, 1, 3, 5, 6, 2, 4]).sort());
    const byRisk = await list({ orderBy: { field: 'RISK_LEVEL', direction: 'DESC' }, first: 50 });
    expect(byRisk.data!.cases.edges.map((e: { node: { riskLevel: string } }) => e.node.riskLevel)).toEqual(['CRITICAL', 'HIGH', 'HIGH', 'HIGH', 'MEDIUM', 'LOW', 'LOW']);
    await h.db.query(`UPDATE "case" SET updated_at = now() + interval '1 hour' WHERE id = $1`, [cases[2].id]);
    expect(numbersOf(await list({ orderBy: { field: 'UPDATED_AT', direction: 'DESC' }, first: 1 }))).toEqual([cases[2].number]);
  });

  test('keyset pages forwards and backwards walk the same order as one page, for every order', async () => {
    for (const orderBy of [
      { field: 'OPENED_ON', direction: 'ASC' },
      { field: 'OPENED_ON', direction: 'DESC' },
      { field: 'RISK_LEVEL', direction: 'ASC' },
      { field: 'UPDATED_AT', direction: 'DESC' },
      { field: 'NUMBER', direction: 'DESC' },
    ]) {
      const whole = numbersOf(await list({ orderBy, first: 50 }));
      const forward: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await list({ orderBy, first: 3, after });
        forward.push(...numbersOf(page));
        if (!page.data!.cases.pageInfo.hasNextPage) break;
        after = page.data!.cases.pageInfo.endCursor;
      }
      expect(forward).toEqual(whole);
      const backward: string[] = [];
      let before: string | undefined;
      for (;;) {
        const page = await list({ orderBy, last: 2, before });
        backward.unshift(...numbersOf(page));
        if (!page.data!.cases.pageInfo.hasPreviousPage) break;
        before = page.data!.cases.pageInfo.startCursor;
      }
      expect(backward).toEqual(whole);
    }
  });

  test('case(id:) and case(number:) find the same case; exactly one of them must be given', async () => {
    const byId = await gql(h, `query($id: ID!) { case(id: $id) { id number } }`, { id: cases[0].globalId }, boss);
    const byNumber = await gql(h, `query($n: String!) { case(number: $n) { id number } }`, { n: cases[0].number }, boss);
    expect(byId.data!.case).toEqual({ id: cases[0].globalId, number: cases[0].number });
    expect(byNumber.data!.case).toEqual(byId.data!.case);
    expect(codes(await gql(h, `{ case { id } }`, {}, boss))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(h, `query($id: ID!, $n: String!) { case(id: $id, number: $n) { id } }`, { id: cases[0].globalId, n: cases[0].number }, boss))).toEqual(['BAD_USER_INPUT']);
  });

  test('relations load through per-request loaders: the statement count does not grow with the page', async () => {
    // Oldest first, so that both pages hold a case with the NGO on its team (a loader batches once per level of the query).
    const DEEP = `query($filter: CaseFilter, $first: Int) { cases(filter: $filter, first: $first, orderBy: { field: OPENED_ON, direction: ASC }) { edges { node {
      number family { settlement members { firstName } cases { number } } children { firstName placementHistory { kind } }
      caseManager { fullName } leadAgency { name } region { name } programs { name }
      participants { kind agency { name } staff { fullName } } statusHistory { toStatus changedBy { fullName } }
    } } } }`;
    const run = (first: number) => {
      coldReferenceCache(h);
      return gql(h, DEEP, { filter: { program: toGlobalId('Program', program) }, first }, boss);
    };
    const two = await run(2);
    const seven = await run(7);
    expect(two.errors).toBeUndefined();
    expect(seven.errors).toBeUndefined();
    expect(seven.data!.cases.edges).toHaveLength(7);
    expect(seven.sqlStatements).toBe(two.sqlStatements);
    expect(seven.sqlStatements).toBeLessThanOrEqual(20);
  });

  test('unique keys: a hand-made id of the wrong type, a bad cursor and a bad filter are BAD_USER_INPUT naming the field', async () => {
    const wrongType = await list({ filter: { program: toGlobalId('Agency', '1') } });
    expect(wrongType.errors![0].extensions.fields).toEqual([{ field: 'filter.program', message: 'must be the id of a Program' }]);
    expect(codes(await list({ after: 'garbage', first: 2 }))).toEqual(['BAD_USER_INPUT']);
    const badRegion = await list({ filter: { region: ['Novosibirsk'] } });
    expect(badRegion.errors![0].extensions.fields[0].field).toBe('filter.region');
    const upsideDown = await list({ filter: { openedFrom: '2024-01-01', openedTo: '2023-01-01' } });
    expect(upsideDown.errors![0].extensions.fields).toEqual([{ field: 'filter.openedTo', message: 'must not be before openedFrom' }]);
  });
});

describe('idempotent openCase', () => {
  test('a retry with the same key returns the first case and writes nothing twice', async () => {
    const family = await createFamily(h.db, { registeredBy: manager.agency.id });
    const input = { family: family.globalId, children: [family.children[0].globalId], source: 'NGO', riskLevel: 'MEDIUM', idempotencyKey: unique('open').replace(/\s/g, '-') };
    const first = await gql(h, OPEN_CASE, { input }, manager);
    const cases = await countRows(h.db, 'case');
    const retry = await gql(h, OPEN_CASE, { input }, manager);
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.openCase.case.id).toBe(first.data!.openCase.case.id);
    expect(await countRows(h.db, 'case')).toBe(cases);
  });
});

// Grants with a future expiry keep a participant active; an expired one does not count.
test('participants lists only active grants unless includeInactive', async () => {
  const c = await teamCase();
  await grantAccess(h.db, c.id, { agencyId: coordinator.agency.id, kind: GrantKind.TEAM, expiresAt: new Date(Date.now() - 1000) });
  const response = await gql(h, `query($id: ID!) { case(id: $id) { active: participants { kind } all: participants(includeInactive: true) { kind active } } }`, { id: c.globalId }, manager);
  expect(response.data!.case.active.map((p: { kind: string }) => p.kind)).toEqual(['LEAD', 'TEAM', 'TEAM']);
  expect(response.data!.case.all).toHaveLength(4);
  expect(response.data!.case.all[3]).toEqual({ kind: 'TEAM', active: false });
});

describe('demo data (src/demo/cases.ts)', () => {
  test('30 families across the five regions, cases in every status, consistent histories, placements and grants; deterministic and re-runnable', async () => {
    const runner = h.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const db = runner.manager;
      const hasReference = (await db.query(`SELECT 1 FROM staff_member WHERE full_name = 'Панова Ксения Игоревна'`)).length > 0;
      if (!hasReference) await seedReferenceData(db);
      await seedDemoCases(db);
      const demoFamilies = `SELECT family_id FROM external_id WHERE system = 'EGISSO' AND value LIKE 'EG-%'`;
      const cases = await db.query(
        `SELECT c.id, c.number, c.region_code, c.status, c.version, c.opened_on, c.closed_on, c.closure_outcome, c.case_manager_id, c.lead_agency_id,
                s.agency_id AS manager_agency, p.code AS program, p.region_codes
           FROM "case" c JOIN staff_member s ON s.id = c.case_manager_id
           LEFT JOIN case_program cp ON cp.case_id = c.id LEFT JOIN program p ON p.id = cp.program_id
          WHERE c.family_id IN (${demoFamilies}) ORDER BY c.id`,
      );
      expect(cases).toHaveLength(30);
      expect(new Set(cases.map((c: { region_code: string }) => c.region_code))).toEqual(new Set(['10', '23', '51', '54', '63']));
      expect(new Set(cases.map((c: { status: string }) => c.status))).toEqual(new Set(['REFERRED', 'ASSESSMENT', 'ACTIVE', 'MONITORING', 'CLOSED']));
      for (const c of cases) {
        expect(c.number).toMatch(new RegExp(`^${c.region_code}-${c.opened_on.slice(0, 4)}-\\d{6}$`));
        expect(String(c.lead_agency_id)).toBe(String(c.manager_agency));
        // A case enrolled in a programme is in one of the programme's regions (Murmansk's demo cases are in none).
        if (c.region_codes !== null || c.region_code !== '51') expect(c.region_codes).toContain(c.region_code);
        expect(c.closed_on === null).toBe(c.status !== 'CLOSED');
        expect(c.closure_outcome === null).toBe(c.status !== 'CLOSED');
      }
      // Every history follows the status machine and ends in the case's status; the version counts the moves.
      const histories = await db.query(
        `SELECT case_id, array_agg(coalesce(from_status::text, '') || '>' || to_status::text ORDER BY changed_at, id) AS moves
           FROM case_status_change WHERE case_id = ANY($1::bigint[]) GROUP BY case_id`,
        [cases.map((c: { id: string }) => c.id)],
      );
      expect(histories).toHaveLength(30);
      for (const history of histories) {
        const c = cases.find((x: { id: string }) => String(x.id) === String(history.case_id));
        const moves: string[] = history.moves;
        expect(moves[0]).toBe('>REFERRED');
        for (const move of moves.slice(1)) {
          const [from, to] = move.split('>');
          const legal = to === CaseStatus.CLOSED ? CLOSABLE_STATUSES.includes(from as CaseStatus) : STATUS_TRANSITIONS[from as CaseStatus].includes(to as CaseStatus);
          expect(`${move}: ${legal}`).toBe(`${move}: true`);
        }
        expect(moves[moves.length - 1].split('>')[1]).toBe(c.status);
        expect(c.version).toBe(moves.length);
      }
      expect(histories.some((h: { moves: string[] }) => h.moves.includes('MONITORING>ACTIVE'))).toBe(true);

      // Children 0–4 and children with disabilities; placements consistent with their events.
      const children = await db.query(
        `SELECT p.id, p.disability_status, p.placement, date_part('year', age(current_date, p.birth_date)) AS years,
                (SELECT array_agg(e.placement_before::text || '>' || e.placement_after::text ORDER BY e.occurred_on, e.id) FROM placement_event e WHERE e.person_id = p.id) AS events
           FROM person p WHERE p.family_id IN (${demoFamilies}) AND p.relation = 'CHILD'`,
      );
      expect(children.filter((c: { years: number }) => c.years <= 4).length).toBeGreaterThanOrEqual(20);
      expect(children.filter((c: { disability_status: string }) => c.disability_status === 'DISABLED').length).toBeGreaterThanOrEqual(8);
      expect(children.filter((c: { disability_status: string }) => c.disability_status === 'LIMITED_HEALTH').length).toBeGreaterThanOrEqual(5);
      expect(children.some((c: { placement: string }) => c.placement === 'IN_INSTITUTION')).toBe(true);
      for (const child of children.filter((c: { events: string[] | null }) => c.events)) {
        const events: string[] = child.events;
        expect(events[0].split('>')[0]).toBe('WITH_BIRTH_FAMILY');
        events.slice(1).forEach((e, i) => expect(e.split('>')[0]).toBe(events[i].split('>')[1]));
        expect(events[events.length - 1].split('>')[1]).toBe(child.placement);
      }

      // Team grants across agency kinds, one revoked, one active emergency grant (audited with its reason), partner keys.
      const grants = await db.query(
        `SELECT g.kind, a.kind AS agency_kind, g.revoked_at IS NOT NULL AS revoked, g.expires_at > now() AS active_expiry, g.reason
           FROM case_access_grant g LEFT JOIN agency a ON a.id = g.agency_id WHERE g.case_id = ANY($1::bigint[])`,
        [cases.map((c: { id: string }) => c.id)],
      );
      expect(grants.filter((g: { kind: string }) => g.kind === 'LEAD')).toHaveLength(30);
      expect(new Set(grants.filter((g: { kind: string }) => g.kind === 'TEAM').map((g: { agency_kind: string }) => g.agency_kind))).toEqual(
        new Set(['SOCIAL_PROTECTION', 'HEALTH', 'EDUCATION', 'GUARDIANSHIP', 'NGO']),
      );
      expect(grants.filter((g: { revoked: boolean }) => g.revoked)).toHaveLength(1);
      const emergency = grants.filter((g: { kind: string }) => g.kind === 'EMERGENCY');
      expect(emergency).toEqual([expect.objectContaining({ active_expiry: true, reason: expect.stringContaining('ДККБ') })]);
      const audited = await db.query(`SELECT reason FROM audit_event WHERE fields = ARRAY['emergencyAccess'] AND case_id = ANY($1::bigint[])`, [cases.map((c: { id: string }) => c.id)]);
      expect(audited).toHaveLength(1);
      const keys = await db.query(`SELECT subject_type, count(*)::int AS n FROM external_id WHERE family_id IN (${demoFamilies}) OR person_id IN (SELECT id FROM person WHERE family_id IN (${demoFamilies})) GROUP BY subject_type ORDER BY subject_type`);
      expect(keys).toEqual([{ subject_type: 'FAMILY', n: 30 }, { subject_type: 'PERSON', n: children.length }]);

      // Running the step again adds nothing.
      await seedDemoCases(db);
      expect((await db.query(`SELECT count(*)::int AS n FROM "case" WHERE family_id IN (${demoFamilies})`))[0].n).toBe(30);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
