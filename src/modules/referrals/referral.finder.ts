import type { Context } from '../../context';
import { requireViewer } from '../../context';
import { keysetPage, type PageArgs } from '../../core/graphql/connection';
import { and, raw, sql, type Sql } from '../../core/sql';
import { IncomingReferral, type IncomingReferralRow } from './referral.type';
import type { ReferralStatus } from './referral.enums';

/**
 * The inbox of the caller's agency: referrals addressed to it, newest first. Only the addressee gets these rows,
 * whether or not it is on the case team yet; filters and pages run in SQL.
 */
export function findIncomingReferrals(ctx: Context, filter: { status?: ReferralStatus[] | null; overdue?: boolean | null }, page: PageArgs) {
  const viewer = requireViewer(ctx);
  const conditions: Sql[] = [sql`r.to_agency_id = ${viewer.agencyId}::bigint`];
  if (filter.status?.length) conditions.push(sql`r.status = ANY(${filter.status}::referral_status[])`);
  if (filter.overdue === true) conditions.push(sql`(r.status = 'SENT' AND r.respond_by < now())`);
  if (filter.overdue === false) conditions.push(sql`NOT (r.status = 'SENT' AND r.respond_by < now())`);
  return keysetPage<IncomingReferralRow & Record<string, unknown>, IncomingReferral>({
    db: ctx.db,
    // Timestamps keep microseconds; the cursor keeps milliseconds, so the order uses the truncated value.
    select: raw(`r.*, (r.status = 'SENT' AND r.respond_by < now()) AS overdue, c.number AS case_number, date_trunc('milliseconds', r.sent_at) AS sent_key`),
    from: raw('referral r JOIN "case" c ON c.id = r.case_id'),
    where: and(conditions),
    order: [
      { expression: "date_trunc('milliseconds', r.sent_at)", direction: 'DESC', key: 'sent_key' },
      { expression: 'r.id', direction: 'DESC', key: 'id' },
    ],
    args: page,
    map: IncomingReferral.from,
  });
}
