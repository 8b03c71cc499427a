import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serverAudits, type AuditResult } from 'graphql-http';
import { harness, createCaller, type Caller, type Harness } from './support/harness';
import { Role } from '../src/core/auth/roles';

let h: Harness;
let caller: Caller;
let server: Server;
let url: string;

beforeAll(async () => {
  h = await harness();
  caller = await createCaller(h, { roles: [Role.CASE_MANAGER] });
  server = h.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await h.close();
});

/** fetch with a valid bearer token: the audits check the protocol, not our authentication. */
const authorizedFetch: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set('authorization', `Bearer ${caller.token}`);
  return fetch(input, { ...init, headers });
};

describe('GraphQL over HTTP (graphql-http server audits)', () => {
  let results: AuditResult[];
  beforeAll(async () => {
    results = [];
    for (const audit of serverAudits({ url, fetchFn: authorizedFetch })) results.push(await audit.fn());
  });

  test('every audit ran', () => {
    expect(results.length).toBeGreaterThan(30);
  });

  test('no MUST audit fails', async () => {
    const failures = results.filter((r) => r.status !== 'ok');
    const describe = async (r: AuditResult) => (r.status === 'ok' ? '' : `[${r.status}] ${r.id} ${r.name}: ${r.reason} (HTTP ${r.response.status})`);
    if (failures.length) console.log(`graphql-http audits not passed (${failures.length} of ${results.length}):\n${(await Promise.all(failures.map(describe))).join('\n')}`);
    const mustFailures = failures.filter((r) => r.name.startsWith('MUST') || r.status === 'error');
    expect(await Promise.all(mustFailures.map(describe))).toEqual([]);
  });

  test('the SHOULD audits we choose to keep pass too (status codes with application/graphql-response+json)', () => {
    const kept = ['22EB', '556A', '74FF', '86EE', 'D586', '5E5B', 'BCF8', 'B7N8', '9ABE'];
    const failing = results.filter((r) => kept.includes(r.id) && r.status !== 'ok').map((r) => `${r.id} ${r.name}`);
    expect(failing).toEqual([]);
  });
});

describe('CSRF prevention stays on', () => {
  test('a GET without a preflight header or a JSON content type is blocked', async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent('{ regions { code } }')}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${caller.token}` },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
  });

  test('a POST with a form content type (a "simple" cross-site request) is blocked', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', accept: 'application/json' },
      body: JSON.stringify({ query: '{ regions { code } }' }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
  });

  test('a GET with the preflight header is served', async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent('{ regions { code } }')}`, {
      headers: { accept: 'application/graphql-response+json', 'apollo-require-preflight': 'true', authorization: `Bearer ${caller.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(((await response.json()) as { data: { regions: unknown[] } }).data.regions.length).toBeGreaterThan(0);
  });

  test('a mutation by GET is refused with 405 and Allow: POST', async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent('mutation { __typename }')}`, {
      headers: { accept: 'application/graphql-response+json', 'apollo-require-preflight': 'true', authorization: `Bearer ${caller.token}` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toMatch(/POST/);
  });
});
