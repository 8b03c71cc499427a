import type { DataSource } from 'typeorm';
import { query, queryOne } from '../../src/core/db';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { raw, sql } from '../../src/core/sql';
import { CaseSource, CaseStatus, GrantKind, RiskLevel } from '../../src/modules/cases/case.enums';
import { issueCaseNumber } from '../../src/modules/cases/case.service';
import { DisabilityStatus, FamilyRelation, FamilySituation, Placement, Sex } from '../../src/modules/families/family.enums';
import { unique } from './harness';

/**
 * Factories for case data, written straight to the database (fast, set-wise): families with members, cases with
 * children, programmes and access grants. Tests then read them through the API as a caller of a role and agency kind.
 */

export interface PersonSpec {
  lastName?: string;
  firstName?: string;
  middleName?: string | null;
  birthDate?: string;
  sex?: Sex;
  relation?: FamilyRelation;
  documentNumber?: string | null;
  phone?: string | null;
  disabilityStatus?: DisabilityStatus;
  diagnosis?: string | null;
  educationPlacement?: string | null;
  pmpkConclusion?: string | null;
  placement?: Placement;
  externalIds?: Array<{ system: string; value: string }>;
}

export interface PersonFixture {
  id: string;
  globalId: string;
  familyId: string;
  lastName: string;
  firstName: string;
  relation: FamilyRelation;
  diagnosis: string | null;
  pmpkConclusion: string | null;
}

export interface FamilyFixture {
  id: string;
  globalId: string;
  regionCode: string;
  situations: FamilySituation[];
  members: PersonFixture[];
  /** The members with relation CHILD. */
  children: PersonFixture[];
}

/** A mother and a child of two with a diagnosis and a PMPK conclusion, unless members are given. */
export const defaultMembers = (): PersonSpec[] => [
  { lastName: unique('Петрова'), firstName: 'Анна', relation: FamilyRelation.MOTHER, sex: Sex.FEMALE, birthDate: '1994-03-12' },
  {
    lastName: unique('Петров'),
    firstName: 'Миша',
    relation: FamilyRelation.CHILD,
    sex: Sex.MALE,
    birthDate: '2022-06-01',
    disabilityStatus: DisabilityStatus.LIMITED_HEALTH,
    diagnosis: 'G80.1 ДЦП, спастическая диплегия',
    educationPlacement: 'МБДОУ № 12, группа компенсирующей направленности',
    pmpkConclusion: 'Рекомендована АОП для детей с НОДА',
  },
];

/** Inserts a person into a family. */
export async function createPerson(db: DataSource, familyId: string, spec: PersonSpec = {}): Promise<PersonFixture> {
  const lastName = spec.lastName ?? unique('Сидоров');
  const firstName = spec.firstName ?? 'Ваня';
  const relation = spec.relation ?? FamilyRelation.CHILD;
  const row = await queryOne<{ id: string }>(
    db,
    sql`INSERT INTO person (family_id, last_name, first_name, middle_name, birth_date, sex, relation, document_number, phone,
                            disability_status, diagnosis, education_placement, pmpk_conclusion, placement)
        VALUES (${familyId}::bigint, ${lastName}, ${firstName}, ${spec.middleName ?? null}, ${spec.birthDate ?? '2022-01-15'}::date, ${spec.sex ?? Sex.MALE}::sex,
                ${relation}::family_relation, ${spec.documentNumber ?? null}, ${spec.phone ?? null}, ${spec.disabilityStatus ?? DisabilityStatus.NONE}::disability_status,
                ${spec.diagnosis ?? null}, ${spec.educationPlacement ?? null}, ${spec.pmpkConclusion ?? null}, ${spec.placement ?? Placement.WITH_BIRTH_FAMILY}::placement)
        RETURNING id::text AS id`,
  );
  const id = row!.id;
  for (const key of spec.externalIds ?? []) {
    await query(db, sql`INSERT INTO external_id (subject_type, person_id, system, value) VALUES ('PERSON', ${id}::bigint, ${key.system}, ${key.value})`);
  }
  return { id, globalId: toGlobalId('Person', id), familyId, lastName, firstName, relation, diagnosis: spec.diagnosis ?? null, pmpkConclusion: spec.pmpkConclusion ?? null };
}

/** Inserts a family with members (by default a mother and a child with health and education data). */
export async function createFamily(
  db: DataSource,
  options: {
    registeredBy: string;
    region?: string;
    settlement?: string;
    remote?: boolean;
    address?: string | null;
    phone?: string | null;
    situations?: FamilySituation[];
    members?: PersonSpec[];
    externalIds?: Array<{ system: string; value: string }>;
  },
): Promise<FamilyFixture> {
  const regionCode = options.region ?? '54';
  const situations = options.situations ?? [FamilySituation.LOW_INCOME, FamilySituation.ADDICTION];
  const row = await queryOne<{ id: string }>(
    db,
    sql`INSERT INTO family (region_code, settlement, remote, address, phone, situations, registered_by_agency_id)
        VALUES (${regionCode}, ${options.settlement ?? 'Бердск'}, ${options.remote ?? false}, ${options.address === undefined ? 'ул. Ленина, д. 1, кв. 2' : options.address},
                ${options.phone ?? null}, ${situations}::family_situation[], ${options.registeredBy}::bigint)
        RETURNING id::text AS id`,
  );
  const id = row!.id;
  for (const key of options.externalIds ?? []) {
    await query(db, sql`INSERT INTO external_id (subject_type, family_id, system, value) VALUES ('FAMILY', ${id}::bigint, ${key.system}, ${key.value})`);
  }
  const members: PersonFixture[] = [];
  for (const spec of options.members ?? defaultMembers()) members.push(await createPerson(db, id, spec));
  return { id, globalId: toGlobalId('Family', id), regionCode, situations, members, children: members.filter((m) => m.relation === FamilyRelation.CHILD) };
}

export interface GrantSpec {
  agencyId?: string | null;
  staffId?: string | null;
  kind: GrantKind;
  /** An expiry; a date in the past makes an expired grant. */
  expiresAt?: Date | null;
  revokedAt?: Date | null;
  reason?: string | null;
  source?: string;
}

/** Inserts an access grant on a case; returns its local id. */
export async function grantAccess(db: DataSource, caseId: string, grant: GrantSpec): Promise<string> {
  const row = await queryOne<{ id: string }>(
    db,
    sql`INSERT INTO case_access_grant (case_id, agency_id, staff_id, kind, source, reason, expires_at, revoked_at, granted_by_subject)
        VALUES (${caseId}::bigint, ${grant.agencyId ?? null}::bigint, ${grant.staffId ?? null}::bigint, ${grant.kind}::grant_kind,
                ${grant.source ?? (grant.kind === GrantKind.LEAD ? 'OPEN_CASE' : grant.kind === GrantKind.EMERGENCY ? 'EMERGENCY' : grant.kind === GrantKind.CONFERENCE ? 'CONFERENCE' : 'MANUAL')},
                ${grant.reason ?? null}, ${grant.expiresAt ?? null}::timestamptz, ${grant.revokedAt ?? null}::timestamptz, 'fixture')
        RETURNING id::text AS id`,
  );
  return row!.id;
}

/** Inserts several grants, one statement each kind of holder (set-wise for big fixtures). */
export async function grantAccessToAgencies(db: DataSource, caseId: string, agencyIds: string[], grant: Omit<GrantSpec, 'agencyId' | 'staffId'>): Promise<void> {
  if (agencyIds.length === 0) return;
  await query(
    db,
    sql`INSERT INTO case_access_grant (case_id, agency_id, kind, source, reason, expires_at, revoked_at, granted_by_subject)
        SELECT ${caseId}::bigint, a, ${grant.kind}::grant_kind, ${grant.source ?? 'MANUAL'}, ${grant.reason ?? null}, ${grant.expiresAt ?? null}::timestamptz,
               ${grant.revokedAt ?? null}::timestamptz, 'fixture'
          FROM unnest(${agencyIds}::bigint[]) AS a`,
  );
}

export interface CaseFixture {
  id: string;
  globalId: string;
  number: string;
  regionCode: string;
  family: FamilyFixture;
  children: PersonFixture[];
  leadAgencyId: string;
}

/** Inserts a case for a family with its children, a LEAD grant for the lead agency, programmes and extra grants. */
export async function createCase(
  db: DataSource,
  options: {
    family: FamilyFixture;
    leadAgencyId: string;
    caseManagerId?: string | null;
    children?: PersonFixture[];
    status?: CaseStatus;
    riskLevel?: RiskLevel;
    source?: CaseSource;
    openedOn?: string;
    closureNote?: string | null;
    programIds?: string[];
    grants?: GrantSpec[];
    /** Skip the LEAD grant (to test a relation in isolation). */
    withoutLeadGrant?: boolean;
  },
): Promise<CaseFixture> {
  const { family } = options;
  const openedOn = options.openedOn ?? '2024-02-01';
  const number = await issueCaseNumber(db, family.regionCode, Number(openedOn.slice(0, 4)));
  const row = await queryOne<{ id: string }>(
    db,
    sql`INSERT INTO "case" (number, region_code, family_id, status, risk_level, source, lead_agency_id, case_manager_id, opened_on, closure_note)
        VALUES (${number}, ${family.regionCode}, ${family.id}::bigint, ${options.status ?? CaseStatus.ACTIVE}::case_status, ${options.riskLevel ?? RiskLevel.HIGH}::risk_level,
                ${options.source ?? CaseSource.EARLY_DETECTION}::case_source, ${options.leadAgencyId}::bigint, ${options.caseManagerId ?? null}::bigint, ${openedOn}::date,
                ${options.closureNote ?? null})
        RETURNING id::text AS id`,
  );
  const id = row!.id;
  const children = options.children ?? family.children;
  await query(db, sql`INSERT INTO case_child (case_id, person_id) SELECT ${id}::bigint, unnest(${children.map((c) => c.id)}::bigint[])`);
  if (options.programIds?.length) await query(db, sql`INSERT INTO case_program (case_id, program_id) SELECT ${id}::bigint, unnest(${options.programIds}::bigint[])`);
  await query(db, sql`INSERT INTO case_status_change (case_id, from_status, to_status, changed_by_subject) VALUES (${id}::bigint, NULL, ${options.status ?? CaseStatus.ACTIVE}::case_status, 'fixture')`);
  if (!options.withoutLeadGrant) await grantAccess(db, id, { agencyId: options.leadAgencyId, kind: GrantKind.LEAD });
  for (const grant of options.grants ?? []) await grantAccess(db, id, grant);
  return { id, globalId: toGlobalId('Case', id), number, regionCode: family.regionCode, family, children, leadAgencyId: options.leadAgencyId };
}

/** Inserts a programme running in regions; returns its local id. */
export async function createProgram(db: DataSource, options: { regions?: string[]; name?: string; code?: string } = {}): Promise<string> {
  const code = options.code ?? unique('PRG').replace(/[^A-Za-z0-9-]/g, '-');
  const row = await queryOne<{ id: string }>(
    db,
    sql`INSERT INTO program (code, name, funder, region_codes, starts_on) VALUES (${code}, ${options.name ?? unique('Программа')}, 'Фонд президентских грантов',
        ${options.regions ?? ['10', '23', '51', '54', '63']}::text[], '2019-09-01') RETURNING id::text AS id`,
  );
  return row!.id;
}

/** The number of rows of a table (for "nothing was written"). */
export async function countRows(db: DataSource, table: string): Promise<number> {
  const row = await queryOne<{ n: string }>(db, sql`SELECT count(*)::bigint AS n FROM ${rawTable(table)}`);
  return Number(row!.n);
}

/** The number of rows of a table matching a condition with $1.. parameters (for "nothing was written" on one case or one conference). */
export async function countWhere(db: DataSource, table: string, where: string, params: unknown[]): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM "${checkedTable(table)}" WHERE ${where}`, params);
  return row.n;
}

const TABLES = new Set([
  'family', 'person', 'external_id', 'placement_event', 'case', 'case_child', 'case_program', 'case_access_grant', 'case_status_change', 'audit_event', 'idempotency_key',
  'need', 'plan_step', 'referral', 'service_delivery', 'case_conference', 'conference_agency', 'conference_item', 'decision',
]);
function checkedTable(table: string): string {
  if (!TABLES.has(table)) throw new Error(`countRows/countWhere: unknown table ${table}`);
  return table;
}
function rawTable(table: string) {
  return raw(`"${checkedTable(table)}"`);
}
