import { createHash } from 'node:crypto';
import { Client, type QueryConfig } from 'pg';

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
 * A pg client that runs every parameterised statement as a named prepared statement of its connection: PostgreSQL
 * parses and analyses a text once per connection instead of on every call, and may keep its plan. Measured on the
 * regional data (docs/performance.md), parsing and planning were more than half of PostgreSQL's time for a W1 page and
 * nearly all of it for W2. A statement without parameters (DDL, `SET`, several commands in one text) is sent as before.
 */
export class PreparingClient extends Client {
  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0) {
      const name = nameOf(text);
      const parsed = (this as unknown as ParsedStatements).connection?.parsedStatements;
      if (parsed && (parsed[name] !== undefined || Object.keys(parsed).length < MAX_PREPARED_PER_CONNECTION)) {
        const config: QueryConfig = { name, text, values };
        return (super.query as (...a: unknown[]) => never)(config, ...args.slice(2));
      }
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
