import type { Context } from '../../context';
import { keysetPage, type PageArgs } from '../../core/graphql/connection';
import { query } from '../../core/db';
import { and, raw, sql, type Sql } from '../../core/sql';
import type { AgencyRow } from '../agencies/agency.type';
import { ServiceProvider, ServiceType, type ServiceTypeRow } from './provider.type';
import { criteria, offeringCondition, type OfferingCriteria } from './provider.criteria';
import type { OfferingFilter, ProviderFilter } from './provider.inputs';
import type { ServiceDomain } from './provider.enums';

/** The catalogue is small (tens of entries): a plain list by code. Reference data, visible to every caller. */
export async function listServiceTypes(ctx: Context, domain: ServiceDomain | undefined): Promise<ServiceType[]> {
  const where = domain ? sql`domain = ${domain}::service_domain` : raw('TRUE');
  const rows = await query<ServiceTypeRow>(ctx.db, sql`SELECT id, code, name, domain, description, version FROM service_type WHERE ${where} ORDER BY code`);
  return rows.map(ServiceType.from);
}

/** The offering criteria of a `providers(filter)` call: active offerings only. */
export function providerCriteria(filter: ProviderFilter | undefined): OfferingCriteria {
  return criteria({
    serviceTypeCode: filter?.serviceType,
    regionCode: filter?.region,
    deliveryMode: filter?.deliveryMode,
    childAgeMonths: filter?.childAgeMonths,
    includeInactive: false,
  });
}

export function offeringCriteria(filter: OfferingFilter | undefined): OfferingCriteria {
  return criteria({
    serviceTypeCode: filter?.serviceType,
    regionCode: filter?.region,
    deliveryMode: filter?.deliveryMode,
    childAgeMonths: filter?.childAgeMonths,
    includeInactive: filter?.includeInactive,
  });
}

/**
 * Providers with at least one active offering matching the filter, by name, keyset-paginated in one statement.
 * Each provider carries the criteria, so that its `offerings` show what matched (one batched statement per page).
 */
export function findProviders(ctx: Context, filter: ProviderFilter | undefined, page: PageArgs) {
  const matching = providerCriteria(filter);
  const conditions: Sql[] = [
    raw('a.active'),
    sql`EXISTS (SELECT 1 FROM service_offering o JOIN service_type t ON t.id = o.service_type_id
                 WHERE o.provider_id = a.id AND ${offeringCondition(matching)})`,
  ];
  if (filter?.search) {
    const pattern = '%' + filter.search.replace(/[%_\\]/g, '\\$&') + '%';
    conditions.push(sql`(a.name ILIKE ${pattern} OR a.short_name ILIKE ${pattern})`);
  }
  return keysetPage<Pick<AgencyRow, 'id' | 'name' | 'kind' | 'region_code'> & Record<string, unknown>, ServiceProvider>({
    db: ctx.db,
    select: raw('a.id, a.name, a.kind, a.region_code'),
    from: raw('agency a'),
    where: and(conditions),
    order: [
      { expression: 'a.name', direction: 'ASC', key: 'name' },
      { expression: 'a.id', direction: 'ASC', key: 'id' },
    ],
    args: page,
    map: (row) => ServiceProvider.from(row, matching),
  });
}
