import { Violations, localIdOf } from '../../core/graphql/violations';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import type { DataSource, EntityManager } from 'typeorm';
import { queryOne } from '../../core/db';
import { badInput, type FieldViolation } from '../../core/graphql/errors';
import { fromGlobalId } from '../../core/graphql/global-id';
import { sql } from '../../core/sql';

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

/** Finds a service type named by its global id or by its code; null (and a violation) when there is none. */
export async function resolveServiceType(db: DataSource | EntityManager, value: string | null | undefined, field: string, violations: Violations): Promise<{ id: string; code: string } | null> {
  if (value === null || value === undefined) return null;
  const parsed = fromGlobalId(value);
  const row =
    parsed && parsed.type === 'ServiceType'
      ? await queryOne<{ id: string; code: string }>(db, sql`SELECT id::text AS id, code FROM service_type WHERE id = ${parsed.id}::bigint`)
      : await queryOne<{ id: string; code: string }>(db, sql`SELECT id::text AS id, code FROM service_type WHERE code = ${value}`);
  if (!row) violations.add(field, 'is not a service type of the catalogue (give its code or its id)');
  return row;
}

/** Checks that an agency exists and is active; records a violation otherwise. */
export async function checkAgency(db: DataSource | EntityManager, agencyId: string | null, field: string, violations: Violations): Promise<{ id: string; parent_id: string | null; region_code: string } | null> {
  if (agencyId === null) return null;
  const row = await queryOne<{ id: string; parent_id: string | null; region_code: string }>(
    db,
    sql`SELECT id::text AS id, parent_id::text AS parent_id, region_code FROM agency WHERE id = ${agencyId}::bigint AND active`,
  );
  if (!row) violations.add(field, 'is not an active agency of the registry');
  return row;
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
