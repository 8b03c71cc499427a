import { Client } from 'pg';
import { harness, gql, createCaller, codes, type Harness, type Caller } from './support/harness';
import { createCase, createFamily, grantAccess, type CaseFixture } from './support/fixtures';
import { testDatabaseUrl } from './support/database';
import { fromGlobalId } from '../src/core/graphql/global-id';
import { AgencyKind, Role } from '../src/core/auth/roles';
import { GrantKind, CaseStatus } from '../src/modules/cases/case.enums';

const CHANGES = `query($first: Int, $after: String) {
  changes(first: $first, after: $after) {
    totalCount
    pageInfo { endCursor hasNextPage }
    nodes { recordType fields case { id number status } changedBy { id } }
  }
}`;
const FEED = `query($first: Int, $after: String, $last: Int, $before: String) {
  changes(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
    nodes { id case { id } }
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

/** A partner's poll: reads the feed from its cursor to the current end; the audit event ids in order and the cursor to keep. */
async function poll(caller: Caller, after: string | null): Promise<{ ids: string[]; cursor: string | null }> {
  const ids: string[] = [];
  let cursor = after;
  for (;;) {
    const response = await gql(h, FEED, { first: 100, after: cursor }, caller);
    expect(response.errors).toBeUndefined();
    const { nodes, pageInfo } = response.data!.changes;
    ids.push(...nodes.map((node: { id: string }) => fromGlobalId(node.id)!.id));
    cursor = pageInfo.endCursor ?? cursor;
    if (!pageInfo.hasNextPage) return { ids, cursor };
  }
}

/** A connection of its own, for a transaction that the test holds open while the API works on. */
async function connection(): Promise<Client> {
  const client = new Client({ connectionString: await testDatabaseUrl(), application_name: 'changes-test-writer' });
  await client.connect();
  return client;
}

/** Writes a WRITE audit event for a case on a connection, with the columns AuditBuffer.flush writes; its id. */
async function writeEvent(client: Client, kase: CaseFixture): Promise<string> {
  const { rows } = await client.query(
    `INSERT INTO audit_event (request_id, actor_subject, actor_staff_id, agency_id, roles, action, record_type, record_id, case_id, family_id, fields, reason)
     VALUES ('changes-test', $1::text, $1::bigint, $2::bigint, ARRAY['CASE_MANAGER'], 'WRITE', 'Case', $3::bigint, $3::bigint, NULL, ARRAY['status'], NULL)
     RETURNING id::text AS id`,
    [manager.staff.id, manager.agency.id, kase.id],
  );
  return rows[0].id;
}

async function followedCase(): Promise<CaseFixture> {
  const family = await createFamily(h.db, { registeredBy: manager.agency.id });
  const kase = await createCase(h.db, { family, leadAgencyId: manager.agency.id, caseManagerId: manager.staff.id, status: CaseStatus.REFERRED });
  await grantAccess(h.db, kase.id, { agencyId: partner.agency.id, kind: GrantKind.TEAM });
  return kase;
}

async function lastWriteOf(kase: CaseFixture): Promise<string> {
  const [row] = await h.db.query(`SELECT max(id)::text AS id FROM audit_event WHERE action = 'WRITE' AND case_id = $1`, [kase.id]);
  return row.id;
}

/**
 * The feed publishes a write only once every transaction that began writing before it has finished, in the order
 * the transactions began writing (then audit id): a write that commits late is never skipped by a cursor taken meanwhile.
 */
describe('the change feed and concurrent writes', () => {
  test('a write committed while an earlier-started write is still open waits for it; after both, a poll from the kept cursor returns both, the earlier first', async () => {
    const slow = await followedCase();
    const fast = await followedCase();
    const start = await poll(partner, null);
    const a = await connection();
    try {
      // A: a write whose transaction has written its audit event (and so has its transaction id) but not committed.
      await a.query('BEGIN');
      const aEvent = await writeEvent(a, slow);
      // B: a write through the API, begun after A and committed while A is open; its audit id is after A's.
      await moveCase(fast.globalId, CaseStatus.ASSESSMENT, 1);
      const bEvent = await lastWriteOf(fast);
      expect(BigInt(bEvent)).toBeGreaterThan(BigInt(aEvent));

      // While A is open the feed holds B back: publishing it would move the partner's cursor past A.
      const during = await poll(partner, start.cursor);
      expect(during.ids).toEqual([]);

      await a.query('COMMIT');
      const after = await poll(partner, during.cursor);
      expect(after.ids).toEqual([aEvent, bEvent]);
      expect(await poll(partner, after.cursor)).toEqual({ ids: [], cursor: after.cursor });
    } finally {
      await a.end();
    }
  });

  test('a write whose transaction began writing first is published as soon as it commits; a later-begun write with a smaller audit id follows it', async () => {
    const first = await followedCase();
    const second = await followedCase();
    const start = await poll(partner, null);
    const b = await connection();
    const a = await connection();
    try {
      // B takes its transaction id first; A then writes its audit event (the smaller audit id); B writes and commits.
      await b.query('BEGIN');
      await b.query('SELECT pg_current_xact_id()');
      await a.query('BEGIN');
      const aEvent = await writeEvent(a, second);
      const bEvent = await writeEvent(b, first);
      await b.query('COMMIT');
      expect(BigInt(bEvent)).toBeGreaterThan(BigInt(aEvent));

      // No transaction that began writing before B is open: B is published, and the cursor now stands on it.
      const during = await poll(partner, start.cursor);
      expect(during.ids).toEqual([bEvent]);

      await a.query('COMMIT');
      // A's audit id is smaller than B's, yet the poll from B's cursor returns it.
      const after = await poll(partner, during.cursor);
      expect(after.ids).toEqual([aEvent]);
    } finally {
      await a.end();
      await b.end();
    }
  });

  test('a rolled-back write never appears, and does not hold the feed back once it is over', async () => {
    const kase = await followedCase();
    const other = await followedCase();
    const start = await poll(partner, null);
    const a = await connection();
    try {
      await a.query('BEGIN');
      await writeEvent(a, kase);
      await moveCase(other.globalId, CaseStatus.ASSESSMENT, 1);
      await a.query('ROLLBACK');
      expect((await poll(partner, start.cursor)).ids).toEqual([await lastWriteOf(other)]);
    } finally {
      await a.end();
    }
  });

  test('totalCount counts the published writes; last/before pages back through them', async () => {
    const kase = await followedCase();
    await moveCase(kase.globalId, CaseStatus.ASSESSMENT, 1);
    await moveCase(kase.globalId, CaseStatus.ACTIVE, 2);
    const all = await poll(partner, null);
    const tail = await gql(h, FEED, { last: 2 }, partner);
    expect(tail.errors).toBeUndefined();
    expect(tail.data!.changes.totalCount).toBe(all.ids.length);
    expect(tail.data!.changes.nodes.map((n: { id: string }) => fromGlobalId(n.id)!.id)).toEqual(all.ids.slice(-2));
    expect(tail.data!.changes.pageInfo).toMatchObject({ hasPreviousPage: all.ids.length > 2, hasNextPage: false, endCursor: all.cursor });
    const before = await gql(h, FEED, { last: 1, before: tail.data!.changes.pageInfo.startCursor }, partner);
    expect(before.data!.changes.nodes.map((n: { id: string }) => fromGlobalId(n.id)!.id)).toEqual(all.ids.slice(-3, -2));
  });
});

describe('change feed cursors', () => {
  const cursorOf = (values: unknown[]) => Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');

  test('a cursor kept from before the feed was ordered by transaction (it names the audit id alone) still resumes after its change', async () => {
    const kase = await followedCase();
    await moveCase(kase.globalId, CaseStatus.ASSESSMENT, 1);
    const kept = await lastWriteOf(kase);
    await moveCase(kase.globalId, CaseStatus.ACTIVE, 2);
    const next = await lastWriteOf(kase);
    expect((await poll(partner, cursorOf([kept]))).ids).toEqual([next]);
  });

  test('rows written before the column existed (xact_id 0) come first, and their id-only cursors resume after them', async () => {
    const kase = await followedCase();
    const legacy: string[] = [];
    for (let i = 0; i < 2; i++) {
      // As the migration leaves the rows it finds: their xact_id reads 0.
      const [row] = await h.db.query(
        `INSERT INTO audit_event (xact_id, request_id, actor_subject, agency_id, roles, action, record_type, record_id, case_id, fields)
         VALUES (0, 'changes-test-legacy', 'legacy', $1::bigint, ARRAY['CASE_MANAGER'], 'WRITE', 'Case', $2::bigint, $2::bigint, ARRAY['status']) RETURNING id::text AS id`,
        [manager.agency.id, kase.id],
      );
      legacy.push(row.id);
    }
    const all = await poll(partner, null);
    expect(all.ids.slice(0, 2)).toEqual(legacy);
    expect(all.ids.length).toBeGreaterThan(2);
    expect((await poll(partner, cursorOf([legacy[0]]))).ids).toEqual(all.ids.slice(1));
    expect((await poll(partner, cursorOf([legacy[1]]))).ids).toEqual(all.ids.slice(2));
  });

  test('a garbage, forged or unknown cursor is BAD_USER_INPUT naming after (or before)', async () => {
    for (const [variables, field] of [
      [{ first: 2, after: 'garbage!' }, 'after'],
      [{ first: 2, after: cursorOf(['x', 'not-a-number']) }, 'after'],
      [{ first: 2, after: cursorOf(['1', '2', '3']) }, 'after'],
      [{ first: 2, after: cursorOf(['not-a-number']) }, 'after'],
      [{ first: 2, after: cursorOf(['999999999999']) }, 'after'],
      [{ last: 2, before: 'bm90IGpzb24' }, 'before'],
    ] as const) {
      const response = await gql(h, FEED, variables, partner);
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0].extensions.fields).toEqual([expect.objectContaining({ field })]);
      expect(response.errors![0].message).toContain(field);
      expect(response.data ?? null).toBeNull();
    }
  });

  test('first is validated as for every connection', async () => {
    for (const [variables, field] of [
      [{ first: 101 }, 'first'],
      [{ first: -1 }, 'first'],
      [{ first: 2, last: 2 }, 'last'],
    ] as const) {
      const response = await gql(h, FEED, variables, partner);
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0].extensions.fields).toEqual([expect.objectContaining({ field })]);
    }
  });
});
