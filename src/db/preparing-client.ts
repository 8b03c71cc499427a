import { createHash } from 'node:crypto';
import { Client, escapeLiteral, type QueryConfig, type QueryResult } from 'pg';
import { prepareValue } from 'pg/lib/utils';

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

/** One statement of a batch (`PreparingClient.queryBatch`): its text and its parameter values, as for `query`. */
export interface BatchStatement {
  text: string;
  values: readonly unknown[];
}

/**
 * A parameter value as the SQL literal that stands for it in `EXECUTE name(...)`: the very text pg would bind
 * (`prepareValue`: arrays, dates, JSON), quoted; undefined for a value that has no text form (a Buffer).
 */
function literalOf(value: unknown): string | undefined {
  const text = prepareValue(value) as unknown;
  if (text === null || text === undefined) return 'NULL';
  return typeof text === 'string' ? escapeLiteral(text) : undefined;
}

/** Why a batch was not sent: the caller runs its statements one by one instead. */
export class NotBatchable extends Error {}

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

  /** The statements pg knows are prepared on this connection (name → text); undefined while it is not connected. */
  private preparedStatements(): Record<string, string> | undefined {
    return (this as unknown as ParsedStatements).connection?.parsedStatements;
  }

  /** The name a text (by its stable name) is prepared under on this connection: that name, or the one it got when prepared again. */
  private nameOn(base: string): string {
    return this.renamed.get(base) ?? base;
  }

  override query(...args: unknown[]): never {
    const [text, values, callback] = args;
    const parsed = this.preparedStatements();
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || !parsed) return this.plain(args);
    const base = nameOf(text);
    const named = this.nameOn(base);
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

  /**
   * Runs several reads in one round trip: one simple-protocol message of `EXECUTE name(literals)`, preceded by a
   * `PREPARE` for each statement this connection has not prepared yet (registered with pg afterwards, so that `query`
   * finds it prepared too). The statements run one after the other in one implicit transaction, each with its own
   * snapshot and its own `statement_timeout`; their results come back in order, read by the same type parsers as
   * `query`'s. Only for reads: a statement that fails aborts the rest of the message. On a failure the statements this
   * message prepared are looked up (a `PREPARE` is kept even when a later statement fails) and the error is thrown; the
   * caller then runs each statement on its own, so that each gets its own answer or error (`src/core/db.ts`).
   */
  async queryBatch(statements: readonly BatchStatement[]): Promise<QueryResult[]> {
    const parsed = this.preparedStatements();
    if (!parsed) throw new NotBatchable('not connected');
    const preparing = new Map<string, string>();
    const commands: string[] = [];
    const slots: Array<number | null> = [];
    for (const [index, statement] of statements.entries()) {
      const name = this.nameOn(nameOf(statement.text));
      if (parsed[name] === undefined && !preparing.has(name)) {
        preparing.set(name, statement.text);
        commands.push(`PREPARE "${name}" AS ${statement.text}\n`);
        slots.push(null);
      }
      const literals = statement.values.map(literalOf);
      if (literals.some((literal) => literal === undefined)) throw new NotBatchable('a value has no text form');
      commands.push(literals.length ? `EXECUTE "${name}"(${literals.join(', ')})` : `EXECUTE "${name}"`);
      slots.push(index);
    }
    if (Object.keys(parsed).length + preparing.size > MAX_PREPARED_PER_CONNECTION) throw new NotBatchable('too many prepared statements');
    let answer: QueryResult | QueryResult[];
    try {
      answer = await (super.query as (text: string) => Promise<QueryResult | QueryResult[]>)(commands.join(';\n'));
    } catch (error) {
      if (preparing.size) await this.registerPrepared(parsed, preparing).catch(() => undefined);
      throw error;
    }
    for (const [name, text] of preparing) parsed[name] = text;
    const results = Array.isArray(answer) ? answer : [answer];
    const ordered: QueryResult[] = new Array(statements.length);
    slots.forEach((slot, i) => {
      if (slot !== null) ordered[slot] = results[i];
    });
    return ordered;
  }

  /** After a failed batch: tells pg which of the statements it tried to prepare exist on this connection. */
  private async registerPrepared(parsed: Record<string, string>, preparing: Map<string, string>): Promise<void> {
    const names = [...preparing.keys()].map((name) => escapeLiteral(name)).join(', ');
    const found = await (super.query as (text: string) => Promise<QueryResult<{ name: string }>>)(`SELECT name FROM pg_prepared_statements WHERE name IN (${names})`);
    for (const { name } of found.rows) parsed[name] = preparing.get(name)!;
  }

  private plain(args: unknown[]): never {
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
