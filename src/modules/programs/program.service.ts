import { bumpVersion } from '../../core/mutation';
import type { EntityManager } from 'typeorm';
import { queryOne } from '../../core/db';
import type { FieldViolation } from '../../core/graphql/errors';
import { expectGlobalId } from '../../core/graphql/global-id';
import { sql, type Sql } from '../../core/sql';
import { Violations } from '../../core/graphql/violations';
import { checkRegions, rejectNulls, updateRow, withUniqueKeys } from '../agencies/agency.service';
import type { CreateProgramInput, UpdateProgramInput } from './program.inputs';

/* The rules of programme writes; each runs inside `runMutation`'s transaction and returns the local id written. */

const PROGRAM_KEYS: Record<string, FieldViolation> = {
  program_code_key: { field: 'input.code', message: 'is already the code of another programme' },
};

function checkPeriod(startsOn: string, endsOn: string | null, violations: Violations): void {
  // Both are validated YYYY-MM-DD, so text order is date order.
  if (endsOn !== null && endsOn < startsOn) violations.add('input.endsOn', 'must not be before startsOn');
}

export async function createProgram(tx: EntityManager, input: CreateProgramInput): Promise<string> {
  const violations = new Violations();
  checkPeriod(input.startsOn, input.endsOn ?? null, violations);
  await checkRegions(tx, input.regions, 'input.regions', violations);
  violations.throwIfAny();
  const row = await withUniqueKeys(PROGRAM_KEYS, () =>
    queryOne<{ id: string }>(
      tx,
      sql`INSERT INTO program (code, name, funder, region_codes, starts_on, ends_on, budget_rub, description)
          VALUES (${input.code}, ${input.name}, ${input.funder}, ${input.regions}::text[], ${input.startsOn}::date, ${input.endsOn ?? null}::date,
                  ${input.budgetRub ?? null}::numeric, ${input.description ?? null})
          RETURNING id`,
    ),
  );
  return String(row!.id);
}

export async function updateProgram(tx: EntityManager, input: UpdateProgramInput): Promise<string> {
  const id = expectGlobalId(input.id, 'Program', 'input.id');
  const violations = new Violations();
  rejectNulls(input, ['name', 'funder', 'regions', 'startsOn'], violations);
  violations.throwIfAny();
  await bumpVersion(tx, 'program', id, input.expectedVersion, 'The programme');
  const current = (await queryOne<{ starts_on: string; ends_on: string | null }>(
    tx,
    sql`SELECT starts_on::text AS starts_on, ends_on::text AS ends_on FROM program WHERE id = ${id}::bigint`,
  ))!;
  checkPeriod(input.startsOn ?? current.starts_on, input.endsOn !== undefined ? input.endsOn : current.ends_on, violations);
  if (input.regions) await checkRegions(tx, input.regions, 'input.regions', violations);
  violations.throwIfAny();
  const sets: Sql[] = [];
  if (input.name != null) sets.push(sql`name = ${input.name}`);
  if (input.funder != null) sets.push(sql`funder = ${input.funder}`);
  if (input.regions != null) sets.push(sql`region_codes = ${input.regions}::text[]`);
  if (input.startsOn != null) sets.push(sql`starts_on = ${input.startsOn}::date`);
  if (input.endsOn !== undefined) sets.push(sql`ends_on = ${input.endsOn}::date`);
  if (input.budgetRub !== undefined) sets.push(sql`budget_rub = ${input.budgetRub}::numeric`);
  if (input.description !== undefined) sets.push(sql`description = ${input.description}`);
  await updateRow(tx, 'program', id, sets);
  return id;
}
