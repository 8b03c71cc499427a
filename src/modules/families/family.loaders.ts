import { defineLoader, byKey, groupByKey } from '../../core/loaders';
import { query } from '../../core/db';
import { sql } from '../../core/sql';
import { Family, Person, type FamilyRow, type PersonRow } from './family.type';
import { visibleFamilyCondition } from '../cases/case.scope';

/** A family by its local id, or null when it does not exist or the caller may not see it. */
export const familyById = defineLoader<string, Family | null>('familyById', async (ctx, ids) => {
  const rows = await query<FamilyRow>(ctx.db, sql`SELECT f.* FROM family f WHERE f.id = ANY(${ids as string[]}::bigint[]) AND ${visibleFamilyCondition(ctx)}`);
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? Family.from(r) : null));
});

/** A person by local id, or null when hidden (a person is visible when the family is). */
export const personById = defineLoader<string, Person | null>('personById', async (ctx, ids) => {
  const rows = await query<PersonRow>(
    ctx.db,
    sql`SELECT p.* FROM person p JOIN family f ON f.id = p.family_id WHERE p.id = ANY(${ids as string[]}::bigint[]) AND ${visibleFamilyCondition(ctx)}`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? Person.from(r) : null));
});

/** The members of each family (callers reach them only through a visible family). */
export const membersByFamilyId = defineLoader<string, Person[]>('membersByFamilyId', async (ctx, ids) => {
  const rows = await query<PersonRow>(ctx.db, sql`SELECT p.* FROM person p WHERE p.family_id = ANY(${ids as string[]}::bigint[]) ORDER BY p.birth_date, p.id`);
  return groupByKey(ids, rows, (r) => String(r.family_id)).map((list) => list.map(Person.from));
});
