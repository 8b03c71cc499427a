import { createHmac, generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import jwt from 'jsonwebtoken';
import { harness, gql, createCaller, codes, type Caller, type Harness, type GraphQLResponse } from './support/harness';
import { Role } from '../src/core/auth/roles';
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../src/config';

/** Reference data: ACCESS.md says even this needs a valid token. */
const REGIONS = '{ regions { code } }';

let h: Harness;
let caller: Caller;
beforeAll(async () => {
  h = await harness();
  caller = await createCaller(h, { roles: [Role.CASE_MANAGER] });
});
afterAll(() => h.close());

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** The claims a valid token for `caller` carries, in the token's own spelling. */
function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { sub: caller.staff.id, agency_id: caller.agency.id, roles: caller.roles, exp: now() + 600, ...extra };
}

function signHs256(payload: Record<string, unknown>, secret = h.config.jwt.secret!): string {
  return jwt.sign(payload, secret, { algorithm: 'HS256' });
}

/** Posts a query with a raw Authorization header (or none). */
async function withAuthorization(app: Harness['app'], authorization: string | undefined, query = REGIONS) {
  let call = request(app).post('/graphql').set('content-type', 'application/json').set('accept', 'application/graphql-response+json, application/json');
  if (authorization !== undefined) call = call.set('authorization', authorization);
  return call.send({ query });
}

function expectUnauthenticated(response: GraphQLResponse, messagePattern?: RegExp): void {
  expect({ status: response.status, codes: codes(response) }).toEqual({ status: 401, codes: ['UNAUTHENTICATED'] });
  expect(response.data ?? null).toBeNull();
  if (messagePattern) expect(response.errors![0].message).toMatch(messagePattern);
  // The reason names neither the secret nor the token.
  expect(JSON.stringify(response.errors)).not.toContain(DEVELOPMENT_JWT_SECRET);
}

describe('a valid token', () => {
  test('reads reference data and the viewer', async () => {
    const response = await gql(h, `{ regions { code } viewer { roles } }`, {}, caller);
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data!.regions.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(['10', '23', '51', '54', '63']));
    expect(response.data!.viewer.roles).toEqual(['CASE_MANAGER']);
  });

  test('a hand-built HS256 token with the ACCESS.md claims works (regions claim included)', async () => {
    const response = await gql(h, '{ viewer { regionCodes } }', {}, signHs256(claims({ regions: ['54', '10'] })));
    expect(response.errors).toBeUndefined();
    expect(response.data!.viewer.regionCodes).toEqual(['54', '10']);
  });
});

describe('without a token', () => {
  test('reference data is refused with UNAUTHENTICATED and HTTP 401', async () => {
    expectUnauthenticated(await gql(h, REGIONS));
  });

  test('a query mixing introspection and registry fields is refused', async () => {
    expectUnauthenticated(await gql(h, '{ __typename regions { code } }'));
  });

  test('schema introspection is served', async () => {
    const response = await gql(h, '{ __schema { queryType { name } } }');
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  test('a mutation of only __typename is still refused (only queries may be anonymous)', async () => {
    const response = await gql(h, 'mutation { __typename }');
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('token failures are UNAUTHENTICATED (HTTP 401) for every field', () => {
  test.each([
    ['Basic scheme', 'Basic dXNlcjpwYXNz'],
    ['Bearer without a token', 'Bearer'],
    ['Bearer with two words', 'Bearer abc def'],
    ['a bare token without the scheme', 'eyJhbGciOiJIUzI1NiJ9.e30.sig'],
    ['an empty header', ''],
  ])('malformed Authorization header: %s', async (_name, header) => {
    const response = await withAuthorization(h.app, header);
    expect(response.status).toBe(401);
    expect(response.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.data ?? null).toBeNull();
  });

  test('garbage that is not a JWT', async () => {
    expectUnauthenticated(await gql(h, REGIONS, {}, 'not-a-jwt'), /invalid/);
  });

  test('expired', async () => {
    expectUnauthenticated(await gql(h, REGIONS, {}, signHs256(claims({ exp: now() - 120 }))), /expired/);
  });

  test('without exp', async () => {
    const { exp: _exp, ...rest } = claims();
    expectUnauthenticated(await gql(h, REGIONS, {}, signHs256(rest)), /exp/);
  });

  test('not yet valid (nbf in the future)', async () => {
    expectUnauthenticated(await gql(h, REGIONS, {}, signHs256(claims({ nbf: now() + 600 }))));
  });

  test('wrong algorithm: HS512 with the right secret', async () => {
    const token = jwt.sign(claims(), h.config.jwt.secret!, { algorithm: 'HS512' });
    expectUnauthenticated(await gql(h, REGIONS, {}, token), /invalid/);
  });

  test('wrong algorithm: RS256-signed while HS256 is pinned', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = jwt.sign(claims(), privateKey, { algorithm: 'RS256' });
    expectUnauthenticated(await gql(h, REGIONS, {}, token), /invalid/);
  });

  test('alg: none (unsigned), with and without a trailing signature part', async () => {
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`;
    expectUnauthenticated(await gql(h, REGIONS, {}, unsigned));
    expectUnauthenticated(await gql(h, REGIONS, {}, unsigned.slice(0, -1)));
    const noneUpper = `${base64url({ alg: 'NONE', typ: 'JWT' })}.${base64url(claims())}.`;
    expectUnauthenticated(await gql(h, REGIONS, {}, noneUpper));
  });

  test('signed with another secret', async () => {
    expectUnauthenticated(await gql(h, REGIONS, {}, signHs256(claims(), 'another-secret-of-enough-length-0123456789')), /invalid/);
  });

  test('tampered signature', async () => {
    const token = signHs256(claims());
    const [header, payload, signature] = token.split('.');
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    expectUnauthenticated(await gql(h, REGIONS, {}, `${header}.${payload}.${flipped}`), /invalid/);
  });

  test('tampered payload (roles raised to ADMIN, signature kept)', async () => {
    const token = signHs256(claims());
    const [header, , signature] = token.split('.');
    const forged = `${header}.${base64url(claims({ roles: ['ADMIN'] }))}.${signature}`;
    expectUnauthenticated(await gql(h, REGIONS, {}, forged), /invalid/);
  });

  test('unknown agency', async () => {
    expectUnauthenticated(await gql(h, REGIONS, {}, signHs256(claims({ agency_id: '999999999999' }))), /agency/);
    expectUnauthenticated(await gql(h, REGIONS, {}, signHs256(claims({ agency_id: 'not-a-number' }))), /agency/);
  });

  test('no agency_id', async () => {
    const { agency_id: _agency, ...rest } = claims();
    expectUnauthenticated(await gql(h, REGIONS, {}, signHs256(rest)), /agency_id/);
  });

  test('unknown role, no roles, roles of the wrong shape', async () => {
    expectUnauthenticated(await gql(h, REGIONS, {}, signHs256(claims({ roles: ['SUPERUSER'] }))), /roles/);
    expectUnauthenticated(await gql(h, REGIONS, {}, signHs256(claims({ roles: [] }))), /roles/);
    expectUnauthenticated(await gql(h, REGIONS, {}, signHs256(claims({ roles: 'CASE_MANAGER' }))), /roles/);
  });

  test('a person token whose subject is not a staff member of the agency', async () => {
    const other = await createCaller(h, { roles: [Role.SPECIALIST] });
    expectUnauthenticated(await gql(h, REGIONS, {}, signHs256(claims({ sub: other.staff.id }))), /staff/);
  });

  test('no subject', async () => {
    const { sub: _sub, ...rest } = claims();
    expectUnauthenticated(await gql(h, REGIONS, {}, signHs256(rest)), /sub/);
  });

  test('the error message does not carry Apollo\'s internal prefix', async () => {
    const response = await gql(h, REGIONS, {}, signHs256(claims({ exp: now() - 120 })));
    expect(response.errors![0].message).toBe('The token has expired.');
  });
});

describe('issuer and audience, when configured', () => {
  let strict: Harness;
  beforeAll(async () => {
    strict = await harness({ JWT_ISSUER: 'https://id.krug.example', JWT_AUDIENCE: 'krug-api' });
  });
  afterAll(() => strict.close());

  const sign = (options: jwt.SignOptions) => jwt.sign(claims(), strict.config.jwt.secret!, { algorithm: 'HS256', ...options });

  test('the right issuer and audience pass', async () => {
    const response = await gql(strict, REGIONS, {}, sign({ issuer: 'https://id.krug.example', audience: 'krug-api' }));
    expect(response.errors).toBeUndefined();
    expect(response.status).toBe(200);
  });

  test('wrong audience', async () => {
    expectUnauthenticated(await gql(strict, REGIONS, {}, sign({ issuer: 'https://id.krug.example', audience: 'another-api' })));
  });

  test('no audience', async () => {
    expectUnauthenticated(await gql(strict, REGIONS, {}, sign({ issuer: 'https://id.krug.example' })));
  });

  test('wrong issuer', async () => {
    expectUnauthenticated(await gql(strict, REGIONS, {}, sign({ issuer: 'https://evil.example', audience: 'krug-api' })));
  });

  test('no issuer', async () => {
    expectUnauthenticated(await gql(strict, REGIONS, {}, sign({ audience: 'krug-api' })));
  });
});

describe('RS256 with JWT_PUBLIC_KEY', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let rsa: Harness;
  beforeAll(async () => {
    // Environment variables often carry PEM keys with literal "\n"; config turns them back into newlines.
    rsa = await harness({ JWT_PUBLIC_KEY: publicPem.replace(/\n/g, '\\n') });
  });
  afterAll(() => rsa.close());

  test('config pins RS256 when a public key is given', () => {
    expect(rsa.config.jwt.algorithms).toEqual(['RS256']);
  });

  test('an RS256 token signed with the private key works', async () => {
    const response = await gql(rsa, '{ viewer { roles } regions { code } }', {}, jwt.sign(claims(), privateKey, { algorithm: 'RS256' }));
    expect(response.errors).toBeUndefined();
    expect(response.data!.viewer.roles).toEqual(['CASE_MANAGER']);
  });

  test('an HS256 token is refused (including one "signed" with the public key as an HMAC secret)', async () => {
    expectUnauthenticated(await gql(rsa, REGIONS, {}, caller.token));
    const confused = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims())}`;
    const signature = createHmac('sha256', publicPem).update(confused).digest('base64url');
    expectUnauthenticated(await gql(rsa, REGIONS, {}, `${confused}.${signature}`));
  });

  test('an RS256 token signed with another key is refused', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expectUnauthenticated(await gql(rsa, REGIONS, {}, jwt.sign(claims(), other, { algorithm: 'RS256' })));
  });
});

describe('ES256 with JWT_PUBLIC_KEY and JWT_ALGORITHMS=ES256', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let ec: Harness;
  beforeAll(async () => {
    ec = await harness({ JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(), JWT_ALGORITHMS: 'ES256' });
  });
  afterAll(() => ec.close());

  test('an ES256 token works; an RS256 one is refused', async () => {
    const ok = await gql(ec, '{ viewer { roles } }', {}, jwt.sign(claims(), privateKey, { algorithm: 'ES256' }));
    expect(ok.errors).toBeUndefined();
    const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expectUnauthenticated(await gql(ec, REGIONS, {}, jwt.sign(claims(), rsaKey, { algorithm: 'RS256' })));
  });
});

describe('token configuration', () => {
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db.internal/krug' };

  test('production refuses to start without a secret or key', () => {
    expect(() => loadConfig(production)).toThrow(/JWT_SECRET/);
  });

  test('production refuses the development secret and a short secret', () => {
    expect(() => loadConfig({ ...production, JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow(/development secret/);
    expect(() => loadConfig({ ...production, JWT_SECRET: 'short' })).toThrow(/at least 32/);
  });

  test('production refuses to start without DATABASE_URL', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(/DATABASE_URL/);
  });

  test('production starts with a real secret or a public key', () => {
    expect(loadConfig({ ...production, JWT_SECRET: 'x'.repeat(40) }).jwt.algorithms).toEqual(['HS256']);
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(loadConfig({ ...production, JWT_PUBLIC_KEY: pem, JWT_ALGORITHMS: 'ES256' }).jwt.algorithms).toEqual(['ES256']);
  });

  test('mixing HS256 with an asymmetric algorithm and unknown algorithms are refused', () => {
    expect(() => loadConfig({ JWT_ALGORITHMS: 'HS256,RS256', JWT_PUBLIC_KEY: 'k' })).toThrow(/mix/);
    expect(() => loadConfig({ JWT_ALGORITHMS: 'none' })).toThrow(/unsupported/);
  });

  test('numeric settings are read from the environment given, not only process.env', () => {
    const config = loadConfig({ MAX_QUERY_DEPTH: '3', PORT: '4100', EXPOSE_SQL_COUNT: 'false' });
    expect(config.limits.maxDepth).toBe(3);
    expect(config.port).toBe(4100);
    expect(config.exposeSqlCount).toBe(false);
    expect(() => loadConfig({ MAX_QUERY_COST: 'lots' })).toThrow(/MAX_QUERY_COST/);
  });
});
