import { Field, Int, ObjectType } from 'type-graphql';
import { Guard } from '../../core/auth/guard';
import type { Guarded, RecordScope } from '../../core/auth/access';
import { FieldClass } from '../../core/auth/roles';
import { Node } from '../../core/graphql/node';
import { toGlobalId } from '../../core/graphql/global-id';
import { ConnectionType } from '../../core/graphql/connection';
import { DisabilityStatus, FamilyRelation, FamilySituation, Placement, PlacementEventKind, Sex } from './family.enums';

@ObjectType({ description: "A partner system's own key for a family or a person." })
export class ExternalId {
  @Field({ description: 'The partner system that issued the key, e.g. "EGISSO" or "MIS-NSO".' })
  system: string;

  @Field({ description: 'The key in that system.' })
  value: string;
}

export interface FamilyRow {
  id: string;
  region_code: string;
  settlement: string;
  remote: boolean;
  address: string | null;
  phone: string | null;
  situations: FamilySituation[] | string;
  registered_by_agency_id: string;
  version: number;
  created_at: Date;
}

/** Parses a PostgreSQL array that the driver returned as text (enum arrays come back as '{A,B}'). */
export function pgArray<T extends string>(value: T[] | string | null): T[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  return value.replace(/^\{|\}$/g, '').split(',').filter(Boolean) as T[];
}

@ObjectType({ implements: Node, description: 'A household in difficulty, in a region and settlement, with its members.' })
export class Family extends Node implements Guarded {
  localId: string;
  regionCode: string;
  registeredByAgencyId: string;
  scope: RecordScope;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The settlement where the family lives (CASE_META).' })
  settlement: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Boolean, { nullable: true, description: 'Whether the settlement is remote, hard to reach (CASE_META).' })
  remote: boolean | null;

  @Guard(FieldClass.IDENTITY)
  @Field(() => String, { nullable: true, description: 'The address of the family (IDENTITY).' })
  address: string | null;

  @Guard(FieldClass.IDENTITY)
  @Field(() => String, { nullable: true, description: 'The contact phone of the family (IDENTITY).' })
  phone: string | null;

  @Guard(FieldClass.SOCIAL_RISK)
  @Field(() => [FamilySituation], { nullable: true, description: 'The difficult life situations of the family (SOCIAL_RISK).' })
  situations: FamilySituation[] | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Int, { nullable: true, description: 'The version of the family record, for optimistic concurrency (CASE_META).' })
  version: number | null;

  static from(row: FamilyRow): Family {
    const id = String(row.id);
    return Object.assign(new Family(), {
      id: toGlobalId('Family', id),
      localId: id,
      regionCode: row.region_code,
      registeredByAgencyId: String(row.registered_by_agency_id),
      scope: { kind: 'family', id } satisfies RecordScope,
      settlement: row.settlement,
      remote: row.remote,
      address: row.address,
      phone: row.phone,
      situations: pgArray(row.situations),
      version: row.version,
    });
  }
}

export const FamilyConnection = ConnectionType(Family, 'Family', 'families');

export interface PersonRow {
  id: string;
  family_id: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  birth_date: string;
  sex: Sex;
  relation: FamilyRelation;
  document_number: string | null;
  phone: string | null;
  disability_status: DisabilityStatus;
  diagnosis: string | null;
  education_placement: string | null;
  pmpk_conclusion: string | null;
  placement: Placement;
  version: number;
}

@ObjectType({ description: 'The disability of a person: the status (CASE_META) and the diagnosis (HEALTH).' })
export class Disability implements Guarded {
  scope: RecordScope;

  @Guard(FieldClass.CASE_META)
  @Field(() => DisabilityStatus, { nullable: true, description: 'The disability status: none, limited health (ОВЗ) or disabled (CASE_META).' })
  status: DisabilityStatus | null;

  @Guard(FieldClass.HEALTH)
  @Field(() => String, { nullable: true, description: 'The diagnosis (HEALTH).' })
  diagnosis: string | null;
}

@ObjectType({ description: 'The education placement of a child: kindergarten or school and the PMPK conclusion (EDUCATION).' })
export class EducationPlacement implements Guarded {
  scope: RecordScope;

  @Guard(FieldClass.EDUCATION)
  @Field(() => String, { nullable: true, description: 'The kindergarten or school the child attends (EDUCATION).' })
  institution: string | null;

  @Guard(FieldClass.EDUCATION)
  @Field(() => String, { nullable: true, description: 'The conclusion of the psychological-medical-pedagogical commission (PMPK) (EDUCATION).' })
  pmpkConclusion: string | null;
}

@ObjectType({ implements: Node, description: 'A member of a family: a child, a parent, a guardian...' })
export class Person extends Node implements Guarded {
  localId: string;
  familyId: string;
  scope: RecordScope;
  birthDateValue: string;

  @Guard(FieldClass.IDENTITY)
  @Field(() => String, { nullable: true, description: 'The last name of the person (IDENTITY).' })
  lastName: string | null;

  @Guard(FieldClass.IDENTITY)
  @Field(() => String, { nullable: true, description: 'The first name of the person (IDENTITY).' })
  firstName: string | null;

  @Guard(FieldClass.IDENTITY)
  @Field(() => String, { nullable: true, description: 'The patronymic of the person (IDENTITY).' })
  middleName: string | null;

  @Guard(FieldClass.IDENTITY)
  @Field(() => String, { nullable: true, description: 'The birth date of the person, YYYY-MM-DD (IDENTITY).' })
  birthDate: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Int, { nullable: true, description: 'The age of the person in whole months today (CASE_META: needed to plan help without the birth date).' })
  ageMonths: number | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Sex, { nullable: true, description: 'The sex of the person (CASE_META).' })
  sex: Sex | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => FamilyRelation, { nullable: true, description: "The person's relation to the family (CASE_META)." })
  relation: FamilyRelation | null;

  @Guard(FieldClass.IDENTITY)
  @Field(() => String, { nullable: true, description: 'The number of the identity document or birth certificate (IDENTITY).' })
  documentNumber: string | null;

  @Guard(FieldClass.IDENTITY)
  @Field(() => String, { nullable: true, description: 'The phone of the person (IDENTITY).' })
  phone: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Disability, { nullable: true, description: 'The disability of the person: status (CASE_META) and diagnosis (HEALTH).' })
  disability: Disability | null;

  // The container is CASE_META so that a denied read is reported at the EDUCATION leaf that was asked for.
  @Guard(FieldClass.CASE_META)
  @Field(() => EducationPlacement, { nullable: true, description: 'The education placement of the person: its fields are EDUCATION (CASE_META container).' })
  education: EducationPlacement | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Placement, { nullable: true, description: 'Where the child lives now (CASE_META).' })
  placement: Placement | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Int, { nullable: true, description: 'The version of the person record, for optimistic concurrency (CASE_META).' })
  version: number | null;

  static from(row: PersonRow): Person {
    const id = String(row.id);
    const scope: RecordScope = { kind: 'family', id: String(row.family_id), recordId: id };
    const birth = new Date(`${row.birth_date}T00:00:00Z`);
    const now = new Date();
    const ageMonths = (now.getUTCFullYear() - birth.getUTCFullYear()) * 12 + (now.getUTCMonth() - birth.getUTCMonth()) - (now.getUTCDate() < birth.getUTCDate() ? 1 : 0);
    return Object.assign(new Person(), {
      id: toGlobalId('Person', id),
      localId: id,
      familyId: String(row.family_id),
      scope,
      birthDateValue: row.birth_date,
      lastName: row.last_name,
      firstName: row.first_name,
      middleName: row.middle_name,
      birthDate: row.birth_date,
      ageMonths,
      sex: row.sex,
      relation: row.relation,
      documentNumber: row.document_number,
      phone: row.phone,
      disability: Object.assign(new Disability(), { scope, status: row.disability_status, diagnosis: row.diagnosis }),
      education: Object.assign(new EducationPlacement(), { scope, institution: row.education_placement, pmpkConclusion: row.pmpk_conclusion }),
      placement: row.placement,
      version: row.version,
    });
  }
}

export interface PlacementEventRow {
  id: string;
  person_id: string;
  family_id: string;
  kind: PlacementEventKind;
  occurred_on: string;
  placement_before: Placement;
  placement_after: Placement;
  agency_id: string | null;
  recorded_by_agency_id: string;
  notes: string | null;
}

@ObjectType({ implements: Node, description: "A dated change of a child's placement; outcome metrics are computed from these." })
export class PlacementEvent extends Node implements Guarded {
  localId: string;
  personId: string;
  agencyId: string | null;
  scope: RecordScope;

  @Guard(FieldClass.CASE_META)
  @Field(() => PlacementEventKind, { nullable: true, description: 'What happened (CASE_META).' })
  kind: PlacementEventKind | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The date of the change, YYYY-MM-DD (CASE_META).' })
  occurredOn: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Placement, { nullable: true, description: 'The placement before the change (CASE_META).' })
  placementBefore: Placement | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Placement, { nullable: true, description: 'The placement after the change (CASE_META).' })
  placementAfter: Placement | null;

  @Guard(FieldClass.NOTES)
  @Field(() => String, { nullable: true, description: 'Notes on the change (NOTES: the recording agency and the case manager).' })
  notes: string | null;

  static from(row: PlacementEventRow): PlacementEvent {
    const id = String(row.id);
    return Object.assign(new PlacementEvent(), {
      id: toGlobalId('PlacementEvent', id),
      localId: id,
      personId: String(row.person_id),
      agencyId: row.agency_id === null ? null : String(row.agency_id),
      scope: { kind: 'family', id: String(row.family_id), ownerAgencyId: String(row.recorded_by_agency_id), recordId: id } satisfies RecordScope,
      kind: row.kind,
      occurredOn: row.occurred_on,
      placementBefore: row.placement_before,
      placementAfter: row.placement_after,
      notes: row.notes,
    });
  }
}
