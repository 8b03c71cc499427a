import request from 'supertest';
import { harness, gql, createCaller, codes, type Harness } from './support/harness';
import { Role } from '../src/core/auth/roles';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());

describe('migrations and health', () => {
  test('entities and migrations agree: the schema builder has nothing to change', async () => {
    const log = await h.db.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query)).toEqual([]);
  });

  test('healthz answers while the process is up; readyz when the database is migrated', async () => {
    await request(h.app).get('/healthz').expect(200, { status: 'ok' });
    await request(h.app).get('/readyz').expect(200, { status: 'ready' });
  });
});

describe('viewer', () => {
  test('a caller sees its own subject, roles and agency', async () => {
    const caller = await createCaller(h, { roles: [Role.CASE_MANAGER] });
    const response = await gql(h, '{ viewer { subject roles regionCodes agency { name kind region { code } } staffMember { fullName } } }', {}, caller);
    expect(response.errors).toBeUndefined();
    expect(response.data!.viewer).toEqual({
      subject: caller.staff.id,
      roles: ['CASE_MANAGER'],
      regionCodes: ['54'],
      agency: { name: caller.agency.name, kind: 'SOCIAL_PROTECTION', region: { code: '54' } },
      staffMember: { fullName: caller.staff.fullName },
    });
  });

  test('without a token the registry answers UNAUTHENTICATED with HTTP 401', async () => {
    const response = await gql(h, '{ viewer { subject } }');
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.data ?? null).toBeNull();
  });
});
