import fs from 'node:fs';
import os from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../src/db/embedded';

/** What one workload run measured. */
export interface WorkloadStats {
  name: string;
  description: string;
  persona: string;
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  errors: { total: number; non2xx: number; graphql: number; transport: number; timeouts: number; samples: string[] };
  sqlPerRequest: { mean: number; min: number; max: number } | null;
  responseKiB: number;
  serverRssMaxMiB: number | null;
  /** The machine's 1-minute load average before and after the run (the machine is shared: read the figures with it). */
  loadAverage: [number, number];
  notes?: string[];
}

/** One request of a workload: the GraphQL body and the bearer token to send it with. */
export interface PreparedRequest {
  body: string;
  token: string;
}

// autocannon ships no type declarations; this is the part of its API the benchmark uses.
interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; mean: number; max: number };
  throughput: { average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, responseTime: number) => void): void;
}
type Autocannon = ((options: Record<string, unknown>) => AutocannonInstance) & { track?: unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const round = (n: number, digits = 1): number => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

/** The resident set size of a process in MiB (VmRSS of /proc/<pid>/status), or null when it cannot be read. */
export function rssMiB(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples the RSS of a process every 200 ms until stopped; returns the maximum. */
export function sampleRss(pid: number | undefined): () => number | null {
  if (!pid) return () => null;
  let max: number | null = rssMiB(pid);
  const timer = setInterval(() => {
    const value = rssMiB(pid);
    if (value !== null && (max === null || value > max)) max = value;
  }, 200);
  return () => {
    clearInterval(timer);
    return max === null ? null : round(max, 1);
  };
}

/**
 * Drives a GraphQL endpoint with autocannon for `seconds`: `connections` keep-alive connections, each request taking
 * the next prepared body and token in turn. Errors are non-2xx answers, transport errors and answers carrying GraphQL
 * `errors`; the SQL statements of each answer come from its `x-sql-statements` header.
 */
export async function driveGraphQL(options: {
  name: string;
  description: string;
  persona: string;
  url: string;
  requests: PreparedRequest[];
  connections: number;
  seconds: number;
  serverPid?: number;
  extraHeaders?: Record<string, string>;
}): Promise<WorkloadStats> {
  const { requests } = options;
  if (requests.length === 0) throw new Error(`${options.name}: nothing to send`);
  let next = 0;
  let graphqlErrors = 0;
  const samples = new Set<string>();
  const sqlCounts: number[] = [];
  const latencies: number[] = [];
  let bytes = 0;
  let answers = 0;
  const loadBefore = os.loadavg()[0];
  const stopRss = sampleRss(options.serverPid);
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    pipelining: 1,
    timeout: 30,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...options.extraHeaders },
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => {
          const prepared = requests[next++ % requests.length];
          return { ...request, body: prepared.body, headers: { ...(request.headers as Record<string, string>), authorization: `Bearer ${prepared.token}` } };
        },
        onResponse: (status: number, body: string, _context: unknown, headers: Record<string, string | string[]> | undefined) => {
          answers += 1;
          bytes += body.length;
          const sql = headers?.['x-sql-statements'];
          if (sql !== undefined) sqlCounts.push(Number(Array.isArray(sql) ? sql[0] : sql));
          // A GraphQL error list is at the top level of the answer; searching the text avoids parsing big answers.
          if (status >= 200 && status < 300 && body.includes('"errors":[')) {
            graphqlErrors += 1;
            if (samples.size < 5) {
              try {
                const parsed = JSON.parse(body) as { errors?: Array<{ message: string; extensions?: { code?: string }; path?: unknown[] }> };
                for (const e of parsed.errors ?? []) if (samples.size < 5) samples.add(`${e.extensions?.code ?? '?'} ${e.message}${e.path ? ` at ${e.path.join('.')}` : ''}`);
              } catch {
                samples.add(body.slice(0, 200));
              }
            }
          } else if (status >= 300 && samples.size < 5) {
            samples.add(`HTTP ${status} ${body.slice(0, 200)}`);
          }
        },
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime);
  });
  const result = await instance;
  const rssMax = stopRss();
  latencies.sort((a, b) => a - b);
  const total = result.requests.total;
  const mean = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
  return {
    name: options.name,
    description: options.description,
    persona: options.persona,
    connections: options.connections,
    seconds: options.seconds,
    requests: total,
    rps: round(total / Math.max(1, result.duration || options.seconds), 1),
    latencyMs: {
      mean: round(mean, 1),
      p50: round(percentile(latencies, 50), 1),
      p95: round(percentile(latencies, 95), 1),
      p99: round(percentile(latencies, 99), 1),
      max: round(latencies[latencies.length - 1] ?? NaN, 1),
    },
    errors: {
      total: result.non2xx + graphqlErrors + result.errors + result.timeouts,
      non2xx: result.non2xx,
      graphql: graphqlErrors,
      transport: result.errors,
      timeouts: result.timeouts,
      samples: [...samples],
    },
    sqlPerRequest: sqlCounts.length
      ? { mean: round(sqlCounts.reduce((a, b) => a + b, 0) / sqlCounts.length, 2), min: Math.min(...sqlCounts), max: Math.max(...sqlCounts) }
      : null,
    responseKiB: round(bytes / Math.max(1, answers) / 1024, 1),
    serverRssMaxMiB: rssMax,
    loadAverage: [round(loadBefore, 2), round(os.loadavg()[0], 2)],
  };
}

export { freePort };

/** A child process started by the benchmark, with the tail of its output for error messages. */
export interface Child {
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export function startChild(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Child {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    process: child,
    output: () => tail,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Waits until `url` answers 200 (or the child exits, or the time runs out). */
export async function waitFor(url: string, child: Child, seconds = 120, init?: RequestInit): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`the process exited (code ${child.process.exitCode}) before ${url} answered:\n${child.output()}`);
    try {
      const response = await fetch(url, init);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${seconds} s:\n${child.output()}`);
}

/** Prints a table of workload results. */
export function printTable(rows: WorkloadStats[], out: NodeJS.WritableStream = process.stdout): void {
  const header = ['workload', 'persona', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'SQL/req', 'KiB/resp', 'RSS max MiB', 'load'];
  const lines = rows.map((r) => [
    r.name,
    r.persona,
    r.rps.toFixed(1),
    r.latencyMs.p50.toFixed(1),
    r.latencyMs.p95.toFixed(1),
    r.latencyMs.p99.toFixed(1),
    String(r.errors.total),
    r.sqlPerRequest ? r.sqlPerRequest.mean.toFixed(1) : '-',
    r.responseKiB.toFixed(1),
    r.serverRssMaxMiB === null ? '-' : r.serverRssMaxMiB.toFixed(0),
    r.loadAverage.map((l) => l.toFixed(1)).join('→'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  out.write(format(header) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n' + lines.map(format).join('\n') + '\n');
  for (const r of rows) if (r.errors.samples.length) out.write(`  ${r.name} errors: ${r.errors.samples.join(' | ')}\n`);
}
