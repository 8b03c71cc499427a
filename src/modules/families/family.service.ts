import type { EntityManager } from 'typeorm';
import type { Context } from '../../context';
import { requireViewer } from '../../context';
import { classesReadable, type RecordScope } from '../../core/auth/access';
import { FieldClass } from '../../core/auth/roles';
import { query, queryOne } from '../../core/db';
import { ErrorCode, KrugError, badField, badInput, forbidden, invalidTransition, notFound, type FieldViolation } from '../../core/graphql/errors';
import { fromGlobalId, expectGlobalId } from '../../core/graphql/global-id';
import { bumpVersion } from '../../core/mutation';
import { join, raw, sql, type Sql } from '../../core/sql';
import { visibleFamilyCondition } from '../cases/case.scope';
import { DisabilityStatus, FamilyRelation, Placement, PlacementEventKind } from './family.enums';
import type { AddFamilyMemberInput, ExternalIdInput, PersonInput, RecordPlacementEventInput, RegisterFamilyInput, UpdatePersonInput } from './family.inputs';
import type { FamilyRow, PersonRow } from './family.type';

/** The class of each person field a write may touch: a caller writes only what the policy lets it read. */
const PERSON_FIELD_CLASSES: Record<string, FieldClass> = {
  lastName: FieldClass.IDENTITY,
  firstName: FieldClass.IDENTITY,
  middleName: FieldClass.IDENTITY,
  birthDate: FieldClass.IDENTITY,
  documentNumber: FieldClass.IDENTITY,
  phone: FieldClass.IDENTITY,
  externalIds: FieldClass.IDENTITY,
  sex: FieldClass.CASE_META,
  relation: FieldClass.CASE_META,
  disabilityStatus: FieldClass.CASE_META,
  placement: FieldClass.CASE_META,
  diagnosis: FieldClass.HEALTH,
  educationInstitution: FieldClass.EDUCATION,
  pmpkConclusion: FieldClass.EDUCATION,
};

/** Where each placement event leaves the child. */
export const PLACEMENT_AFTER: Record<PlacementEventKind, Placement> = {
  [PlacementEventKind.PLACED_IN_INSTITUTION]: Placement.IN_INSTITUTION,
  [PlacementEventKind.RETURNED_TO_BIRTH_FAMILY]: Placement.WITH_BIRTH_FAMILY,
  [PlacementEventKind.GUARDIANSHIP]: Placement.GUARDIANSHIP,
  [PlacementEventKind.FOSTER_FAMILY]: Placement.FOSTER_FAMILY,
  [PlacementEventKind.ADOPTED]: Placement.ADOPTED,
};

const familyScope = (familyId: string): RecordScope => ({ kind: 'family', id: familyId });

/** Refuses a write of fields whose classes the caller may not read on the record (READ_POLICY decides, never a role test). */
export async function assertMayWrite(ctx: Context, scope: RecordScope, written: Array<[field: string, fieldClass: FieldClass]>): Promise<void> {
  const readable = await classesReadable(ctx, scope);
  const denied = written.filter(([, fieldClass]) => !readable.has(fieldClass)).map(([field]) => field);
  if (denied.length) throw forbidden(`You may not write ${[...new Set(denied)].join(', ')} on this record: your access does not include that data.`);
}

/** The classes a person input writes: names and relation always, the rest when given. */
function personInputFields(member: PersonInput): Array<[string, FieldClass]> {
  return Object.entries(PERSON_FIELD_CLASSES).filter(([field]) => {
    const value = (member as unknown as Record<string, unknown>)[field];
    return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
  });
}

/** A family the caller may see, read inside the mutation's transaction. */
async function visibleFamily(ctx: Context, tx: EntityManager, familyId: string): Promise<FamilyRow> {
  const family = await queryOne<FamilyRow>(tx, sql`SELECT f.* FROM family f WHERE f.id = ${familyId}::bigint AND ${visibleFamilyCondition(ctx)}`);
  if (!family) throw notFound('Family');
  return family;
}

/** A person the caller may see, locked for the rest of the transaction. */
async function visiblePersonForUpdate(ctx: Context, tx: EntityManager, personId: string): Promise<PersonRow> {
  const person = await queryOne<PersonRow>(
    tx,
    sql`SELECT p.* FROM person p JOIN family f ON f.id = p.family_id WHERE p.id = ${personId}::bigint AND ${visibleFamilyCondition(ctx)} FOR UPDATE OF p`,
  );
  if (!person) throw notFound('Person');
  return person;
}

const trimmed = (value: string | null | undefined): string | null => (value === undefined || value === null ? null : value.trim());

/** Inserts members of a family in one statement; returns their ids in input order. */
async function insertPersons(tx: EntityManager, familyId: string, members: PersonInput[]): Promise<string[]> {
  const column = (pick: (m: PersonInput) => unknown) => members.map(pick);
  const rows = await query<{ id: string }>(
    tx,
    sql`WITH input AS (
          SELECT * FROM unnest(${column((m) => m.lastName.trim())}::text[], ${column((m) => m.firstName.trim())}::text[], ${column((m) => trimmed(m.middleName))}::text[],
                               ${column((m) => m.birthDate)}::text[], ${column((m) => m.sex)}::text[], ${column((m) => m.relation)}::text[],
                               ${column((m) => trimmed(m.documentNumber))}::text[], ${column((m) => trimmed(m.phone))}::text[],
                               ${column((m) => m.disabilityStatus ?? DisabilityStatus.NONE)}::text[], ${column((m) => trimmed(m.diagnosis))}::text[],
                               ${column((m) => trimmed(m.educationInstitution))}::text[], ${column((m) => trimmed(m.pmpkConclusion))}::text[],
                               ${column((m) => m.placement ?? Placement.WITH_BIRTH_FAMILY)}::text[])
                 WITH ORDINALITY AS t(last_name, first_name, middle_name, birth_date, sex, relation, document_number, phone,
                                      disability_status, diagnosis, education_placement, pmpk_conclusion, placement, ord)
        ), inserted AS (
          INSERT INTO person (family_id, last_name, first_name, middle_name, birth_date, sex, relation, document_number, phone,
                              disability_status, diagnosis, education_placement, pmpk_conclusion, placement)
          SELECT ${familyId}::bigint, last_name, first_name, middle_name, birth_date::date, sex::sex, relation::family_relation, document_number, phone,
                 disability_status::disability_status, diagnosis, education_placement, pmpk_conclusion, placement::placement
            FROM input ORDER BY ord
          RETURNING id
        )
        SELECT id::text AS id FROM inserted ORDER BY id`,
  );
  // Identity values are drawn in the order rows are inserted, so ascending ids follow the input order.
  return rows.map((r) => r.id);
}

interface ExternalIdEntry {
  subjectType: 'FAMILY' | 'PERSON';
  familyId: string | null;
  personId: string | null;
  system: string;
  value: string;
  field: string;
}

/** Saves partner keys; a key given twice is BAD_USER_INPUT, a key another record holds is a CONFLICT naming the field. */
async function saveExternalIds(tx: EntityManager, entries: ExternalIdEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const seen = new Map<string, string>();
  const twice: FieldViolation[] = [];
  for (const entry of entries) {
    const key = `${entry.subjectType}\u0000${entry.system}\u0000${entry.value}`;
    if (seen.has(key)) twice.push({ field: entry.field, message: `repeats the key of ${seen.get(key)}` });
    else seen.set(key, entry.field);
  }
  if (twice.length) throw badInput(twice);
  const taken = await query<{ ord: string }>(
    tx,
    sql`SELECT t.ord::text AS ord FROM unnest(${entries.map((e) => e.subjectType)}::text[], ${entries.map((e) => e.system)}::text[], ${entries.map((e) => e.value)}::text[])
               WITH ORDINALITY AS t(subject_type, system, value, ord)
         WHERE EXISTS (SELECT 1 FROM external_id e WHERE e.subject_type = t.subject_type AND e.system = t.system AND e.value = t.value)`,
  );
  if (taken.length) {
    const fields = taken.map((t) => ({ field: entries[Number(t.ord) - 1].field, message: 'is already used by another record of that system' }));
    throw new KrugError(ErrorCode.CONFLICT, `Invalid input. ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, { fields });
  }
  try {
    await query(
      tx,
      sql`INSERT INTO external_id (subject_type, family_id, person_id, system, value)
          SELECT t.subject_type, t.family_id::bigint, t.person_id::bigint, t.system, t.value
            FROM unnest(${entries.map((e) => e.subjectType)}::text[], ${entries.map((e) => e.familyId)}::text[], ${entries.map((e) => e.personId)}::text[],
                        ${entries.map((e) => e.system)}::text[], ${entries.map((e) => e.value)}::text[]) AS t(subject_type, family_id, person_id, system, value)`,
    );
  } catch (error) {
    // A concurrent writer took the key between the check and the insert.
    if ((error as { code?: string }).code === '23505') throw new KrugError(ErrorCode.CONFLICT, 'An external id given is already used by another record of that system.');
    throw error;
  }
}

function personExternalIds(member: PersonInput, familyId: string, personId: string, field: string): ExternalIdEntry[] {
  return (member.externalIds ?? []).map((e: ExternalIdInput, k) => ({
    subjectType: 'PERSON',
    familyId: null,
    personId,
    system: e.system,
    value: e.value.trim(),
    field: `${field}.externalIds[${k}]`,
  }));
}

/** The fields a person input writes, for the audit entry. */
function writtenPersonFields(members: PersonInput[]): string[] {
  return [...new Set(members.flatMap((m) => personInputFields(m).map(([field]) => field)))];
}

/** Registers a family with its members and partner keys; the caller's agency may see it until a case is opened. */
export async function registerFamily(ctx: Context, tx: EntityManager, input: RegisterFamilyInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const region = await queryOne(tx, sql`SELECT code FROM region WHERE code = ${input.region}`);
  if (!region) throw badField('input.region', 'is not a region of the registry');
  if (!viewer.regions.includes(input.region)) throw forbidden('You may register families only in your own regions.');

  const family = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO family (region_code, settlement, remote, address, phone, situations, registered_by_agency_id)
        VALUES (${input.region}, ${input.settlement.trim()}, ${input.remote ?? false}, ${trimmed(input.address)}, ${trimmed(input.phone)},
                ${input.situations ?? []}::family_situation[], ${viewer.agencyId}::bigint)
        RETURNING id::text AS id`,
  );
  const familyId = family!.id;
  const personIds = await insertPersons(tx, familyId, input.members);
  await saveExternalIds(tx, [
    ...(input.externalIds ?? []).map((e, k): ExternalIdEntry => ({ subjectType: 'FAMILY', familyId, personId: null, system: e.system, value: e.value.trim(), field: `input.externalIds[${k}]` })),
    ...input.members.flatMap((m, i) => personExternalIds(m, familyId, personIds[i], `input.members[${i}]`)),
  ]);

  const familyFields = ['region', 'settlement', 'remote', 'address', 'phone', 'situations', 'externalIds'].filter((f) => {
    const value = (input as unknown as Record<string, unknown>)[f];
    return value !== undefined && value !== null;
  });
  ctx.audit.write('Family', familyScope(familyId), ['registered', ...familyFields]);
  input.members.forEach((member, i) => ctx.audit.write('Person', { ...familyScope(familyId), recordId: personIds[i] }, ['registered', ...writtenPersonFields([member])]));
  return familyId;
}

/** Adds a member to a visible family; the caller must be able to read every class it writes. */
export async function addFamilyMember(ctx: Context, tx: EntityManager, input: AddFamilyMemberInput): Promise<string> {
  const familyId = expectGlobalId(input.family, 'Family', 'input.family');
  await visibleFamily(ctx, tx, familyId);
  await assertMayWrite(ctx, familyScope(familyId), personInputFields(input.member));
  const [personId] = await insertPersons(tx, familyId, [input.member]);
  await saveExternalIds(tx, personExternalIds(input.member, familyId, personId, 'input.member'));
  ctx.audit.write('Person', { ...familyScope(familyId), recordId: personId }, ['added', ...writtenPersonFields([input.member])]);
  return personId;
}

/** The columns behind the updatable fields of a person. */
const PERSON_COLUMNS: Record<string, string> = {
  lastName: 'last_name',
  firstName: 'first_name',
  middleName: 'middle_name',
  birthDate: 'birth_date',
  documentNumber: 'document_number',
  phone: 'phone',
  disabilityStatus: 'disability_status',
  diagnosis: 'diagnosis',
  educationInstitution: 'education_placement',
  pmpkConclusion: 'pmpk_conclusion',
};
const COLUMN_CASTS: Record<string, string> = { birth_date: '::date', disability_status: '::disability_status' };

/** Changes the fields given of a visible person, under optimistic concurrency. */
export async function updatePerson(ctx: Context, tx: EntityManager, input: UpdatePersonInput): Promise<string> {
  const personId = expectGlobalId(input.person, 'Person', 'input.person');
  const values = input as unknown as Record<string, unknown>;
  const changed = Object.keys(PERSON_COLUMNS).filter((field) => values[field] !== undefined);
  if (changed.length === 0) throw badField('input', 'must change at least one field of the person');
  const person = await visiblePersonForUpdate(ctx, tx, personId);
  await assertMayWrite(
    ctx,
    familyScope(String(person.family_id)),
    changed.map((field) => [field, PERSON_FIELD_CLASSES[field]]),
  );
  if (values.birthDate !== undefined) {
    const firstEvent = await queryOne<{ occurred_on: string }>(tx, sql`SELECT min(occurred_on) AS occurred_on FROM placement_event WHERE person_id = ${personId}::bigint`);
    if (firstEvent?.occurred_on && String(values.birthDate) > firstEvent.occurred_on) throw badField('input.birthDate', 'must not be after the first recorded placement change');
  }
  await bumpVersion(tx, 'person', personId, input.expectedVersion, 'Person');
  const assignments: Sql[] = changed.map((field) => {
    const column = PERSON_COLUMNS[field];
    const value = values[field];
    return sql`${raw(column)} = ${typeof value === 'string' ? value.trim() : value}${raw(COLUMN_CASTS[column] ?? '')}`;
  });
  await query(tx, sql`UPDATE person SET ${join(assignments, ', ')} WHERE id = ${personId}::bigint`);
  ctx.audit.write('Person', { ...familyScope(String(person.family_id)), recordId: personId }, changed);
  return personId;
}

/** Records a dated change of a child's placement and moves the child's current placement. */
export async function recordPlacementEvent(ctx: Context, tx: EntityManager, input: RecordPlacementEventInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const personId = expectGlobalId(input.person, 'Person', 'input.person');
  const person = await visiblePersonForUpdate(ctx, tx, personId);
  const familyId = String(person.family_id);
  // Notes belong to the recording agency (NOTES, read by it and the case manager): the caller writes as their author.
  const written: Array<[string, FieldClass]> = [['placement', FieldClass.CASE_META]];
  if (input.notes) written.push(['notes', FieldClass.NOTES]);
  await assertMayWrite(ctx, { ...familyScope(familyId), ownerAgencyId: viewer.agencyId }, written);

  const violations: FieldViolation[] = [];
  if (person.relation !== FamilyRelation.CHILD) violations.push({ field: 'input.person', message: 'is not a child of the family (relation CHILD)' });
  if (input.occurredOn < person.birth_date) violations.push({ field: 'input.occurredOn', message: 'must not be before the birth date of the child' });
  const last = await queryOne<{ occurred_on: string | null }>(tx, sql`SELECT max(occurred_on) AS occurred_on FROM placement_event WHERE person_id = ${personId}::bigint`);
  if (last?.occurred_on && input.occurredOn < last.occurred_on) violations.push({ field: 'input.occurredOn', message: 'must not be before the last recorded placement change of the child' });
  let agencyId: string | null = null;
  if (input.agency) {
    const parsed = fromGlobalId(input.agency);
    const agency = parsed?.type === 'Agency' ? await queryOne(tx, sql`SELECT id FROM agency WHERE id = ${parsed.id}::bigint`) : null;
    if (!agency) violations.push({ field: 'input.agency', message: 'is not an agency of the registry' });
    else agencyId = parsed!.id;
  }
  if (violations.length) throw badInput(violations);

  const before = person.placement;
  const after = PLACEMENT_AFTER[input.kind];
  if (before === after) throw invalidTransition(`The child's placement is already ${before}: ${input.kind} changes nothing.`);

  const event = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO placement_event (person_id, kind, occurred_on, placement_before, placement_after, agency_id, recorded_by_agency_id, notes)
        VALUES (${personId}::bigint, ${input.kind}::placement_event_kind, ${input.occurredOn}::date, ${before}::placement, ${after}::placement,
                ${agencyId}::bigint, ${viewer.agencyId}::bigint, ${trimmed(input.notes)})
        RETURNING id::text AS id`,
  );
  await query(tx, sql`UPDATE person SET placement = ${after}::placement, version = version + 1, updated_at = now() WHERE id = ${personId}::bigint`);
  ctx.audit.write('Person', { ...familyScope(familyId), recordId: personId }, ['placement', ...(input.notes ? ['placementNotes'] : [])]);
  return event!.id;
}
