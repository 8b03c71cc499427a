import { requireViewer } from '../../context';
import { defineLoader, byKey, groupByKey } from '../../core/loaders';
import { query } from '../../core/db';
import { raw, sql } from '../../core/sql';
import { visibleCaseCondition } from '../cases/case.scope';
import { IncomingReferral, Referral, type IncomingReferralRow, type ReferralRow } from './referral.type';
import { ReferralStatus } from './referral.enums';

/** The columns of a referral (alias `r`), with `overdue` computed against the database's clock. */
export const REFERRAL_COLUMNS = raw(`r.*, (r.status = 'SENT' AND r.respond_by < now()) AS overdue`);

/** The statuses of a referral loop that is still open. */
export const OPEN_REFERRAL_STATUSES = [ReferralStatus.SENT, ReferralStatus.ACCEPTED];

/** Which referrals of a case to list: all, or those in some statuses. */
export interface ReferralsOfCaseKey {
  caseId: string;
  statuses: ReferralStatus[] | null;
}

/**
 * The referrals of each case, newest first (callers reach them only through a visible case). Keys asking for the
 * same statuses share one statement, so a page of cases costs one statement per distinct filter.
 */
export const referralsByCaseId = defineLoader<ReferralsOfCaseKey, Referral[]>('referralsByCaseId', async (ctx, keys) => {
  const groups = new Map<string, { statuses: ReferralStatus[] | null; caseIds: string[] }>();
  for (const key of keys) {
    const name = key.statuses ? [...key.statuses].sort().join(',') : '*';
    let group = groups.get(name);
    if (!group) groups.set(name, (group = { statuses: key.statuses, caseIds: [] }));
    group.caseIds.push(key.caseId);
  }
  const results = new Map<string, Referral[]>();
  await Promise.all(
    [...groups.entries()].map(async ([name, group]) => {
      const filter = group.statuses ? sql`AND r.status = ANY(${group.statuses}::referral_status[])` : raw('');
      const rows = await query<ReferralRow>(
        ctx.db,
        sql`SELECT ${REFERRAL_COLUMNS} FROM referral r WHERE r.case_id = ANY(${group.caseIds}::bigint[]) ${filter} ORDER BY r.case_id, r.sent_at DESC, r.id DESC`,
      );
      groupByKey(group.caseIds, rows, (r) => String(r.case_id)).forEach((list, i) => {
        const referrals = list.map(Referral.from);
        // Reached only through a visible case: `referralById` may hand them out too.
        referralById(ctx).primeEach(referrals, (referral) => referral.localId);
        results.set(`${name}|${group.caseIds[i]}`, referrals);
      });
    }),
  );
  return keys.map((key) => results.get(`${key.statuses ? [...key.statuses].sort().join(',') : '*'}|${key.caseId}`) ?? []);
});

/** A referral by local id, or null when it does not exist or its case is hidden from the caller. */
export const referralById = defineLoader<string, Referral | null>('referralById', async (ctx, ids) => {
  const rows = await query<ReferralRow>(
    ctx.db,
    sql`SELECT ${REFERRAL_COLUMNS} FROM referral r JOIN "case" c ON c.id = r.case_id WHERE r.id = ANY(${ids as string[]}::bigint[]) AND ${visibleCaseCondition(ctx)}`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? Referral.from(r) : null));
});

/** A referral addressed to the caller's agency, as its inbox shows it; null for any other referral. */
export const incomingReferralById = defineLoader<string, IncomingReferral | null>('incomingReferralById', async (ctx, ids) => {
  const viewer = requireViewer(ctx);
  const rows = await query<IncomingReferralRow>(
    ctx.db,
    sql`SELECT ${REFERRAL_COLUMNS}, c.number AS case_number FROM referral r JOIN "case" c ON c.id = r.case_id
         WHERE r.id = ANY(${ids as string[]}::bigint[]) AND r.to_agency_id = ${viewer.agencyId}::bigint`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? IncomingReferral.from(r) : null));
});
