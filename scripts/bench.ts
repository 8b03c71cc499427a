import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded';
import { driveGraphQL, freePort, printTable, round, startChild, waitFor, type Child, type PreparedRequest, type WorkloadStats } from './bench/drive';
import { choosePersonas, w1Requests, w2Requests, w3DistinctRequests, w3Requests, w4Requests, type Personas } from './bench/workloads';

/**
 * The performance benchmark: starts the built server (`node --max-semi-space-size=32 --max-old-space-size=1536 dist/src/main.js`, as npm start) against a seeded database (see
 * `npm run seed:scale`), waits for /readyz and drives it over loopback with autocannon, one fixed workload after another:
 *
 *   W1  a page of 50 cases with family, members, team, plan, open referrals and the last 5 services of each
 *       (as the region's coordinator, the busiest case manager and a health specialist on many teams)
 *   W2  one case by number with everything on it (its case manager, the manager's cases in turn)
 *   W3  outcomeMetrics for the coordinator's region and the last full year, by MONTH and SERVICE_TYPE
 *   W4  a write mix: recordServiceDelivery, updatePlanStep, respondToReferral on distinct targets
 *   W3D (on demand, not in the default list) W3 over 24 different twelve-month windows: no request shares a statement
 *
 * Usage: npm run bench -- [--database-url URL] [--duration 15] [--connections 8] [--workloads W1,W2,W3,W4]
 *                         [--audit off] [--warmup 3] [--label text]
 * `--audit off` also starts a server with AUDIT=false and runs W1 against both in alternating rounds: the cost of the audit.
 * Prints a table and writes the same figures to bench-results/<timestamp>.json.
 */

function argument(name: string, fallback?: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const root = path.resolve(__dirname, '..', '..');
const serverMain = path.resolve(__dirname, '..', 'src', 'main.js');

interface Server {
  url: string;
  pid: number | undefined;
  child: Child;
}

async function startServer(databaseUrl: string, audit: boolean, secret: string): Promise<Server> {
  const port = await freePort();
  // The flags `npm start` and the Dockerfile run the server with, in production mode as the Dockerfile (and as
  // PostGraphile runs in the side-by-side comparison): libraries take their production paths.
  const child = startChild(process.execPath, ['--max-semi-space-size=32', '--max-old-space-size=1536', serverMain], {
    ...process.env,
    NODE_ENV: 'production',
    JWT_SECRET: secret,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    EXPOSE_SQL_COUNT: 'true',
    AUDIT: audit ? 'true' : 'false',
  });
  await waitFor(`http://127.0.0.1:${port}/readyz`, child);
  return { url: `http://127.0.0.1:${port}/graphql`, pid: child.process.pid, child };
}

/** Checks one request by hand before loading the server with it, so that a broken query fails loudly and early. */
async function probe(server: Server, name: string, request: PreparedRequest): Promise<void> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${request.token}` },
    body: request.body,
  });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors":[')) throw new Error(`${name}: the probe request failed (HTTP ${response.status}): ${text.slice(0, 600)}`);
}

async function main(): Promise<void> {
  const seconds = Number(argument('duration', '15'));
  const warmup = Number(argument('warmup', '3'));
  const connections = Number(argument('connections', '8'));
  const workloads = (argument('workloads', 'W1,W2,W3,W4') ?? '').split(',').map((w) => w.trim().toUpperCase());
  const auditOff = argument('audit', 'on') === 'off';
  // Production refuses the development secret: the run signs its tokens with one of its own.
  const secret = process.env.JWT_SECRET ?? randomBytes(48).toString('base64url');
  if (!fs.existsSync(serverMain)) throw new Error(`${serverMain} is missing: build first (npm run bench builds).`);

  let databaseUrl = argument('database-url') ?? process.env.DATABASE_URL;
  let embedded: EmbeddedDatabase | null = null;
  if (!databaseUrl) {
    const dataDir = path.resolve(process.env.KRUG_DATA_DIR ?? '.data/scale');
    process.stderr.write(`bench: no DATABASE_URL: starting the embedded PostgreSQL in ${dataDir}\n`);
    embedded = await startEmbeddedPostgres({ dataDir, persistent: true });
    databaseUrl = embedded.url;
  }

  const db = new Client({ connectionString: databaseUrl, application_name: 'krug-bench' });
  await db.connect();
  const servers: Server[] = [];
  try {
    const marker = await db.query<{ description: string }>(`SELECT description FROM program WHERE code = 'SEED-SCALE'`);
    const seed = marker.rows[0] ? (JSON.parse(marker.rows[0].description) as { scale: number; families: number; regions: number; today: string }) : null;
    const counts = await db.query<{ cases: string; deliveries: string }>(
      `SELECT (SELECT reltuples::bigint FROM pg_class WHERE oid = '"case"'::regclass) AS cases, (SELECT reltuples::bigint FROM pg_class WHERE oid = 'service_delivery'::regclass) AS deliveries`,
    );
    const personas: Personas = await choosePersonas(db, secret);
    const year = new Date().getUTCFullYear() - 1;
    const today = new Date().toISOString().slice(0, 10);
    process.stdout.write(
      `bench: scale ${seed?.scale ?? '?'} (${Number(counts.rows[0].cases).toLocaleString('en-US')} cases, ${Number(counts.rows[0].deliveries).toLocaleString('en-US')} deliveries); ` +
        `${connections} connections, ${seconds} s per workload after ${warmup} s of warm-up\n`,
    );
    for (const p of [personas.coordinator, personas.caseManager, personas.specialist]) {
      process.stdout.write(`  persona ${p.label}: staff ${p.staffId} of agency ${p.agencyId} (region ${p.regionCode}), ~${p.visibleCases.toLocaleString('en-US')} visible cases\n`);
    }

    const results: WorkloadStats[] = [];
    const audited = await startServer(databaseUrl, true, secret);
    servers.push(audited);

    const run = async (server: Server, name: string, description: string, persona: string, requests: PreparedRequest[], split = false): Promise<WorkloadStats> => {
      await probe(server, name, requests[0]);
      // Warm-up (JIT, caches, pool); for writes it uses its own slice of targets so that none is written twice.
      const warm = split ? requests.splice(0, Math.min(requests.length - 1, Math.ceil(requests.length * 0.1))) : requests;
      if (warmup > 0) await driveGraphQL({ name, description, persona, url: server.url, requests: warm, connections, seconds: warmup });
      const stats = await driveGraphQL({ name, description, persona, url: server.url, requests, connections, seconds, serverPid: server.pid });
      if (split && stats.requests > requests.length) (stats.notes ??= []).push(`targets ran out: ${stats.requests} requests for ${requests.length} targets (later ones repeat and conflict)`);
      process.stdout.write(
        `  ${name.padEnd(18)} ${String(stats.rps).padStart(7)} req/s  p50 ${stats.latencyMs.p50} ms  p95 ${stats.latencyMs.p95} ms  p99 ${stats.latencyMs.p99} ms  errors ${stats.errors.total}  SQL/req ${stats.sqlPerRequest?.mean ?? '-'}  RSS ${stats.serverRssMaxMiB} MiB\n`,
      );
      return stats;
    };

    const w1 = [
      { name: 'W1 coordinator', persona: personas.coordinator },
      { name: 'W1 case manager', persona: personas.caseManager },
      { name: 'W1 specialist', persona: personas.specialist },
    ];
    const w1Description = 'cases(first: 50) with family, members, team, plan, open referrals, last 5 services';
    if (workloads.includes('W1')) {
      for (const w of w1) results.push(await run(audited, w.name, w1Description, w.persona.label, w1Requests(w.persona)));
    }
    if (workloads.includes('W2')) {
      results.push(await run(audited, 'W2 case by number', 'case(number:) with everything on it, the manager\'s cases in turn', personas.caseManager.label, await w2Requests(db, personas.caseManager)));
    }
    if (workloads.includes('W3')) {
      results.push(await run(audited, 'W3 outcomeMetrics', `outcomeMetrics(region ${personas.coordinator.regionCode}, ${year}) by MONTH, SERVICE_TYPE`, personas.coordinator.label, w3Requests(personas.coordinator, year)));
    }
    if (workloads.includes('W3D')) {
      results.push(await run(audited, 'W3D distinct periods', `W3 over 24 different twelve-month windows of region ${personas.coordinator.regionCode}, in turn`, personas.coordinator.label, w3DistinctRequests(personas.coordinator, year)));
    }
    let pools: Record<string, number> | undefined;
    if (workloads.includes('W4')) {
      const w4 = await w4Requests(db, secret, today, 6000);
      pools = w4.pools;
      results.push(await run(audited, 'W4 write mix', 'recordServiceDelivery, updatePlanStep, respondToReferral in turn, distinct targets', 'specialists', w4.requests, true));
    }

    // The cost of the audit: W1 against a second server started with AUDIT=false, in rounds that alternate with the
    // audited server, so that a change in the load of the shared machine hits both sides alike. Medians of the rounds.
    let auditComparison: Array<{ persona: string; rounds: number; rpsOn: number; rpsOff: number; p95On: number; p95Off: number; rpsRatio: number; p95Ratio: number }> | undefined;
    if (auditOff) {
      const unaudited = await startServer(databaseUrl, false, secret);
      servers.push(unaudited);
      auditComparison = [];
      const rounds = 3;
      const roundSeconds = Math.max(3, Math.round(seconds / rounds));
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      for (const w of w1) {
        const on: WorkloadStats[] = [];
        const off: WorkloadStats[] = [];
        await probe(unaudited, w.name, w1Requests(w.persona)[0]);
        for (let round = 0; round < rounds; round++) {
          for (const [server, list] of [[audited, on], [unaudited, off]] as const) {
            await driveGraphQL({ name: w.name, description: w1Description, persona: w.persona.label, url: server.url, requests: w1Requests(w.persona), connections, seconds: 1 });
            list.push(await driveGraphQL({ name: w.name, description: w1Description, persona: w.persona.label, url: server.url, requests: w1Requests(w.persona), connections, seconds: roundSeconds, serverPid: server.pid }));
          }
        }
        const errors = [...on, ...off].reduce((n, r) => n + r.errors.total, 0);
        if (errors) (results[0].notes ??= []).push(`audit comparison ${w.persona.label}: ${errors} errors`);
        const c = {
          persona: w.persona.label,
          rounds,
          rpsOn: median(on.map((r) => r.rps)),
          rpsOff: median(off.map((r) => r.rps)),
          p95On: median(on.map((r) => r.latencyMs.p95)),
          p95Off: median(off.map((r) => r.latencyMs.p95)),
          rpsRatio: 0,
          p95Ratio: 0,
        };
        c.rpsRatio = round(c.rpsOff / c.rpsOn, 2);
        c.p95Ratio = round(c.p95On / c.p95Off, 2);
        auditComparison.push(c);
        process.stdout.write(`  ${`${w.name} audit on/off`.padEnd(26)} ${c.rpsOn} / ${c.rpsOff} req/s, p95 ${c.p95On} / ${c.p95Off} ms (medians of ${rounds} alternating rounds of ${roundSeconds} s)\n`);
      }
    }

    process.stdout.write('\n');
    printTable(results);
    if (auditComparison) {
      process.stdout.write('\nCost of the audit (W1, audit as shipped vs AUDIT=false):\n');
      for (const c of auditComparison) {
        process.stdout.write(`  ${c.persona.padEnd(13)} ${c.rpsOn} → ${c.rpsOff} req/s (×${c.rpsRatio} without audit), p95 ${c.p95On} → ${c.p95Off} ms (×${c.p95Ratio} with audit)\n`);
      }
    }

    let commit = 'unknown';
    try {
      commit = execSync('git rev-parse --short HEAD', { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch {
      // not a git checkout
    }
    const database = new URL(databaseUrl);
    const report = {
      startedAt: new Date().toISOString(),
      label: argument('label') ?? null,
      commit,
      node: process.version,
      machine: { cpus: os.cpus().length, memoryGiB: round(os.totalmem() / 2 ** 30, 1), loadAverage: os.loadavg().map((l) => round(l, 2)) },
      database: { host: database.host, name: database.pathname.slice(1), seed },
      options: { connections, seconds, warmup, workloads, auditOff },
      personas: Object.fromEntries(
        [personas.coordinator, personas.caseManager, personas.specialist].map((p) => [p.label, { staffId: p.staffId, agencyId: p.agencyId, region: p.regionCode, visibleCases: p.visibleCases }]),
      ),
      writeTargets: pools,
      workloads: results,
      auditComparison,
    };
    const dir = path.join(root, 'bench-results');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    process.stdout.write(`\nWrote ${path.relative(process.cwd(), file)}\n`);
    if (results.some((r) => r.errors.total > 0)) process.exitCode = 1;
  } finally {
    for (const server of servers) await server.child.stop();
    await db.end();
    if (embedded) await embedded.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
