import type { EntityManager } from 'typeorm';
import { query, queryOne } from '../../core/db';
import { badInput, type FieldViolation } from '../../core/graphql/errors';
import { expectGlobalId } from '../../core/graphql/global-id';
import { bumpVersion } from '../../core/mutation';
import { Violations } from '../../core/graphql/violations';
import { join, raw, sql, type Sql } from '../../core/sql';
import type { CreateAgencyInput, CreateStaffMemberInput, UpdateAgencyInput, UpdateStaffMemberInput } from './agency-admin.inputs';

/*
 * The rules of the reference-data writes (agencies and staff here; the catalogue, offerings and programmes
 * in their modules use the helpers below). Each function runs inside the transaction of `runMutation`,
 * reports every bad input field at once, and returns the local id of the row it wrote.
 */

/** Collects the violations of one input so that they are reported together, before anything is written. */
/** Fields of an update that the caller sent as null although the column cannot be empty. */
export function rejectNulls(input: object, fields: string[], violations: Violations): void {
  for (const field of fields) {
    if ((input as Record<string, unknown>)[field] === null) violations.add(`input.${field}`, 'cannot be null; leave it out to keep the current value');
  }
}

/** Reports each code that is not a region of the registry: `field[i]` for a list, `field` for one code. */
export async function checkRegions(tx: EntityManager, codes: string[] | string, field: string, violations: Violations): Promise<void> {
  const list = Array.isArray(codes) ? codes : [codes];
  if (list.length === 0) return;
  const rows = await query<{ code: string }>(tx, sql`SELECT code FROM region WHERE code = ANY(${list}::text[])`);
  const known = new Set(rows.map((r) => r.code));
  list.forEach((code, i) => {
    if (!known.has(code)) violations.add(Array.isArray(codes) ? `${field}[${i}]` : field, 'is not a region of the registry');
  });
}

/**
 * Runs an insert or update and turns a violation of one of the named unique indexes into BAD_USER_INPUT
 * naming the input field (the transaction is then rolled back by the caller's `runMutation`).
 */
export async function withUniqueKeys<T>(keys: Record<string, FieldViolation>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const details = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
    const code = details.driverError?.code ?? details.code;
    const constraint = details.driverError?.constraint ?? details.constraint;
    if (code === '23505' && constraint && keys[constraint]) throw badInput([keys[constraint]]);
    throw error;
  }
}

type VersionedTable = 'staff_member' | 'service_type' | 'service_offering' | 'program';

/** Writes the given column assignments to one row (nothing when there are none). */
export async function updateRow(tx: EntityManager, table: VersionedTable | 'agency', id: string, assignments: Sql[]): Promise<void> {
  if (assignments.length === 0) return;
  await query(tx, sql`UPDATE ${raw(`"${table}"`)} SET ${join(assignments, ', ')} WHERE id = ${id}::bigint`);
}

const AGENCY_KEYS: Record<string, FieldViolation> = {
  agency_name_key: { field: 'input.name', message: 'is already the name of another agency in this region' },
};

async function checkParent(tx: EntityManager, parentId: string, regionCode: string, selfId: string | null, violations: Violations): Promise<void> {
  const parent = await queryOne<{ region_code: string; is_own_unit: boolean }>(
    tx,
    sql`WITH RECURSIVE chain AS (
          SELECT id, parent_id FROM agency WHERE id = ${parentId}::bigint
          UNION SELECT a.id, a.parent_id FROM agency a JOIN chain c ON a.id = c.parent_id)
        SELECT p.region_code, EXISTS (SELECT 1 FROM chain WHERE id = ${selfId}::bigint) AS is_own_unit
          FROM agency p WHERE p.id = ${parentId}::bigint`,
  );
  if (!parent) violations.add('input.parent', 'is not an agency of the registry');
  else if (parent.is_own_unit) violations.add('input.parent', 'cannot be the agency itself or one of its units');
  else if (parent.region_code !== regionCode) violations.add('input.parent', 'must be an agency of the same region');
}

export async function createAgency(tx: EntityManager, input: CreateAgencyInput): Promise<string> {
  const violations = new Violations();
  const parentId = input.parent != null ? expectGlobalId(input.parent, 'Agency', 'input.parent') : null;
  await checkRegions(tx, input.region, 'input.region', violations);
  if (parentId) await checkParent(tx, parentId, input.region, null, violations);
  violations.throwIfAny();
  const row = await withUniqueKeys(AGENCY_KEYS, () =>
    queryOne<{ id: string }>(
      tx,
      sql`INSERT INTO agency (name, short_name, kind, region_code, parent_id, settlement)
          VALUES (${input.name}, ${input.shortName ?? null}, ${input.kind}::agency_kind, ${input.region}, ${parentId}::bigint, ${input.settlement ?? null})
          RETURNING id`,
    ),
  );
  return String(row!.id);
}

export async function updateAgency(tx: EntityManager, input: UpdateAgencyInput): Promise<string> {
  const id = expectGlobalId(input.id, 'Agency', 'input.id');
  const parentId = input.parent != null ? expectGlobalId(input.parent, 'Agency', 'input.parent') : input.parent;
  await bumpVersion(tx, 'agency', id, input.expectedVersion, 'The agency');
  const current = (await queryOne<{ region_code: string; parent_id: string | null; has_units: boolean }>(
    tx,
    sql`SELECT a.region_code, a.parent_id, EXISTS (SELECT 1 FROM agency u WHERE u.parent_id = a.id) AS has_units FROM agency a WHERE a.id = ${id}::bigint`,
  ))!;
  const violations = new Violations();
  rejectNulls(input, ['name', 'kind', 'region', 'active'], violations);
  const region = input.region ?? current.region_code;
  if (input.region && input.region !== current.region_code) {
    await checkRegions(tx, input.region, 'input.region', violations);
    if (current.has_units) violations.add('input.region', 'cannot change while the agency has units');
  }
  const newParent = parentId === undefined ? current.parent_id : parentId;
  if (newParent && (parentId !== undefined || region !== current.region_code)) {
    await checkParent(tx, String(newParent), region, id, violations);
  }
  violations.throwIfAny();
  const sets: Sql[] = [];
  if (input.name != null) sets.push(sql`name = ${input.name}`);
  if (input.shortName !== undefined) sets.push(sql`short_name = ${input.shortName}`);
  if (input.kind != null) sets.push(sql`kind = ${input.kind}::agency_kind`);
  if (input.region != null) sets.push(sql`region_code = ${input.region}`);
  if (parentId !== undefined) sets.push(sql`parent_id = ${parentId}::bigint`);
  if (input.settlement !== undefined) sets.push(sql`settlement = ${input.settlement}`);
  if (input.active != null) sets.push(sql`active = ${input.active}`);
  await withUniqueKeys(AGENCY_KEYS, () => updateRow(tx, 'agency', id, sets));
  return id;
}

export async function createStaffMember(tx: EntityManager, input: CreateStaffMemberInput): Promise<string> {
  const agencyId = expectGlobalId(input.agency, 'Agency', 'input.agency');
  const agency = await queryOne<{ id: string }>(tx, sql`SELECT id FROM agency WHERE id = ${agencyId}::bigint`);
  if (!agency) throw badInput([{ field: 'input.agency', message: 'is not an agency of the registry' }]);
  const row = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO staff_member (agency_id, full_name, position, email, roles)
        VALUES (${agencyId}::bigint, ${input.fullName}, ${input.position}, ${input.email ?? null}, ${input.roles}::text[])
        RETURNING id`,
  );
  return String(row!.id);
}

export async function updateStaffMember(tx: EntityManager, input: UpdateStaffMemberInput): Promise<string> {
  const id = expectGlobalId(input.id, 'StaffMember', 'input.id');
  const violations = new Violations();
  rejectNulls(input, ['fullName', 'position', 'roles', 'active'], violations);
  violations.throwIfAny();
  await bumpVersion(tx, 'staff_member', id, input.expectedVersion, 'The staff member');
  const sets: Sql[] = [];
  if (input.fullName != null) sets.push(sql`full_name = ${input.fullName}`);
  if (input.position != null) sets.push(sql`position = ${input.position}`);
  if (input.email !== undefined) sets.push(sql`email = ${input.email}`);
  if (input.roles != null) sets.push(sql`roles = ${input.roles}::text[]`);
  if (input.active != null) sets.push(sql`active = ${input.active}`);
  await updateRow(tx, 'staff_member', id, sets);
  return id;
}
