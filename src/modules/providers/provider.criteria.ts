import { and, raw, sql, type Sql } from '../../core/sql';
import type { DeliveryMode } from './provider.enums';

/**
 * Which offerings count, as one normalised value: the `providers(filter)` query carries it on each provider so
 * that the provider's `offerings` show only what matched, and the offerings loader batches by it.
 * Every key is always present (in this order), so that its JSON is a stable loader cache key.
 */
export interface OfferingCriteria {
  serviceTypeCode: string | null;
  regionCode: string | null;
  deliveryMode: DeliveryMode | null;
  /** The offering must serve every child age from `ageFrom` to `ageTo` (months), both given or both null. */
  ageFrom: number | null;
  ageTo: number | null;
  activeOnly: boolean;
  /** Two filters that cannot both hold (two different service types, say): nothing matches. */
  impossible: boolean;
}

export const ACTIVE_OFFERINGS: OfferingCriteria = criteria({});

export function criteria(parts: {
  serviceTypeCode?: string | null;
  regionCode?: string | null;
  deliveryMode?: DeliveryMode | null;
  childAgeMonths?: number | null;
  includeInactive?: boolean | null;
}): OfferingCriteria {
  const age = parts.childAgeMonths ?? null;
  return {
    serviceTypeCode: parts.serviceTypeCode ?? null,
    regionCode: parts.regionCode ?? null,
    deliveryMode: parts.deliveryMode ?? null,
    ageFrom: age,
    ageTo: age,
    activeOnly: !parts.includeInactive,
    impossible: false,
  };
}

function both<T>(a: T | null, b: T | null): { value: T | null; clash: boolean } {
  if (a === null) return { value: b, clash: false };
  if (b === null || a === b) return { value: a, clash: false };
  return { value: null, clash: true };
}

/** Offerings matching `a` and `b` at once. */
export function mergeCriteria(a: OfferingCriteria, b: OfferingCriteria): OfferingCriteria {
  const type = both(a.serviceTypeCode, b.serviceTypeCode);
  const region = both(a.regionCode, b.regionCode);
  const mode = both(a.deliveryMode, b.deliveryMode);
  const ages = [a.ageFrom, b.ageFrom].filter((v): v is number => v !== null);
  const agesTo = [a.ageTo, b.ageTo].filter((v): v is number => v !== null);
  return {
    serviceTypeCode: type.value,
    regionCode: region.value,
    deliveryMode: mode.value,
    ageFrom: ages.length ? Math.min(...ages) : null,
    ageTo: agesTo.length ? Math.max(...agesTo) : null,
    activeOnly: a.activeOnly || b.activeOnly,
    impossible: a.impossible || b.impossible || type.clash || region.clash || mode.clash,
  };
}

/** The SQL condition of the criteria over an offering alias `o` and its service type alias `t`. */
export function offeringCondition(c: OfferingCriteria, o = 'o', t = 't'): Sql {
  if (c.impossible) return raw('FALSE');
  const parts: Sql[] = [];
  if (c.activeOnly) parts.push(raw(`${o}.active`));
  if (c.serviceTypeCode !== null) parts.push(sql`${raw(t)}.code = ${c.serviceTypeCode}`);
  if (c.regionCode !== null) parts.push(sql`${c.regionCode}::text = ANY(${raw(o)}.region_codes)`);
  if (c.deliveryMode !== null) parts.push(sql`${c.deliveryMode}::delivery_mode = ANY(${raw(o)}.delivery_modes)`);
  if (c.ageFrom !== null) parts.push(sql`${raw(o)}.min_age_months <= ${c.ageFrom}::int`);
  if (c.ageTo !== null) parts.push(sql`${raw(o)}.max_age_months >= ${c.ageTo}::int`);
  return and(parts);
}
