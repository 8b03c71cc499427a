import { registerEnumType } from 'type-graphql';

/** Difficult life situations of a family (SOCIAL_RISK class). */
export enum FamilySituation {
  LOW_INCOME = 'LOW_INCOME',
  DISABILITY_IN_FAMILY = 'DISABILITY_IN_FAMILY',
  SINGLE_PARENT = 'SINGLE_PARENT',
  LARGE_FAMILY = 'LARGE_FAMILY',
  ADDICTION = 'ADDICTION',
  HOUSING = 'HOUSING',
  CONFLICT = 'CONFLICT',
  VIOLENCE = 'VIOLENCE',
  NEGLECT = 'NEGLECT',
  POLICE_INVOLVEMENT = 'POLICE_INVOLVEMENT',
  UNEMPLOYMENT = 'UNEMPLOYMENT',
  OTHER = 'OTHER',
}

export enum Sex {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
}

/** A person's relation to the family. */
export enum FamilyRelation {
  MOTHER = 'MOTHER',
  FATHER = 'FATHER',
  CHILD = 'CHILD',
  GUARDIAN = 'GUARDIAN',
  GRANDPARENT = 'GRANDPARENT',
  SIBLING = 'SIBLING',
  OTHER = 'OTHER',
}

export enum DisabilityStatus {
  NONE = 'NONE',
  LIMITED_HEALTH = 'LIMITED_HEALTH',
  DISABLED = 'DISABLED',
}

/** Where a child lives now. */
export enum Placement {
  WITH_BIRTH_FAMILY = 'WITH_BIRTH_FAMILY',
  IN_INSTITUTION = 'IN_INSTITUTION',
  GUARDIANSHIP = 'GUARDIANSHIP',
  FOSTER_FAMILY = 'FOSTER_FAMILY',
  ADOPTED = 'ADOPTED',
}

/** A dated change of a child's placement. */
export enum PlacementEventKind {
  PLACED_IN_INSTITUTION = 'PLACED_IN_INSTITUTION',
  RETURNED_TO_BIRTH_FAMILY = 'RETURNED_TO_BIRTH_FAMILY',
  GUARDIANSHIP = 'GUARDIANSHIP',
  FOSTER_FAMILY = 'FOSTER_FAMILY',
  ADOPTED = 'ADOPTED',
}

registerEnumType(FamilySituation, {
  name: 'FamilySituation',
  description: 'A difficult life situation of a family (SOCIAL_RISK class).',
  valuesConfig: {
    LOW_INCOME: { description: 'Low income.' },
    DISABILITY_IN_FAMILY: { description: 'A disabled member in the family.' },
    SINGLE_PARENT: { description: 'A single parent.' },
    LARGE_FAMILY: { description: 'A large family.' },
    ADDICTION: { description: 'Alcohol or drug addiction of a parent.' },
    HOUSING: { description: 'No or unsafe housing.' },
    CONFLICT: { description: 'Conflict in the family.' },
    VIOLENCE: { description: 'Violence in the family.' },
    NEGLECT: { description: 'Neglect of a child.' },
    POLICE_INVOLVEMENT: { description: 'The police are involved.' },
    UNEMPLOYMENT: { description: 'Unemployment of the parents.' },
    OTHER: { description: 'Another situation.' },
  },
});
registerEnumType(Sex, { name: 'Sex', description: 'The sex of a person.', valuesConfig: { FEMALE: { description: 'Female.' }, MALE: { description: 'Male.' } } });
registerEnumType(FamilyRelation, {
  name: 'FamilyRelation',
  description: "A person's relation to the family.",
  valuesConfig: {
    MOTHER: { description: 'Mother.' },
    FATHER: { description: 'Father.' },
    CHILD: { description: 'Child.' },
    GUARDIAN: { description: 'Guardian.' },
    GRANDPARENT: { description: 'Grandparent.' },
    SIBLING: { description: 'Adult sibling.' },
    OTHER: { description: 'Another relative or member of the household.' },
  },
});
registerEnumType(DisabilityStatus, {
  name: 'DisabilityStatus',
  description: 'The disability status of a person (CASE_META class).',
  valuesConfig: {
    NONE: { description: 'No disability.' },
    LIMITED_HEALTH: { description: 'Limited health capabilities (ОВЗ).' },
    DISABLED: { description: 'Disabled (ребёнок-инвалид).' },
  },
});
registerEnumType(Placement, {
  name: 'Placement',
  description: 'Where a child lives now.',
  valuesConfig: {
    WITH_BIRTH_FAMILY: { description: 'With the birth family.' },
    IN_INSTITUTION: { description: 'In an institution (social or health care).' },
    GUARDIANSHIP: { description: 'Under guardianship.' },
    FOSTER_FAMILY: { description: 'In a foster family.' },
    ADOPTED: { description: 'Adopted.' },
  },
});
registerEnumType(PlacementEventKind, {
  name: 'PlacementEventKind',
  description: "A dated change of a child's placement.",
  valuesConfig: {
    PLACED_IN_INSTITUTION: { description: 'Placed in an institution.' },
    RETURNED_TO_BIRTH_FAMILY: { description: 'Returned to the birth family.' },
    GUARDIANSHIP: { description: 'Guardianship established.' },
    FOSTER_FAMILY: { description: 'Placed in a foster family.' },
    ADOPTED: { description: 'Adopted.' },
  },
});
