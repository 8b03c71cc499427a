import { Violations, localIdOf } from '../../core/graphql/violations';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import type { DataSource, EntityManager } from 'typeorm';
import { queryOne } from '../../core/db';
import { badInput, type FieldViolation } from '../../core/graphql/errors';
import { fromGlobalId } from '../../core/graphql/global-id';
import { raw, sql, type Sql } from '../../core/sql';

/**
 * Rules shared by the route of help, referrals and service deliveries: calendar dates, working days,
 * the service type named by code or id, and the collection of every input violation before anything is written.
 */

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a string is a real calendar day written YYYY-MM-DD (no time, no zone). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** class-validator rule: a calendar day YYYY-MM-DD. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be a calendar date written YYYY-MM-DD', ...options },
      validator: { validate: (value: unknown) => value === null || value === undefined || isCalendarDate(value) },
    });
}

/** Adds working days (Monday to Friday) to an instant, keeping its time of day. */
export function addWorkingDays(from: Date, days: number): Date {
  const result = new Date(from.getTime());
  let added = 0;
  while (added < days) {
    result.setUTCDate(result.getUTCDate() + 1);
    const weekday = result.getUTCDay();
    if (weekday !== 0 && weekday !== 6) added += 1;
  }
  return result;
}

/** A service type of the catalogue, as the rules need it. */
export type ServiceTypeFact = { id: string; code: string } | null;

/** An active agency, as the rules need it. */
export type AgencyFact = { id: string; parent_id: string | null; region_code: string } | null;

/**
 * The lookup of `resolveServiceType` as one SQL value (json of the service type, or NULL), so that a write can read it
 * with its other facts in one statement; judge it with `serviceTypeFromFact`.
 */
export function serviceTypeFact(value: string | null | undefined): Sql {
  if (value === null || value === undefined) return raw('NULL::json');
  const parsed = fromGlobalId(value);
  const where = parsed && parsed.type === 'ServiceType' ? sql`t.id = ${parsed.id}::bigint` : sql`t.code = ${value}`;
  return sql`(SELECT json_build_object('id', t.id::text, 'code', t.code) FROM service_type t WHERE ${where})`;
}

/** The rule of `resolveServiceType` over its fact: the service type, or null (and a violation) when there is none. */
export function serviceTypeFromFact(value: string | null | undefined, fact: ServiceTypeFact, field: string, violations: Violations): ServiceTypeFact {
  if (value === null || value === undefined) return null;
  if (!fact) violations.add(field, 'is not a service type of the catalogue (give its code or its id)');
  return fact ?? null;
}

/** Finds a service type named by its global id or by its code; null (and a violation) when there is none. */
export async function resolveServiceType(db: DataSource | EntityManager, value: string | null | undefined, field: string, violations: Violations): Promise<ServiceTypeFact> {
  if (value === null || value === undefined) return null;
  const row = await queryOne<{ fact: ServiceTypeFact }>(db, sql`SELECT ${serviceTypeFact(value)} AS fact`);
  return serviceTypeFromFact(value, row?.fact ?? null, field, violations);
}

/** The lookup of `checkAgency` as one SQL value (json of the agency if it exists and is active, or NULL); judge it with `agencyFromFact`. */
export function agencyFact(agencyId: string | null): Sql {
  if (agencyId === null) return raw('NULL::json');
  return sql`(SELECT json_build_object('id', a.id::text, 'parent_id', a.parent_id::text, 'region_code', a.region_code) FROM agency a WHERE a.id = ${agencyId}::bigint AND a.active)`;
}

/** The rule of `checkAgency` over its fact: the agency, or null (and a violation) when it is not an active agency. */
export function agencyFromFact(agencyId: string | null, fact: AgencyFact, field: string, violations: Violations): AgencyFact {
  if (agencyId === null) return null;
  if (!fact) violations.add(field, 'is not an active agency of the registry');
  return fact ?? null;
}

/** Checks that an agency exists and is active; records a violation otherwise. */
export async function checkAgency(db: DataSource | EntityManager, agencyId: string | null, field: string, violations: Violations): Promise<AgencyFact> {
  if (agencyId === null) return null;
  const row = await queryOne<{ fact: AgencyFact }>(db, sql`SELECT ${agencyFact(agencyId)} AS fact`);
  return agencyFromFact(agencyId, row?.fact ?? null, field, violations);
}

/** An offering of the catalogue: its provider and service type; a violation when it does not exist or is inactive. */
export async function checkOffering(db: DataSource | EntityManager, offeringId: string | null, field: string, violations: Violations): Promise<{ id: string; provider_id: string; service_type_id: string } | null> {
  if (offeringId === null) return null;
  const row = await queryOne<{ id: string; provider_id: string; service_type_id: string }>(
    db,
    sql`SELECT id::text AS id, provider_id::text AS provider_id, service_type_id::text AS service_type_id FROM service_offering WHERE id = ${offeringId}::bigint AND active`,
  );
  if (!row) violations.add(field, 'is not an active service offering');
  return row;
}
