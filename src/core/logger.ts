import { AsyncLocalStorage } from 'node:async_hooks';

/** What one HTTP request carries through its async work: its id and the SQL statements it ran. */
export interface RequestScope {
  requestId: string;
  sqlStatements: number;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof levels;

let threshold: number = levels.info;

export function setLogLevel(level: LogLevel): void {
  threshold = levels[level];
}

/** Whether events of a level are written: lets a caller skip building what would not be logged. */
export function logs(level: Exclude<LogLevel, 'silent'>): boolean {
  return levels[level] >= threshold;
}

/** Writes one JSON line per event, with the request id of the request it belongs to. */
export function log(level: Exclude<LogLevel, 'silent'>, message: string, fields: Record<string, unknown> = {}): void {
  if (levels[level] < threshold) return;
  const scope = requestScope.getStore();
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, requestId: scope?.requestId, ...fields });
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
}

/** Process-wide count of SQL statements, read by tests and benchmarks around a request. */
export const sqlCounter = { total: 0 };
