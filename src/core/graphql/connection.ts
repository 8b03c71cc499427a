import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badField } from './errors';
import { raw, sql, join, or, and, type Sql } from '../sql';
import { query } from '../db';
import type { DataSource, EntityManager } from 'typeorm';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ObjectType({ description: 'Where a page of a connection stands in the whole list.' })
export class PageInfo {
  @Field({ description: 'Whether more items follow the last one of this page.' })
  hasNextPage: boolean;

  @Field({ description: 'Whether more items come before the first one of this page.' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first item of the page.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'The cursor of the last item of the page.' })
  endCursor: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `The number of items after the cursor \`after\` (at most ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}).` })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The cursor after which the page starts.' })
  after?: string;

  @Field(() => Int, { nullable: true, description: `The number of items before the cursor \`before\` (at most ${MAX_PAGE_SIZE}).` })
  last?: number;

  @Field(() => String, { nullable: true, description: 'The cursor before which the page ends.' })
  before?: string;
}

/** One page of a connection, as the finders produce it. */
export interface Page<T> {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: () => Promise<number>;
}

export interface ConnectionShape<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: PageInfo;
  totalCount(): Promise<number>;
}

/** Builds `<Name>Connection` and `<Name>Edge` object types for an item type. */
export function ConnectionType<T extends object>(item: ClassType<T>, name: string, itemDescription: string): ClassType<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`, { description: `An edge of a list of ${itemDescription}.` })
  class Edge {
    @Field({ description: 'The cursor of this item, for `after` or `before`.' })
    cursor: string;

    @Field(() => item, { description: `The ${itemDescription.replace(/s$/, '')} of this edge.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${itemDescription}, keyset-paginated.` })
  class Connection implements ConnectionShape<T> {
    @Field(() => [Edge], { description: 'The edges of this page, in order.' })
    edges: Edge[];

    @Field(() => [item], { description: 'The items of this page, in order (the edges without cursors).' })
    nodes: T[];

    @Field(() => PageInfo, { description: 'Where this page stands in the whole list.' })
    pageInfo: PageInfo;

    private countFn: () => Promise<number>;

    @Field(() => Int, { description: 'The number of items in the whole list that the caller may see.' })
    totalCount(): Promise<number> {
      return this.countFn();
    }

    static from(page: Page<T>): Connection {
      const connection = new Connection();
      connection.edges = page.nodes.map((node, i) => Object.assign(new Edge(), { node, cursor: page.cursors[i] }));
      connection.nodes = page.nodes;
      connection.pageInfo = Object.assign(new PageInfo(), {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: page.cursors[0] ?? null,
        endCursor: page.cursors[page.cursors.length - 1] ?? null,
      });
      connection.countFn = page.totalCount;
      return connection;
    }
  }
  return Connection;
}

/** Turns a finder's page into an instance of a connection type built by `ConnectionType`. */
export function toConnection<T extends object>(type: ClassType<ConnectionShape<T>>, page: Page<T>): ConnectionShape<T> {
  return (type as unknown as { from(page: Page<T>): ConnectionShape<T> }).from(page);
}

/** One column of a keyset order: an SQL expression (never null), its direction, and the row key that holds its value. */
export interface OrderColumn {
  expression: string;
  direction: 'ASC' | 'DESC';
  key: string;
}

/** A cursor of a keyset list: its order columns' values, as JSON in base64url. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** The values a cursor holds (strings and numbers), or null when it is not a cursor at all. */
export function cursorValues(cursor: string): unknown[] | null {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.every((v) => ['string', 'number'].includes(typeof v))) return values;
  } catch {
    // not JSON: not a cursor
  }
  return null;
}

function decodeCursor(cursor: string, length: number, field: string): unknown[] {
  const values = cursorValues(cursor);
  if (values?.length === length) return values;
  throw badField(field, 'is not a cursor of this list');
}

function keysetCondition(order: OrderColumn[], values: unknown[], forward: boolean): Sql {
  // Every column in one direction: a row comparison, which an index on the columns serves as one range (the OR of
  // branches below is filtered row by row instead). The same rows either way: order columns are never null.
  if (order.every((o) => o.direction === order[0].direction)) {
    const ascending = (order[0].direction === 'ASC') === forward;
    return sql`(${join(order.map((o) => raw(o.expression)), ', ')}) ${raw(ascending ? '>' : '<')} (${join(values.map((v) => sql`${v}`), ', ')})`;
  }
  const branches: Sql[] = [];
  for (let i = 0; i < order.length; i++) {
    const parts: Sql[] = [];
    for (let j = 0; j < i; j++) parts.push(sql`${raw(order[j].expression)} = ${values[j]}`);
    const ascending = (order[i].direction === 'ASC') === forward;
    parts.push(sql`${raw(order[i].expression)} ${raw(ascending ? '>' : '<')} ${values[i]}`);
    branches.push(and(parts));
  }
  return or(branches);
}

export function pageSize(args: PageArgs): { size: number; forward: boolean } {
  if (args.first != null && args.last != null) throw badField('last', 'cannot be combined with first');
  const forward = args.last == null;
  const size = forward ? args.first ?? DEFAULT_PAGE_SIZE : args.last!;
  const field = forward ? 'first' : 'last';
  if (!Number.isInteger(size) || size < 0) throw badField(field, 'must be zero or a positive integer');
  if (size > MAX_PAGE_SIZE) throw badField(field, `must be at most ${MAX_PAGE_SIZE}`);
  return { size, forward };
}

/**
 * Runs one keyset page in SQL: `select` rows `from` a source `where` a condition, in `order`.
 * The last order column must be unique. The count is a second statement, run only if asked for.
 */
export async function keysetPage<Row extends Record<string, unknown>, T>(options: {
  db: DataSource | EntityManager;
  select: Sql;
  from: Sql;
  where: Sql;
  order: OrderColumn[];
  args: PageArgs;
  map: (row: Row) => T;
}): Promise<Page<T>> {
  const { db, select, from, where, order, args, map } = options;
  const { size, forward } = pageSize(args);
  const cursorArg = forward ? args.after : args.before;
  const conditions: Sql[] = [where];
  if (cursorArg) conditions.push(keysetCondition(order, decodeCursor(cursorArg, order.length, forward ? 'after' : 'before'), forward));
  const orderSql = join(
    order.map((o) => raw(`${o.expression} ${(o.direction === 'ASC') === forward ? 'ASC' : 'DESC'}`)),
    ', ',
  );
  const statement = sql`SELECT ${select} FROM ${from} WHERE ${and(conditions)} ORDER BY ${orderSql} LIMIT ${size + 1}`;
  const rows = await query<Row>(db, statement).catch((error: unknown) => {
    // A cursor of the right shape whose values do not fit the columns (made by hand, or taken from another list)
    // fails in PostgreSQL with a data exception (SQLSTATE class 22): that is the caller's input, not our fault.
    if (cursorArg && isDataException(error)) throw badField(forward ? 'after' : 'before', 'is not a cursor of this list');
    throw error;
  });
  const more = rows.length > size;
  const pageRows = rows.slice(0, size);
  if (!forward) pageRows.reverse();
  let counted: Promise<number> | undefined;
  return {
    nodes: pageRows.map(map),
    cursors: pageRows.map((row) => encodeCursor(order.map((o) => normaliseCursorValue(row[o.key])))),
    hasNextPage: forward ? more : Boolean(args.before),
    hasPreviousPage: forward ? Boolean(args.after) : more,
    totalCount: () => {
      counted ??= query<{ count: string }>(db, sql`SELECT count(*)::bigint AS count FROM ${from} WHERE ${where}`).then((r) => Number(r[0].count));
      return counted;
    },
  };
}

function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown; driverError?: { code?: unknown } } | null)?.code ?? (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return typeof code === 'string' && code.startsWith('22');
}

function normaliseCursorValue(value: unknown): string | number {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return value;
  return String(value);
}
