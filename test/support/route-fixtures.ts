import type { DataSource } from 'typeorm';
import { AgencyKind, Role } from '../../src/core/auth/roles';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { CaseStatus, GrantKind } from '../../src/modules/cases/case.enums';
import { DisabilityStatus, FamilyRelation, FamilySituation, Sex } from '../../src/modules/families/family.enums';
import { createCase, createFamily, grantAccessToAgencies } from './fixtures';
import { createAgency, createCaller, type Caller, type Harness } from './harness';

/**
 * Factories for the route of help, referrals and services: agencies and callers around one region, service types,
 * offerings, and families with open cases (built with the general factories of ./fixtures, the team's grants
 * included). Everything the tests then change goes through the API.
 */

let sequence = 0;
const next = () => `${process.pid.toString(36)}${Date.now().toString(36)}${(sequence += 1)}`.toUpperCase();

export const gid = toGlobalId;

export interface RouteCase {
  caseId: string;
  caseGlobalId: string;
  number: string;
  familyId: string;
  motherId: string;
  childId: string;
  motherFirstName: string;
  openedOn: string;
}

/** The cast: the lead agency's case manager and specialist, team agencies of three kinds, a receiving NGO, a coordinator, outsiders. */
export interface RouteWorld {
  region: string;
  manager: Caller;
  leadSpecialist: Caller;
  health: Caller;
  education: Caller;
  ngo: Caller;
  coordinator: Caller;
  outsider: Caller;
  otherManager: Caller;
  consultation: { id: string; code: string; globalId: string };
  lekoteka: { id: string; code: string; globalId: string };
  ngoOffering: { id: string; globalId: string };
  createCase(options?: { openedOn?: string; status?: string; team?: Caller[] }): Promise<RouteCase>;
}

export async function createServiceType(db: DataSource, name: string, domain = 'PSYCHOLOGICAL'): Promise<{ id: string; code: string; globalId: string }> {
  const code = `RT_${next()}`;
  const [row] = await db.query(`INSERT INTO service_type (code, name, domain) VALUES ($1, $2, $3) RETURNING id::text AS id`, [code, name, domain]);
  return { id: row.id, code, globalId: gid('ServiceType', row.id) };
}

/** A family (mother and a disabled child) and an open case led by the manager's agency, with LEAD and TEAM grants. */
export async function createRouteCase(
  db: DataSource,
  options: { region: string; leadAgencyId: string; managerStaffId: string | null; teamAgencyIds: string[]; openedOn?: string; status?: string },
): Promise<RouteCase> {
  const motherFirstName = `Анна${next()}`;
  const family = await createFamily(db, {
    registeredBy: options.leadAgencyId,
    region: options.region,
    settlement: 'Бердск',
    address: 'ул. Ленина, 1',
    situations: [FamilySituation.LOW_INCOME, FamilySituation.DISABILITY_IN_FAMILY],
    members: [
      { lastName: 'Петрова', firstName: motherFirstName, birthDate: '1994-03-02', sex: Sex.FEMALE, relation: FamilyRelation.MOTHER },
      { lastName: 'Петров', firstName: 'Миша', birthDate: '2021-06-10', sex: Sex.MALE, relation: FamilyRelation.CHILD, disabilityStatus: DisabilityStatus.DISABLED, diagnosis: 'G80.1 ДЦП' },
    ],
  });
  const openedOn = options.openedOn ?? '2024-01-15';
  const kase = await createCase(db, { family, leadAgencyId: options.leadAgencyId, caseManagerId: options.managerStaffId, status: options.status as CaseStatus | undefined, openedOn });
  await grantAccessToAgencies(db, kase.id, options.teamAgencyIds, { kind: GrantKind.TEAM });
  const [mother, child] = family.members;
  return { caseId: kase.id, caseGlobalId: kase.globalId, number: kase.number, familyId: family.id, motherId: mother.id, childId: child.id, motherFirstName, openedOn };
}

export async function createRouteWorld(h: Harness, region = '54'): Promise<RouteWorld> {
  const lead = await createAgency(h.db, AgencyKind.SOCIAL_PROTECTION, region);
  const manager = await createCaller(h, { roles: [Role.CASE_MANAGER], agency: lead });
  const leadSpecialist = await createCaller(h, { roles: [Role.SPECIALIST], agency: lead });
  const health = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.HEALTH, region });
  const education = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.EDUCATION, region });
  const ngo = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.NGO, region });
  const coordinator = await createCaller(h, { roles: [Role.COORDINATOR], kind: AgencyKind.SOCIAL_PROTECTION, region });
  const outsider = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.HEALTH, region });
  const otherManager = await createCaller(h, { roles: [Role.CASE_MANAGER], agency: lead });
  const consultation = await createServiceType(h.db, 'Консультация психолога');
  const lekoteka = await createServiceType(h.db, 'Занятие в Лекотеке', 'PEDAGOGICAL');
  const [offering] = await h.db.query(
    `INSERT INTO service_offering (provider_id, service_type_id, delivery_modes, region_codes) VALUES ($1, $2, '{ON_SITE,REMOTE}', $3) RETURNING id::text AS id`,
    [ngo.agency.id, consultation.id, [region]],
  );
  const world: RouteWorld = {
    region,
    manager,
    leadSpecialist,
    health,
    education,
    ngo,
    coordinator,
    outsider,
    otherManager,
    consultation,
    lekoteka,
    ngoOffering: { id: offering.id, globalId: gid('ServiceOffering', offering.id) },
    createCase: (options = {}) =>
      createRouteCase(h.db, {
        region,
        leadAgencyId: lead.id,
        managerStaffId: manager.staff.id,
        teamAgencyIds: (options.team ?? [health, education]).map((c) => c.agency.id),
        openedOn: options.openedOn,
        status: options.status,
      }),
  };
  return world;
}

/** The current version of a row, read straight from the database. */
export async function versionOf(db: DataSource, table: string, id: string): Promise<number> {
  const [row] = await db.query(`SELECT version FROM "${table}" WHERE id = $1`, [id]);
  return row.version;
}

/** A calendar day relative to today (UTC), YYYY-MM-DD. */
export function day(offsetDays: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + offsetDays);
  return date.toISOString().slice(0, 10);
}
