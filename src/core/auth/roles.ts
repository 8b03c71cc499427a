import { registerEnumType } from 'type-graphql';

/** Roles a token may carry (ACCESS.md). */
export enum Role {
  ADMIN = 'ADMIN',
  COORDINATOR = 'COORDINATOR',
  CASE_MANAGER = 'CASE_MANAGER',
  SPECIALIST = 'SPECIALIST',
  ANALYST = 'ANALYST',
  PARTNER_SYSTEM = 'PARTNER_SYSTEM',
}

/** Kinds of agency; the kind decides which sensitive field classes its staff may read. */
export enum AgencyKind {
  SOCIAL_PROTECTION = 'SOCIAL_PROTECTION',
  HEALTH = 'HEALTH',
  EDUCATION = 'EDUCATION',
  GUARDIANSHIP = 'GUARDIANSHIP',
  NGO = 'NGO',
  LAW_ENFORCEMENT = 'LAW_ENFORCEMENT',
  OTHER = 'OTHER',
}

/** Sensitivity classes of fields (ACCESS.md). */
export enum FieldClass {
  REFERENCE = 'REFERENCE',
  CASE_META = 'CASE_META',
  IDENTITY = 'IDENTITY',
  HEALTH = 'HEALTH',
  SOCIAL_RISK = 'SOCIAL_RISK',
  EDUCATION = 'EDUCATION',
  NOTES = 'NOTES',
  AGGREGATE = 'AGGREGATE',
}

/** How a caller stands to a record; decided from the case's grants, its manager and its region. */
export enum Relation {
  /** The caller is the case's case manager. */
  CASE_MANAGER = 'CASE_MANAGER',
  /** The caller's agency (or the caller) holds an active LEAD, TEAM or REFERRAL grant. */
  TEAM = 'TEAM',
  /** The caller's agency holds an active break-the-glass grant. */
  EMERGENCY = 'EMERGENCY',
  /** The caller's agency takes part in a conference that has the case on its agenda. */
  CONFERENCE = 'CONFERENCE',
  /** The record is in one of the caller's regions. */
  REGION = 'REGION',
  /** The caller's agency wrote the record (notes of a service delivery or referral). */
  AUTHOR_AGENCY = 'AUTHOR_AGENCY',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'A role a caller holds, carried in the token.',
  valuesConfig: {
    ADMIN: { description: 'Registry administrator: reference data and the audit log, no case data.' },
    COORDINATOR: { description: 'Regional curator of a programme: every case of the own regions.' },
    CASE_MANAGER: { description: "A family's social agent: everything on the cases they manage." },
    SPECIALIST: { description: "Staff of an agency on a case's team." },
    ANALYST: { description: 'Ministry or programme analyst: outcome metrics only.' },
    PARTNER_SYSTEM: { description: "An agency's own information system, acting as a specialist of that agency." },
  },
});

registerEnumType(AgencyKind, {
  name: 'AgencyKind',
  description: 'The kind of an agency, which decides the sensitive fields its staff may read.',
  valuesConfig: {
    SOCIAL_PROTECTION: { description: 'Social protection: social-service centres (KCSON) and their units.' },
    HEALTH: { description: 'Health: hospitals, polyclinics, rehabilitation centres.' },
    EDUCATION: { description: 'Education: kindergartens, schools, PMPK commissions.' },
    GUARDIANSHIP: { description: 'Guardianship and trusteeship authorities.' },
    NGO: { description: 'Socially oriented non-profit organisations.' },
    LAW_ENFORCEMENT: { description: 'Police and other law enforcement.' },
    OTHER: { description: 'Any other kind of agency.' },
  },
});

registerEnumType(FieldClass, {
  name: 'FieldClass',
  description: 'The sensitivity class of a field (ACCESS.md).',
  valuesConfig: {
    REFERENCE: { description: 'Reference data: any authenticated caller.' },
    CASE_META: { description: 'Case number, status, dates, team, plan: the case team, case manager and coordinator.' },
    IDENTITY: { description: 'Names, birth dates, addresses, documents, external ids.' },
    HEALTH: { description: 'Diagnoses and medical notes.' },
    SOCIAL_RISK: { description: 'Family situations such as addiction, violence or neglect.' },
    EDUCATION: { description: 'Kindergarten or school placement and PMPK conclusion.' },
    NOTES: { description: 'Free-text notes of a service delivery or referral.' },
    AGGREGATE: { description: 'Outcome metrics.' },
  },
});
