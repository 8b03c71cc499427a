import { harness, gql, createAgency, createCaller, codes, unique, type Caller, type Harness, type GraphQLResponse } from './support/harness';
import { AgencyKind, Role } from '../src/core/auth/roles';
import type { AgencyEntity } from '../src/modules/agencies/agency.entity';

const PAGE = `
  query Page($search: String!, $first: Int, $after: String, $last: Int, $before: String) {
    agencies(filter: { search: $search }, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { id name } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

interface PageResult {
  totalCount: number;
  edges: Array<{ cursor: string; node: { id: string; name: string } }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

let h: Harness;
let caller: Caller;
let prefix: string;
/** The agencies of this test in the order the list promises: by name, then by id. */
let expected: AgencyEntity[];

beforeAll(async () => {
  h = await harness();
  caller = await createCaller(h, { roles: [Role.ANALYST] });
  prefix = unique('Pagination');
  const created: AgencyEntity[] = [];
  // Created out of order; two share a name (in different regions), so the id must break the tie.
  for (const [suffix, region] of [['e', '54'], ['a', '54'], ['d', '54'], ['c', '10'], ['d', '10'], ['g', '63'], ['b', '23']]) {
    created.push(await createAgency(h.db, AgencyKind.NGO, region, `${prefix} ${suffix}`));
  }
  expected = [...created].sort((x, y) => (x.name === y.name ? Number(x.id) - Number(y.id) : x.name < y.name ? -1 : 1));
});
afterAll(() => h.close());

async function page(args: { first?: number; after?: string; last?: number; before?: string }): Promise<PageResult> {
  const response = await gql<{ agencies: PageResult }>(h, PAGE, { search: prefix, ...args }, caller);
  expect(response.errors).toBeUndefined();
  return response.data!.agencies;
}

const localIds = (result: PageResult) => result.edges.map((e) => Buffer.from(e.node.id, 'base64url').toString('utf8'));
const expectedIds = (list: AgencyEntity[]) => list.map((a) => `Agency:${a.id}`);

function expectBadInput(response: GraphQLResponse, field: string): void {
  expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  expect(response.errors![0].extensions.fields).toEqual([expect.objectContaining({ field })]);
  expect(response.errors![0].message).toContain(field);
  expect(response.data ?? null).toBeNull();
}

describe('forward: first/after', () => {
  test('walks every page without gaps or duplicates, in name then id order', async () => {
    const seen: string[] = [];
    const flags: Array<[boolean, boolean]> = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const result = await page({ first: 3, after });
      expect(result.totalCount).toBe(7);
      seen.push(...localIds(result));
      flags.push([result.pageInfo.hasPreviousPage, result.pageInfo.hasNextPage]);
      expect(result.pageInfo.startCursor).toBe(result.edges[0]?.cursor ?? null);
      expect(result.pageInfo.endCursor).toBe(result.edges[result.edges.length - 1]?.cursor ?? null);
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor!;
    }
    expect(seen).toEqual(expectedIds(expected));
    expect(new Set(seen).size).toBe(7);
    expect(flags).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
  });

  test('the default page size is 20 (all seven here)', async () => {
    const result = await page({});
    expect(localIds(result)).toEqual(expectedIds(expected));
    expect(result.pageInfo.hasNextPage).toBe(false);
  });

  test('a cursor keeps its place when a row is added before it', async () => {
    const first = await page({ first: 2 });
    const extra = await createAgency(h.db, AgencyKind.NGO, '54', `${prefix} 0 first`);
    try {
      const next = await page({ first: 2, after: first.pageInfo.endCursor! });
      expect(localIds(next)).toEqual(expectedIds(expected.slice(2, 4)));
    } finally {
      await h.db.query('DELETE FROM agency WHERE id = $1', [extra.id]);
    }
  });
});

describe('backward: last/before', () => {
  test('walks every page from the end without gaps or duplicates', async () => {
    const pages: string[][] = [];
    let before: string | undefined;
    for (let i = 0; i < 10; i++) {
      const result = await page({ last: 3, before });
      expect(result.totalCount).toBe(7);
      pages.unshift(localIds(result));
      if (!result.pageInfo.hasPreviousPage) break;
      before = result.pageInfo.startCursor!;
    }
    expect(pages.map((p) => p.length)).toEqual([1, 3, 3]);
    expect(pages.flat()).toEqual(expectedIds(expected));
  });

  test('last alone gives the end of the list', async () => {
    const result = await page({ last: 2 });
    expect(localIds(result)).toEqual(expectedIds(expected.slice(5)));
    expect(result.pageInfo.hasPreviousPage).toBe(true);
  });

  test('a forward cursor used with before gives the items before it', async () => {
    const forward = await page({ first: 4 });
    const result = await page({ last: 10, before: forward.edges[3].cursor });
    expect(localIds(result)).toEqual(expectedIds(expected.slice(0, 3)));
    expect(result.pageInfo.hasNextPage).toBe(true);
    expect(result.pageInfo.hasPreviousPage).toBe(false);
  });
});

describe('page sizes', () => {
  test('first: 0 gives no edges but the count and whether items follow', async () => {
    const result = await page({ first: 0 });
    expect(result.edges).toEqual([]);
    expect(result.totalCount).toBe(7);
    expect(result.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  test('first: 100 is allowed; first: 101 is BAD_USER_INPUT naming first', async () => {
    expect((await page({ first: 100 })).edges).toHaveLength(7);
    const response = await gql(h, PAGE, { search: prefix, first: 101 }, caller);
    expectBadInput(response, 'first');
    expect(response.errors![0].message).toMatch(/at most 100/);
  });

  test('last: 101 names last; a negative first names first', async () => {
    expectBadInput(await gql(h, PAGE, { search: prefix, last: 101 }, caller), 'last');
    expectBadInput(await gql(h, PAGE, { search: prefix, first: -1 }, caller), 'first');
  });

  test('first and last together are refused', async () => {
    expectBadInput(await gql(h, PAGE, { search: prefix, first: 2, last: 2 }, caller), 'last');
  });
});

describe('cursors', () => {
  test('a garbage cursor is BAD_USER_INPUT naming after (or before)', async () => {
    expectBadInput(await gql(h, PAGE, { search: prefix, first: 2, after: 'garbage!' }, caller), 'after');
    expectBadInput(await gql(h, PAGE, { search: prefix, last: 2, before: 'bm90IGpzb24' }, caller), 'before');
  });

  test('a hand-made cursor of the right shape but wrong values is BAD_USER_INPUT, not an internal error', async () => {
    const forged = Buffer.from(JSON.stringify(['x', 'not-a-number']), 'utf8').toString('base64url');
    const response = await gql(h, PAGE, { search: prefix, first: 2, after: forged }, caller);
    expectBadInput(response, 'after');
    const wrongLength = Buffer.from(JSON.stringify(['x']), 'utf8').toString('base64url');
    expectBadInput(await gql(h, PAGE, { search: prefix, first: 2, after: wrongLength }, caller), 'after');
  });

  test('cursors are opaque strings (no raw ids or names in them)', async () => {
    const result = await page({ first: 1 });
    expect(result.edges[0].cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(result.edges[0].cursor).not.toContain(prefix);
  });
});

describe('node and nodes', () => {
  const NODE = 'query($id: ID!) { node(id: $id) { __typename id ... on Agency { name kind } } }';
  const NODES = 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Agency { name } } }';

  test('node(id:) fetches an Agency by its global id', async () => {
    const list = await page({ first: 1 });
    const response = await gql(h, NODE, { id: list.edges[0].node.id }, caller);
    expect(response.errors).toBeUndefined();
    expect(response.data!.node).toEqual({ __typename: 'Agency', id: list.edges[0].node.id, name: expected[0].name, kind: 'NGO' });
  });

  test('a malformed, unknown or unregistered-type id is null, not an error', async () => {
    for (const id of ['garbage', '', Buffer.from('Agency:999999999999').toString('base64url'), Buffer.from('Nope:1').toString('base64url'), Buffer.from('Agency:abc').toString('base64url')]) {
      const response = await gql(h, NODE, { id }, caller);
      expect(response.errors).toBeUndefined();
      expect(response.data!.node).toBeNull();
    }
  });

  test('nodes(ids:) keeps the order asked, with null for each id that does not resolve', async () => {
    const list = await page({ first: 3 });
    const ids = [list.edges[2].node.id, 'garbage', list.edges[0].node.id, list.edges[2].node.id];
    const response = await gql(h, NODES, { ids }, caller);
    expect(response.errors).toBeUndefined();
    expect(response.data!.nodes).toEqual([
      { __typename: 'Agency', id: ids[0], name: expected[2].name },
      null,
      { __typename: 'Agency', id: ids[2], name: expected[0].name },
      { __typename: 'Agency', id: ids[0], name: expected[2].name },
    ]);
  });

  test('nodes(ids:) refuses more than 100 ids, naming ids', async () => {
    const ids = Array.from({ length: 101 }, () => 'x');
    expectBadInput(await gql(h, NODES, { ids }, caller), 'ids');
  });

  test('node needs a token', async () => {
    const list = await page({ first: 1 });
    const response = await gql(h, NODE, { id: list.edges[0].node.id });
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });
});
