import type { DataSource } from 'typeorm';
import { AgencyKind, Role } from '../../src/core/auth/roles';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { DisabilityStatus, FamilyRelation, FamilySituation, Sex } from '../../src/modules/families/family.enums';
import { createCase, createFamily } from './fixtures';
import { createAgency, createCaller, unique, type Caller, type Harness } from './harness';

/**
 * Factories for conference tests. Families and cases are built with the general factories of ./fixtures; the
 * conference itself is always made through the API under test.
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
  options: { region: string; leadAgencyId: string; situations?: FamilySituation[]; diagnosis?: string; childFirstName?: string; caseManagerId?: string | null },
): Promise<CaseFixture> {
  const childFirstName = options.childFirstName ?? unique('Ребёнок').replace(/\s.*/, '') + caseSequence;
  caseSequence += 1;
  const family = await createFamily(db, {
    registeredBy: options.leadAgencyId,
    region: options.region,
    settlement: 'Краснодар',
    address: null,
    situations: options.situations ?? [FamilySituation.ADDICTION, FamilySituation.LOW_INCOME],
    members: [
      {
        lastName: 'Иванов',
        firstName: childFirstName,
        birthDate: '2022-05-01',
        sex: Sex.MALE,
        relation: FamilyRelation.CHILD,
        disabilityStatus: DisabilityStatus.DISABLED,
        diagnosis: options.diagnosis ?? 'G80.1',
      },
    ],
  });
  const kase = await createCase(db, { family, leadAgencyId: options.leadAgencyId, caseManagerId: options.caseManagerId ?? null, openedOn: '2024-01-15' });
  return {
    caseId: kase.id,
    caseGlobalId: kase.globalId,
    number: kase.number,
    familyId: family.id,
    childId: family.children[0].id,
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
