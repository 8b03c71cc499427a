import { defineLoader, byKey, groupByKey } from '../../core/loaders';
import { query } from '../../core/db';
import { sql } from '../../core/sql';
import { requestReferenceCache, throughReferenceCache } from '../../db/reference-cache';
import { Agency, Region, StaffMember, type AgencyRow, type StaffRow } from './agency.type';

export const regionByCode = defineLoader<string, Region | null>('regionByCode', async (ctx, codes) => {
  const rows = await query<{ code: string; name: string }>(ctx.db, sql`SELECT code, name FROM region WHERE code = ANY(${codes as string[]}::text[])`);
  return byKey(codes, rows, (r) => r.code).map((r) => (r ? Region.from(r) : null));
});

export const agencyById = defineLoader<string, Agency | null>('agencyById', (ctx, keys) =>
  throughReferenceCache(requestReferenceCache(ctx), 'agency', keys, async (ids) => {
    const rows = await query<AgencyRow>(ctx.db, sql`SELECT * FROM agency WHERE id = ANY(${ids as string[]}::bigint[])`);
    return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? Agency.from(r) : null));
  }),
);

export const unitsByAgencyId = defineLoader<string, Agency[]>('unitsByAgencyId', async (ctx, ids) => {
  const rows = await query<AgencyRow>(ctx.db, sql`SELECT * FROM agency WHERE parent_id = ANY(${ids as string[]}::bigint[]) ORDER BY name, id`);
  return groupByKey(ids, rows, (r) => String(r.parent_id)).map((list) => list.map(Agency.from));
});

export const staffById = defineLoader<string, StaffMember | null>('staffById', (ctx, keys) =>
  throughReferenceCache(requestReferenceCache(ctx), 'staff_member', keys, async (ids) => {
    const rows = await query<StaffRow>(ctx.db, sql`SELECT * FROM staff_member WHERE id = ANY(${ids as string[]}::bigint[])`);
    return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? StaffMember.from(r) : null));
  }),
);
