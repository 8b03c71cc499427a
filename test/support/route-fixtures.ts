import type { DataSource } from 'typeorm';
import { AgencyKind, Role } from '../../src/core/auth/roles';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { createAgency, createCaller, type Caller, type Harness } from './harness';

/**
 * Factories for the route of help, referrals and services: agencies and callers around one region, service types,
 * offerings, and families with open cases written as rows (the team's grants included). Everything the tests then
 * change goes through the API.
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
  const tag = next();
  const [family] = await db.query(
    `INSERT INTO family (region_code, settlement, address, situations, registered_by_agency_id)
     VALUES ($1, 'Бердск', 'ул. Ленина, 1', '{LOW_INCOME,DISABILITY_IN_FAMILY}'::family_situation[], $2) RETURNING id::text AS id`,
    [options.region, options.leadAgencyId],
  );
  const motherFirstName = `Анна${tag}`;
  const [mother] = await db.query(
    `INSERT INTO person (family_id, last_name, first_name, birth_date, sex, relation) VALUES ($1, 'Петрова', $2, '1994-03-02', 'FEMALE', 'MOTHER') RETURNING id::text AS id`,
    [family.id, motherFirstName],
  );
  const [child] = await db.query(
    `INSERT INTO person (family_id, last_name, first_name, birth_date, sex, relation, disability_status, diagnosis)
     VALUES ($1, 'Петров', 'Миша', '2021-06-10', 'MALE', 'CHILD', 'DISABLED', 'G80.1 ДЦП') RETURNING id::text AS id`,
    [family.id],
  );
  const number = `${options.region}-2099-${tag}`;
  const openedOn = options.openedOn ?? '2024-01-15';
  const [kase] = await db.query(
    `INSERT INTO "case" (number, region_code, family_id, status, risk_level, source, lead_agency_id, case_manager_id, opened_on)
     VALUES ($1, $2, $3, $4, 'HIGH', 'EARLY_DETECTION', $5, $6, $7) RETURNING id::text AS id`,
    [number, options.region, family.id, options.status ?? 'ACTIVE', options.leadAgencyId, options.managerStaffId, openedOn],
  );
  await db.query(`INSERT INTO case_child (case_id, person_id) VALUES ($1, $2)`, [kase.id, child.id]);
  await db.query(
    `INSERT INTO case_access_grant (case_id, agency_id, kind, source, granted_by_subject)
     SELECT $1, a, CASE WHEN a = $2 THEN 'LEAD' ELSE 'TEAM' END::grant_kind, CASE WHEN a = $2 THEN 'OPEN_CASE' ELSE 'MANUAL' END, 'fixture'
       FROM unnest($3::bigint[]) AS a`,
    [kase.id, options.leadAgencyId, [options.leadAgencyId, ...options.teamAgencyIds]],
  );
  return { caseId: kase.id, caseGlobalId: gid('Case', kase.id), number, familyId: family.id, motherId: mother.id, childId: child.id, motherFirstName, openedOn };
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

export async function countWhere(db: DataSource, table: string, where: string, params: unknown[]): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM "${table}" WHERE ${where}`, params);
  return row.n;
}

/** A calendar day relative to today (UTC), YYYY-MM-DD. */
export function day(offsetDays: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + offsetDays);
  return date.toISOString().slice(0, 10);
}
