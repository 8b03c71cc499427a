import type { DataSource } from 'typeorm';
import { AgencyKind, Role } from '../../src/core/auth/roles';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { createAgency, createCaller, unique, type Caller, type Harness } from './harness';

/**
 * Factories for conference tests. Families and cases are inserted as rows (the families/cases module's own
 * factories are not there yet); the conference itself is always made through the API under test.
 */

let caseSequence = 0;

export interface CaseFixture {
  caseId: string;
  caseGlobalId: string;
  number: string;
  familyId: string;
  childId: string;
  childFirstName: string;
  regionCode: string;
  leadAgencyId: string;
}

/** A family (with situations) and a child with a diagnosis, and an open case led by an agency, with its LEAD grant. */
export async function createCaseRow(
  db: DataSource,
  options: { region: string; leadAgencyId: string; situations?: string[]; diagnosis?: string; childFirstName?: string; caseManagerId?: string | null },
): Promise<CaseFixture> {
  const [family] = await db.query(
    `INSERT INTO family (region_code, settlement, situations, registered_by_agency_id)
     VALUES ($1, 'Краснодар', $2::family_situation[], $3) RETURNING id::text AS id`,
    [options.region, options.situations ?? ['ADDICTION', 'LOW_INCOME'], options.leadAgencyId],
  );
  const childFirstName = options.childFirstName ?? unique('Ребёнок').replace(/\s.*/, '') + caseSequence;
  const [child] = await db.query(
    `INSERT INTO person (family_id, last_name, first_name, birth_date, sex, relation, disability_status, diagnosis)
     VALUES ($1, 'Иванов', $2, '2022-05-01', 'MALE', 'CHILD', 'DISABLED', $3) RETURNING id::text AS id`,
    [family.id, childFirstName, options.diagnosis ?? 'G80.1'],
  );
  caseSequence += 1;
  const number = `${options.region}-2024-${String(process.pid % 1000).padStart(3, '0')}${String(Date.now() % 100000).padStart(5, '0')}${String(caseSequence).padStart(4, '0')}`;
  const [kase] = await db.query(
    `INSERT INTO "case" (number, region_code, family_id, status, risk_level, source, lead_agency_id, case_manager_id, opened_on)
     VALUES ($1, $2, $3, 'ACTIVE', 'HIGH', 'EARLY_DETECTION', $4, $5, '2024-01-15') RETURNING id::text AS id`,
    [number, options.region, family.id, options.leadAgencyId, options.caseManagerId ?? null],
  );
  await db.query(`INSERT INTO case_child (case_id, person_id) VALUES ($1, $2)`, [kase.id, child.id]);
  await db.query(
    `INSERT INTO case_access_grant (case_id, agency_id, kind, source, granted_by_subject) VALUES ($1, $2, 'LEAD', 'OPEN_CASE', 'fixture')`,
    [kase.id, options.leadAgencyId],
  );
  return {
    caseId: kase.id,
    caseGlobalId: toGlobalId('Case', kase.id),
    number,
    familyId: family.id,
    childId: child.id,
    childFirstName,
    regionCode: options.region,
    leadAgencyId: options.leadAgencyId,
  };
}

/** The cast of a Krasnodar conference: the coordinator, the chair (social protection), a participating NGO, outsiders. */
export interface ConferenceWorld {
  coordinator: Caller;
  chair: Caller;
  ngo: Caller;
  health: Caller;
  outsider: Caller;
  otherCoordinator: Caller;
  cases: CaseFixture[];
  otherRegionCase: CaseFixture;
}

export async function createConferenceWorld(h: Harness, region = '23', caseCount = 2): Promise<ConferenceWorld> {
  const coordinator = await createCaller(h, { roles: [Role.COORDINATOR], kind: AgencyKind.SOCIAL_PROTECTION, region });
  const chair = await createCaller(h, { roles: [Role.CASE_MANAGER], kind: AgencyKind.SOCIAL_PROTECTION, region });
  const ngo = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.NGO, region });
  const health = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.HEALTH, region });
  const outsider = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.NGO, region });
  const otherRegion = region === '54' ? '63' : '54';
  const otherCoordinator = await createCaller(h, { roles: [Role.COORDINATOR], kind: AgencyKind.SOCIAL_PROTECTION, region: otherRegion });
  const cases: CaseFixture[] = [];
  for (let i = 0; i < caseCount; i++) cases.push(await createCaseRow(h.db, { region, leadAgencyId: chair.agency.id, caseManagerId: chair.staff.id }));
  const otherLead = await createAgency(h.db, AgencyKind.SOCIAL_PROTECTION, otherRegion);
  const otherRegionCase = await createCaseRow(h.db, { region: otherRegion, leadAgencyId: otherLead.id });
  return { coordinator, chair, ngo, health, outsider, otherCoordinator, cases, otherRegionCase };
}

export const agencyGlobalId = (caller: Caller): string => toGlobalId('Agency', caller.agency.id);
export const staffGlobalId = (caller: Caller): string => toGlobalId('StaffMember', caller.staff.id);

/** Counts rows of a table matching a condition (for "nothing was written"). */
export async function countRows(db: DataSource, table: string, where: string, params: unknown[]): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return row.n;
}
