import { defineLoader, byKey, groupByKey } from '../../core/loaders';
import { query } from '../../core/db';
import { sql } from '../../core/sql';
import { requestReferenceCache, throughReferenceCache } from '../../db/reference-cache';
import type { AgencyRow } from '../agencies/agency.type';
import { OFFERING_COLUMNS, ServiceOffering, ServiceProvider, ServiceType, type OfferingRow, type ServiceTypeRow } from './provider.type';
import { offeringCondition, type OfferingCriteria } from './provider.criteria';

export const serviceTypeById = defineLoader<string, ServiceType | null>('serviceTypeById', (ctx, keys) =>
  throughReferenceCache(requestReferenceCache(ctx), 'service_type', keys, async (ids) => {
    const rows = await query<ServiceTypeRow>(ctx.db, sql`SELECT id, code, name, domain, description, version FROM service_type WHERE id = ANY(${ids as string[]}::bigint[])`);
    return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? ServiceType.from(r) : null));
  }),
);

export const serviceTypeByCode = defineLoader<string, ServiceType | null>('serviceTypeByCode', async (ctx, codes) => {
  const rows = await query<ServiceTypeRow>(ctx.db, sql`SELECT id, code, name, domain, description, version FROM service_type WHERE code = ANY(${codes as string[]}::text[])`);
  return byKey(codes, rows, (r) => r.code).map((r) => (r ? ServiceType.from(r) : null));
});

export const offeringById = defineLoader<string, ServiceOffering | null>('offeringById', async (ctx, ids) => {
  const rows = await query<OfferingRow>(ctx.db, sql`SELECT ${OFFERING_COLUMNS} FROM service_offering o WHERE o.id = ANY(${ids as string[]}::bigint[])`);
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? ServiceOffering.from(r) : null));
});

/** An agency seen as a provider: it exists as one when it has at least one offering (active or withdrawn). */
export const providerById = defineLoader<string, ServiceProvider | null>('providerById', async (ctx, ids) => {
  const rows = await query<AgencyRow>(
    ctx.db,
    sql`SELECT a.id, a.name, a.kind, a.region_code FROM agency a
         WHERE a.id = ANY(${ids as string[]}::bigint[]) AND EXISTS (SELECT 1 FROM service_offering o WHERE o.provider_id = a.id)`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? ServiceProvider.from(r) : null));
});

export interface OfferingsKey {
  providerId: string;
  criteria: OfferingCriteria;
}

/**
 * The offerings of providers that match criteria, by service type code. A page of providers shares its
 * criteria, so a whole page is one statement (one per distinct criteria in the batch).
 */
export const offeringsByProviderId = defineLoader<OfferingsKey, ServiceOffering[]>('offeringsByProviderId', async (ctx, keys) => {
  const groups = new Map<string, { criteria: OfferingCriteria; providerIds: string[] }>();
  for (const key of keys) {
    const id = JSON.stringify(key.criteria);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { criteria: key.criteria, providerIds: [] }));
    group.providerIds.push(key.providerId);
  }
  const found = new Map<string, ServiceOffering[]>();
  await Promise.all(
    [...groups.entries()].map(async ([id, group]) => {
      if (group.criteria.impossible) return;
      const rows = await query<OfferingRow>(
        ctx.db,
        sql`SELECT ${OFFERING_COLUMNS} FROM service_offering o JOIN service_type t ON t.id = o.service_type_id
             WHERE o.provider_id = ANY(${group.providerIds}::bigint[]) AND ${offeringCondition(group.criteria)}
             ORDER BY t.code, o.id`,
      );
      const lists = groupByKey(group.providerIds, rows, (r) => String(r.provider_id));
      group.providerIds.forEach((providerId, i) => found.set(`${id}|${providerId}`, lists[i].map(ServiceOffering.from)));
    }),
  );
  return keys.map((key) => found.get(`${JSON.stringify(key.criteria)}|${key.providerId}`) ?? []);
});

/** The same loader under the name other modules use for it (one accessor, so one DataLoader per request). */
export const serviceOfferingById = offeringById;
