import request from 'supertest';
import { getIntrospectionQuery } from 'graphql';
import { harness, gql, createCaller, codes, type Caller, type Harness, type GraphQLResponse } from './support/harness';
import { Role } from '../src/core/auth/roles';

let h: Harness;
let caller: Caller;
beforeAll(async () => {
  h = await harness();
  caller = await createCaller(h, { roles: [Role.ANALYST] });
});
afterAll(() => h.close());

function expectTooComplex(response: GraphQLResponse, pattern: RegExp): void {
  expect({ status: response.status, codes: codes(response) }).toEqual({ status: 400, codes: ['QUERY_TOO_COMPLEX'] });
  expect(response.errors![0].message).toMatch(pattern);
  expect(response.data ?? null).toBeNull();
}

/** `agencies { nodes { parent { parent { ... name } } } }` with `levels` levels of fields. */
function nestedParents(levels: number): string {
  const parents = levels - 3;
  return `{ agencies(first: 1) { nodes { ${'parent { '.repeat(parents)}name${' }'.repeat(parents)} } } }`;
}

describe('the limits are configured as documented', () => {
  test('defaults', () => {
    expect(h.config.limits).toEqual({ maxDepth: 12, maxCost: 50000, maxAliases: 30, maxDocumentBytes: 20000 });
  });
});

describe('depth', () => {
  test('a query at the limit passes', async () => {
    const response = await gql(h, nestedParents(12), {}, caller);
    expect(response.errors).toBeUndefined();
    expect(response.status).toBe(200);
  });

  test('one level more is QUERY_TOO_COMPLEX (HTTP 400) and nothing runs', async () => {
    const response = await gql(h, nestedParents(13), {}, caller);
    expectTooComplex(response, /13 levels deep; at most 12/);
    expect(response.errors![0].extensions.depth).toBe(13);
  });

  test('depth hidden in fragments still counts', async () => {
    const query = `
      query { agencies(first: 1) { nodes { ...P } } }
      fragment P on Agency { parent { parent { parent { ...Q } } } }
      fragment Q on Agency { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } }`;
    expectTooComplex(await gql(h, query, {}, caller), /levels deep/);
  });
});

describe('cost', () => {
  const expensive = '{ agencies(first: 100) { nodes { staff(first: 100) { nodes { agency { staff(first: 100) { nodes { fullName } } } } } } } }';

  test('connections multiply by first: three nested pages of 100 are refused', async () => {
    const response = await gql(h, expensive, {}, caller);
    expectTooComplex(response, /costs \d+; at most 50000/);
    expect(response.errors![0].extensions.cost).toBeGreaterThan(1_000_000);
  });

  test('the page size can come from a variable', async () => {
    const query = 'query($n: Int) { agencies(first: $n) { nodes { staff(first: $n) { nodes { agency { staff(first: $n) { nodes { fullName } } } } } } } }';
    expectTooComplex(await gql(h, query, { n: 100 }, caller), /costs/);
    const small = await gql(h, query, { n: 2 }, caller);
    expect(small.errors).toBeUndefined();
  });

  test('a negative page size elsewhere in the document cannot offset the cost', async () => {
    const query = `{ cheap: agencies(first: -1000000000) { nodes { staff(first: 100) { totalCount } } } ${expensive.slice(1, -1)} }`;
    expectTooComplex(await gql(h, query, {}, caller), /costs/);
  });

  test('nodes(ids:) multiplies by the number of ids', async () => {
    const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Agency { staff(first: 100) { nodes { agency { staff(first: 10) { totalCount } } } } } } }';
    const ids = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`Agency:${i + 1}`).toString('base64url'));
    const one = await gql(h, query, { ids: ids(1) }, caller);
    expect(one.errors).toBeUndefined();
    expectTooComplex(await gql(h, query, { ids: ids(100) }, caller), /costs/);
  });

  test('a normal query reports its cost in extensions.cost, growing with first', async () => {
    const query = 'query($n: Int) { agencies(first: $n) { totalCount edges { cursor node { name region { code } } } } }';
    const two = await gql(h, query, { n: 2 }, caller);
    const fifty = await gql(h, query, { n: 50 }, caller);
    expect(two.errors).toBeUndefined();
    expect(fifty.errors).toBeUndefined();
    expect(typeof two.extensions?.cost).toBe('number');
    expect(two.extensions!.cost).toBeGreaterThan(0);
    expect(fifty.extensions!.cost).toBeGreaterThan(two.extensions!.cost);
    expect(fifty.extensions!.cost).toBeGreaterThanOrEqual(50 * 4);
  });
});

describe('aliases', () => {
  const aliased = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

  test('30 aliases pass, 31 are refused', async () => {
    expect((await gql(h, aliased(30, 'regions { code }'), {}, caller)).errors).toBeUndefined();
    expectTooComplex(await gql(h, aliased(31, 'regions { code }'), {}, caller), /31 aliases; at most 30/);
  });

  test('aliases of introspection fields count too (no anonymous alias flood)', async () => {
    expectTooComplex(await gql(h, aliased(200, '__typename')), /aliases/);
  });
});

describe('document size', () => {
  const padded = (bytes: number) => {
    const query = '{ regions { code } }';
    return `# ${'x'.repeat(bytes - query.length - 3)}\n${query}`;
  };

  test('a document at the limit passes', async () => {
    const query = padded(20000);
    expect(Buffer.byteLength(query)).toBe(20000);
    expect((await gql(h, query, {}, caller)).status).toBe(200);
  });

  test('one byte more is QUERY_TOO_COMPLEX (HTTP 400), by POST', async () => {
    expectTooComplex(await gql(h, padded(20001), {}, caller), /larger than 20000 bytes/);
  });

  test('and by GET (a smaller limit: Node refuses URLs beyond 16 KB itself)', async () => {
    const small = await harness({ MAX_DOCUMENT_BYTES: '1000' });
    const get = (bytes: number) =>
      request(small.app)
        .get('/graphql')
        .query({ query: padded(bytes) })
        .set('accept', 'application/graphql-response+json')
        .set('apollo-require-preflight', 'true')
        .set('authorization', `Bearer ${caller.token}`);
    try {
      expect((await get(1000)).status).toBe(200);
      const response = await get(1001);
      expect(response.status).toBe(400);
      expect(response.type).toBe('application/graphql-response+json');
      expect(response.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    } finally {
      await small.close();
    }
  });

  test('a body far beyond the limit is refused with a GraphQL error, not an HTML page', async () => {
    const response = await request(h.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('accept', 'application/graphql-response+json')
      .send({ query: padded(2_000_000) });
    expect([400, 413]).toContain(response.status);
    expect(response.type).toMatch(/json/);
    expect(response.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  test('multi-byte characters are counted in bytes', async () => {
    const query = `# ${'ж'.repeat(10001)}\n{ regions { code } }`;
    expect(query.length).toBeLessThan(20000);
    expectTooComplex(await gql(h, query, {}, caller), /bytes/);
  });
});

describe('introspection', () => {
  test("GraphiQL's full introspection query passes the limits (and needs no token)", async () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
    for (const as of [undefined, caller]) {
      const response = await gql(h, query, {}, as);
      expect(response.errors).toBeUndefined();
      expect(response.status).toBe(200);
      expect(response.data!.__schema.types.length).toBeGreaterThan(20);
    }
  });

  test('an abusively deep introspection query is refused by graphql-js', async () => {
    const query = '{ __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }';
    const response = await gql(h, query);
    expect(response.status).toBe(400);
    expect(response.data ?? null).toBeNull();
    expect(response.errors![0].message).toMatch(/Maximum introspection depth/);
  });
});
