import { harness, gql, createCaller, codes, type Harness, type Caller } from './support/harness';
import { createCase, createFamily, grantAccess } from './support/fixtures';
import { AgencyKind, Role } from '../src/core/auth/roles';
import { GrantKind, CaseStatus } from '../src/modules/cases/case.enums';

const CHANGES = `query($first: Int, $after: String) {
  changes(first: $first, after: $after) {
    totalCount
    pageInfo { endCursor hasNextPage }
    nodes { recordType fields case { id number status } changedBy { id } }
  }
}`;
const CHANGE_STATUS = `mutation($input: ChangeCaseStatusInput!) { changeCaseStatus(input: $input) { case { id version status } } }`;

let h: Harness;
let manager: Caller;
let partner: Caller;
let outsider: Caller;

beforeAll(async () => {
  h = await harness();
  manager = await createCaller(h, { roles: [Role.CASE_MANAGER], kind: AgencyKind.SOCIAL_PROTECTION });
  partner = await createCaller(h, { roles: [Role.PARTNER_SYSTEM], kind: AgencyKind.HEALTH });
  outsider = await createCaller(h, { roles: [Role.PARTNER_SYSTEM], kind: AgencyKind.EDUCATION });
});
afterAll(() => h.close());

async function moveCase(caseId: string, status: CaseStatus, expectedVersion: number) {
  const response = await gql(h, CHANGE_STATUS, { input: { case: caseId, status, expectedVersion } }, manager);
  expect(response.errors).toBeUndefined();
  return response.data!.changeCaseStatus.case;
}

describe('the change feed', () => {
  test("a partner system on the team follows committed writes to its cases, in order, resuming from its cursor; others' cases are absent", async () => {
    const family = await createFamily(h.db, { registeredBy: manager.agency.id });
    const followed = await createCase(h.db, { family, leadAgencyId: manager.agency.id, caseManagerId: manager.staff.id, status: CaseStatus.REFERRED });
    await grantAccess(h.db, followed.id, { agencyId: partner.agency.id, kind: GrantKind.TEAM });
    const otherFamily = await createFamily(h.db, { registeredBy: manager.agency.id });
    const hidden = await createCase(h.db, { family: otherFamily, leadAgencyId: manager.agency.id, caseManagerId: manager.staff.id, status: CaseStatus.REFERRED });

    const before = await gql(h, CHANGES, { first: 100 }, partner);
    expect(before.errors).toBeUndefined();
    const cursor = before.data!.changes.pageInfo.endCursor;

    await moveCase(followed.globalId, CaseStatus.ASSESSMENT, 1);
    await moveCase(hidden.globalId, CaseStatus.ASSESSMENT, 1);
    await moveCase(followed.globalId, CaseStatus.ACTIVE, 2);

    const after = await gql(h, CHANGES, { first: 100, after: cursor }, partner);
    expect(after.errors).toBeUndefined();
    const changes = after.data!.changes.nodes;
    expect(changes).toHaveLength(2);
    for (const change of changes) {
      expect(change).toMatchObject({ recordType: 'Case', fields: ['status'], case: { id: followed.globalId, number: followed.number } });
      expect(change.changedBy.id).toBeDefined();
    }
    expect(changes[1].case.status).toBe('ACTIVE');
    expect(after.data!.changes.totalCount).toBe(before.data!.changes.totalCount + 2);

    // Resuming from the last cursor gives nothing new.
    const again = await gql(h, CHANGES, { first: 100, after: after.data!.changes.pageInfo.endCursor }, partner);
    expect(again.data!.changes.nodes).toEqual([]);
  });

  test('an agency on no team sees an empty feed; an ADMIN or an ANALYST is refused', async () => {
    const family = await createFamily(h.db, { registeredBy: manager.agency.id });
    const created = await createCase(h.db, { family, leadAgencyId: manager.agency.id, caseManagerId: manager.staff.id, status: CaseStatus.REFERRED });
    await moveCase(created.globalId, CaseStatus.ASSESSMENT, 1);
    const empty = await gql(h, CHANGES, { first: 10 }, outsider);
    expect(empty.errors).toBeUndefined();
    expect(empty.data!.changes).toMatchObject({ totalCount: 0, nodes: [] });
    for (const role of [Role.ADMIN, Role.ANALYST]) {
      const caller = await createCaller(h, { roles: [role] });
      const refused = await gql(h, CHANGES, { first: 10 }, caller);
      expect(codes(refused)).toEqual(['FORBIDDEN']);
    }
  });

  test('a failed write publishes nothing', async () => {
    const family = await createFamily(h.db, { registeredBy: manager.agency.id });
    const created = await createCase(h.db, { family, leadAgencyId: manager.agency.id, caseManagerId: manager.staff.id, status: CaseStatus.REFERRED });
    const before = await gql(h, CHANGES, { first: 1 }, manager);
    const stale = await gql(h, CHANGE_STATUS, { input: { case: created.globalId, status: 'ASSESSMENT', expectedVersion: 7 } }, manager);
    expect(codes(stale)).toEqual(['CONFLICT']);
    const illegal = await gql(h, CHANGE_STATUS, { input: { case: created.globalId, status: 'MONITORING', expectedVersion: 1 } }, manager);
    expect(codes(illegal)).toEqual(['INVALID_TRANSITION']);
    const after = await gql(h, CHANGES, { first: 1 }, manager);
    expect(after.data!.changes.totalCount).toBe(before.data!.changes.totalCount);
  });
});
