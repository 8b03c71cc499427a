import type { Logger } from 'typeorm';
import { log, logs, requestScope, sqlCounter } from '../core/logger';

/** Counts every statement (per request and in total) and logs failures and slow queries. */
export class CountingSqlLogger implements Logger {
  logQuery(query: string): void {
    sqlCounter.total += 1;
    const scope = requestScope.getStore();
    if (scope) scope.sqlStatements += 1;
    // LOG_LEVEL=debug shows every statement (its text only: parameters may hold personal data); the text is not
    // reformatted for a level that does not show it.
    if (logs('debug')) log('debug', 'sql', { query: query.replace(/\s+/g, ' ').slice(0, 300) });
  }
  logQueryError(error: string | Error, query: string): void {
    log('error', 'sql error', { error: String(error instanceof Error ? error.message : error), query: query.slice(0, 500) });
  }
  logQuerySlow(time: number, query: string): void {
    log('warn', 'slow sql', { ms: time, query: query.slice(0, 500) });
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    log('info', 'migration', { detail: message });
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') log('warn', String(message));
  }
}
