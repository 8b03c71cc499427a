import net from 'node:net';
import http from 'node:http';
import { loadConfig } from '../src/config';
import { startServer, type RunningServer } from '../src/server';
import { harness, createCaller, type Caller, type Harness } from './support/harness';
import { Role } from '../src/core/auth/roles';

let h: Harness;
let caller: Caller;
beforeAll(async () => {
  h = await harness();
  caller = await createCaller(h, { roles: [Role.ANALYST] });
});
afterAll(() => h.close());

/** Whether a TCP connection to the port is accepted. */
function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** POSTs a query with node:http (keep-alive agent) and resolves with the status, the Connection header and the body. */
function post(port: number, query: string, agent: http.Agent): Promise<{ status: number; connection: string | undefined; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.token}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('graceful shutdown', () => {
  let running: RunningServer;
  beforeAll(async () => {
    const config = loadConfig({ ...process.env, NODE_ENV: 'test', SEED_DEMO: 'false', PORT: '0', HOST: '127.0.0.1' });
    running = await startServer(config, h.db, { graceMs: 20_000 });
  });
  afterAll(() => running.stop());

  test('startServer listens on an ephemeral port and serves', async () => {
    expect(running.port).toBeGreaterThan(0);
    expect(running.url).toBe(`http://localhost:${running.port}`);
    const agent = new http.Agent({ keepAlive: true });
    const response = await post(running.port, '{ regions { code } }', agent);
    agent.destroy();
    expect(response.status).toBe(200);
    expect(response.body.data.regions.length).toBeGreaterThan(0);
  });

  test('stop() lets an in-flight request finish, refuses new connections, and resolves after the request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // An idle keep-alive connection, which stop() must close rather than wait for.
    expect((await post(running.port, '{ viewer { roles } }', agent)).status).toBe(200);

    // Hold the region table so that a request for regions waits, for real, inside PostgreSQL.
    const lock = h.db.createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    await lock.query('LOCK TABLE region IN ACCESS EXCLUSIVE MODE');
    let slow: Promise<{ status: number; connection: string | undefined; body: any }>;
    let finishedAt = 0;
    let stoppedAt = 0;
    try {
      slow = post(running.port, '{ regions { code name } }', agent).then((r) => {
        finishedAt = Date.now();
        return r;
      });
      await waitFor(async () => {
        const rows = await h.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM region%'`);
        return rows[0].n > 0;
      }, 'the request to wait on the lock');

      const stopped = running.stop().then(() => {
        stoppedAt = Date.now();
      });
      await waitFor(async () => !running.server.listening, 'the server to stop listening');
      expect(await connects(running.port)).toBe(false);
      expect(finishedAt).toBe(0);
      expect(stoppedAt).toBe(0);

      await lock.commitTransaction();
      const response = await slow;
      await stopped;
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.regions.length).toBeGreaterThan(0);
      // The client is told that the connection ends with this response.
      expect(response.connection).toBe('close');
      // (stop() had not resolved while the request was held: checked above, before the lock was released.)
      expect(stoppedAt).toBeGreaterThan(0);
      expect(await connects(running.port)).toBe(false);
    } finally {
      if (lock.isTransactionActive) await lock.rollbackTransaction();
      await lock.release();
      agent.destroy();
    }
  });

  test('stop() can be called again and resolves', async () => {
    await expect(running.stop()).resolves.toBeUndefined();
  });
});
