import type { Context } from '../../context';
import { defineLoader, byKey, groupByKey } from '../../core/loaders';
import { query } from '../../core/db';
import { badField } from '../../core/graphql/errors';
import { pageSize, type Page, type PageArgs } from '../../core/graphql/connection';
import { raw, sql } from '../../core/sql';
import { visibleCaseCondition } from '../cases/case.scope';
import { isCalendarDate } from '../cases/plan.rules';
import { BrigadeTrip, ServiceDelivery, type BrigadeTripRow, type ServiceDeliveryRow } from './service-delivery.type';

/** A service delivery by local id, or null when it does not exist or its case is hidden from the caller. */
export const serviceDeliveryById = defineLoader<string, ServiceDelivery | null>('serviceDeliveryById', async (ctx, ids) => {
  const rows = await query<ServiceDeliveryRow>(
    ctx.db,
    sql`SELECT sd.* FROM service_delivery sd JOIN "case" c ON c.id = sd.case_id WHERE sd.id = ANY(${ids as string[]}::bigint[]) AND ${visibleCaseCondition(ctx)}`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? ServiceDelivery.from(r) : null));
});

/** A brigade trip by local id (operational data of an agency: every caller sees it). */
export const brigadeTripById = defineLoader<string, BrigadeTrip | null>('brigadeTripById', async (ctx, ids) => {
  const rows = await query<BrigadeTripRow>(ctx.db, sql`SELECT id, agency_id, region_code, trip_date, destination FROM brigade_trip WHERE id = ANY(${ids as string[]}::bigint[])`);
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? BrigadeTrip.from(r) : null));
});

/** The number of services recorded on each case (one statement for a whole page of cases). */
export const serviceCountByCaseId = defineLoader<string, number>('serviceCountByCaseId', async (ctx, ids) => {
  const rows = await query<{ case_id: string; count: string }>(
    ctx.db,
    sql`SELECT case_id::text AS case_id, count(*)::bigint AS count FROM service_delivery WHERE case_id = ANY(${ids as string[]}::bigint[]) GROUP BY case_id`,
  );
  return byKey(ids, rows, (r) => r.case_id).map((r) => (r ? Number(r.count) : 0));
});

/** One page of one case's services: the case, the page size and direction, and the cursor. */
export interface ServicesPageKey {
  caseId: string;
  size: number;
  forward: boolean;
  cursor: string | null;
}

/** The key of a page of a case's services, checked like every connection's arguments. */
export function servicesPageKey(caseId: string, args: PageArgs): ServicesPageKey {
  const { size, forward } = pageSize(args);
  return { caseId, size, forward, cursor: (forward ? args.after : args.before) ?? null };
}

function encodeCursor(row: ServiceDeliveryRow): string {
  return Buffer.from(JSON.stringify([row.delivered_on, String(row.id)]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, field: string): [string, string] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === 2 && isCalendarDate(values[0]) && typeof values[1] === 'string' && /^\d{1,18}$/.test(values[1])) {
      return [values[0], values[1]];
    }
  } catch {
    // fall through to the error below
  }
  throw badField(field, 'is not a cursor of this list');
}

/**
 * Pages of services of many cases, newest first (delivered on, then id), in one statement per distinct page shape:
 * a LATERAL subquery per case walks the (case_id, delivered_on, id) index and stops after the page.
 * Callers reach this only through a visible case.
 */
export const servicesPageByCaseId = defineLoader<ServicesPageKey, Page<ServiceDelivery>>('servicesPageByCaseId', async (ctx, keys) => {
  const groups = new Map<string, ServicesPageKey[]>();
  for (const key of keys) {
    const shape = JSON.stringify([key.size, key.forward, key.cursor]);
    let group = groups.get(shape);
    if (!group) groups.set(shape, (group = []));
    group.push(key);
  }
  const pages = new Map<string, Page<ServiceDelivery>>();
  await Promise.all([...groups.values()].map((group) => loadGroup(ctx, group, pages)));
  return keys.map((key) => pages.get(JSON.stringify(key))!);
});

async function loadGroup(ctx: Context, group: ServicesPageKey[], pages: Map<string, Page<ServiceDelivery>>): Promise<void> {
  const { size, forward, cursor } = group[0];
  const caseIds = [...new Set(group.map((k) => k.caseId))];
  let after = raw('');
  if (cursor) {
    const [deliveredOn, id] = decodeCursor(cursor, forward ? 'after' : 'before');
    // Newest first: going forward means older rows, going backward newer ones.
    after = forward ? sql`AND (s.delivered_on, s.id) < (${deliveredOn}::date, ${id}::bigint)` : sql`AND (s.delivered_on, s.id) > (${deliveredOn}::date, ${id}::bigint)`;
  }
  const direction = raw(forward ? 'DESC' : 'ASC');
  const rows = await query<ServiceDeliveryRow>(
    ctx.db,
    sql`SELECT sd.* FROM unnest(${caseIds}::bigint[]) AS k(case_id)
        CROSS JOIN LATERAL (
          SELECT s.* FROM service_delivery s WHERE s.case_id = k.case_id ${after}
           ORDER BY s.delivered_on ${direction}, s.id ${direction} LIMIT ${size + 1}
        ) sd`,
  );
  const byCase = groupByKey(caseIds, rows, (r) => String(r.case_id));
  caseIds.forEach((caseId, i) => {
    const more = byCase[i].length > size;
    const pageRows = byCase[i].slice(0, size);
    if (!forward) pageRows.reverse();
    const page: Page<ServiceDelivery> = {
      nodes: pageRows.map(ServiceDelivery.from),
      cursors: pageRows.map(encodeCursor),
      hasNextPage: forward ? more : Boolean(cursor),
      hasPreviousPage: forward ? Boolean(cursor) : more,
      totalCount: () => serviceCountByCaseId(ctx).load(caseId),
    };
    pages.set(JSON.stringify({ caseId, size, forward, cursor }), page);
  });
}
