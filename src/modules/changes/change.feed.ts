import type { DataSource, EntityManager } from 'typeorm';
import { badField } from '../../core/graphql/errors';
import { pageSize, type Page, type PageArgs } from '../../core/graphql/connection';
import { query } from '../../core/db';
import { and, raw, sql, type Sql } from '../../core/sql';
import { Change, type ChangeRow } from './change.type';

/**
 * The change feed's pages. Audit rows are inserted inside the writing transaction, so their ids are allocated before
 * commit and commits land out of id order: a feed ordered by id alone would let a cursor move past a row whose
 * transaction commits later, and a partner would never see that change.
 *
 * So the feed is ordered by (xact_id, id), xact_id being the writing transaction's id (the column's default,
 * migrations/1795600000000-ChangeFeedTransactionOrder.ts; 0 for rows older than the column), and it returns only the
 * rows whose transaction id is below the xmin of the statement's snapshot: every such transaction has finished, so
 * all of its committed rows are visible to this statement. A row not visible now belongs to a transaction that was
 * running (its id is at least xmin) or that took its id later (its id is at least xmax): it sorts after every row
 * returned now, so no cursor handed out can pass it. The price: a write waits until every transaction that took its
 * transaction id before it has finished (xmin is server-wide: any database's transactions count).
 */
const PUBLISHED = sql`e.action = 'WRITE' AND e.xact_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`;

/** The columns a Change is built from, and its position. Served by the index audit_event_feed_idx (xact_id, id) WHERE action = 'WRITE'. */
type FeedRow = ChangeRow & { xact_id: string };
const SELECT = sql`e.id, e.xact_id::text AS xact_id, e.occurred_at, e.record_type, e.case_id, e.family_id, e.fields, e.agency_id`;

/** A place in the feed: the writing transaction's id, then the audit id. */
interface Position {
  xact: string;
  id: string;
}

const BIGINT = /^(0|[1-9][0-9]{0,18})$/;
const isBigint = (value: string) => BIGINT.test(value) && BigInt(value) <= 9223372036854775807n;

const notACursor = (field: string) => badField(field, 'is not a cursor of this list');

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.xact, position.id]), 'utf8').toString('base64url');
}

/**
 * The position a cursor names. Cursors are [xact_id, id]; a cursor handed out before the feed was ordered by
 * transaction names the audit id alone ([id]), and stands where that row stands now.
 */
async function positionOf(db: DataSource | EntityManager, cursor: string, field: string): Promise<Position> {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw notACursor(field);
  }
  if (!Array.isArray(values) || values.length < 1 || values.length > 2) throw notACursor(field);
  const strings = values.map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : ''));
  if (!strings.every(isBigint)) throw notACursor(field);
  if (strings.length === 2) return { xact: strings[0], id: strings[1] };
  const [row] = await query<{ xact: string }>(db, sql`SELECT COALESCE(xact_id, 0)::text AS xact FROM audit_event WHERE id = ${strings[0]}::bigint`);
  if (!row) throw notACursor(field);
  return { xact: row.xact, id: strings[0] };
}

/** One page of the feed: the published writes that satisfy `visible` (a condition on `e`, the audit row), in feed order. */
export async function changePage(db: DataSource | EntityManager, visible: Sql, args: PageArgs): Promise<Page<Change>> {
  const { size, forward } = pageSize(args);
  const field = forward ? 'after' : 'before';
  const cursor = forward ? args.after : args.before;
  const conditions = [PUBLISHED, visible];
  if (cursor) {
    const from = await positionOf(db, cursor, field);
    conditions.push(sql`(e.xact_id, e.id) ${raw(forward ? '>' : '<')} (${from.xact}::bigint, ${from.id}::bigint)`);
  }
  const direction = raw(forward ? 'ASC' : 'DESC');
  const rows = await query<FeedRow>(
    db,
    sql`SELECT ${SELECT} FROM audit_event e WHERE ${and(conditions)} ORDER BY e.xact_id ${direction}, e.id ${direction} LIMIT ${size + 1}`,
  );
  const more = rows.length > size;
  const pageRows = rows.slice(0, size);
  if (!forward) pageRows.reverse();
  let counted: Promise<number> | undefined;
  return {
    nodes: pageRows.map(Change.from),
    cursors: pageRows.map((row) => encodeCursor({ xact: row.xact_id, id: String(row.id) })),
    hasNextPage: forward ? more : Boolean(args.before),
    hasPreviousPage: forward ? Boolean(args.after) : more,
    totalCount: () => {
      counted ??= query<{ count: string }>(db, sql`SELECT count(*)::bigint AS count FROM audit_event e WHERE ${PUBLISHED} AND ${visible}`).then((r) => Number(r[0].count));
      return counted;
    },
  };
}
