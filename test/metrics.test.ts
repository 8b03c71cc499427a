import fs from 'node:fs';
import path from 'node:path';
import { harness, gql, createCaller, createAgency, codes, unique, type Harness, type Caller } from './support/harness';
import { AgencyKind, Role } from '../src/core/auth/roles';
import { query, queryOne } from '../src/core/db';
import { sql } from '../src/core/sql';
import { seedDemoOutcomes, OUTCOME_PROGRAMMES } from '../src/demo/outcomes';
import { seedDemo } from '../src/demo/seed-demo';
import { INDICATORS as CATALOGUE, INDICATOR_NAMES } from '../src/modules/metrics/metrics.indicators';
import { suppressSmallCells, type CellRow } from '../src/modules/metrics/metrics.suppression';
import * as metricsQueries from '../src/modules/metrics/metrics.queries';
import { metricsStatement } from '../src/modules/metrics/metrics.queries';
import { MetricDimension } from '../src/modules/metrics/metrics.enums';

const FIGURE = '{ value suppressed reported }';
const INDICATORS = INDICATOR_NAMES.map((name) => `${name} ${FIGURE}`).join('\n');

const METRICS = `
  query Metrics($filter: OutcomeMetricsFilter!, $groupBy: [MetricDimension!]) {
    outcomeMetrics(filter: $filter, groupBy: $groupBy) {
      regionCodes from to asOf baselineDate targetAgeUnder groupBy smallCellsSuppressed
      programs { code }
      rows { region { code name } program { code } month agencyKind serviceType { code } deliveryMode ...Indicators }
      total { region { code } month ...Indicators }
      reported { indicator periodStart periodEnd note value ${FIGURE} program { code } region { code } reportedIndicator { id value } }
    }
  }
  fragment Indicators on OutcomeMetricsRow { ${INDICATORS} }`;

const REPORT = `
  mutation Report($input: ReportIndicatorInput!) {
    reportIndicator(input: $input) { reportedIndicator { id indicator periodStart periodEnd value note program { code } region { code } } }
  }`;

type Figure = { value: number | null; suppressed: boolean; reported: boolean };
type Row = Record<string, any>;

const MURMANSK = OUTCOME_PROGRAMMES.murmansk.codes[0];
const NOVOSIBIRSK = OUTCOME_PROGRAMMES.novosibirsk.codes[0];
const KARELIA = OUTCOME_PROGRAMMES.karelia.codes[0];

let h: Harness;
let admin: Caller;
let analyst: Caller;
let coordinator51: Caller;
let coordinator54: Caller;

beforeAll(async () => {
  h = await harness();
  // The whole demo registry, as `npm start` loads it: the published figures must come out of it exactly,
  // whatever else the demo holds (other cases of the same regions, routes, conferences).
  expect(await seedDemo(h.db)).toBe(true);
  admin = await createCaller(h, { roles: [Role.ADMIN], region: '10' });
  analyst = await createCaller(h, { roles: [Role.ANALYST], region: '54' });
  coordinator51 = await createCaller(h, { roles: [Role.COORDINATOR], region: '51' });
  coordinator54 = await createCaller(h, { roles: [Role.COORDINATOR], region: '54' });
});
afterAll(() => h.close());

async function metrics(as: Caller, filter: Record<string, unknown>, groupBy: string[] = []) {
  const response = await gql<{ outcomeMetrics: any }>(h, METRICS, { filter, groupBy }, as);
  return response;
}

async function answer(as: Caller, filter: Record<string, unknown>, groupBy: string[] = []) {
  const response = await metrics(as, filter, groupBy);
  expect(response.errors).toBeUndefined();
  return response.data!.outcomeMetrics;
}

const value = (figure: Figure | null) => figure?.value ?? null;
const findRow = (rows: Row[], match: (row: Row) => boolean): Row => {
  const row = rows.find(match);
  if (!row) throw new Error('no such row');
  return row;
};

const MURMANSK_FILTER = { programs: [MURMANSK], regions: ['51'], from: '2019-09-01', to: '2020-12-30' };
const NSK_START = { programs: [NOVOSIBIRSK], regions: ['54'], asOf: '2023-06-01' };
const NSK_2023 = { programs: [NOVOSIBIRSK], regions: ['54'], from: '2023-01-01', to: '2023-12-31' };
const NSK_H1_2024 = { programs: [NOVOSIBIRSK], regions: ['54'], from: '2024-01-01', to: '2024-06-30', asOf: '2024-07-01', baselineDate: '2023-06-01' };

describe("the seeds' figures, computed from records", () => {
  test.each([
    ['ADMIN', () => admin],
    ['COORDINATOR of region 51', () => coordinator51],
  ])('SOS Murmansk, «От равных прав к равным возможностям», as %s', async (_role, as) => {
    const result = await answer(as(), MURMANSK_FILTER, ['SERVICE_TYPE', 'DELIVERY_MODE']);
    expect(result.smallCellsSuppressed).toBe(false);
    const rows: Row[] = result.rows;
    const of = (code: string, mode?: string) => findRow(rows, (r) => r.serviceType.code === code && (!mode || r.deliveryMode === mode));
    // 23 families got home-based social care for a disabled child.
    expect(value(of('HOME_SOCIAL_CARE', 'HOME').familiesWithDisabledChildServed)).toBe(23);
    expect(value(of('HOME_SOCIAL_CARE', 'HOME').familiesServed)).toBe(23);
    // 5 mobile-brigade trips with 75 services by a neurologist, psychologist, speech therapist or lawyer.
    expect(value(result.total.brigadeTrips)).toBe(5);
    expect(value(result.total.brigadeServices)).toBe(75);
    const specialists = ['CONSULTATION_NEUROLOGIST', 'CONSULTATION_PSYCHOLOGIST', 'CONSULTATION_SPEECH_THERAPIST', 'CONSULTATION_LAWYER'];
    const onTrips = rows.filter((r) => specialists.includes(r.serviceType.code) && r.deliveryMode === 'MOBILE_BRIGADE');
    expect(onTrips.reduce((sum, r) => sum + value(r.servicesDelivered)!, 0)).toBe(75);
    // 80 individual consultations.
    expect(value(of('INDIVIDUAL_CONSULTATION').servicesDelivered)).toBe(80);
    // 102 parents in trainings and support groups.
    expect(value(result.total.parentsInGroups)).toBe(102);
    // 300 children at leisure events.
    expect(value(of('LEISURE_EVENT').childrenServed)).toBe(300);
    // 206 specialists trained (reported).
    expect(result.reported).toEqual([
      expect.objectContaining({ indicator: 'SPECIALISTS_TRAINED', periodStart: '2019-09-01', periodEnd: '2020-12-30', value: { value: 206, suppressed: false, reported: true }, program: { code: MURMANSK }, region: { code: '51' } }),
    ]);
    // Placement indicators do not apply to service types: null in the rows, present in the total.
    expect(of('LEISURE_EVENT').childrenReturnedToBirthFamily).toBeNull();
    expect(value(result.total.childrenReturnedToBirthFamily)).toBe(0);
  });

  test.each([
    ['ADMIN', () => admin],
    ['COORDINATOR of region 54', () => coordinator54],
  ])('pilot «0–4», Novosibirsk, as %s', async (_role, as) => {
    const start = await answer(as(), NSK_START);
    expect(value(start.total.childrenInInstitutions)).toBe(112);

    const year2023 = await answer(as(), NSK_2023);
    expect(value(year2023.total.childrenPlacedInFamilies)).toBe(125);

    const half2024 = await answer(as(), NSK_H1_2024);
    expect(value(half2024.total.childrenReturnedToBirthFamily)).toBe(61);
    expect(value(half2024.total.childrenPlacedInSubstituteFamily)).toBe(17);
    expect(value(half2024.total.childrenInInstitutionsAtBaseline)).toBe(112);
    expect(value(half2024.total.childrenInInstitutions)).toBe(47);
    expect(Math.round(value(half2024.total.institutionalisedChange)!)).toBe(-58);
    expect(value(half2024.total.institutionalisedChange)).toBe(-58);
  });

  test.each([
    ['ADMIN', () => admin, ['10']],
    ['ANALYST', () => analyst, undefined],
  ])('Karelia, «Детство под защитой»: funds spent (reported), as %s', async (_role, as, regions) => {
    const result = await answer(as(), { programs: [KARELIA], regions, from: '2020-01-01', to: '2021-12-31' });
    expect(result.reported.map((r: Row) => [r.indicator, r.periodStart, r.periodEnd, r.value])).toEqual([
      ['FUNDS_SPENT_RUB', '2020-01-01', '2020-12-31', { value: 1390700, suppressed: false, reported: true }],
      ['FUNDS_SPENT_RUB', '2021-01-01', '2021-12-31', { value: 3282233, suppressed: false, reported: true }],
    ]);
    const only2020 = await answer(as(), { programs: [KARELIA], regions, from: '2020-01-01', to: '2020-12-31' });
    expect(only2020.reported.map((r: Row) => r.value.value)).toEqual([1390700]);
  });
});

/* ------------------------------------------------------------------ helpers: records written straight to the database */

let counter = 0;
async function createProgramme(regions: string[], startsOn = '2024-01-01', endsOn: string | null = '2024-12-31'): Promise<{ id: string; code: string }> {
  counter += 1;
  const code = `TEST-METRICS-${process.pid}-${Date.now().toString(36).toUpperCase()}-${counter}`;
  const row = await queryOne<{ id: string }>(
    h.db,
    sql`INSERT INTO program (code, name, funder, region_codes, starts_on, ends_on) VALUES (${code}, ${unique('Программа')}, 'тест', ${regions}::text[], ${startsOn}::date, ${endsOn}::date) RETURNING id`,
  );
  return { id: String(row!.id), code };
}

interface FamilyRecord {
  familyId: string;
  childId: string;
  motherId: string;
  caseId: string;
}

/** A family (a mother and a child) with a case in a region, enrolled in a programme. */
async function familyWithCase(
  region: string,
  programmeId: string,
  agencyId: string,
  child: { birthDate?: string; disability?: string; placement?: string } = {},
): Promise<FamilyRecord> {
  const family = await queryOne<{ id: string }>(
    h.db,
    sql`INSERT INTO family (region_code, settlement, registered_by_agency_id) VALUES (${region}, 'Тестовый посёлок', ${agencyId}::bigint) RETURNING id`,
  );
  const mother = await queryOne<{ id: string }>(
    h.db,
    sql`INSERT INTO person (family_id, last_name, first_name, birth_date, sex, relation) VALUES (${family!.id}::bigint, 'Тестова', 'Анна', '1990-01-01', 'FEMALE', 'MOTHER') RETURNING id`,
  );
  const person = await queryOne<{ id: string }>(
    h.db,
    sql`INSERT INTO person (family_id, last_name, first_name, birth_date, sex, relation, disability_status, placement)
        VALUES (${family!.id}::bigint, 'Тестов', 'Миша', ${child.birthDate ?? '2022-05-01'}::date, 'MALE', 'CHILD', ${child.disability ?? 'NONE'}::disability_status, ${child.placement ?? 'WITH_BIRTH_FAMILY'}::placement)
        RETURNING id`,
  );
  const opened = await queryOne<{ id: string }>(
    h.db,
    sql`INSERT INTO "case" (number, region_code, family_id, status, risk_level, source, lead_agency_id, opened_on)
        VALUES (${unique(`${region}-T`)}, ${region}, ${family!.id}::bigint, 'ACTIVE', 'HIGH', 'NGO', ${agencyId}::bigint, '2019-01-01') RETURNING id`,
  );
  await query(h.db, sql`INSERT INTO case_child (case_id, person_id) VALUES (${opened!.id}::bigint, ${person!.id}::bigint)`);
  await query(h.db, sql`INSERT INTO case_program (case_id, program_id) VALUES (${opened!.id}::bigint, ${programmeId}::bigint)`);
  return { familyId: String(family!.id), childId: String(person!.id), motherId: String(mother!.id), caseId: String(opened!.id) };
}

async function deliver(record: FamilyRecord, agencyId: string, serviceCode: string, on: string, mode = 'ON_SITE', options: { recipient?: string; referralId?: string } = {}): Promise<void> {
  await query(
    h.db,
    sql`INSERT INTO service_delivery (case_id, recipient_id, service_type_id, provider_id, delivered_on, delivery_mode, referral_id, recorded_by_agency_id, recorded_by_subject)
        SELECT ${record.caseId}::bigint, ${options.recipient ?? record.childId}::bigint, st.id, ${agencyId}::bigint, ${on}::date, ${mode}::delivery_mode,
               ${options.referralId ?? null}::bigint, ${agencyId}::bigint, 'test'
          FROM service_type st WHERE st.code = ${serviceCode}`,
  );
}

async function placementEvent(childId: string, agencyId: string, kind: string, on: string, before: string, after: string): Promise<void> {
  await query(
    h.db,
    sql`INSERT INTO placement_event (person_id, kind, occurred_on, placement_before, placement_after, recorded_by_agency_id)
        VALUES (${childId}::bigint, ${kind}::placement_event_kind, ${on}::date, ${before}::placement, ${after}::placement, ${agencyId}::bigint)`,
  );
  await query(h.db, sql`UPDATE person SET placement = ${after}::placement WHERE id = ${childId}::bigint`);
}

async function programmeId(code: string): Promise<string> {
  return String((await queryOne<{ id: string }>(h.db, sql`SELECT id FROM program WHERE code = ${code}`))!.id);
}

/* ------------------------------------------------------------------ the dataset is idempotent, and figures move with the records */

describe('the dataset and the records behind the figures', () => {
  test('running the dataset again doubles nothing', async () => {
    const count = () =>
      queryOne<{ families: string; services: string; events: string; reported: string; programmes: string }>(
        h.db,
        sql`SELECT (SELECT count(*) FROM external_id WHERE system = 'krug-demo-outcomes') AS families,
                   (SELECT count(*) FROM service_delivery) AS services,
                   (SELECT count(*) FROM placement_event) AS events,
                   (SELECT count(*) FROM reported_indicator) AS reported,
                   (SELECT count(*) FROM program) AS programmes`,
      );
    const before = await count();
    expect(Number(before!.families)).toBe(400);
    await seedDemoOutcomes(h.db.manager);
    expect(await count()).toEqual(before);
    const half2024 = await answer(admin, NSK_H1_2024);
    expect(value(half2024.total.childrenReturnedToBirthFamily)).toBe(61);
  });

  test('one more child returned to the birth family moves the figure by one (and the stocks with it)', async () => {
    const before = (await answer(admin, NSK_H1_2024)).total;
    const agency = await createAgency(h.db, AgencyKind.SOCIAL_PROTECTION, '54');
    const record = await familyWithCase('54', await programmeId(NOVOSIBIRSK), agency.id, { birthDate: '2022-02-01', placement: 'IN_INSTITUTION' });
    await placementEvent(record.childId, agency.id, 'PLACED_IN_INSTITUTION', '2023-03-01', 'WITH_BIRTH_FAMILY', 'IN_INSTITUTION');
    await placementEvent(record.childId, agency.id, 'RETURNED_TO_BIRTH_FAMILY', '2024-03-15', 'IN_INSTITUTION', 'WITH_BIRTH_FAMILY');
    const after = (await answer(admin, NSK_H1_2024)).total;
    expect(value(after.childrenReturnedToBirthFamily)).toBe(value(before.childrenReturnedToBirthFamily)! + 1);
    expect(value(after.childrenPlacedInFamilies)).toBe(value(before.childrenPlacedInFamilies)! + 1);
    expect(value(after.childrenPlacedInSubstituteFamily)).toBe(value(before.childrenPlacedInSubstituteFamily));
    expect(value(after.childrenInInstitutionsAtBaseline)).toBe(value(before.childrenInInstitutionsAtBaseline)! + 1);
    expect(value(after.childrenInInstitutions)).toBe(value(before.childrenInInstitutions));
    // The same child in another region's answer: not counted.
    const elsewhere = await answer(admin, { ...NSK_H1_2024, regions: ['23'] });
    expect(value(elsewhere.total.childrenReturnedToBirthFamily)).toBe(0);
  });

  test('one more family with home-based social care for a disabled child moves the figure by one', async () => {
    const homeCare = async () => {
      const rows: Row[] = (await answer(coordinator51, MURMANSK_FILTER, ['SERVICE_TYPE', 'DELIVERY_MODE'])).rows;
      return findRow(rows, (r) => r.serviceType.code === 'HOME_SOCIAL_CARE' && r.deliveryMode === 'HOME');
    };
    const before = await homeCare();
    const agency = await createAgency(h.db, AgencyKind.NGO, '51');
    const record = await familyWithCase('51', await programmeId(MURMANSK), agency.id, { birthDate: '2015-01-01', disability: 'DISABLED' });
    await deliver(record, agency.id, 'HOME_SOCIAL_CARE', '2020-03-03', 'HOME');
    await deliver(record, agency.id, 'HOME_SOCIAL_CARE', '2020-04-03', 'HOME');
    // Outside the programme's period: not counted.
    await deliver(record, agency.id, 'HOME_SOCIAL_CARE', '2021-02-03', 'HOME');
    const after = await homeCare();
    expect(value(after.familiesWithDisabledChildServed)).toBe(value(before.familiesWithDisabledChildServed)! + 1);
    expect(value(after.familiesServed)).toBe(value(before.familiesServed)! + 1);
    expect(value(after.servicesDelivered)).toBe(value(before.servicesDelivered)! + 2);
  });
});

/* ------------------------------------------------------------------ access (AGGREGATE class) */

describe('who may read outcome metrics', () => {
  test.each([Role.CASE_MANAGER, Role.SPECIALIST, Role.PARTNER_SYSTEM])('%s is refused with FORBIDDEN', async (role) => {
    const caller = await createCaller(h, { roles: [role], region: '51' });
    const response = await metrics(caller, MURMANSK_FILTER);
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(response.data?.outcomeMetrics ?? null).toBeNull();
  });

  test('without a token: UNAUTHENTICATED', async () => {
    const response = await gql(h, METRICS, { filter: MURMANSK_FILTER });
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  test('an administrator sees every region unsuppressed', async () => {
    const result = await answer(admin, { programs: [MURMANSK, NOVOSIBIRSK], from: '2019-09-01', to: '2024-06-30' }, ['REGION']);
    expect(result.smallCellsSuppressed).toBe(false);
    expect(result.regionCodes).toBeNull();
    expect(result.rows.map((r: Row) => r.region.code)).toEqual(['51', '54']);
  });

  test('a coordinator sees the own regions unsuppressed; the own regions when none are named', async () => {
    const result = await answer(coordinator54, { programs: [MURMANSK, NOVOSIBIRSK], from: '2019-09-01', to: '2024-06-30' }, ['REGION']);
    expect(result.regionCodes).toEqual(['54']);
    expect(result.smallCellsSuppressed).toBe(false);
    expect(result.rows.map((r: Row) => r.region.code)).toEqual(['54']);
    // Murmansk's services are not in a Novosibirsk coordinator's answer.
    expect(value(result.total.servicesDelivered)).toBe(0);
  });

  test("a coordinator naming another region is refused (FORBIDDEN), even beside the own one", async () => {
    for (const regions of [['51'], ['51', '54']]) {
      const response = await metrics(coordinator54, { ...MURMANSK_FILTER, regions });
      expect(codes(response)).toEqual(['FORBIDDEN']);
      expect(response.errors![0].message).toMatch(/51/);
    }
  });

  test('a coordinator who is also an analyst gets the analyst view of other regions', async () => {
    const both = await createCaller(h, { roles: [Role.COORDINATOR, Role.ANALYST], region: '54' });
    const own = await answer(both, NSK_START);
    expect(own.smallCellsSuppressed).toBe(false);
    const other = await answer(both, MURMANSK_FILTER);
    expect(other.smallCellsSuppressed).toBe(true);
  });

  test('an analyst sees every region with small cells suppressed; big figures stay', async () => {
    const result = await answer(analyst, MURMANSK_FILTER, ['SERVICE_TYPE', 'DELIVERY_MODE']);
    expect(result.smallCellsSuppressed).toBe(true);
    expect(result.regionCodes).toEqual(['51']);
    expect(value(result.total.parentsInGroups)).toBe(102);
    for (const row of [...result.rows, result.total] as Row[]) {
      for (const name of INDICATOR_NAMES) {
        const figure: Figure | null = row[name];
        if (figure && figure.value !== null && CATALOGUE[name].kind === 'count') expect(figure.value === 0 || figure.value >= 5).toBe(true);
        if (figure?.suppressed) expect(figure.value).toBeNull();
      }
    }
  });

  test('no row identifies a record: rows carry group keys and aggregates only', async () => {
    const introspection = await gql(h, '{ __type(name: "OutcomeMetricsRow") { fields { name type { name ofType { name } } } } }', {}, analyst);
    const fields: Array<{ name: string; type: { name: string | null; ofType: { name: string } | null } }> = introspection.data!.__type.fields;
    const typeNames = fields.map((f) => f.type.name ?? f.type.ofType?.name);
    expect(new Set(typeNames)).toEqual(new Set(['Region', 'Program', 'String', 'AgencyKind', 'ServiceType', 'DeliveryMode', 'MetricValue']));
    expect(fields.map((f) => f.name)).not.toContain('id');
  });
});

/* ------------------------------------------------------------------ small-cell protection */

describe('small-cell protection', () => {
  const cells = (values: Record<string, number | null>): CellRow => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v, suppressed: false }]));

  test('counts of 1 to 4 are suppressed; 0 and 5 are not', () => {
    const rows = [cells({ servicesDelivered: 0 }), cells({ servicesDelivered: 1 }), cells({ servicesDelivered: 4 }), cells({ servicesDelivered: 5 })];
    const total = cells({ servicesDelivered: 10 });
    suppressSmallCells(rows, total);
    expect(rows.map((r) => r.servicesDelivered.suppressed)).toEqual([false, true, true, false]);
    expect(total.servicesDelivered.suppressed).toBe(false);
  });

  test('a single suppressed cell of a shown total takes the next-smallest non-zero cell with it', () => {
    const rows = [cells({ servicesDelivered: 12 }), cells({ servicesDelivered: 3 }), cells({ servicesDelivered: 0 }), cells({ servicesDelivered: 7 }), cells({ servicesDelivered: 9 })];
    const total = cells({ servicesDelivered: 31 });
    suppressSmallCells(rows, total);
    expect(rows.map((r) => r.servicesDelivered.suppressed)).toEqual([false, true, false, true, false]);
  });

  test('two suppressed cells need no complement', () => {
    const rows = [cells({ servicesDelivered: 12 }), cells({ servicesDelivered: 3 }), cells({ servicesDelivered: 2 }), cells({ servicesDelivered: 7 })];
    const total = cells({ servicesDelivered: 24 });
    suppressSmallCells(rows, total);
    expect(rows.map((r) => r.servicesDelivered.suppressed)).toEqual([false, true, true, false]);
  });

  test('within a row: placed in families = returned + substitute family, so one hidden part hides another', () => {
    const total = cells({ childrenPlacedInFamilies: 12, childrenReturnedToBirthFamily: 9, childrenPlacedInSubstituteFamily: 3 });
    suppressSmallCells([total], total);
    expect(total.childrenPlacedInSubstituteFamily.suppressed).toBe(true);
    expect(total.childrenReturnedToBirthFamily.suppressed).toBe(true);
    expect(total.childrenPlacedInFamilies.suppressed).toBe(false);
  });

  test('complements cascade until no sum has a single hidden cell', () => {
    // Column sums over rows and the row sum of each row interlock: hiding a 9 in row A re-opens row A's own sum.
    const a = cells({ childrenPlacedInFamilies: 11, childrenReturnedToBirthFamily: 2, childrenPlacedInSubstituteFamily: 9 });
    const b = cells({ childrenPlacedInFamilies: 30, childrenReturnedToBirthFamily: 20, childrenPlacedInSubstituteFamily: 10 });
    const total = cells({ childrenPlacedInFamilies: 41, childrenReturnedToBirthFamily: 22, childrenPlacedInSubstituteFamily: 19 });
    suppressSmallCells([a, b], total);
    for (const sum of [
      [a.childrenPlacedInFamilies, a.childrenReturnedToBirthFamily, a.childrenPlacedInSubstituteFamily],
      [b.childrenPlacedInFamilies, b.childrenReturnedToBirthFamily, b.childrenPlacedInSubstituteFamily],
      [total.childrenPlacedInFamilies, total.childrenReturnedToBirthFamily, total.childrenPlacedInSubstituteFamily],
      [total.childrenReturnedToBirthFamily, a.childrenReturnedToBirthFamily, b.childrenReturnedToBirthFamily],
      [total.childrenPlacedInSubstituteFamily, a.childrenPlacedInSubstituteFamily, b.childrenPlacedInSubstituteFamily],
      [total.childrenPlacedInFamilies, a.childrenPlacedInFamilies, b.childrenPlacedInFamilies],
    ]) {
      expect(sum.filter((cell) => cell.suppressed).length).not.toBe(1);
    }
    expect(a.childrenReturnedToBirthFamily.suppressed).toBe(true);
  });

  test('a group left out of the answer (no key) that is small is protected too', () => {
    const rows = [cells({ referralsSent: 12 }), cells({ referralsSent: 9 })];
    const unshown = [cells({ referralsSent: 2 })];
    const total = cells({ referralsSent: 23 });
    suppressSmallCells(rows, total, unshown);
    expect(rows.map((r) => r.referralsSent.suppressed)).toEqual([false, true]);
  });

  test('rates and medians derived from a suppressed count are suppressed', () => {
    const total = cells({ referralsSent: 10, referralsCompleted: 3, referralClosureRate: 30, referralsWithService: 3, medianDaysReferralToFirstService: 4, planStepsDone: 20, planStepsDoneOnTime: 15, planStepsOnTimeRate: 75 });
    suppressSmallCells([total], total);
    expect(total.referralClosureRate.suppressed).toBe(true);
    expect(total.medianDaysReferralToFirstService.suppressed).toBe(true);
    expect(total.planStepsOnTimeRate.suppressed).toBe(false);
  });

  describe('through the API, on a small programme of its own', () => {
    let programme: { id: string; code: string };
    let provider: string;
    const filter = () => ({ programs: [programme.code], regions: ['63'], from: '2024-01-01', to: '2024-03-31' });

    beforeAll(async () => {
      programme = await createProgramme(['63']);
      provider = (await createAgency(h.db, AgencyKind.SOCIAL_PROTECTION, '63')).id;
      // January: 10 families, February: 3, March: 7 (one consultation each).
      for (const [month, n] of [['01', 10], ['02', 3], ['03', 7]] as const) {
        for (let i = 0; i < n; i++) {
          const record = await familyWithCase('63', programme.id, provider);
          await deliver(record, provider, 'INDIVIDUAL_CONSULTATION', `2024-${month}-1${i % 9}`);
        }
      }
    });

    test('the administrator sees every month', async () => {
      const result = await answer(admin, filter(), ['MONTH']);
      expect(result.rows.map((r: Row) => [r.month, value(r.familiesServed)])).toEqual([
        ['2024-01', 10],
        ['2024-02', 3],
        ['2024-03', 7],
      ]);
      expect(value(result.total.familiesServed)).toBe(20);
    });

    test('the analyst: February (3) is suppressed, and March (7, the next smallest) with it, so that 20 − 10 gives nothing away', async () => {
      const result = await answer(analyst, filter(), ['MONTH']);
      expect(result.rows.map((r: Row) => [r.month, r.familiesServed])).toEqual([
        ['2024-01', { value: 10, suppressed: false, reported: false }],
        ['2024-02', { value: null, suppressed: true, reported: false }],
        ['2024-03', { value: null, suppressed: true, reported: false }],
      ]);
      expect(result.total.familiesServed).toEqual({ value: 20, suppressed: false, reported: false });
      // Without grouping there is nothing to subtract from.
      const ungrouped = await answer(analyst, { ...filter(), from: '2024-02-01', to: '2024-02-29' });
      expect(ungrouped.total.familiesServed).toEqual({ value: null, suppressed: true, reported: false });
      expect(ungrouped.rows).toHaveLength(1);
      expect(ungrouped.rows[0].familiesServed).toEqual(ungrouped.total.familiesServed);
    });
  });
});

/* ------------------------------------------------------------------ referral loop, plan steps, conference decisions */

describe('referral loop, route of help and conference decisions', () => {
  let programme: { id: string; code: string };
  let from: string;
  let to: string;
  const filter = () => ({ programs: [programme.code], regions: ['63'], from: '2024-05-01', to: '2024-05-31' });

  beforeAll(async () => {
    programme = await createProgramme(['63']);
    from = (await createAgency(h.db, AgencyKind.SOCIAL_PROTECTION, '63')).id;
    to = (await createAgency(h.db, AgencyKind.HEALTH, '63')).id;
    // Six referrals sent in May: three completed; first services 2, 4 and 10 days after sending; one more service later.
    const records: FamilyRecord[] = [];
    for (let i = 0; i < 6; i++) records.push(await familyWithCase('63', programme.id, from));
    for (const [i, record] of records.entries()) {
      const completed = i < 3;
      const referral = await queryOne<{ id: string }>(
        h.db,
        sql`INSERT INTO referral (case_id, from_agency_id, to_agency_id, service_type_id, status, sent_at, respond_by, completed_at)
            SELECT ${record.caseId}::bigint, ${from}::bigint, ${to}::bigint, st.id, ${completed ? 'COMPLETED' : 'SENT'}::referral_status,
                   '2024-05-06T09:00:00Z', '2024-05-13T09:00:00Z', ${completed ? '2024-05-25T09:00:00Z' : null}::timestamptz
              FROM service_type st WHERE st.code = 'CONSULTATION_NEUROLOGIST' RETURNING id`,
      );
      if (completed) {
        await deliver(record, to, 'CONSULTATION_NEUROLOGIST', ['2024-05-08', '2024-05-10', '2024-05-16'][i], 'ON_SITE', { referralId: referral!.id });
        await deliver(record, to, 'CONSULTATION_NEUROLOGIST', '2024-05-28', 'ON_SITE', { referralId: referral!.id });
      }
    }
    // Plan steps completed in May: five with a due date, four of them on time; one without a due date (not counted).
    for (const [i, [due, done]] of [['2024-05-10', '2024-05-09'], ['2024-05-10', '2024-05-10'], ['2024-05-20', '2024-05-12'], ['2024-05-20', '2024-05-19'], ['2024-05-05', '2024-05-15']].entries()) {
      await query(
        h.db,
        sql`INSERT INTO plan_step (case_id, position, title, responsible_agency_id, due_on, status, completed_on)
            VALUES (${records[i].caseId}::bigint, 1, 'Шаг', ${to}::bigint, ${due}::date, 'DONE', ${done}::date)`,
      );
    }
    await query(h.db, sql`INSERT INTO plan_step (case_id, position, title, responsible_agency_id, status, completed_on) VALUES (${records[5].caseId}::bigint, 1, 'Шаг', ${to}::bigint, 'DONE', '2024-05-15')`);
    // A conference with two decisions done in May, one on time.
    const conference = await queryOne<{ id: string }>(
      h.db,
      sql`INSERT INTO case_conference (region_code, chair_agency_id, title, scheduled_at, format, status, follow_up_until)
          VALUES ('63', ${from}::bigint, 'Межведомственное заседание', '2024-04-20T10:00:00Z', 'IN_PERSON', 'HELD', '2024-06-30') RETURNING id`,
    );
    for (const [i, [due, done]] of [['2024-05-10', '2024-05-08'], ['2024-05-10', '2024-05-20']].entries()) {
      const item = await queryOne<{ id: string }>(
        h.db,
        sql`INSERT INTO conference_item (conference_id, case_id, position, question) VALUES (${conference!.id}::bigint, ${records[i].caseId}::bigint, ${i + 1}, 'Вопрос') RETURNING id`,
      );
      await query(
        h.db,
        sql`INSERT INTO decision (item_id, conference_id, case_id, text, responsible_agency_id, due_on, status, done_on)
            VALUES (${item!.id}::bigint, ${conference!.id}::bigint, ${records[i].caseId}::bigint, 'Решение', ${to}::bigint, ${due}::date, 'DONE', ${done}::date)`,
      );
    }
  });

  test('computed as defined', async () => {
    const { total } = await answer(admin, filter());
    expect(value(total.referralsSent)).toBe(6);
    expect(value(total.referralsCompleted)).toBe(3);
    expect(value(total.referralClosureRate)).toBe(50);
    expect(value(total.medianDaysReferralToFirstService)).toBe(4);
    expect(value(total.planStepsDone)).toBe(5);
    expect(value(total.planStepsDoneOnTime)).toBe(4);
    expect(value(total.planStepsOnTimeRate)).toBe(80);
    expect(value(total.decisionsDone)).toBe(2);
    expect(value(total.decisionsDoneOnTime)).toBe(1);
    expect(value(total.decisionsOnTimeRate)).toBe(50);
  });

  test('cut by agency kind: the receiver of a referral, the agency responsible for a step or decision', async () => {
    const { rows } = await answer(admin, filter(), ['AGENCY_KIND']);
    const health = findRow(rows, (r) => r.agencyKind === 'HEALTH');
    expect(value(health.referralsSent)).toBe(6);
    expect(value(health.planStepsDone)).toBe(5);
    expect(value(health.decisionsDone)).toBe(2);
    // Grouped by DELIVERY_MODE, referral indicators do not apply.
    const byMode = await answer(admin, filter(), ['DELIVERY_MODE']);
    expect(byMode.rows.every((r: Row) => r.referralsSent === null && r.decisionsDone === null)).toBe(true);
    expect(value(byMode.total.referralsSent)).toBe(6);
  });

  test('for the analyst, rates and medians built on a count of 1 to 4 are suppressed', async () => {
    const { total } = await answer(analyst, filter());
    expect(total.referralsSent).toEqual({ value: 6, suppressed: false, reported: false });
    expect(total.referralsCompleted.suppressed).toBe(true);
    expect(total.referralClosureRate).toEqual({ value: null, suppressed: true, reported: false });
    expect(total.medianDaysReferralToFirstService.suppressed).toBe(true);
    expect(total.planStepsDone).toEqual({ value: 5, suppressed: false, reported: false });
    expect(total.planStepsDoneOnTime.suppressed).toBe(true);
    expect(total.planStepsOnTimeRate.suppressed).toBe(true);
    expect(total.decisionsOnTimeRate.suppressed).toBe(true);
  });

  test('no decision done in the period: the on-time rate is null, not zero', async () => {
    const { total } = await answer(admin, { ...filter(), from: '2024-06-01', to: '2024-06-30' });
    expect(value(total.decisionsDone)).toBe(0);
    expect(total.decisionsOnTimeRate).toEqual({ value: null, suppressed: false, reported: false });
  });
});

/* ------------------------------------------------------------------ reportIndicator */

describe('reportIndicator', () => {
  let programme: { id: string; code: string };
  let coordinator63: Caller;
  const input = (overrides: Record<string, unknown> = {}) => ({
    program: programme.code,
    region: '63',
    indicator: 'SPECIALISTS_TRAINED',
    periodStart: '2024-01-01',
    periodEnd: '2024-06-30',
    value: 42,
    note: 'Отчёт за первое полугодие.',
    ...overrides,
  });

  beforeAll(async () => {
    programme = await createProgramme(['63', '23']);
    coordinator63 = await createCaller(h, { roles: [Role.COORDINATOR], region: '63' });
  });

  test("a coordinator of the region reports a figure; it appears beside the computed ones, marked reported", async () => {
    const response = await gql(h, REPORT, { input: input() }, coordinator63);
    expect(response.errors).toBeUndefined();
    const reported = response.data!.reportIndicator.reportedIndicator;
    expect(reported).toEqual(
      expect.objectContaining({ indicator: 'SPECIALISTS_TRAINED', periodStart: '2024-01-01', periodEnd: '2024-06-30', value: 42, program: { code: programme.code }, region: { code: '63' } }),
    );
    const result = await answer(analyst, { programs: [programme.code], from: '2024-01-01', to: '2024-12-31' });
    expect(result.reported).toEqual([
      expect.objectContaining({ indicator: 'SPECIALISTS_TRAINED', value: { value: 42, suppressed: false, reported: true }, reportedIndicator: { id: reported.id, value: 42 } }),
    ]);
    // Not within a shorter period; not in another region's answer.
    expect((await answer(analyst, { programs: [programme.code], from: '2024-01-01', to: '2024-03-31' })).reported).toEqual([]);
    expect((await answer(analyst, { programs: [programme.code], regions: ['23'] })).reported).toEqual([]);
  });

  test('a second report of the same programme, region, indicator and period is a CONFLICT naming the key', async () => {
    const response = await gql(h, REPORT, { input: input({ value: 43 }) }, coordinator63);
    expect(codes(response)).toEqual(['CONFLICT']);
    expect(response.errors![0].message).toContain(`SPECIALISTS_TRAINED of programme ${programme.code} for region 63, 2024-01-01 to 2024-06-30`);
    const stored = await queryOne<{ value: string }>(h.db, sql`SELECT value::text FROM reported_indicator WHERE program_id = ${programme.id}::bigint AND indicator = 'SPECIALISTS_TRAINED'`);
    expect(Number(stored!.value)).toBe(42);
  });

  test('an administrator reports for any region; money takes kopecks; a retry with the same idempotency key writes once', async () => {
    const body = { input: input({ region: '23', indicator: 'FUNDS_SPENT_RUB', value: 1390700.5, idempotencyKey: unique('key').replace(/\s/g, '-') }) };
    const first = await gql(h, REPORT, body, admin);
    expect(first.errors).toBeUndefined();
    const again = await gql(h, REPORT, body, admin);
    expect(again.errors).toBeUndefined();
    expect(again.data!.reportIndicator.reportedIndicator.id).toBe(first.data!.reportIndicator.reportedIndicator.id);
    expect(again.data!.reportIndicator.reportedIndicator.value).toBe(1390700.5);
  });

  test.each([
    ['a coordinator of another region', () => coordinator54],
    ['an analyst', () => analyst],
    ['a specialist', () => createCaller(h, { roles: [Role.SPECIALIST], region: '63' })],
    ['a case manager', () => createCaller(h, { roles: [Role.CASE_MANAGER], region: '63' })],
  ])('%s is refused with FORBIDDEN and nothing is written', async (_who, as) => {
    const response = await gql(h, REPORT, { input: input({ indicator: 'ROUND_TABLES_HELD', value: 3 }) }, await as());
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(await queryOne(h.db, sql`SELECT 1 FROM reported_indicator WHERE program_id = ${programme.id}::bigint AND indicator = 'ROUND_TABLES_HELD'`)).toBeNull();
  });

  test.each([
    ['input.periodEnd', { periodEnd: '2023-12-31' }, /not be before input.periodStart/],
    ['input.periodStart', { periodStart: '2024-02-30' }, /calendar date/],
    ['input.region', { region: '6' }, /two-digit/],
    ['input.region', { region: '54' }, /not a region of programme/],
    ['input.program', { program: 'NO-SUCH-PROGRAMME' }, /names no programme/],
    ['input.program', { program: 'lower case' }, /programme code/],
    ['input.value', { value: -1 }, /must not be less than 0/],
    ['input.value', { value: 10.5 }, /whole number/],
    ['input.value', { indicator: 'FUNDS_SPENT_RUB', value: 10.555 }, /two decimals/],
    ['input.periodStart', { periodStart: '2023-12-01' }, /before the programme starts/],
    ['input.periodEnd', { periodEnd: '2025-01-31' }, /after the programme ends/],
    ['input.note', { note: '' }, /longer than or equal to 1/],
  ])('an invalid %s is BAD_USER_INPUT naming the field', async (field, overrides, message) => {
    const response = await gql(h, REPORT, { input: input({ indicator: 'VOLUNTEERS_ENGAGED', ...overrides }) }, admin);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    const fields: Array<{ field: string; message: string }> = response.errors![0].extensions.fields;
    expect(fields).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(fields.find((f) => f.field === field)!.message).toMatch(message);
  });

  test('a reported figure is a node for who may read metrics, absent for others', async () => {
    const created = await gql(h, REPORT, { input: input({ indicator: 'SPECIALISTS_SUPERVISED', value: 12 }) }, coordinator63);
    const id = created.data!.reportIndicator.reportedIndicator.id;
    const read = (as: Caller) => gql(h, 'query($id: ID!) { node(id: $id) { id ... on ReportedIndicator { indicator value program { code } } } }', { id }, as);
    expect((await read(analyst)).data!.node).toEqual({ id, indicator: 'SPECIALISTS_SUPERVISED', value: 12, program: { code: programme.code } });
    expect((await read(coordinator63)).data!.node).not.toBeNull();
    expect((await read(coordinator54)).data!.node).toBeNull();
    expect((await read(await createCaller(h, { roles: [Role.SPECIALIST], region: '63' }))).data!.node).toBeNull();
  });
});

/* ------------------------------------------------------------------ the query's own input rules and cost */

describe('outcomeMetrics input and SQL', () => {
  test.each([
    ['filter.to', { from: '2020-02-01', to: '2020-01-01' }, [], /not be before filter.from/],
    ['filter.programs', { programs: ['NO-SUCH-PROGRAMME'] }, [], /names no programme: NO-SUCH-PROGRAMME/],
    ['filter.regions', { regions: ['5'] }, [], /two-digit/],
    ['filter.asOf', { asOf: '2024-13-01' }, [], /calendar date/],
    ['filter.targetAgeUnder', { targetAgeUnder: 0 }, [], /not be less than 1/],
    ['groupBy', {}, ['MONTH', 'MONTH'], /not repeat/],
    ['filter.regions', { regions: [] }, [], /at least one region/],
  ])('an invalid %s is BAD_USER_INPUT naming the field', async (field, filter, groupBy, message) => {
    const response = await metrics(admin, filter, groupBy as string[]);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    const fields: Array<{ field: string; message: string }> = response.errors![0].extensions.fields;
    expect(fields.find((f) => f.field === field)?.message).toMatch(message);
  });

  test('groupBy may be left out (the total alone); PROGRAM groups the stock counts too', async () => {
    const ungrouped = await gql<{ outcomeMetrics: any }>(h, METRICS, { filter: NSK_H1_2024 }, admin);
    expect(ungrouped.errors).toBeUndefined();
    expect(ungrouped.data!.outcomeMetrics.groupBy).toEqual([]);
    expect(ungrouped.data!.outcomeMetrics.rows).toHaveLength(1);
    const byProgramme = await answer(admin, { ...NSK_H1_2024, programs: undefined }, ['PROGRAM', 'REGION']);
    const pilot = findRow(byProgramme.rows, (r) => r.program.code === NOVOSIBIRSK && r.region.code === '54');
    const pilotOnly = await answer(admin, NSK_H1_2024);
    for (const name of ['childrenInInstitutions', 'childrenInInstitutionsAtBaseline', 'institutionalisedChange', 'childrenReturnedToBirthFamily', 'childrenPlacedInSubstituteFamily']) {
      expect([name, pilot[name]]).toEqual([name, pilotOnly.total[name]]);
    }
  });

  test('look-ahead: only the families of the indicators asked for are computed, and they answer (and are suppressed) exactly as in the full answer', async () => {
    const SERVICES_ONLY = `query($filter: OutcomeMetricsFilter!, $groupBy: [MetricDimension!]) {
      outcomeMetrics(filter: $filter, groupBy: $groupBy) {
        rows { serviceType { code } month ...Services }
        total { ...Services }
      }
    }
    fragment Services on OutcomeMetricsRow { servicesDelivered ${FIGURE} childrenServed ${FIGURE} familiesServed ${FIGURE} }`;
    const built = jest.spyOn(metricsQueries, 'metricsStatement');
    for (const caller of [admin, analyst]) {
      const full = await answer(caller, MURMANSK_FILTER, ['MONTH', 'SERVICE_TYPE']);
      expect(built.mock.calls.at(-1)![0].families).toEqual(['stock', 'placement', 'service', 'referral', 'planStep', 'decision']);
      const narrow = await gql<{ outcomeMetrics: any }>(h, SERVICES_ONLY, { filter: MURMANSK_FILTER, groupBy: ['MONTH', 'SERVICE_TYPE'] }, caller);
      expect(built.mock.calls.at(-1)![0].families).toEqual(['service']);
      expect(narrow.errors).toBeUndefined();
      const pick = (row: Row) => ({ servicesDelivered: row.servicesDelivered, childrenServed: row.childrenServed, familiesServed: row.familiesServed });
      const key = (row: Row) => `${row.month}/${row.serviceType?.code}`;
      const fullRows = new Map((full.rows as Row[]).filter((r) => value(r.servicesDelivered)! > 0 || r.servicesDelivered?.suppressed).map((r) => [key(r), pick(r)]));
      const narrowRows = new Map((narrow.data!.outcomeMetrics.rows as Row[]).map((r) => [key(r), pick(r)]));
      expect(narrowRows).toEqual(fullRows);
      expect(pick(narrow.data!.outcomeMetrics.total)).toEqual(pick(full.total));
    }
    built.mockRestore();
    // The statement of a services-only question reads no placement, referral, plan or conference tables.
    const { text } = metricsStatement({
      regions: ['51'], programIds: null, from: '2019-09-01', to: '2020-12-30', asOf: '2020-12-31', baselineDate: null, targetAgeUnder: 4,
      groupBy: [MetricDimension.MONTH, MetricDimension.SERVICE_TYPE], families: ['service'], measures: null,
    }).build();
    expect(text).toMatch(/service_delivery/);
    expect(text).not.toMatch(/placement_event|referral|plan_step|decision/);
    // Asked for three counts (and not protecting small cells), it computes those three from the deliveries alone:
    // no person, case or service type is joined and no other aggregate is computed.
    const { text: three } = metricsStatement({
      regions: ['51'], programIds: null, from: '2019-09-01', to: '2020-12-30', asOf: '2020-12-31', baselineDate: null, targetAgeUnder: 4,
      groupBy: [MetricDimension.MONTH, MetricDimension.SERVICE_TYPE], families: ['service'], measures: new Set(['servicesDelivered', 'childrenServed', 'familiesServed']),
    }).build();
    expect(text).toMatch(/JOIN person rp/);
    expect(three).not.toMatch(/JOIN person|JOIN "case"|JOIN service_type|brigade_trip_id|parentsInGroups/);
    expect(three.match(/'(\w+)', count/g)).toEqual(["'familiesServed', count", "'childrenServed', count", "'servicesDelivered', count"]);
  });

  test('the number of SQL statements does not grow with the number of groups', async () => {
    const groupBy = ['MONTH', 'SERVICE_TYPE', 'REGION', 'PROGRAM'];
    const narrow = await metrics(admin, { ...MURMANSK_FILTER, from: '2019-12-01', to: '2019-12-31' }, groupBy);
    const wide = await metrics(admin, MURMANSK_FILTER, groupBy);
    expect(narrow.errors).toBeUndefined();
    expect(wide.errors).toBeUndefined();
    expect(wide.data!.outcomeMetrics.rows.length).toBeGreaterThan(5 * narrow.data!.outcomeMetrics.rows.length);
    expect(wide.sqlStatements).toBe(narrow.sqlStatements);
    // The caller, the programme codes, the metrics statement (in its transaction: begin, settings, statement, commit),
    // the reported figures, and one batch each for regions, programmes and service types.
    expect(wide.sqlStatements).toBeLessThanOrEqual(10);
  });

  test('docs/METRICS.md defines every indicator of the schema', () => {
    const document = fs.readFileSync(path.resolve(__dirname, '..', 'docs', 'METRICS.md'), 'utf8');
    for (const name of INDICATOR_NAMES) expect(document).toContain(`\`${name}\``);
  });
});
