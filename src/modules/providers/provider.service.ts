import { bumpVersion } from '../../core/mutation';
import type { EntityManager } from 'typeorm';
import { queryOne } from '../../core/db';
import { badField, type FieldViolation } from '../../core/graphql/errors';
import { expectGlobalId, fromGlobalId } from '../../core/graphql/global-id';
import { sql, type Sql } from '../../core/sql';
import { Violations } from '../../core/graphql/violations';
import { checkRegions, rejectNulls, updateRow, withUniqueKeys } from '../agencies/agency.service';
import type { CreateServiceOfferingInput, CreateServiceTypeInput, UpdateServiceOfferingInput, UpdateServiceTypeInput } from './provider.inputs';

/* The rules of catalogue and offering writes; each runs inside `runMutation`'s transaction and returns the local id written. */

const SERVICE_TYPE_KEYS: Record<string, FieldViolation> = {
  service_type_code_key: { field: 'input.code', message: 'is already the code of another service type' },
};

export async function createServiceType(tx: EntityManager, input: CreateServiceTypeInput): Promise<string> {
  const row = await withUniqueKeys(SERVICE_TYPE_KEYS, () =>
    queryOne<{ id: string }>(
      tx,
      sql`INSERT INTO service_type (code, name, domain, description)
          VALUES (${input.code}, ${input.name}, ${input.domain}::service_domain, ${input.description ?? null}) RETURNING id`,
    ),
  );
  return String(row!.id);
}

export async function updateServiceType(tx: EntityManager, input: UpdateServiceTypeInput): Promise<string> {
  const id = expectGlobalId(input.id, 'ServiceType', 'input.id');
  const violations = new Violations();
  rejectNulls(input, ['name', 'domain'], violations);
  violations.throwIfAny();
  await bumpVersion(tx, 'service_type', id, input.expectedVersion, 'The service type');
  const sets: Sql[] = [];
  if (input.name != null) sets.push(sql`name = ${input.name}`);
  if (input.domain != null) sets.push(sql`domain = ${input.domain}::service_domain`);
  if (input.description !== undefined) sets.push(sql`description = ${input.description}`);
  await updateRow(tx, 'service_type', id, sets);
  return id;
}

/** The provider of an offering is an agency: its Agency id or its ServiceProvider id (the same local id). */
function providerAgencyId(globalId: string, field: string): string {
  const parsed = fromGlobalId(globalId);
  if (!parsed || (parsed.type !== 'Agency' && parsed.type !== 'ServiceProvider')) throw badField(field, 'must be the id of an Agency or a ServiceProvider');
  return parsed.id;
}

function checkAges(min: number, max: number, violations: Violations): void {
  if (min > max) violations.add('input.minAgeMonths', 'must not exceed maxAgeMonths');
}

export async function createServiceOffering(tx: EntityManager, input: CreateServiceOfferingInput): Promise<string> {
  const providerId = providerAgencyId(input.provider, 'input.provider');
  const serviceTypeId = input.serviceTypeId != null ? expectGlobalId(input.serviceTypeId, 'ServiceType', 'input.serviceTypeId') : null;
  const violations = new Violations();
  const provider = await queryOne<{ active: boolean }>(tx, sql`SELECT active FROM agency WHERE id = ${providerId}::bigint`);
  if (!provider) violations.add('input.provider', 'is not an agency of the registry');
  else if (!provider.active) violations.add('input.provider', 'is not an active agency');

  let typeId: string | null = null;
  if (input.serviceType != null && serviceTypeId !== null) violations.add('input.serviceType', 'give either serviceType or serviceTypeId, not both');
  else if (input.serviceType == null && serviceTypeId === null) violations.add('input.serviceType', 'is required (the code of the service type), or give serviceTypeId');
  else {
    const type = await queryOne<{ id: string }>(
      tx,
      serviceTypeId !== null ? sql`SELECT id FROM service_type WHERE id = ${serviceTypeId}::bigint` : sql`SELECT id FROM service_type WHERE code = ${input.serviceType}`,
    );
    if (type) typeId = String(type.id);
    else violations.add(serviceTypeId !== null ? 'input.serviceTypeId' : 'input.serviceType', 'is not a service type of the catalogue');
  }
  checkAges(input.minAgeMonths, input.maxAgeMonths, violations);
  await checkRegions(tx, input.regions, 'input.regions', violations);
  violations.throwIfAny();

  const row = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO service_offering (provider_id, service_type_id, delivery_modes, min_age_months, max_age_months, region_codes, monthly_capacity, description)
        VALUES (${providerId}::bigint, ${typeId}::bigint, ${input.deliveryModes}::delivery_mode[], ${input.minAgeMonths}, ${input.maxAgeMonths},
                ${input.regions}::text[], ${input.monthlyCapacity ?? null}::int, ${input.description ?? null})
        RETURNING id`,
  );
  return String(row!.id);
}

export async function updateServiceOffering(tx: EntityManager, input: UpdateServiceOfferingInput): Promise<string> {
  const id = expectGlobalId(input.id, 'ServiceOffering', 'input.id');
  const violations = new Violations();
  rejectNulls(input, ['deliveryModes', 'minAgeMonths', 'maxAgeMonths', 'regions', 'active'], violations);
  violations.throwIfAny();
  await bumpVersion(tx, 'service_offering', id, input.expectedVersion, 'The service offering');
  const current = (await queryOne<{ min_age_months: number; max_age_months: number }>(
    tx,
    sql`SELECT min_age_months, max_age_months FROM service_offering WHERE id = ${id}::bigint`,
  ))!;
  checkAges(input.minAgeMonths ?? current.min_age_months, input.maxAgeMonths ?? current.max_age_months, violations);
  if (input.regions) await checkRegions(tx, input.regions, 'input.regions', violations);
  violations.throwIfAny();
  const sets: Sql[] = [];
  if (input.deliveryModes != null) sets.push(sql`delivery_modes = ${input.deliveryModes}::delivery_mode[]`);
  if (input.minAgeMonths != null) sets.push(sql`min_age_months = ${input.minAgeMonths}`);
  if (input.maxAgeMonths != null) sets.push(sql`max_age_months = ${input.maxAgeMonths}`);
  if (input.regions != null) sets.push(sql`region_codes = ${input.regions}::text[]`);
  if (input.monthlyCapacity !== undefined) sets.push(sql`monthly_capacity = ${input.monthlyCapacity}::int`);
  if (input.description !== undefined) sets.push(sql`description = ${input.description}`);
  if (input.active != null) sets.push(sql`active = ${input.active}`);
  await updateRow(tx, 'service_offering', id, sets);
  return id;
}
