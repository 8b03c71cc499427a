import fs from 'node:fs';
import path from 'node:path';
import { harness, gql, createCaller, createAgency, codes, unique, type Harness, type Caller } from './support/harness';
import { AgencyKind, Role } from '../src/core/auth/roles';
import { query, queryOne } from '../src/core/db';
import { sql } from '../src/core/sql';
import { seedDemoOutcomes, OUTCOME_PROGRAMMES } from '../src/demo/outcomes';
import { INDICATOR_NAMES } from '../src/modules/metrics/metrics.indicators';
import { suppressSmallCells, type CellRow } from '../src/modules/metrics/metrics.suppression';

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
  await seedDemoOutcomes(h.db.manager);
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
