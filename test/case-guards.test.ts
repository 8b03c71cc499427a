import request from 'supertest';
import { harness, gql, createAgency, createCaller, codes, unique, type Caller, type Harness, type GraphQLResponse } from './support/harness';
import { countRows, createCase, createFamily, createProgram, grantAccess, grantAccessToAgencies, type CaseFixture } from './support/fixtures';
import { AgencyKind, FieldClass, Relation, Role } from '../src/core/auth/roles';
import { GrantKind } from '../src/modules/cases/case.enums';
import { readableClasses } from '../src/core/auth/policy';
import { toGlobalId } from '../src/core/graphql/global-id';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, type GraphQLResolveInfo } from 'graphql';
import { applyFieldGuards } from '../src/core/auth/guard';
import { primeRelations } from '../src/core/auth/access';
import type { Viewer } from '../src/core/auth/viewer';
import { clearLoaders } from '../src/core/loaders';
import { createContext } from '../src/context';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());

const NOTE = 'Итоговая записка куратора: семья справляется';

/**
 * The policy matrix, generated from READ_POLICY: for every role × agency kind × standing towards a case × field class,
 * the expected answer is computed with readableClasses() and checked through the real API.
 */
describe('the policy matrix (READ_POLICY through the API)', () => {
  const ROLES = [Role.COORDINATOR, Role.CASE_MANAGER, Role.SPECIALIST, Role.PARTNER_SYSTEM, Role.ANALYST, Role.ADMIN];
  const KINDS = Object.values(AgencyKind);
  /** How a caller (agency in region 54) stands to each fixture case, and the relations that standing gives. */
  const STANDINGS = {
    caseManager: [Relation.CASE_MANAGER, Relation.REGION],
    team: [Relation.TEAM, Relation.REGION],
    otherAgencyInRegion: [Relation.REGION],
    otherRegion: [],
    emergencyGrant: [Relation.EMERGENCY, Relation.REGION],
    expiredGrant: [Relation.REGION],
    conferenceGrant: [Relation.CONFERENCE, Relation.REGION],
  } satisfies Record<string, Relation[]>;
  type Standing = keyof typeof STANDINGS;
  const SHARED: Standing[] = ['team', 'otherAgencyInRegion', 'otherRegion', 'emergencyGrant', 'expiredGrant', 'conferenceGrant'];
  const CLASSES = [FieldClass.CASE_META, FieldClass.IDENTITY, FieldClass.HEALTH, FieldClass.SOCIAL_RISK, FieldClass.EDUCATION, FieldClass.NOTES];
  /** Where each class is probed in a case, and the value a permitted reader gets. */
  const PROBES: Record<string, { path: Array<string | number>; value: (c: CaseFixture) => unknown }> = {
    [FieldClass.CASE_META]: { path: ['number'], value: (c) => c.number },
    [FieldClass.IDENTITY]: { path: ['children', 0, 'lastName'], value: (c) => c.children[0].lastName },
    [FieldClass.HEALTH]: { path: ['children', 0, 'disability', 'diagnosis'], value: (c) => c.children[0].diagnosis },
    [FieldClass.SOCIAL_RISK]: { path: ['family', 'situations'], value: (c) => c.family.situations },
    [FieldClass.EDUCATION]: { path: ['children', 0, 'education', 'pmpkConclusion'], value: (c) => c.children[0].pmpkConclusion },
    [FieldClass.NOTES]: { path: ['closureNote'], value: () => NOTE },
  };
  const PROBE_FRAGMENT = `fragment Probe on Case { number closureNote family { situations } children { lastName disability { diagnosis } education { pmpkConclusion } } }`;

  interface MatrixCaller {
    role: Role;
    kind: AgencyKind;
    caller: Caller;
  }
  let callers: MatrixCaller[];
  let shared: Record<string, CaseFixture>;
  let managed: Map<Caller, CaseFixture>;
  let program: string;

  beforeAll(async () => {
    const owner = await createAgency(h.db, AgencyKind.SOCIAL_PROTECTION, '54');
    const farOwner = await createAgency(h.db, AgencyKind.SOCIAL_PROTECTION, '10');
    program = await createProgram(h.db);
    // One caller per role × kind, all in region 54.
    callers = await Promise.all(ROLES.flatMap((role) => KINDS.map(async (kind) => ({ role, kind, caller: await createCaller(h, { roles: [role], kind, region: '54' }) }))));
    const agencyIds = callers.map((c) => c.caller.agency.id);
    const newCase = async (region: string, extra: { caseManagerId?: string } = {}) =>
      createCase(h.db, {
        family: await createFamily(h.db, { registeredBy: region === '54' ? owner.id : farOwner.id, region }),
        leadAgencyId: region === '54' ? owner.id : farOwner.id,
        closureNote: NOTE,
        programIds: [program],
        ...extra,
      });
    // One case per standing, shared by all callers (set-wise grants to every caller's agency)...
    shared = {};
    for (const standing of SHARED) shared[standing] = await newCase(standing === 'otherRegion' ? '10' : '54');
    const inADay = new Date(Date.now() + 24 * 3600 * 1000);
    const anHourAgo = new Date(Date.now() - 3600 * 1000);
    await grantAccessToAgencies(h.db, shared.team.id, agencyIds, { kind: GrantKind.TEAM });
    await grantAccessToAgencies(h.db, shared.emergencyGrant.id, agencyIds, { kind: GrantKind.EMERGENCY, expiresAt: inADay, reason: 'Срочно: угроза жизни ребёнка, проверка сигнала' });
    await grantAccessToAgencies(h.db, shared.expiredGrant.id, agencyIds, { kind: GrantKind.TEAM, expiresAt: anHourAgo });
    await grantAccessToAgencies(h.db, shared.conferenceGrant.id, agencyIds, { kind: GrantKind.CONFERENCE, source: 'CONFERENCE' });
    // ...and, for each case manager, a case they manage (a case has one manager).
    managed = new Map();
    for (const { role, caller } of callers) if (role === Role.CASE_MANAGER) managed.set(caller, await newCase('54', { caseManagerId: caller.staff.id }));
  });

  /** The standing of a caller towards a fixture case. */
  function standingOf(caller: Caller, fixture: CaseFixture): Standing {
    if (managed.get(caller) === fixture) return 'caseManager';
    const entry = Object.entries(shared).find(([, c]) => c === fixture);
    return entry ? (entry[0] as Standing) : 'otherAgencyInRegion';
  }

  function expected(role: Role, kind: AgencyKind, standing: Standing): Record<string, string> {
    const classes = readableClasses([role], kind, new Set(STANDINGS[standing]));
    return Object.fromEntries(CLASSES.map((fieldClass) => [fieldClass, !classes.has(FieldClass.CASE_META) ? 'absent' : classes.has(fieldClass) ? 'value' : 'FORBIDDEN']));
  }

  function observed(response: GraphQLResponse, alias: string, fixture: CaseFixture): Record<string, string> {
    const node = response.data?.[alias];
    const errorsHere = (response.errors ?? []).filter((e) => e.path?.[0] === alias);
    if (node === null) {
      return Object.fromEntries(CLASSES.map((c) => [c, errorsHere.length ? `absent but errors ${JSON.stringify(errorsHere.map((e) => e.path))}` : 'absent']));
    }
    return Object.fromEntries(
      CLASSES.map((fieldClass) => {
        const { path, value } = PROBES[fieldClass];
        const got = path.reduce<any>((at, key) => (at == null ? at : at[key]), node);
        const errors = errorsHere.filter((e) => JSON.stringify(e.path) === JSON.stringify([alias, ...path]));
        if (errors.length === 0 && JSON.stringify(got) === JSON.stringify(value(fixture))) return [fieldClass, 'value'];
        if (got === null && errors.length === 1 && errors[0].extensions.code === 'FORBIDDEN') return [fieldClass, 'FORBIDDEN'];
        return [fieldClass, `unexpected: ${JSON.stringify(got)} ${JSON.stringify(errors)}`];
      }),
    );
  }

  test('every role × agency kind × standing × field class answers as readableClasses() says: value, null + FORBIDDEN at the path, or absent', async () => {
    const want: string[] = [];
    const got: string[] = [];
    await Promise.all(
      callers.map(async ({ role, kind, caller }) => {
        const fixtures = [...SHARED.map((s) => shared[s]), ...(managed.has(caller) ? [managed.get(caller)!] : [])];
        const aliases = fixtures.map((f) => standingOf(caller, f));
        const document = `query Matrix { ${fixtures.map((f, i) => `${aliases[i]}: node(id: "${f.globalId}") { ...Probe }`).join(' ')} } ${PROBE_FRAGMENT}`;
        const response = await gql(h, document, {}, caller);
        expect(response.status).toBe(200);
        fixtures.forEach((fixture, i) => {
          const standing = aliases[i];
          const line = (outcomes: Record<string, string>) => CLASSES.map((c) => `${role} ${kind} ${standing} ${c}: ${outcomes[c]}`);
          want.push(...line(expected(role, kind, standing)));
          got.push(...line(observed(response, standing, fixture)));
        });
      }),
    );
    // 7 standings for the 7 case managers, 6 for the 35 other callers, 6 classes each.
    expect(want).toHaveLength((7 * 7 + 35 * 6) * 6);
    // Not vacuous: the table yields values, denials and absences.
    const tally = (outcome: string) => want.filter((line) => line.endsWith(`: ${outcome}`)).length;
    expect({ value: tally('value') > 100, forbidden: tally('FORBIDDEN') > 50, absent: tally('absent') > 100 }).toEqual({ value: true, forbidden: true, absent: true });
    if (process.env.MATRIX_TALLY) console.log({ cells: want.length, value: tally('value'), forbidden: tally('FORBIDDEN'), absent: tally('absent') });
    expect(got.sort()).toEqual(want.sort());
  });

  test('the list holds exactly the cases with CASE_META, and totalCount counts only them; ANALYST and ADMIN get FORBIDDEN', async () => {
    const allFixtures = [...Object.values(shared), ...managed.values()];
    const failures: string[] = [];
    await Promise.all(
      callers.map(async ({ role, kind, caller }) => {
        const response = await gql(h, `query($p: ID!) { cases(filter: { program: $p }, first: 100) { totalCount edges { node { id } } } }`, { p: toGlobalId('Program', program) }, caller);
        if (role === Role.ANALYST || role === Role.ADMIN) {
          if (codes(response).join() !== 'FORBIDDEN' || response.data) failures.push(`${role} ${kind}: expected FORBIDDEN, got ${JSON.stringify(response.errors)}`);
          return;
        }
        const visible = allFixtures.filter((f) => readableClasses([role], kind, new Set(STANDINGS[standingOf(caller, f)])).has(FieldClass.CASE_META)).map((f) => f.globalId);
        const listed = response.data!.cases.edges.map((e: { node: { id: string } }) => e.node.id);
        if (JSON.stringify([...listed].sort()) !== JSON.stringify([...visible].sort()) || response.data!.cases.totalCount !== visible.length) {
          failures.push(`${role} ${kind}: listed ${listed.length} (count ${response.data!.cases.totalCount}), expected ${visible.length}`);
        }
      }),
    );
    expect(failures).toEqual([]);
  });
});

describe('hidden is absent: the same answers as for records that do not exist', () => {
  let specialist: Caller;
  let hidden: CaseFixture;
  let visible: CaseFixture;
  let program: string;
  const NONEXISTENT = '987654321012';

  beforeAll(async () => {
    specialist = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.HEALTH });
    const lead = await createAgency(h.db, AgencyKind.SOCIAL_PROTECTION, '54');
    program = await createProgram(h.db);
    const hiddenFamily = await createFamily(h.db, { registeredBy: lead.id, externalIds: [{ system: 'EGISSO', value: unique('hidden-family') }] });
    hidden = await createCase(h.db, { family: hiddenFamily, leadAgencyId: lead.id, programIds: [program] });
    await h.db.query(`INSERT INTO placement_event (person_id, kind, occurred_on, placement_before, placement_after, recorded_by_agency_id) VALUES ($1, 'PLACED_IN_INSTITUTION', '2024-01-01', 'WITH_BIRTH_FAMILY', 'IN_INSTITUTION', $2)`, [hidden.children[0].id, lead.id]);
    visible = await createCase(h.db, { family: await createFamily(h.db, { registeredBy: lead.id }), leadAgencyId: lead.id, programIds: [program], grants: [{ agencyId: specialist.agency.id, kind: GrantKind.TEAM }] });
  });

  const stripLocations = (response: GraphQLResponse) => ({ data: response.data, errors: response.errors?.map(({ message, path, extensions }) => ({ message, path, extensions })) });

  test('not in lists, not in totalCount', async () => {
    const response = await gql(h, `query($p: ID!) { cases(filter: { program: $p }) { totalCount edges { node { id } } } }`, { p: toGlobalId('Program', program) }, specialist);
    expect(response.data!.cases).toEqual({ totalCount: 1, edges: [{ node: { id: visible.globalId } }] });
  });

  test('node(id), nodes(ids), case(id:), case(number:) answer null, exactly as for nonexistent ids, with no error', async () => {
    const placement = (await h.db.query('SELECT id FROM placement_event WHERE person_id = $1', [hidden.children[0].id]))[0].id;
    const grant = (await h.db.query('SELECT id FROM case_access_grant WHERE case_id = $1', [hidden.id]))[0].id;
    for (const [type, id] of [
      ['Case', hidden.id],
      ['Family', hidden.family.id],
      ['Person', hidden.children[0].id],
      ['PlacementEvent', String(placement)],
      ['CaseParticipant', String(grant)],
    ]) {
      const ofHidden = await gql(h, `query($id: ID!) { node(id: $id) { id } }`, { id: toGlobalId(type, id) }, specialist);
      const ofNothing = await gql(h, `query($id: ID!) { node(id: $id) { id } }`, { id: toGlobalId(type, NONEXISTENT) }, specialist);
      expect(stripLocations(ofHidden)).toEqual({ data: { node: null }, errors: undefined });
      expect(stripLocations(ofNothing)).toEqual(stripLocations(ofHidden));
    }
    const nodes = await gql(h, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [hidden.globalId, visible.globalId, toGlobalId('Case', NONEXISTENT)] }, specialist);
    expect(nodes.data!.nodes).toEqual([null, { id: visible.globalId }, null]);
    const byNumber = await gql(h, `query($n: String!) { case(number: $n) { id } }`, { n: hidden.number }, specialist);
    const byMadeUpNumber = await gql(h, `query($n: String!) { case(number: $n) { id } }`, { n: '54-1999-999999' }, specialist);
    expect(stripLocations(byNumber)).toEqual({ data: { case: null }, errors: undefined });
    expect(stripLocations(byMadeUpNumber)).toEqual(stripLocations(byNumber));
    expect((await gql(h, `query($id: ID!) { case(id: $id) { id } }`, { id: hidden.globalId }, specialist)).data!.case).toBeNull();
  });

  test('writes on a hidden record fail exactly like writes on a nonexistent one (NOT_FOUND, same message)', async () => {
    const pairs: Array<[string, (id: string) => Record<string, unknown>, string, string]> = [
      ['mutation($input: ChangeCaseStatusInput!) { changeCaseStatus(input: $input) { case { id } } }', (id) => ({ case: id, status: 'MONITORING', expectedVersion: 1 }), hidden.globalId, toGlobalId('Case', NONEXISTENT)],
      ['mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { id } } }', (id) => ({ person: id, expectedVersion: 1, firstName: 'Иван' }), hidden.children[0].globalId, toGlobalId('Person', NONEXISTENT)],
      [
        'mutation($input: AddFamilyMemberInput!) { addFamilyMember(input: $input) { person { id } } }',
        (id) => ({ family: id, member: { lastName: 'Иванов', firstName: 'Иван', birthDate: '2020-01-01', sex: 'MALE', relation: 'CHILD' } }),
        hidden.family.globalId,
        toGlobalId('Family', NONEXISTENT),
      ],
    ];
    // A case manager of the region (all three actions allowed) who stands in no relation to the hidden case.
    const outsider = await createCaller(h, { roles: [Role.CASE_MANAGER], kind: AgencyKind.HEALTH });
    for (const [mutation, input, hiddenId, missingId] of pairs) {
      const ofHidden = await gql(h, mutation, { input: input(hiddenId) }, outsider);
      const ofNothing = await gql(h, mutation, { input: input(missingId) }, outsider);
      expect(codes(ofHidden)).toEqual(['NOT_FOUND']);
      expect(stripLocations(ofHidden)).toEqual(stripLocations(ofNothing));
    }
  });

  test('a partner key of a hidden family answers null, like an unknown key', async () => {
    const key = (await h.db.query(`SELECT value FROM external_id WHERE family_id = $1`, [hidden.family.id]))[0].value;
    const ofHidden = await gql(h, `query($v: String!) { familyByExternalId(system: "EGISSO", value: $v) { id } }`, { v: key }, specialist);
    const ofNothing = await gql(h, `query($v: String!) { familyByExternalId(system: "EGISSO", value: $v) { id } }`, { v: unique('nobody') }, specialist);
    expect(stripLocations(ofHidden)).toEqual({ data: { familyByExternalId: null }, errors: undefined });
    expect(stripLocations(ofNothing)).toEqual(stripLocations(ofHidden));
  });

  test('ADMIN reads no case data: cases and case are FORBIDDEN, node is null', async () => {
    const admin = await createCaller(h, { roles: [Role.ADMIN] });
    const list = await gql(h, `{ cases { totalCount } }`, {}, admin);
    expect(codes(list)).toEqual(['FORBIDDEN']);
    expect(list.data).toBeNull();
    expect(codes(await gql(h, `query($id: ID!) { case(id: $id) { number } }`, { id: visible.globalId }, admin))).toEqual(['FORBIDDEN']);
    expect((await gql(h, `query($id: ID!) { node(id: $id) { id } }`, { id: visible.globalId }, admin)).data!.node).toBeNull();
  });
});

describe('emergency (break-the-glass) access', () => {
  const REQUEST = `mutation($input: RequestEmergencyAccessInput!) {
    requestEmergencyAccess(input: $input) { participant { kind source reason active expiresAt staff { id } agency { id } } case { number children { disability { diagnosis } } } }
  }`;
  const REASON = 'Ребёнок доставлен в приёмный покой, нужна история случая';
  let lead: Caller;
  let coordinator: Caller;
  let target: CaseFixture;

  beforeAll(async () => {
    lead = await createCaller(h, { roles: [Role.CASE_MANAGER], kind: AgencyKind.SOCIAL_PROTECTION });
    coordinator = await createCaller(h, { roles: [Role.COORDINATOR], kind: AgencyKind.SOCIAL_PROTECTION });
    target = await createCase(h.db, { family: await createFamily(h.db, { registeredBy: lead.agency.id }), leadAgencyId: lead.agency.id, caseManagerId: lead.staff.id });
  });

  test('a specialist of the region not on the team opens the case for 24 hours; the coordinator sees it with its reason', async () => {
    const doctor = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.HEALTH });
    expect((await gql(h, `query($id: ID!) { case(id: $id) { id } }`, { id: target.globalId }, doctor)).data!.case).toBeNull();

    const granted = await gql(h, REQUEST, { input: { number: target.number, reason: REASON } }, doctor);
    expect(granted.errors).toBeUndefined();
    const { participant, case: opened } = granted.data!.requestEmergencyAccess;
    expect(participant).toMatchObject({ kind: 'EMERGENCY', source: 'EMERGENCY', reason: REASON, active: true, staff: { id: toGlobalId('StaffMember', doctor.staff.id) }, agency: null });
    const hours = (new Date(participant.expiresAt).getTime() - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    // A health specialist with emergency access reads health data, as the policy table says.
    expect(opened).toEqual({ number: target.number, children: [{ disability: { diagnosis: target.children[0].diagnosis } }] });

    const seen = await gql(h, `query($id: ID!) { case(id: $id) { participants { kind reason staff { id } } } }`, { id: target.globalId }, coordinator);
    expect(seen.data!.case.participants).toContainEqual({ kind: 'EMERGENCY', reason: REASON, staff: { id: toGlobalId('StaffMember', doctor.staff.id) } });
    const events = await gql(h, `query($id: ID!) { auditEvents(filter: { case: $id, action: WRITE }) { edges { node { fields reason actor { id } recordType } } } }`, { id: target.globalId }, coordinator);
    expect(events.errors).toBeUndefined();
    expect(events.data!.auditEvents.edges.map((e: { node: unknown }) => e.node)).toContainEqual({ fields: ['emergencyAccess'], reason: REASON, actor: { id: toGlobalId('StaffMember', doctor.staff.id) }, recordType: 'Case' });

    // Asking again while the access lasts is refused; so is asking for a case one is on the team of.
    const again = await gql(h, REQUEST, { input: { case: target.globalId, reason: REASON } }, doctor);
    expect(again.errors![0].extensions.fields).toEqual([{ field: 'input.case', message: 'is a case you already have emergency access to' }]);
    const teamMember = await gql(h, REQUEST, { input: { case: target.globalId, reason: REASON } }, lead);
    expect(teamMember.errors![0].extensions.fields).toEqual([{ field: 'input.case', message: 'is a case you are already on the team of' }]);
  });

  test('refused for a case of another region (NOT_FOUND, like a case that does not exist); too short a reason; roles without the action', async () => {
    const faraway = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.HEALTH, region: '63' });
    const grants = await countRows(h.db, 'case_access_grant');
    const elsewhere = await gql(h, REQUEST, { input: { number: target.number, reason: REASON } }, faraway);
    const nowhere = await gql(h, REQUEST, { input: { number: '63-2024-999999', reason: REASON } }, faraway);
    expect(codes(elsewhere)).toEqual(['NOT_FOUND']);
    expect(elsewhere.errors![0].message).toBe(nowhere.errors![0].message);
    expect(codes(await gql(h, REQUEST, { input: { case: target.globalId, reason: REASON } }, faraway))).toEqual(['NOT_FOUND']);

    const nurse = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.HEALTH });
    const short = await gql(h, REQUEST, { input: { case: target.globalId, reason: 'нужно срочно' } }, nurse);
    expect(short.errors![0].extensions.fields).toEqual([{ field: 'input.reason', message: 'must be 20 to 1000 characters long' }]);
    const both = await gql(h, REQUEST, { input: { case: target.globalId, number: target.number, reason: REASON } }, nurse);
    expect(codes(both)).toEqual(['BAD_USER_INPUT']);
    for (const roles of [[Role.COORDINATOR], [Role.ANALYST], [Role.ADMIN]]) {
      expect(codes(await gql(h, REQUEST, { input: { case: target.globalId, reason: REASON } }, await createCaller(h, { roles })))).toEqual(['FORBIDDEN']);
    }
    expect(await countRows(h.db, 'case_access_grant')).toBe(grants);
  });

  test('an expired emergency grant gives nothing', async () => {
    const psychologist = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.HEALTH });
    await grantAccess(h.db, target.id, { staffId: psychologist.staff.id, kind: GrantKind.EMERGENCY, reason: REASON, expiresAt: new Date(Date.now() - 60_000) });
    await grantAccess(h.db, target.id, { agencyId: psychologist.agency.id, kind: GrantKind.EMERGENCY, reason: REASON, expiresAt: new Date(Date.now() - 60_000) });
    const response = await gql(h, `query($id: ID!, $person: ID!) { case(id: $id) { number } node(id: $person) { id } }`, { id: target.globalId, person: target.children[0].globalId }, psychologist);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ case: null, node: null });
  });
});

describe('audit of sensitive reads and the access log', () => {
  let manager: Caller;
  let ngo: Caller;
  let program: string;
  let cases: CaseFixture[];

  beforeAll(async () => {
    manager = await createCaller(h, { roles: [Role.CASE_MANAGER], kind: AgencyKind.SOCIAL_PROTECTION });
    ngo = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.NGO });
    program = await createProgram(h.db);
    cases = [];
    for (let i = 0; i < 10; i++) {
      const family = await createFamily(h.db, { registeredBy: manager.agency.id });
      cases.push(await createCase(h.db, { family, leadAgencyId: manager.agency.id, caseManagerId: manager.staff.id, programIds: [program], grants: [{ agencyId: ngo.agency.id, kind: GrantKind.TEAM }] }));
    }
  });

  /** Posts a query with a known request id. */
  async function withRequestId(requestId: string, query: string, variables: Record<string, unknown>, caller: Caller) {
    const response = await request(h.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${caller.token}`)
      .set('x-request-id', requestId)
      .send({ query, variables });
    expect(response.body.errors).toBeUndefined();
    return response;
  }

  const NAMES = `query($p: ID!, $first: Int) { cases(filter: { program: $p }, first: $first) { edges { node { children { lastName firstName } again: children { lastName } } } } }`;

  test("reading children's names writes one audit row per person per request, in one INSERT, with request id, actor and fields", async () => {
    const one = await gql(h, NAMES, { p: toGlobalId('Program', program), first: 1 }, manager);
    const ten = await gql(h, NAMES, { p: toGlobalId('Program', program), first: 10 }, manager);
    expect(ten.data!.cases.edges).toHaveLength(10);
    // Same statements for 1 and 10 persons: the audit rows go in one INSERT.
    expect(ten.sqlStatements).toBe(one.sqlStatements);

    const requestId = unique('audit').replace(/\s/g, '-');
    await withRequestId(requestId, NAMES, { p: toGlobalId('Program', program), first: 10 }, manager);
    const rows = await h.db.query(`SELECT * FROM audit_event WHERE request_id = $1 ORDER BY family_id`, [requestId]);
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((r: { family_id: string }) => String(r.family_id)))).toEqual(new Set(cases.map((c) => c.family.id)));
    // Each row names the child whose names were read (the person record), with the family alongside.
    const childOf = new Map(cases.map((c) => [c.family.id, c.children.map((child) => child.id)]));
    for (const row of rows as Array<{ record_id: string; family_id: string; case_id: string | null }>) {
      expect(childOf.get(String(row.family_id))).toEqual([String(row.record_id)]);
      expect(row.case_id).toBeNull();
    }
    for (const row of rows) {
      expect(row).toMatchObject({ action: 'READ', record_type: 'Person', actor_subject: manager.staff.id, agency_id: manager.agency.id, roles: ['CASE_MANAGER'], reason: null });
      expect(String(row.actor_staff_id)).toBe(manager.staff.id);
      expect(row.fields).toEqual(['firstName', 'lastName']);
    }
  });

  test('reading only case metadata is not audited', async () => {
    const requestId = unique('meta').replace(/\s/g, '-');
    await withRequestId(requestId, `query($p: ID!) { cases(filter: { program: $p }) { edges { node { number status children { ageMonths } } } } }`, { p: toGlobalId('Program', program) }, manager);
    expect(await h.db.query(`SELECT 1 FROM audit_event WHERE request_id = $1`, [requestId])).toEqual([]);
  });

  test('the case manager sees who viewed the case in accessLog; a specialist on the team gets FORBIDDEN; the coordinator of the region sees it', async () => {
    const target = cases[0];
    await gql(h, `query($id: ID!) { case(id: $id) { children { lastName } family { address } } }`, { id: target.globalId }, ngo);
    const LOG = `query($id: ID!) { case(id: $id) { number accessLog(first: 50) { totalCount edges { node { action recordType recordId fields reason roles actor { fullName } agency { name } occurredAt requestId } } } } }`;
    const log = await gql(h, LOG, { id: target.globalId }, manager);
    expect(log.errors).toBeUndefined();
    const entries = log.data!.case.accessLog.edges.map((e: { node: Record<string, unknown> }) => e.node);
    const ids = (await gql(h, `query($id: ID!) { case(id: $id) { children { id } family { id } } }`, { id: target.globalId }, manager)).data!.case;
    // Each entry names the record read: the child whose name was read, the family whose address was.
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'READ', recordType: 'Person', recordId: ids.children[0].id, fields: ['lastName'], roles: ['SPECIALIST'], actor: { fullName: ngo.staff.fullName }, agency: { name: ngo.agency.name } }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ action: 'READ', recordType: 'Family', recordId: ids.family.id, fields: ['address'], actor: { fullName: ngo.staff.fullName } }));
    expect(log.data!.case.accessLog.totalCount).toBeGreaterThanOrEqual(2);

    const denied = await gql(h, LOG, { id: target.globalId }, ngo);
    expect(denied.data!.case).toEqual({ number: target.number, accessLog: null });
    expect(denied.errors!.map((e) => [e.extensions.code, e.path])).toEqual([['FORBIDDEN', ['case', 'accessLog']]]);

    const coordinator = await createCaller(h, { roles: [Role.COORDINATOR] });
    const ofCoordinator = await gql(h, LOG, { id: target.globalId }, coordinator);
    expect(ofCoordinator.errors).toBeUndefined();
    // Reading the log reads no family data, so it adds nothing to it.
    expect(ofCoordinator.data!.case.accessLog.totalCount).toBe(log.data!.case.accessLog.totalCount);
  });

  test('auditEvents: the whole log for ADMIN, scoped to own cases for a case manager, FORBIDDEN for a specialist', async () => {
    const target = cases[1];
    await gql(h, `query($id: ID!) { case(id: $id) { children { lastName } } }`, { id: target.globalId }, ngo);
    const EVENTS = `query($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 100) { totalCount edges { node { id caseId familyId actor { id } fields } } } }`;
    const admin = await createCaller(h, { roles: [Role.ADMIN] });
    const all = await gql(h, EVENTS, { filter: { case: target.globalId, actor: toGlobalId('StaffMember', ngo.staff.id) } }, admin);
    expect(all.errors).toBeUndefined();
    expect(all.data!.auditEvents.edges.map((e: { node: { familyId: string; fields: string[] } }) => e.node)).toContainEqual(
      expect.objectContaining({ familyId: target.family.globalId, fields: ['lastName'], actor: { id: toGlobalId('StaffMember', ngo.staff.id) } }),
    );
    const eventId = all.data!.auditEvents.edges[0].node.id;
    expect((await gql(h, `query($id: ID!) { node(id: $id) { id } }`, { id: eventId }, admin)).data!.node).toEqual({ id: eventId });

    const ofManager = await gql(h, EVENTS, { filter: { case: target.globalId } }, manager);
    expect(ofManager.data!.auditEvents.totalCount).toBeGreaterThan(0);
    const stranger = await createCaller(h, { roles: [Role.CASE_MANAGER] });
    const ofStranger = await gql(h, EVENTS, { filter: { case: target.globalId } }, stranger);
    expect(ofStranger.data!.auditEvents.totalCount).toBe(0);
    expect((await gql(h, `query($id: ID!) { node(id: $id) { id } }`, { id: eventId }, stranger)).data!.node).toBeNull();
    expect(codes(await gql(h, EVENTS, {}, ngo))).toEqual(['FORBIDDEN']);
  });
});

describe('guard decisions within a request', () => {
  test('a write forgets the decisions taken before it: the same record is decided again from its relations after clearLoaders', () => {
    const probe = new GraphQLObjectType({ name: 'Probe', fields: { diagnosis: { type: GraphQLString, extensions: { fieldClass: FieldClass.HEALTH } } } });
    const schema = applyFieldGuards(new GraphQLSchema({ query: probe }));
    const field = (schema.getType('Probe') as GraphQLObjectType).getFields().diagnosis;
    const viewer: Viewer = { subject: '1', staffId: '1', agencyId: '1', agencyKind: AgencyKind.HEALTH, agencyRegion: '54', roles: [Role.SPECIALIST], regions: ['54'] };
    const ctx = createContext({ requestId: 'probe', viewer, db: h.db, config: h.config });
    const record = { scope: { kind: 'case' as const, id: '424242' }, diagnosis: 'G80' };
    const info = { fieldName: 'diagnosis' } as GraphQLResolveInfo;

    // On the team of a health agency: HEALTH is readable.
    primeRelations(ctx, 'case', [['424242', new Set([Relation.TEAM])]]);
    expect(field.resolve!(record, {}, ctx, info)).toBe('G80');
    // A write (say, the team grant revoked) clears the request's caches; the same object is decided afresh.
    clearLoaders(ctx);
    primeRelations(ctx, 'case', [['424242', new Set<Relation>()]]);
    expect(() => field.resolve!(record, {}, ctx, info)).toThrow(/HEALTH data that you may not read/);
  });
});
