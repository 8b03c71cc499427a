import { createHash } from 'node:crypto';
import { Client, type QueryConfig, type QueryResult } from 'pg';

/**
 * The most named statements one connection keeps. The application's statements are a fixed set of texts (a few
 * hundred at most); a text beyond the limit (an ad-hoc statement, a script) simply runs unnamed, as pg does by default.
 */
export const MAX_PREPARED_PER_CONNECTION = 400;

const names = new Map<string, string>();
const MAX_NAMES = 4 * MAX_PREPARED_PER_CONNECTION;

/** A stable name for a statement text: the same text has the same name on every connection. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `k${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    // A process that meets unbounded distinct texts keeps hashing them rather than growing this map for ever.
    if (names.size < MAX_NAMES) names.set(text, name);
  }
  return name;
}

interface ParsedStatements {
  connection?: { parsedStatements?: Record<string, string> };
}

/**
 * PostgreSQL's answer to a prepared statement whose result columns changed under it (a migration added a column to a
 * table it reads with `*`): SQLSTATE 0A000, "cached plan must not change result type".
 */
const isStalePlan = (error: unknown) =>
  (error as { code?: string } | null)?.code === '0A000' && /cached plan must not change result type/.test(String((error as Error).message));

type Callback = (error: Error | null, result?: QueryResult) => void;

/**
 * A pg client that runs every parameterised statement as a named prepared statement of its connection: PostgreSQL
 * parses and analyses a text once per connection instead of on every call, and may keep its plan. Measured on the
 * regional data (docs/performance.md), parsing and planning were more than half of PostgreSQL's time for a W1 page and
 * nearly all of it for W2. A statement without parameters (DDL, `SET`, several commands in one text) is sent as before.
 *
 * A migration run while the server is up (a rolling deploy) can change the columns a prepared statement returns;
 * PostgreSQL then refuses it. The statement is prepared again under a new name on that connection and run once more, so
 * reads go on answering; a write whose transaction the refusal aborted fails once and succeeds when retried.
 */
export class PreparingClient extends Client {
  /** Statements prepared again after a schema change: their name on this connection. */
  private readonly renamed = new Map<string, string>();
  private renames = 0;

  override query(...args: unknown[]): never {
    const [text, values, callback] = args;
    const parsed = (this as unknown as ParsedStatements).connection?.parsedStatements;
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || !parsed) return this.plain(args);
    const base = nameOf(text);
    const named = this.renamed.get(base) ?? base;
    if (parsed[named] === undefined && Object.keys(parsed).length >= MAX_PREPARED_PER_CONNECTION) return this.plain(args);

    const run = (name: string) => (super.query as (config: QueryConfig) => Promise<QueryResult>)({ name, text, values });
    const result = run(named).catch((error: unknown) => {
      if (!isStalePlan(error)) throw error;
      const fresh = `${base}_${++this.renames}`;
      this.renamed.set(base, fresh);
      return run(fresh);
    });
    if (typeof callback === 'function') {
      result.then((r) => (callback as Callback)(null, r), (e: Error) => (callback as Callback)(e));
      return undefined as never;
    }
    return result as never;
  }

  private plain(args: unknown[]): never {
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
