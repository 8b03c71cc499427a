import { defineLoader, byKey, groupByKey } from '../../core/loaders';
import { query } from '../../core/db';
import { sql } from '../../core/sql';
import { ExternalId, Family, Person, PlacementEvent, type FamilyRow, type PersonRow, type PlacementEventRow } from './family.type';
import { requireViewer } from '../../context';
import { familyRelationColumns, primeRelationColumns, visibleFamilyCondition, type CaseRelationColumns } from '../cases/case.scope';

/**
 * A family by its local id, or null when it does not exist or the caller may not see it. The caller's relations to
 * each family come back as columns of its row and prime the guards, so its fields need no statement of their own.
 */
export const familyById = defineLoader<string, Family | null>('familyById', async (ctx, ids) => {
  const rows = await query<FamilyRow & CaseRelationColumns>(
    ctx.db,
    sql`SELECT f.*, ${familyRelationColumns(requireViewer(ctx))} FROM family f WHERE f.id = ANY(${ids as string[]}::bigint[]) AND ${visibleFamilyCondition(ctx)}`,
  );
  primeRelationColumns(ctx, 'family', rows);
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

/** The members of each family (callers reach them only through a visible family, so `personById` gets them too). */
export const membersByFamilyId = defineLoader<string, Person[]>('membersByFamilyId', async (ctx, ids) => {
  const rows = await query<PersonRow>(ctx.db, sql`SELECT p.* FROM person p WHERE p.family_id = ANY(${ids as string[]}::bigint[]) ORDER BY p.birth_date, p.id`);
  const members = groupByKey(ids, rows, (r) => String(r.family_id)).map((list) => list.map(Person.from));
  personById(ctx).primeEach(members.flat(), (person) => person.localId);
  return members;
});

interface ExternalIdRow {
  family_id: string | null;
  person_id: string | null;
  system: string;
  value: string;
}

const toExternalId = (row: ExternalIdRow): ExternalId => Object.assign(new ExternalId(), { system: row.system, value: row.value });

/** The partner systems' keys of each family (reached only through a visible family). */
export const externalIdsByFamilyId = defineLoader<string, ExternalId[]>('externalIdsByFamilyId', async (ctx, ids) => {
  const rows = await query<ExternalIdRow>(
    ctx.db,
    sql`SELECT e.family_id, e.person_id, e.system, e.value FROM external_id e WHERE e.family_id = ANY(${ids as string[]}::bigint[]) ORDER BY e.system, e.value`,
  );
  return groupByKey(ids, rows, (r) => String(r.family_id)).map((list) => list.map(toExternalId));
});

/** The partner systems' keys of each person (reached only through a visible person). */
export const externalIdsByPersonId = defineLoader<string, ExternalId[]>('externalIdsByPersonId', async (ctx, ids) => {
  const rows = await query<ExternalIdRow>(
    ctx.db,
    sql`SELECT e.family_id, e.person_id, e.system, e.value FROM external_id e WHERE e.person_id = ANY(${ids as string[]}::bigint[]) ORDER BY e.system, e.value`,
  );
  return groupByKey(ids, rows, (r) => String(r.person_id)).map((list) => list.map(toExternalId));
});

const PLACEMENT_EVENT_COLUMNS = sql`e.id, e.person_id, p.family_id, e.kind, e.occurred_on, e.placement_before, e.placement_after, e.agency_id, e.recorded_by_agency_id, e.notes`;

/** The placement changes of each person, oldest first (reached only through a visible person). */
export const placementEventsByPersonId = defineLoader<string, PlacementEvent[]>('placementEventsByPersonId', async (ctx, ids) => {
  const rows = await query<PlacementEventRow>(
    ctx.db,
    sql`SELECT ${PLACEMENT_EVENT_COLUMNS} FROM placement_event e JOIN person p ON p.id = e.person_id
         WHERE e.person_id = ANY(${ids as string[]}::bigint[]) ORDER BY e.occurred_on, e.id`,
  );
  return groupByKey(ids, rows, (r) => String(r.person_id)).map((list) => list.map(PlacementEvent.from));
});

/** A placement event by local id, or null when its family is hidden from the caller. */
export const placementEventById = defineLoader<string, PlacementEvent | null>('placementEventById', async (ctx, ids) => {
  const rows = await query<PlacementEventRow>(
    ctx.db,
    sql`SELECT ${PLACEMENT_EVENT_COLUMNS} FROM placement_event e JOIN person p ON p.id = e.person_id JOIN family f ON f.id = p.family_id
         WHERE e.id = ANY(${ids as string[]}::bigint[]) AND ${visibleFamilyCondition(ctx)}`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? PlacementEvent.from(r) : null));
});
