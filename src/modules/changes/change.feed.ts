import type { DataSource, EntityManager } from 'typeorm';
import { badField } from '../../core/graphql/errors';
import { cursorValues, encodeCursor, keysetPage, pageSize, type Page, type PageArgs } from '../../core/graphql/connection';
import { query } from '../../core/db';
import { raw, sql, type Sql } from '../../core/sql';
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
type FeedRow = ChangeRow & { xact_id: string } & Record<string, unknown>;
const SELECT = sql`e.id, e.xact_id::text AS xact_id, e.occurred_at, e.record_type, e.case_id, e.family_id, e.fields, e.agency_id`;

const BIGINT = /^(0|[1-9][0-9]{0,18})$/;
const isBigint = (value: string) => BIGINT.test(value) && BigInt(value) <= 9223372036854775807n;

/**
 * A cursor as the feed's keyset page reads it: [xact_id, id]. A cursor handed out before the feed was ordered by
 * transaction names the audit id alone ([id]) and stands where that row stands now; any other shape is left to the
 * keyset page to refuse.
 */
async function currentCursor(db: DataSource | EntityManager, cursor: string | undefined, field: string): Promise<string | undefined> {
  const values = cursor ? cursorValues(cursor) : null;
  if (values?.length !== 1) return cursor;
  const id = String(values[0]);
  if (!isBigint(id)) throw badField(field, 'is not a cursor of this list');
  const [row] = await query<{ xact: string }>(db, sql`SELECT COALESCE(xact_id, 0)::text AS xact FROM audit_event WHERE id = ${id}::bigint`);
  if (!row) throw badField(field, 'is not a cursor of this list');
  return encodeCursor([row.xact, id]);
}

/** One page of the feed: the published writes that satisfy `visible` (a condition on `e`, the audit row), in feed order. */
export async function changePage(db: DataSource | EntityManager, visible: Sql, args: PageArgs): Promise<Page<Change>> {
  // `first`/`last` are judged before a kept cursor is looked up, as for every list.
  pageSize(args);
  const page = { ...args, after: await currentCursor(db, args.after, 'after'), before: await currentCursor(db, args.before, 'before') };
  return keysetPage<FeedRow, Change>({
    db,
    select: SELECT,
    from: raw('audit_event e'),
    where: sql`${PUBLISHED} AND ${visible}`,
    order: [
      { expression: 'e.xact_id', direction: 'ASC', key: 'xact_id' },
      { expression: 'e.id', direction: 'ASC', key: 'id' },
    ],
    args: page,
    map: Change.from,
  });
}
