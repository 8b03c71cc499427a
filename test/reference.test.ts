import type { DataSource } from 'typeorm';
import { coldReferenceCache, harness, gql, createCaller, createAgency, unique, codes, type Harness, type Caller, type GraphQLResponse } from './support/harness';
import { AgencyKind, Role } from '../src/core/auth/roles';
import { toGlobalId } from '../src/core/graphql/global-id';
import { hashInput } from '../src/core/mutation';
import { createContext } from '../src/context';
import { DEMO_PROGRAMS, DEMO_REGIONS, DEMO_STAFF, seedReferenceData, findDemoAgency, findDemoStaff } from '../src/demo/reference-data';
import { findProviders } from '../src/modules/providers/provider.finder';
import { offeringsByProviderId } from '../src/modules/providers/provider.loaders';
import { findPrograms } from '../src/modules/programs/program.finder';
import { DeliveryMode } from '../src/modules/providers/provider.enums';

let h: Harness;
let admin: Caller;
let coordinator: Caller;
let analyst: Caller;

beforeAll(async () => {
  h = await harness();
  admin = await createCaller(h, { roles: [Role.ADMIN], region: '10' });
  coordinator = await createCaller(h, { roles: [Role.COORDINATOR], region: '54' });
  analyst = await createCaller(h, { roles: [Role.ANALYST], region: '54' });
});
afterAll(() => h.close());

// ---------------------------------------------------------------- factories (direct SQL, for read tests)

let codeSequence = 0;
/** A service type code no other test uses (UPPER_SNAKE_CASE). */
function uniqueCode(prefix: string): string {
  codeSequence += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36).toUpperCase()}_${codeSequence}`;
}

async function insertServiceType(code = uniqueCode('TEST')): Promise<{ id: string; code: string }> {
  const [row] = await h.db.query(`INSERT INTO service_type (code, name, domain) VALUES ($1, $2, 'SOCIAL') RETURNING id`, [code, `Тестовая услуга ${code}`]);
  return { id: String(row.id), code };
}

async function insertOffering(
  providerId: string,
  serviceTypeId: string,
  o: { modes: DeliveryMode[]; ages?: [number, number]; regions: string[]; active?: boolean; capacity?: number | null },
): Promise<string> {
  const [row] = await h.db.query(
    `INSERT INTO service_offering (provider_id, service_type_id, delivery_modes, min_age_months, max_age_months, region_codes, monthly_capacity, active)
     VALUES ($1, $2, $3::delivery_mode[], $4, $5, $6::text[], $7, $8) RETURNING id`,
    [providerId, serviceTypeId, o.modes, o.ages?.[0] ?? 0, o.ages?.[1] ?? 216, o.regions, o.capacity ?? 10, o.active ?? true],
  );
  return String(row.id);
}

async function insertProgram(o: { code?: string; regions: string[]; startsOn: string; endsOn?: string | null; budget?: string | null }): Promise<{ id: string; code: string }> {
  const code = o.code ?? uniqueCode('P').replace(/_/g, '-');
  const [row] = await h.db.query(
    `INSERT INTO program (code, name, funder, region_codes, starts_on, ends_on, budget_rub) VALUES ($1, $2, 'Тестовый фонд', $3::text[], $4, $5, $6) RETURNING id`,
    [code, `Программа ${code}`, o.regions, o.startsOn, o.endsOn ?? null, o.budget ?? null],
  );
  return { id: String(row.id), code };
}

async function count(table: string): Promise<number> {
  const [row] = await h.db.query(`SELECT count(*)::int AS n FROM "${table}"`);
  return row.n;
}

async function versionOf(table: string, id: string): Promise<number> {
  const [row] = await h.db.query(`SELECT version FROM "${table}" WHERE id = $1`, [id]);
  return row.version;
}

/** The fields named by a BAD_USER_INPUT response. */
function badFields(response: GraphQLResponse): string[] {
  expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  return (response.errors![0].extensions.fields as Array<{ field: string }>).map((f) => f.field).sort();
}

// ---------------------------------------------------------------- operations

const PROVIDERS = `
  query Providers($filter: ProviderFilter, $first: Int, $after: String, $offeringFilter: OfferingFilter) {
    providers(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node {
        id name kind region { code } agency { id name }
        offerings(filter: $offeringFilter) { id deliveryModes minAgeMonths maxAgeMonths active serviceType { code } regions { code } provider { id } }
      } }
    }
  }`;

const NODE = `
  query Node($id: ID!) {
    node(id: $id) {
      id __typename
      ... on ServiceType { code name domain version }
      ... on ServiceOffering { minAgeMonths maxAgeMonths deliveryModes monthlyCapacity serviceType { code } provider { id name } regions { code name } }
      ... on ServiceProvider { name kind agency { id } region { code } offerings { id } }
      ... on Program { code funder regions { code } startsOn endsOn budgetRub }
    }
  }`;

const CREATE_AGENCY = `mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id name shortName kind region { code } parent { id } settlement active version } } }`;
const UPDATE_AGENCY = `mutation ($input: UpdateAgencyInput!) { updateAgency(input: $input) { agency { id name shortName kind settlement active version parent { id } } } }`;
const CREATE_STAFF = `mutation ($input: CreateStaffMemberInput!) { createStaffMember(input: $input) { staffMember { id fullName position email roles active version agency { id } } } }`;
const UPDATE_STAFF = `mutation ($input: UpdateStaffMemberInput!) { updateStaffMember(input: $input) { staffMember { id fullName position email roles active version } } }`;
const CREATE_SERVICE_TYPE = `mutation ($input: CreateServiceTypeInput!) { createServiceType(input: $input) { serviceType { id code name domain description version } } }`;
const UPDATE_SERVICE_TYPE = `mutation ($input: UpdateServiceTypeInput!) { updateServiceType(input: $input) { serviceType { id code name domain description version } } }`;
const CREATE_OFFERING = `mutation ($input: CreateServiceOfferingInput!) { createServiceOffering(input: $input) { serviceOffering {
  id deliveryModes minAgeMonths maxAgeMonths monthlyCapacity description active version regions { code } serviceType { code } provider { id name } } } }`;
const UPDATE_OFFERING = `mutation ($input: UpdateServiceOfferingInput!) { updateServiceOffering(input: $input) { serviceOffering {
  id deliveryModes minAgeMonths maxAgeMonths monthlyCapacity description active version regions { code } } } }`;
const CREATE_PROGRAM = `mutation ($input: CreateProgramInput!) { createProgram(input: $input) { program { id code name funder regions { code } startsOn endsOn budgetRub description version } } }`;
const UPDATE_PROGRAM = `mutation ($input: UpdateProgramInput!) { updateProgram(input: $input) { program { id code name funder regions { code } startsOn endsOn budgetRub version } } }`;

type ProviderNode = { id: string; name: string; offerings: Array<{ id: string; deliveryModes: string[] }> };
const providerNodes = (r: GraphQLResponse): ProviderNode[] => r.data!.providers.edges.map((e: { node: ProviderNode }) => e.node);

// ---------------------------------------------------------------- queries

describe('providers(filter)', () => {
  // A (Karelia): a1 = T1 on site + remote, 0–84 months; a2 = T2 at home, 0–216.  B (Murmansk): b1 = T1 home + brigade, 36–216.
  // C (Karelia): c1 = T1, withdrawn.  D (Novosibirsk): d1 = T2 remote, 0–216.
  const prefix = unique('Поставщик фильтр');
  let t1: { id: string; code: string };
  let t2: { id: string; code: string };
  const agency: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };
  const offering: Record<'a1' | 'a2' | 'b1' | 'c1' | 'd1', string> = { a1: '', a2: '', b1: '', c1: '', d1: '' };

  beforeAll(async () => {
    t1 = await insertServiceType(uniqueCode('LEKOTEKA'));
    t2 = await insertServiceType(uniqueCode('NANNY'));
    agency.A = (await createAgency(h.db, AgencyKind.SOCIAL_PROTECTION, '10', `${prefix} A`)).id;
    agency.B = (await createAgency(h.db, AgencyKind.NGO, '51', `${prefix} B`)).id;
    agency.C = (await createAgency(h.db, AgencyKind.SOCIAL_PROTECTION, '10', `${prefix} C`)).id;
    agency.D = (await createAgency(h.db, AgencyKind.HEALTH, '54', `${prefix} D`)).id;
    offering.a1 = await insertOffering(agency.A, t1.id, { modes: [DeliveryMode.ON_SITE, DeliveryMode.REMOTE], ages: [0, 84], regions: ['10'] });
    offering.a2 = await insertOffering(agency.A, t2.id, { modes: [DeliveryMode.HOME], ages: [0, 216], regions: ['10'] });
    offering.b1 = await insertOffering(agency.B, t1.id, { modes: [DeliveryMode.HOME, DeliveryMode.MOBILE_BRIGADE], ages: [36, 216], regions: ['51'] });
    offering.c1 = await insertOffering(agency.C, t1.id, { modes: [DeliveryMode.ON_SITE], regions: ['10', '51'], active: false });
    offering.d1 = await insertOffering(agency.D, t2.id, { modes: [DeliveryMode.REMOTE], regions: ['54'] });
  });

  /** Provider letter → the letters of the offerings listed under it. */
  async function find(filter: Record<string, unknown>, offeringFilter?: Record<string, unknown>): Promise<Record<string, string[]>> {
    const r = await gql(h, PROVIDERS, { filter, first: 50, offeringFilter }, analyst);
    expect(r.errors).toBeUndefined();
    const letterOfAgency = new Map(Object.entries(agency).map(([k, v]) => [toGlobalId('ServiceProvider', v), k]));
    const letterOfOffering = new Map(Object.entries(offering).map(([k, v]) => [toGlobalId('ServiceOffering', v), k]));
    const result: Record<string, string[]> = {};
    for (const node of providerNodes(r)) {
      const letter = letterOfAgency.get(node.id);
      if (!letter) continue; // providers of other tests (only possible without serviceType/search)
      result[letter] = node.offerings.map((o) => letterOfOffering.get(o.id) ?? 'other').sort();
    }
    return result;
  }

  test('by service type: providers with an active offering of it, each listing only those offerings', async () => {
    expect(await find({ serviceType: t1.code })).toEqual({ A: ['a1'], B: ['b1'] }); // C: withdrawn; D: other type; a2: other type
    expect(await find({ serviceType: t2.code })).toEqual({ A: ['a2'], D: ['d1'] });
  });

  test('by region: offerings serving the region (not the agency region)', async () => {
    expect(await find({ search: prefix, region: '51' })).toEqual({ B: ['b1'] }); // c1 serves 51 but is withdrawn
    expect(await find({ search: prefix, region: '10' })).toEqual({ A: ['a1', 'a2'] });
    expect(await find({ search: prefix, region: '63' })).toEqual({});
  });

  test('by delivery mode', async () => {
    expect(await find({ search: prefix, deliveryMode: 'REMOTE' })).toEqual({ A: ['a1'], D: ['d1'] });
    expect(await find({ search: prefix, deliveryMode: 'HOME' })).toEqual({ A: ['a2'], B: ['b1'] });
    expect(await find({ search: prefix, deliveryMode: 'MOBILE_BRIGADE' })).toEqual({ B: ['b1'] });
  });

  test('by child age: the age lies within the offering\'s range (bounds included)', async () => {
    expect(await find({ search: prefix, childAgeMonths: 24 })).toEqual({ A: ['a1', 'a2'], D: ['d1'] }); // b1 starts at 36
    expect(await find({ search: prefix, childAgeMonths: 84 })).toEqual({ A: ['a1', 'a2'], B: ['b1'], D: ['d1'] });
    expect(await find({ search: prefix, childAgeMonths: 85 })).toEqual({ A: ['a2'], B: ['b1'], D: ['d1'] }); // a1 ends at 84
    expect(await find({ search: prefix, childAgeMonths: 36 })).toEqual({ A: ['a1', 'a2'], B: ['b1'], D: ['d1'] });
  });

  test('all criteria together, and an offering filter on the field narrows further', async () => {
    expect(await find({ serviceType: t1.code, region: '10', deliveryMode: 'REMOTE', childAgeMonths: 24 })).toEqual({ A: ['a1'] });
    expect(await find({ serviceType: t1.code, region: '10', deliveryMode: 'HOME' })).toEqual({});
    // Under providers(serviceType: T1), offerings(deliveryMode: HOME) lists the T1 offerings that are also at home.
    expect(await find({ serviceType: t1.code }, { deliveryMode: 'HOME' })).toEqual({ A: [], B: ['b1'] });
    // Contradicting filters match nothing rather than one of them.
    expect(await find({ serviceType: t1.code }, { serviceType: t2.code })).toEqual({ A: [], B: [] });
  });

  test('search by name, keyset pages by name, totalCount', async () => {
    const first = await gql(h, PROVIDERS, { filter: { search: prefix }, first: 2 }, analyst);
    expect(first.errors).toBeUndefined();
    expect(providerNodes(first).map((n) => n.name)).toEqual([`${prefix} A`, `${prefix} B`]);
    expect(first.data!.providers.totalCount).toBe(3); // C has no active offering
    expect(first.data!.providers.pageInfo.hasNextPage).toBe(true);
    const second = await gql(h, PROVIDERS, { filter: { search: prefix }, first: 2, after: first.data!.providers.pageInfo.endCursor }, analyst);
    expect(providerNodes(second).map((n) => n.name)).toEqual([`${prefix} D`]);
    expect(second.data!.providers.pageInfo.hasNextPage).toBe(false);
  });

  test('bad filter values name the field', async () => {
    const r = await gql(h, PROVIDERS, { filter: { region: 'Карелия', childAgeMonths: -1 } }, analyst);
    expect(badFields(r)).toEqual(['filter.childAgeMonths', 'filter.region']);
    expect(codes(await gql(h, PROVIDERS, { first: 101 }, analyst))).toEqual(['BAD_USER_INPUT']);
  });

  test('Agency.offerings lists active offerings; includeInactive adds withdrawn ones', async () => {
    const q = `query ($a: ID!, $c: ID!) {
      a: agency(id: $a) { offerings { id serviceType { code } } }
      c: agency(id: $c) { offerings { id } all: offerings(filter: { includeInactive: true }) { id active } }
    }`;
    const r = await gql(h, q, { a: toGlobalId('Agency', agency.A), c: toGlobalId('Agency', agency.C) }, analyst);
    expect(r.errors).toBeUndefined();
    expect(r.data!.a.offerings.map((o: { id: string }) => o.id).sort()).toEqual([offering.a1, offering.a2].map((id) => toGlobalId('ServiceOffering', id)).sort());
    expect(r.data!.c.offerings).toEqual([]);
    expect(r.data!.c.all).toEqual([{ id: toGlobalId('ServiceOffering', offering.c1), active: false }]);
  });

  test('reference data needs a token, but no particular role', async () => {
    expect(codes(await gql(h, '{ serviceTypes { code } }'))).toEqual(['UNAUTHENTICATED']);
    for (const caller of [admin, coordinator, analyst]) {
      const r = await gql(h, '{ serviceTypes { code } programs(first: 1) { totalCount } providers(first: 1) { totalCount } }', {}, caller);
      expect(r.errors).toBeUndefined();
    }
  });
});

describe('bounded SQL', () => {
  test('providers(first: 5) and providers(first: 40) with offerings, types, regions and agencies run the same number of statements', async () => {
    const type = await insertServiceType(uniqueCode('BOUNDED'));
    const other = await insertServiceType(uniqueCode('BOUNDED_OTHER'));
    const name = unique('Поставщик объём');
    await h.db.query(
      `WITH a AS (INSERT INTO agency (name, kind, region_code) SELECT $1 || ' ' || lpad(g::text, 3, '0'), 'NGO', '54' FROM generate_series(1, 45) g RETURNING id)
       INSERT INTO service_offering (provider_id, service_type_id, delivery_modes, region_codes, monthly_capacity)
       SELECT a.id, t.id, '{ON_SITE,REMOTE}', '{54,10}', 5 FROM a CROSS JOIN (VALUES ($2::bigint), ($2::bigint), ($3::bigint)) AS t(id)`,
      [name, type.id, other.id],
    );
    const run = (first: number) => {
      coldReferenceCache(h);
      return gql(h, PROVIDERS, { filter: { serviceType: type.code }, first }, analyst);
    };
    const small = await run(5);
    const large = await run(40);
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(providerNodes(small)).toHaveLength(5);
    expect(providerNodes(large)).toHaveLength(40);
    for (const node of providerNodes(large)) expect(node.offerings).toHaveLength(2); // the "other" type is filtered out
    expect(large.sqlStatements).toBe(small.sqlStatements);
    // viewer, page, count, offerings, service types, regions, providers of offerings, agencies: no statement per provider.
    expect(large.sqlStatements).toBeLessThanOrEqual(9);
  });
});

describe('serviceTypes, programs and node(id)', () => {
  test('serviceTypes lists the catalogue by code, optionally by domain', async () => {
    const a = await insertServiceType(uniqueCode('AAA_ORDER'));
    const r = await gql(h, '{ all: serviceTypes { code domain } social: serviceTypes(domain: SOCIAL) { code } legal: serviceTypes(domain: LEGAL) { code } }', {}, analyst);
    expect(r.errors).toBeUndefined();
    const all = r.data!.all.map((t: { code: string }) => t.code);
    expect(all).toContain(a.code);
    expect([...all].sort()).toEqual(all);
    expect(r.data!.social.map((t: { code: string }) => t.code)).toContain(a.code);
    expect(r.data!.legal.map((t: { code: string }) => t.code)).not.toContain(a.code);
  });

  test('programs filter by region and by the date they run on', async () => {
    const tag = uniqueCode('PRG').replace(/_/g, '-');
    const closed = await insertProgram({ code: `${tag}-A`, regions: ['51'], startsOn: '2019-09-01', endsOn: '2020-12-30' });
    const open = await insertProgram({ code: `${tag}-B`, regions: ['23', '54'], startsOn: '2023-06-01', budget: '1390700.50' });
    const q = `query ($filter: ProgramFilter) { programs(filter: $filter, first: 100) { totalCount nodes { code budgetRub startsOn endsOn regions { code } } } }`;
    const codesOf = async (filter: Record<string, unknown>) => {
      const r = await gql(h, q, { filter: { search: tag, ...filter } }, analyst);
      expect(r.errors).toBeUndefined();
      return r.data!.programs.nodes.map((p: { code: string }) => p.code);
    };
    expect(await codesOf({})).toEqual([closed.code, open.code]);
    expect(await codesOf({ region: '54' })).toEqual([open.code]);
    expect(await codesOf({ activeOn: '2020-12-30' })).toEqual([closed.code]);
    expect(await codesOf({ activeOn: '2020-12-31' })).toEqual([]);
    expect(await codesOf({ activeOn: '2024-03-14', region: '23' })).toEqual([open.code]);
    const r = await gql(h, q, { filter: { search: tag, region: '23' } }, analyst);
    expect(r.data!.programs.nodes[0]).toEqual({ code: open.code, budgetRub: '1390700.50', startsOn: '2023-06-01', endsOn: null, regions: [{ code: '23' }, { code: '54' }] });
    expect(badFields(await gql(h, q, { filter: { activeOn: '2023-02-30' } }, analyst))).toEqual(['filter.activeOn']);
  });

  test('node(id) finds ServiceType, ServiceOffering, ServiceProvider and Program', async () => {
    const type = await insertServiceType(uniqueCode('NODE'));
    const provider = await createAgency(h.db, AgencyKind.NGO, '63', unique('Поставщик узел'));
    const offeringId = await insertOffering(provider.id, type.id, { modes: [DeliveryMode.ON_SITE], ages: [36, 144], regions: ['63', '10'], capacity: 20 });
    const program = await insertProgram({ regions: ['10'], startsOn: '2020-01-01', budget: '4672933.00' });

    const typeNode = await gql(h, NODE, { id: toGlobalId('ServiceType', type.id) }, analyst);
    expect(typeNode.data!.node).toEqual({ id: toGlobalId('ServiceType', type.id), __typename: 'ServiceType', code: type.code, name: `Тестовая услуга ${type.code}`, domain: 'SOCIAL', version: 1 });

    const offeringNode = await gql(h, NODE, { id: toGlobalId('ServiceOffering', offeringId) }, analyst);
    expect(offeringNode.errors).toBeUndefined();
    expect(offeringNode.data!.node).toEqual({
      id: toGlobalId('ServiceOffering', offeringId),
      __typename: 'ServiceOffering',
      minAgeMonths: 36,
      maxAgeMonths: 144,
      deliveryModes: ['ON_SITE'],
      monthlyCapacity: 20,
      serviceType: { code: type.code },
      provider: { id: toGlobalId('ServiceProvider', provider.id), name: provider.name },
      regions: [
        { code: '10', name: 'Республика Карелия' },
        { code: '63', name: 'Самарская область' },
      ],
    });

    const providerNode = await gql(h, NODE, { id: toGlobalId('ServiceProvider', provider.id) }, analyst);
    expect(providerNode.data!.node).toEqual({
      id: toGlobalId('ServiceProvider', provider.id),
      __typename: 'ServiceProvider',
      name: provider.name,
      kind: 'NGO',
      agency: { id: toGlobalId('Agency', provider.id) },
      region: { code: '63' },
      offerings: [{ id: toGlobalId('ServiceOffering', offeringId) }],
    });

    const programNode = await gql(h, NODE, { id: toGlobalId('Program', program.id) }, analyst);
    expect(programNode.data!.node).toEqual({
      id: toGlobalId('Program', program.id),
      __typename: 'Program',
      code: program.code,
      funder: 'Тестовый фонд',
      regions: [{ code: '10' }],
      startsOn: '2020-01-01',
      endsOn: null,
      budgetRub: '4672933.00',
    });

    // An agency with no offering is no provider; unknown ids are null, not errors.
    const plain = await createAgency(h.db, AgencyKind.EDUCATION, '63');
    const missing = await gql(h, `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [toGlobalId('ServiceProvider', plain.id), toGlobalId('Program', '999999999'), toGlobalId('ServiceType', '999999999')] }, analyst);
    expect(missing.errors).toBeUndefined();
    expect(missing.data!.nodes).toEqual([null, null, null]);
  });
});

// ---------------------------------------------------------------- admin mutations

interface MutationCase {
  name: string;
  mutation: string;
  table: string;
  /** Creates what the mutation needs and returns its input; `targetId` is the row an update changes. */
  prepare: () => Promise<{ input: Record<string, unknown>; targetId?: string }>;
  /** Checks an admin's successful result. */
  check: (data: Record<string, any>) => void;
}

async function newAgencyId(region = '10'): Promise<string> {
  return (await createAgency(h.db, AgencyKind.SOCIAL_PROTECTION, region)).id;
}

const mutationCases: MutationCase[] = [
  {
    name: 'createAgency',
    mutation: CREATE_AGENCY,
    table: 'agency',
    prepare: async () => ({
      input: { name: unique('Отделение'), shortName: 'Отделение', kind: 'SOCIAL_PROTECTION', region: '10', parent: toGlobalId('Agency', await newAgencyId()), settlement: 'Олонец' },
    }),
    check: (data) =>
      expect(data.createAgency.agency).toMatchObject({ shortName: 'Отделение', kind: 'SOCIAL_PROTECTION', region: { code: '10' }, settlement: 'Олонец', active: true, version: 1, parent: { id: expect.any(String) } }),
  },
  {
    name: 'updateAgency',
    mutation: UPDATE_AGENCY,
    table: 'agency',
    prepare: async () => {
      const id = await newAgencyId();
      return { input: { id: toGlobalId('Agency', id), expectedVersion: 1, shortName: 'Новое краткое', settlement: 'Кондопога', kind: 'NGO' }, targetId: id };
    },
    check: (data) => expect(data.updateAgency.agency).toMatchObject({ shortName: 'Новое краткое', settlement: 'Кондопога', kind: 'NGO', version: 2 }),
  },
  {
    name: 'createStaffMember',
    mutation: CREATE_STAFF,
    table: 'staff_member',
    prepare: async () => ({
      input: { agency: toGlobalId('Agency', await newAgencyId()), fullName: unique('Логопедова Анна'), position: 'логопед', email: 'logoped@example.org', roles: ['SPECIALIST'] },
    }),
    check: (data) => expect(data.createStaffMember.staffMember).toMatchObject({ position: 'логопед', email: 'logoped@example.org', roles: ['SPECIALIST'], active: true, version: 1 }),
  },
  {
    name: 'updateStaffMember',
    mutation: UPDATE_STAFF,
    table: 'staff_member',
    prepare: async () => {
      const staff = await createCaller(h, { roles: [Role.SPECIALIST], region: '10' });
      return { input: { id: toGlobalId('StaffMember', staff.staff.id), expectedVersion: 1, roles: ['SPECIALIST', 'CASE_MANAGER'], position: 'социальный агент', active: false }, targetId: staff.staff.id };
    },
    check: (data) => expect(data.updateStaffMember.staffMember).toMatchObject({ roles: ['SPECIALIST', 'CASE_MANAGER'], position: 'социальный агент', active: false, version: 2 }),
  },
  {
    name: 'createServiceType',
    mutation: CREATE_SERVICE_TYPE,
    table: 'service_type',
    prepare: async () => ({ input: { code: uniqueCode('RESPITE'), name: 'Игровая комната', domain: 'RESPITE', description: 'Кратковременный присмотр.' } }),
    check: (data) => expect(data.createServiceType.serviceType).toMatchObject({ name: 'Игровая комната', domain: 'RESPITE', description: 'Кратковременный присмотр.', version: 1 }),
  },
  {
    name: 'updateServiceType',
    mutation: UPDATE_SERVICE_TYPE,
    table: 'service_type',
    prepare: async () => {
      const type = await insertServiceType();
      return { input: { id: toGlobalId('ServiceType', type.id), expectedVersion: 1, name: 'Новое название', domain: 'LEGAL', description: null }, targetId: type.id };
    },
    check: (data) => expect(data.updateServiceType.serviceType).toMatchObject({ name: 'Новое название', domain: 'LEGAL', description: null, version: 2 }),
  },
  {
    name: 'createServiceOffering',
    mutation: CREATE_OFFERING,
    table: 'service_offering',
    prepare: async () => {
      const type = await insertServiceType();
      const provider = await newAgencyId();
      return {
        input: { provider: toGlobalId('Agency', provider), serviceType: type.code, deliveryModes: ['ON_SITE', 'REMOTE'], minAgeMonths: 0, maxAgeMonths: 84, regions: ['10'], monthlyCapacity: 40, description: 'Лекотека' },
      };
    },
    check: (data) =>
      expect(data.createServiceOffering.serviceOffering).toMatchObject({
        deliveryModes: ['ON_SITE', 'REMOTE'],
        minAgeMonths: 0,
        maxAgeMonths: 84,
        monthlyCapacity: 40,
        description: 'Лекотека',
        regions: [{ code: '10' }],
        active: true,
        version: 1,
      }),
  },
  {
    name: 'updateServiceOffering',
    mutation: UPDATE_OFFERING,
    table: 'service_offering',
    prepare: async () => {
      const type = await insertServiceType();
      const id = await insertOffering(await newAgencyId(), type.id, { modes: [DeliveryMode.ON_SITE], ages: [0, 84], regions: ['10'] });
      return {
        input: { id: toGlobalId('ServiceOffering', id), expectedVersion: 1, deliveryModes: ['HOME', 'MOBILE_BRIGADE'], maxAgeMonths: 216, regions: ['10', '51'], monthlyCapacity: 0, active: false },
        targetId: id,
      };
    },
    check: (data) =>
      expect(data.updateServiceOffering.serviceOffering).toMatchObject({
        deliveryModes: ['HOME', 'MOBILE_BRIGADE'],
        minAgeMonths: 0,
        maxAgeMonths: 216,
        regions: [{ code: '10' }, { code: '51' }],
        monthlyCapacity: 0,
        active: false,
        version: 2,
      }),
  },
  {
    name: 'createProgram',
    mutation: CREATE_PROGRAM,
    table: 'program',
    prepare: async () => ({
      input: { code: uniqueCode('PROG').replace(/_/g, '-'), name: 'Круг заботы', funder: 'Фонд', regions: ['63'], startsOn: '2023-01-01', endsOn: '2025-12-31', budgetRub: '3282233' },
    }),
    check: (data) => expect(data.createProgram.program).toMatchObject({ name: 'Круг заботы', regions: [{ code: '63' }], startsOn: '2023-01-01', endsOn: '2025-12-31', budgetRub: '3282233.00', version: 1 }),
  },
  {
    name: 'updateProgram',
    mutation: UPDATE_PROGRAM,
    table: 'program',
    prepare: async () => {
      const program = await insertProgram({ regions: ['54'], startsOn: '2023-06-01' });
      return { input: { id: toGlobalId('Program', program.id), expectedVersion: 1, regions: ['23', '54'], endsOn: '2026-12-31', budgetRub: '0.5' }, targetId: program.id };
    },
    check: (data) => expect(data.updateProgram.program).toMatchObject({ regions: [{ code: '23' }, { code: '54' }], startsOn: '2023-06-01', endsOn: '2026-12-31', budgetRub: '0.50', version: 2 }),
  },
];

describe('admin mutations', () => {
  test.each(mutationCases.map((c) => [c.name, c] as const))('%s: a COORDINATOR is refused and nothing is written; an ADMIN succeeds', async (_name, c) => {
    const refusedCase = await c.prepare();
    const before = await count(c.table);
    const refused = await gql(h, c.mutation, { input: refusedCase.input }, coordinator);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.data ?? null).toBeNull();
    expect(await count(c.table)).toBe(before);
    if (refusedCase.targetId) expect(await versionOf(c.table, refusedCase.targetId)).toBe(1);

    const allowedCase = await c.prepare();
    const beforeAllowed = await count(c.table);
    const allowed = await gql(h, c.mutation, { input: allowedCase.input }, admin);
    expect(allowed.errors).toBeUndefined();
    c.check(allowed.data!);
    expect(await count(c.table)).toBe(beforeAllowed + (allowedCase.targetId ? 0 : 1));
    if (allowedCase.targetId) expect(await versionOf(c.table, allowedCase.targetId)).toBe(2);
  });

  test('a COORDINATOR with invalid input still gets FORBIDDEN (the input is not even examined)', async () => {
    const r = await gql(h, CREATE_OFFERING, { input: { provider: 'x', deliveryModes: [], minAgeMonths: -5, maxAgeMonths: 1, regions: [] } }, coordinator);
    expect(codes(r)).toEqual(['FORBIDDEN']);
  });
});

describe('admin mutations: validation', () => {
  test('createServiceOffering: each rule names its field and nothing is written', async () => {
    const type = await insertServiceType();
    const providerId = await newAgencyId();
    const provider = toGlobalId('Agency', providerId);
    const before = await count('service_offering');

    const shape = await gql(h, CREATE_OFFERING, { input: { provider, serviceType: type.code, deliveryModes: [], minAgeMonths: -1, maxAgeMonths: 300, regions: ['Karelia'], monthlyCapacity: -1, description: '' } }, admin);
    expect(badFields(shape)).toEqual(['input.deliveryModes', 'input.description', 'input.maxAgeMonths', 'input.minAgeMonths', 'input.monthlyCapacity', 'input.regions']);
    expect(JSON.stringify(shape.errors)).not.toContain('Karelia'); // values are never echoed

    const rules = await gql(h, CREATE_OFFERING, { input: { provider, serviceType: 'NO_SUCH_SERVICE', deliveryModes: ['HOME'], minAgeMonths: 48, maxAgeMonths: 12, regions: ['10', '99'] } }, admin);
    expect(badFields(rules)).toEqual(['input.minAgeMonths', 'input.regions[1]', 'input.serviceType']);

    const both = await gql(h, CREATE_OFFERING, { input: { provider, serviceType: type.code, serviceTypeId: toGlobalId('ServiceType', type.id), deliveryModes: ['HOME'], regions: ['10'] } }, admin);
    expect(badFields(both)).toEqual(['input.serviceType']);

    const noProvider = await gql(h, CREATE_OFFERING, { input: { provider: toGlobalId('Agency', '999999999'), serviceTypeId: toGlobalId('ServiceType', type.id), deliveryModes: ['HOME'], regions: ['10'] } }, admin);
    expect(badFields(noProvider)).toEqual(['input.provider']);

    expect(await count('service_offering')).toBe(before);

    // The same provider given as a ServiceProvider id, the type by id, ages defaulted to 0–216.
    const ok = await gql(h, CREATE_OFFERING, { input: { provider: toGlobalId('ServiceProvider', providerId), serviceTypeId: toGlobalId('ServiceType', type.id), deliveryModes: ['HOME'], regions: ['10'] } }, admin);
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.createServiceOffering.serviceOffering).toMatchObject({ minAgeMonths: 0, maxAgeMonths: 216, monthlyCapacity: null, serviceType: { code: type.code } });
  });

  test('updateServiceOffering: the merged age range is checked; nothing is written', async () => {
    const type = await insertServiceType();
    const id = await insertOffering(await newAgencyId(), type.id, { modes: [DeliveryMode.ON_SITE], ages: [0, 84], regions: ['10'] });
    const r = await gql(h, UPDATE_OFFERING, { input: { id: toGlobalId('ServiceOffering', id), expectedVersion: 1, minAgeMonths: 100, regions: ['77'] } }, admin);
    expect(badFields(r)).toEqual(['input.minAgeMonths', 'input.regions[0]']);
    const nulls = await gql(h, UPDATE_OFFERING, { input: { id: toGlobalId('ServiceOffering', id), expectedVersion: 1, deliveryModes: null } }, admin);
    expect(badFields(nulls)).toEqual(['input.deliveryModes']);
    const [row] = await h.db.query('SELECT version, min_age_months, region_codes FROM service_offering WHERE id = $1', [id]);
    expect(row).toEqual({ version: 1, min_age_months: 0, region_codes: ['10'] });
  });

  test('createProgram: dates, money and regions; updateProgram checks the merged period', async () => {
    const before = await count('program');
    const shape = await gql(h, CREATE_PROGRAM, { input: { code: 'bad code', name: '', funder: 'Фонд', regions: [], startsOn: '2023-02-30', budgetRub: '12.345' } }, admin);
    expect(badFields(shape)).toEqual(['input.budgetRub', 'input.code', 'input.name', 'input.regions', 'input.startsOn']);
    const rules = await gql(h, CREATE_PROGRAM, { input: { code: uniqueCode('P').replace(/_/g, '-'), name: 'П', funder: 'Фонд', regions: ['54', '00'], startsOn: '2024-01-01', endsOn: '2023-12-31' } }, admin);
    expect(badFields(rules)).toEqual(['input.endsOn', 'input.regions[1]']);
    expect(await count('program')).toBe(before);

    const program = await insertProgram({ regions: ['51'], startsOn: '2019-09-01', endsOn: '2020-12-30' });
    const update = await gql(h, UPDATE_PROGRAM, { input: { id: toGlobalId('Program', program.id), expectedVersion: 1, startsOn: '2021-01-01' } }, admin);
    expect(badFields(update)).toEqual(['input.endsOn']);
    expect(await versionOf('program', program.id)).toBe(1);
  });

  test('createAgency: unknown region, a parent in another region; createStaffMember: bad e-mail and roles', async () => {
    const before = await count('agency');
    const region = await gql(h, CREATE_AGENCY, { input: { name: unique('Агентство'), kind: 'NGO', region: '99' } }, admin);
    expect(badFields(region)).toEqual(['input.region']);
    const otherRegion = await newAgencyId(); // region 10
    const parent = await gql(h, CREATE_AGENCY, { input: { name: unique('Агентство'), kind: 'NGO', region: '54', parent: toGlobalId('Agency', otherRegion) } }, admin);
    expect(badFields(parent)).toEqual(['input.parent']);
    expect(await count('agency')).toBe(before + 1); // the parent fixture only

    const staffBefore = await count('staff_member');
    const staff = await gql(h, CREATE_STAFF, { input: { agency: toGlobalId('Agency', otherRegion), fullName: '', position: 'психолог', email: 'not-an-email', roles: [] } }, admin);
    expect(badFields(staff)).toEqual(['input.email', 'input.fullName', 'input.roles']);
    expect(await count('staff_member')).toBe(staffBefore);
  });

  test('updateAgency: an agency cannot become a unit of its own unit', async () => {
    const top = await newAgencyId();
    const created = await gql(h, CREATE_AGENCY, { input: { name: unique('Отделение'), kind: 'SOCIAL_PROTECTION', region: '10', parent: toGlobalId('Agency', top) } }, admin);
    const unit = created.data!.createAgency.agency.id;
    const r = await gql(h, UPDATE_AGENCY, { input: { id: toGlobalId('Agency', top), expectedVersion: 1, parent: unit } }, admin);
    expect(badFields(r)).toEqual(['input.parent']);
    expect(await versionOf('agency', top)).toBe(1);
  });

  test('duplicate unique keys are BAD_USER_INPUT naming the field, not a 500, and write nothing', async () => {
    const type = await insertServiceType();
    const types = await count('service_type');
    const dupType = await gql(h, CREATE_SERVICE_TYPE, { input: { code: type.code, name: 'Дубль', domain: 'SOCIAL' } }, admin);
    expect(badFields(dupType)).toEqual(['input.code']);
    expect(await count('service_type')).toBe(types);

    const existing = await createAgency(h.db, AgencyKind.NGO, '51');
    const agencies = await count('agency');
    const dupAgency = await gql(h, CREATE_AGENCY, { input: { name: existing.name, kind: 'NGO', region: '51' } }, admin);
    expect(badFields(dupAgency)).toEqual(['input.name']);
    // The same name in another region is fine.
    const elsewhere = await gql(h, CREATE_AGENCY, { input: { name: existing.name, kind: 'NGO', region: '54' } }, admin);
    expect(elsewhere.errors).toBeUndefined();
    expect(await count('agency')).toBe(agencies + 1);
    // Renaming onto a taken name is refused too.
    const other = await createAgency(h.db, AgencyKind.NGO, '51');
    const rename = await gql(h, UPDATE_AGENCY, { input: { id: toGlobalId('Agency', other.id), expectedVersion: 1, name: existing.name } }, admin);
    expect(badFields(rename)).toEqual(['input.name']);
    expect(await versionOf('agency', other.id)).toBe(1);

    const program = await insertProgram({ regions: ['10'], startsOn: '2020-01-01' });
    const programs = await count('program');
    const dupProgram = await gql(h, CREATE_PROGRAM, { input: { code: program.code, name: 'Дубль', funder: 'Фонд', regions: ['10'], startsOn: '2020-01-01' } }, admin);
    expect(badFields(dupProgram)).toEqual(['input.code']);
    expect(await count('program')).toBe(programs);
  });
});

describe('admin mutations: versions and idempotency', () => {
  test('a stale expectedVersion is a CONFLICT for every update, and changes nothing', async () => {
    const agencyId = await newAgencyId();
    const staff = await createCaller(h, { roles: [Role.SPECIALIST], region: '10' });
    const type = await insertServiceType();
    const offeringId = await insertOffering(agencyId, type.id, { modes: [DeliveryMode.HOME], regions: ['10'] });
    const program = await insertProgram({ regions: ['10'], startsOn: '2020-01-01' });
    const updates: Array<[string, string, string, Record<string, unknown>]> = [
      [UPDATE_AGENCY, 'agency', agencyId, { id: toGlobalId('Agency', agencyId), settlement: 'Сегежа' }],
      [UPDATE_STAFF, 'staff_member', staff.staff.id, { id: toGlobalId('StaffMember', staff.staff.id), position: 'психолог' }],
      [UPDATE_SERVICE_TYPE, 'service_type', type.id, { id: toGlobalId('ServiceType', type.id), name: 'Новое' }],
      [UPDATE_OFFERING, 'service_offering', offeringId, { id: toGlobalId('ServiceOffering', offeringId), monthlyCapacity: 3 }],
      [UPDATE_PROGRAM, 'program', program.id, { id: toGlobalId('Program', program.id), funder: 'Другой фонд' }],
    ];
    for (const [mutation, table, id, input] of updates) {
      const first = await gql(h, mutation, { input: { ...input, expectedVersion: 1 } }, admin);
      expect(first.errors).toBeUndefined();
      const stale = await gql(h, mutation, { input: { ...input, expectedVersion: 1 } }, admin);
      expect(codes(stale)).toEqual(['CONFLICT']);
      expect(await versionOf(table, id)).toBe(2);
    }
    const gone = await gql(h, UPDATE_PROGRAM, { input: { id: toGlobalId('Program', '999999999'), expectedVersion: 1, name: 'X' } }, admin);
    expect(codes(gone)).toEqual(['NOT_FOUND']);
  });

  test('a retried idempotencyKey returns the same entity and writes one row; reusing it for other input is a CONFLICT', async () => {
    const key = unique('key').replace(/\s/g, '-');
    const input = { code: uniqueCode('IDEMPOTENT'), name: 'Материальная помощь', domain: 'MATERIAL', idempotencyKey: key };
    const before = await count('service_type');
    const first = await gql(h, CREATE_SERVICE_TYPE, { input }, admin);
    const retry = await gql(h, CREATE_SERVICE_TYPE, { input }, admin);
    expect(first.errors).toBeUndefined();
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.createServiceType.serviceType.id).toBe(first.data!.createServiceType.serviceType.id);
    expect(await count('service_type')).toBe(before + 1);
    const misuse = await gql(h, CREATE_SERVICE_TYPE, { input: { ...input, code: uniqueCode('OTHER') } }, admin);
    expect(codes(misuse)).toEqual(['CONFLICT']);
    expect(await count('service_type')).toBe(before + 1);

    const agencyKey = unique('agency-key').replace(/\s/g, '-');
    const agencyInput = { name: unique('Агентство'), kind: 'HEALTH', region: '23', idempotencyKey: agencyKey };
    const agencies = await count('agency');
    const a1 = await gql(h, CREATE_AGENCY, { input: agencyInput }, admin);
    const a2 = await gql(h, CREATE_AGENCY, { input: agencyInput }, admin);
    expect(a2.data!.createAgency.agency.id).toBe(a1.data!.createAgency.agency.id);
    expect(await count('agency')).toBe(agencies + 1);
  });

  test("a retry is recognised by the input's content, not the order of its fields (an input class reordered by a release)", () => {
    const day = new Date('2026-11-24T00:00:00Z');
    const first = hashInput({ name: 'Центр', kind: 'NGO', units: [{ b: 2, a: 1 }], on: day });
    expect(hashInput({ on: new Date(day), units: [{ a: 1, b: 2 }], kind: 'NGO', name: 'Центр' })).toBe(first);
    expect(hashInput({ name: 'Центр', kind: 'NGO', units: [{ b: 2, a: 1 }], on: day, extra: undefined })).toBe(first);
    expect(hashInput({ name: 'Центр', kind: 'HEALTH', units: [{ b: 2, a: 1 }], on: day })).not.toBe(first);
    expect(hashInput({ name: 'Центр', kind: 'NGO', units: [{ b: 2, a: 1 }, { a: 1 }], on: day })).not.toBe(first);
  });
});

// ---------------------------------------------------------------- demo reference data

describe('demo reference data', () => {
  test('loads into a database that already has the regions, and holds what the seeds describe', async () => {
    const runner = h.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const db = runner.manager;
      const [{ max: lastStaffBefore }] = await db.query('SELECT coalesce(max(id), 0) AS max FROM staff_member');
      await seedReferenceData(db);

      const [{ n: regions }] = await db.query('SELECT count(*)::int AS n FROM region WHERE code = ANY($1)', [DEMO_REGIONS.map((r) => r.code)]);
      expect(regions).toBe(5);

      // The finders and loaders, run on the transaction, see the seeded data as the API would.
      const ctx = createContext({ requestId: 'demo-test', viewer: null, db: db as unknown as DataSource, config: h.config });
      const lekotekaRemote = await findProviders(ctx, { serviceType: 'LEKOTEKA_SESSION', region: '10', deliveryMode: DeliveryMode.REMOTE }, { first: 20 });
      expect(lekotekaRemote.nodes.map((p) => p.name).sort()).toEqual([
        'Костомукшское отделение социальной реабилитации ГБУ СО «КЦСОН РК»',
        'Олонецкое отделение социальной реабилитации ГБУ СО «КЦСОН РК»',
        'Петрозаводское отделение социальной реабилитации ГБУ СО «КЦСОН РК»',
      ]);
      const units = await db.query(`SELECT count(*)::int AS n FROM agency WHERE parent_id = $1`, [(await findDemoAgency(db, 'kcson-rk')).id]);
      expect(units[0].n).toBe(4); // three departments and the mobile brigade
      const lekotekaOfferings = await offeringsByProviderId(ctx).load({ providerId: lekotekaRemote.nodes[0].agencyId, criteria: lekotekaRemote.nodes[0].criteria });
      expect(lekotekaOfferings).toHaveLength(1);
      expect(lekotekaOfferings[0].deliveryModes).toEqual(['ON_SITE', 'REMOTE']);

      const brigade = await findProviders(ctx, { region: '10', deliveryMode: DeliveryMode.MOBILE_BRIGADE }, { first: 20 });
      expect(brigade.nodes.map((p) => p.name)).toContain('Социальная мобильная бригада ГБУ СО «КЦСОН РК»');
      const nanny = await findProviders(ctx, { serviceType: 'SOCIAL_NANNY', deliveryMode: DeliveryMode.HOME, childAgeMonths: 18 }, { first: 20 });
      expect(nanny.nodes.every((p) => p.regionCode === '23')).toBe(true);
      expect(nanny.nodes.length).toBeGreaterThan(0);
      const respite = await findProviders(ctx, { serviceType: 'RESPITE_PLAY_ROOM' }, { first: 20 });
      expect(new Set(respite.nodes.map((p) => p.regionCode))).toEqual(new Set(['63']));

      const programs = await findPrograms(ctx, { search: undefined }, { first: 100 });
      const byCode = new Map(programs.nodes.map((p) => [p.code, p]));
      for (const spec of DEMO_PROGRAMS) expect(byCode.get(spec.code)).toMatchObject({ name: spec.name, funder: spec.funder, regionCodes: spec.regions, startsOn: spec.startsOn });
      expect(byCode.get('EQUAL-RIGHTS-EQUAL-OPPORTUNITIES')).toMatchObject({ funder: 'Фонд президентских грантов', startsOn: '2019-09-01', endsOn: '2020-12-30' });
      expect(byCode.get('PILOT-0-4')!.regionCodes).toEqual(['23', '54']);
      expect((await findPrograms(ctx, { activeOn: '2020-06-01' }, { first: 100 })).nodes.map((p) => p.code)).toEqual(expect.arrayContaining(['CHILDHOOD-UNDER-PROTECTION', 'EQUAL-RIGHTS-EQUAL-OPPORTUNITIES']));

      // The first case manager seeded (who gets the development token) is a social agent; every region has a coordinator.
      const [firstCaseManager] = await db.query(`SELECT full_name, position FROM staff_member WHERE id > $1 AND 'CASE_MANAGER' = ANY(roles) ORDER BY id LIMIT 1`, [lastStaffBefore]);
      expect(firstCaseManager.position).toContain('социальный агент');
      expect(firstCaseManager.full_name).toBe((await findDemoStaff(db, 'samara-social-agent')).fullName);
      const coordinators = await db.query(`SELECT DISTINCT a.region_code FROM staff_member s JOIN agency a ON a.id = s.agency_id WHERE s.id > $1 AND 'COORDINATOR' = ANY(s.roles) ORDER BY 1`, [lastStaffBefore]);
      expect(coordinators.map((r: { region_code: string }) => r.region_code)).toEqual(['10', '23', '51', '54', '63']);
      expect(DEMO_STAFF.filter((s) => (s.roles as readonly Role[]).includes(Role.ADMIN)).map((s) => s.agency)).toEqual(['kcson-rk']);
    } finally {
      // Rolled back: the test database is shared by every test file of the run.
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
