import { AgencyKind, Role } from '../src/core/auth/roles';
import { toGlobalId } from '../src/core/graphql/global-id';
import { ReferenceCache, referenceCacheOf, throughReferenceCache } from '../src/db/reference-cache';
import { coldReferenceCache, createAgency, createCaller, gql, harness, unique, type Caller, type Harness } from './support/harness';

/**
 * Agencies, staff members and service types are kept by the server across requests (src/db/reference-cache.ts). Every
 * request must still see every change committed before it arrived, whoever wrote it; a mutation's payload its own write.
 */

let h: Harness;
let admin: Caller;
let reader: Caller;
beforeAll(async () => {
  h = await harness();
  admin = await createCaller(h, { roles: [Role.ADMIN], kind: AgencyKind.SOCIAL_PROTECTION });
  reader = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.HEALTH });
});
afterAll(() => h.close());

const VIEWER = `{ viewer { agency { id name } staffMember { id fullName } } }`;
const NODE = `query ($id: ID!) { node(id: $id) { ... on Agency { name version } } }`;
const version = async (): Promise<number> => Number((await h.db.query(`SELECT version FROM reference_version`))[0].version);

test('a second request reads the agency and staff member it names from the cache: no statement for them', async () => {
  coldReferenceCache(h);
  const cold = await gql(h, VIEWER, {}, reader);
  const warm = await gql(h, VIEWER, {}, reader);
  expect(cold.errors).toBeUndefined();
  expect(warm.data).toEqual(cold.data);
  expect(warm.data!.viewer.agency.name).toBe(reader.agency.name);
  // The caller, the agency, the staff member, the audit: the warm request reads neither of the two.
  expect(cold.sqlStatements - warm.sqlStatements).toBe(2);
  const kept = referenceCacheOf(h.db)!.records('agency').get(reader.agency.id);
  expect(kept).toBeDefined();
  expect(Object.isFrozen(kept)).toBe(true);
});

test('a change written by another connection is seen by the very next request', async () => {
  await gql(h, VIEWER, {}, reader);
  const before = await version();
  const renamed = unique('Переименованное агентство');
  await h.db.query(`UPDATE agency SET name = $1 WHERE id = $2`, [renamed, reader.agency.id]);
  expect(await version()).toBe(before + 1);
  const after = await gql(h, VIEWER, {}, reader);
  expect(after.data!.viewer.agency.name).toBe(renamed);
  await h.db.query(`UPDATE staff_member SET full_name = 'Иванова Мария Петровна' WHERE id = $1`, [reader.staff.id]);
  expect((await gql(h, VIEWER, {}, reader)).data!.viewer.staffMember.fullName).toBe('Иванова Мария Петровна');
});

test('a mutation payload shows its own write, and the next request of any caller the new value', async () => {
  const agency = await createAgency(h.db, AgencyKind.NGO, '54', unique('НКО кэш'));
  const id = toGlobalId('Agency', agency.id);
  expect((await gql(h, NODE, { id }, reader)).data!.node.name).toBe(agency.name);
  const name = unique('НКО новое имя');
  const update = await gql(
    h,
    `mutation ($input: UpdateAgencyInput!) { updateAgency(input: $input) { agency { name version } } }`,
    { input: { id, expectedVersion: 1, name } },
    admin,
  );
  expect(update.errors).toBeUndefined();
  expect(update.data!.updateAgency.agency).toEqual({ name, version: 2 });
  expect((await gql(h, NODE, { id }, reader)).data!.node).toEqual({ name, version: 2 });
});

test('a transaction that writes many reference rows moves the version once, when it commits', async () => {
  const before = await version();
  const runner = h.db.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    const prefix = unique('Пакет');
    await runner.query(`INSERT INTO agency (name, kind, region_code) SELECT $1 || g, 'NGO', '54' FROM generate_series(1, 3) g`, [prefix]);
    await runner.query(`UPDATE agency SET settlement = 'Бердск' WHERE name LIKE $1 || '%'`, [prefix]);
    // Not before the commit: a request in between must not empty its cache for rows it cannot see yet.
    expect(await version()).toBe(before);
    await runner.commitTransaction();
  } finally {
    await runner.release();
  }
  expect(await version()).toBe(before + 1);
});

test('a read that was under way when the cache was emptied keeps nothing; a newer version empties it, an older one does not', async () => {
  const cache = new ReferenceCache();
  cache.observe('5');
  let reads = 0;
  const read = async (ids: readonly string[]) => {
    reads++;
    // A request sees a newer version while this read is under way: what it read may predate that change.
    if (reads === 1) cache.observe('6');
    return ids.map((id) => ({ id, name: `read ${reads}` }));
  };
  expect(await throughReferenceCache(cache, 'agency', ['1'], read)).toEqual([{ id: '1', name: 'read 1' }]);
  expect(cache.records('agency').has('1')).toBe(false);
  expect(await throughReferenceCache(cache, 'agency', ['1'], read)).toEqual([{ id: '1', name: 'read 2' }]);
  expect(await throughReferenceCache(cache, 'agency', ['1', '2'], read)).toEqual([
    { id: '1', name: 'read 2' },
    { id: '2', name: 'read 3' },
  ]);
  cache.observe('5');
  expect(cache.records('agency').size).toBe(2);
  cache.observe('7');
  expect(cache.records('agency').size).toBe(0);
  // Ids that do not exist are not kept: a record created later is found.
  const none = async (ids: readonly string[]) => ids.map(() => null);
  expect(await throughReferenceCache(cache, 'agency', ['9'], none)).toEqual([null]);
  expect(cache.records('agency').has('9')).toBe(false);
});

test('a table keeps at most its capacity: the oldest record kept makes way for a new one', async () => {
  const cache = new ReferenceCache(2);
  cache.observe('1');
  const read = async (ids: readonly string[]) => ids.map((id) => ({ id }));
  await throughReferenceCache(cache, 'staff_member', ['1', '2'], read);
  await throughReferenceCache(cache, 'staff_member', ['3'], read);
  expect([...cache.records('staff_member').keys()]).toEqual(['2', '3']);
  expect(await throughReferenceCache(cache, 'staff_member', ['1', '3'], read)).toEqual([{ id: '1' }, { id: '3' }]);
  expect([...cache.records('staff_member').keys()]).toEqual(['3', '1']);
  // A record found in the cache is answered even when making room for the ones read evicts it meanwhile.
  const one = new ReferenceCache(1);
  one.observe('1');
  await throughReferenceCache(one, 'agency', ['1'], read);
  expect(await throughReferenceCache(one, 'agency', ['1', '2'], read)).toEqual([{ id: '1' }, { id: '2' }]);
  expect([...one.records('agency').keys()]).toEqual(['2']);
});
