import { harness, gql, createCaller, codes, unique, type Caller, type Harness } from './support/harness';
import { countRows, createCase, createFamily } from './support/fixtures';
import { AgencyKind, Role } from '../src/core/auth/roles';
import { GrantKind } from '../src/modules/cases/case.enums';
import { toGlobalId } from '../src/core/graphql/global-id';

const REGISTER_FAMILY = `
  mutation Register($input: RegisterFamilyInput!) {
    registerFamily(input: $input) {
      family {
        id settlement remote address phone situations version
        region { code }
        registeredBy { id }
        externalIds { system value }
        members { id lastName firstName birthDate relation placement disability { status } externalIds { system value } }
        cases { id }
      }
    }
  }`;

const ADD_MEMBER = `
  mutation Add($input: AddFamilyMemberInput!) {
    addFamilyMember(input: $input) { person { id lastName relation family { id } } family { members { id } } }
  }`;

const UPDATE_PERSON = `
  mutation Update($input: UpdatePersonInput!) {
    updatePerson(input: $input) { person { id lastName middleName version disability { status } } }
  }`;

const RECORD_PLACEMENT = `
  mutation Record($input: RecordPlacementEventInput!) {
    recordPlacementEvent(input: $input) {
      placementEvent { id kind occurredOn placementBefore placementAfter notes agency { name } recordedBy { id } person { id } }
      person { placement version placementHistory { kind placementBefore placementAfter } }
    }
  }`;

const FAMILY_BY_KEY = `query Lookup($system: String!, $value: String!) { familyByExternalId(system: $system, value: $value) { id settlement } }`;
const PERSON_BY_KEY = `query Lookup($system: String!, $value: String!) { personByExternalId(system: $system, value: $value) { id lastName } }`;

let h: Harness;
let manager: Caller;
let specialist: Caller;
let healthSpecialist: Caller;
let coordinator: Caller;
let outsider: Caller;

const registerInput = (extra: Record<string, unknown> = {}) => ({
  region: '54',
  settlement: 'р.п. Краснообск',
  remote: true,
  address: 'ул. Центральная, д. 5',
  phone: '+7 913 000-00-00',
  situations: ['LOW_INCOME', 'SINGLE_PARENT'],
  members: [
    { lastName: 'Кузнецова', firstName: 'Ольга', middleName: 'Ивановна', birthDate: '1990-04-02', sex: 'FEMALE', relation: 'MOTHER' },
    {
      lastName: 'Кузнецов',
      firstName: 'Артём',
      birthDate: '2023-01-20',
      sex: 'MALE',
      relation: 'CHILD',
      disabilityStatus: 'DISABLED',
      externalIds: [{ system: 'EGISSO', value: unique('child') }],
    },
  ],
  externalIds: [{ system: 'EGISSO', value: unique('family') }],
  ...extra,
});

beforeAll(async () => {
  h = await harness();
  manager = await createCaller(h, { roles: [Role.CASE_MANAGER], kind: AgencyKind.SOCIAL_PROTECTION });
  specialist = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.NGO });
  healthSpecialist = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.HEALTH });
  coordinator = await createCaller(h, { roles: [Role.COORDINATOR], kind: AgencyKind.SOCIAL_PROTECTION });
  outsider = await createCaller(h, { roles: [Role.CASE_MANAGER], kind: AgencyKind.SOCIAL_PROTECTION, region: '10' });
});
afterAll(() => h.close());

describe('registerFamily', () => {
  test('registers a family with members and partner keys; the registering agency sees it, another region does not', async () => {
    const input = registerInput();
    const response = await gql(h, REGISTER_FAMILY, { input }, manager);
    expect(response.errors).toBeUndefined();
    const family = response.data!.registerFamily.family;
    expect(family).toMatchObject({
      settlement: 'р.п. Краснообск',
      remote: true,
      address: 'ул. Центральная, д. 5',
      situations: ['LOW_INCOME', 'SINGLE_PARENT'],
      version: 1,
      region: { code: '54' },
      registeredBy: { id: toGlobalId('Agency', manager.agency.id) },
      externalIds: input.externalIds,
      cases: [],
    });
    expect(family.members).toHaveLength(2);
    expect(family.members[0]).toMatchObject({ lastName: 'Кузнецова', relation: 'MOTHER', placement: 'WITH_BIRTH_FAMILY', disability: { status: 'NONE' } });
    expect(family.members[1]).toMatchObject({ lastName: 'Кузнецов', relation: 'CHILD', disability: { status: 'DISABLED' }, externalIds: input.members[1].externalIds });

    // The registering social-protection agency reads what its kind may read, and no more: no diagnosis.
    const health = await gql(h, `query($id: ID!) { node(id: $id) { ... on Person { disability { diagnosis } } } }`, { id: family.members[1].id }, manager);
    expect(health.errors!.map((e) => [e.extensions.code, e.path])).toEqual([['FORBIDDEN', ['node', 'disability', 'diagnosis']]]);

    const elsewhere = await gql(h, `query($id: ID!) { node(id: $id) { id } }`, { id: family.id }, outsider);
    expect(elsewhere.data!.node).toBeNull();
    const coordinatorView = await gql(h, `query($id: ID!) { node(id: $id) { ... on Family { situations } } }`, { id: family.id }, coordinator);
    expect(coordinatorView.data!.node).toEqual({ situations: ['LOW_INCOME', 'SINGLE_PARENT'] });
  });

  test('the write is audited in the same transaction', async () => {
    const response = await gql(h, REGISTER_FAMILY, { input: registerInput() }, manager);
    const familyId = response.data!.registerFamily.family.id;
    const local = Buffer.from(familyId, 'base64url').toString().split(':')[1];
    const rows = await h.db.query(
      `SELECT action, record_type, record_id::text AS record_id, fields FROM audit_event WHERE family_id = $1 AND action = 'WRITE' ORDER BY record_type, record_id`,
      [local],
    );
    // The family, and each member registered with it under the member's own id.
    const members = await h.db.query(`SELECT id::text AS id FROM person WHERE family_id = $1 ORDER BY id`, [local]);
    expect(members.length).toBeGreaterThan(1);
    expect(rows.map((r: { record_type: string; record_id: string }) => [r.record_type, r.record_id])).toEqual([
      ['Family', local],
      ...members.map((m: { id: string }) => ['Person', m.id]),
    ]);
    expect(rows[0].fields).toEqual(expect.arrayContaining(['registered', 'situations', 'address']));
    expect(rows[1].fields).toEqual(expect.arrayContaining(['registered']));
  });

  test('an analyst or an admin may not register families (FORBIDDEN), nothing is written', async () => {
    const before = await countRows(h.db, 'family');
    for (const roles of [[Role.ANALYST], [Role.ADMIN], [Role.SPECIALIST]]) {
      const caller = await createCaller(h, { roles });
      const response = await gql(h, REGISTER_FAMILY, { input: registerInput() }, caller);
      expect(codes(response)).toEqual(['FORBIDDEN']);
      expect(response.data?.registerFamily ?? null).toBeNull();
    }
    expect(await countRows(h.db, 'family')).toBe(before);
  });

  test('a region that is not the caller\'s is FORBIDDEN; an unknown one is BAD_USER_INPUT', async () => {
    expect(codes(await gql(h, REGISTER_FAMILY, { input: registerInput({ region: '10' }) }, manager))).toEqual(['FORBIDDEN']);
    const unknown = await gql(h, REGISTER_FAMILY, { input: registerInput({ region: '99' }) }, manager);
    expect(codes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(unknown.errors![0].extensions.fields).toEqual([{ field: 'input.region', message: 'is not a region of the registry' }]);
  });

  test('validation names each offending field and writes nothing', async () => {
    const tables = ['family', 'person', 'external_id', 'audit_event'];
    const before = await Promise.all(tables.map((t) => countRows(h.db, t)));
    const input = registerInput({
      settlement: '   ',
      phone: 'call me',
      members: [
        { lastName: '', firstName: 'Ольга', birthDate: '2999-01-01', sex: 'FEMALE', relation: 'MOTHER' },
        { lastName: 'Кузнецов', firstName: 'А'.repeat(101), birthDate: '2023-02-30', sex: 'MALE', relation: 'CHILD', diagnosis: 'x'.repeat(1001) },
      ],
    });
    const response = await gql(h, REGISTER_FAMILY, { input }, manager);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    const fields = response.errors![0].extensions.fields.map((f: { field: string }) => f.field);
    expect(new Set(fields)).toEqual(
      new Set(['input.settlement', 'input.phone', 'input.members[0].lastName', 'input.members[0].birthDate', 'input.members[1].firstName', 'input.members[1].birthDate', 'input.members[1].diagnosis']),
    );
    expect(response.errors![0].extensions.fields).toContainEqual({ field: 'input.members[0].birthDate', message: 'must not be in the future' });
    // No value sent is echoed back.
    expect(JSON.stringify(response.errors)).not.toContain('call me');
    expect(await Promise.all(tables.map((t) => countRows(h.db, t)))).toEqual(before);
  });

  test('no members at all is refused', async () => {
    const response = await gql(h, REGISTER_FAMILY, { input: registerInput({ members: [] }) }, manager);
    expect(response.errors![0].extensions.fields).toEqual([{ field: 'input.members', message: 'must name at least one member' }]);
  });

  test('external ids are unique per system: a key in use is a CONFLICT naming the field; twice in one input is BAD_USER_INPUT', async () => {
    const key = unique('dup');
    const first = await gql(h, REGISTER_FAMILY, { input: registerInput({ externalIds: [{ system: 'MIS-NSO', value: key }] }) }, manager);
    expect(first.errors).toBeUndefined();
    const before = await countRows(h.db, 'family');
    const again = await gql(h, REGISTER_FAMILY, { input: registerInput({ externalIds: [{ system: 'MIS-NSO', value: key }] }) }, manager);
    expect(codes(again)).toEqual(['CONFLICT']);
    expect(again.errors![0].extensions.fields).toEqual([{ field: 'input.externalIds[0]', message: 'is already used by another record of that system' }]);
    expect(await countRows(h.db, 'family')).toBe(before);
    // The same value in another system is another key.
    const otherSystem = await gql(h, REGISTER_FAMILY, { input: registerInput({ externalIds: [{ system: 'EGISSO', value: key }] }) }, manager);
    expect(otherSystem.errors).toBeUndefined();
    const twice = await gql(h, REGISTER_FAMILY, { input: registerInput({ externalIds: [{ system: 'X', value: 'a' }, { system: 'X', value: 'a' }] }) }, manager);
    expect(codes(twice)).toEqual(['BAD_USER_INPUT']);
    expect(twice.errors![0].extensions.fields[0].field).toBe('input.externalIds[1]');
  });
});

describe('partner lookups by external id', () => {
  test('a visible family and person are found; unknown and hidden keys give the same null', async () => {
    const familyKey = unique('fam');
    const childKey = unique('kid');
    const input = registerInput({ externalIds: [{ system: 'EGISSO', value: familyKey }] });
    input.members[1].externalIds = [{ system: 'EGISSO', value: childKey }];
    const registered = (await gql(h, REGISTER_FAMILY, { input }, manager)).data!.registerFamily.family;

    const found = await gql(h, FAMILY_BY_KEY, { system: 'EGISSO', value: familyKey }, manager);
    expect(found.data!.familyByExternalId).toEqual({ id: registered.id, settlement: 'р.п. Краснообск' });
    const person = await gql(h, PERSON_BY_KEY, { system: 'EGISSO', value: childKey }, manager);
    expect(person.data!.personByExternalId).toEqual({ id: registered.members[1].id, lastName: 'Кузнецов' });

    // A family key is not a person key.
    expect((await gql(h, PERSON_BY_KEY, { system: 'EGISSO', value: familyKey }, manager)).data!.personByExternalId).toBeNull();

    const hidden = await gql(h, FAMILY_BY_KEY, { system: 'EGISSO', value: familyKey }, outsider);
    const unknown = await gql(h, FAMILY_BY_KEY, { system: 'EGISSO', value: unique('nobody') }, outsider);
    expect(hidden).toMatchObject({ data: { familyByExternalId: null }, errors: undefined });
    expect(unknown).toMatchObject({ data: { familyByExternalId: null }, errors: undefined });
    const hiddenPerson = await gql(h, PERSON_BY_KEY, { system: 'EGISSO', value: childKey }, outsider);
    expect(hiddenPerson).toMatchObject({ data: { personByExternalId: null }, errors: undefined });
  });

  test('an admin may not look up case data at all', async () => {
    const admin = await createCaller(h, { roles: [Role.ADMIN] });
    expect(codes(await gql(h, FAMILY_BY_KEY, { system: 'EGISSO', value: 'x' }, admin))).toEqual(['FORBIDDEN']);
  });
});

describe('addFamilyMember and updatePerson', () => {
  let familyId: string;
  let childId: string;
  beforeAll(async () => {
    const family = await createFamily(h.db, { registeredBy: manager.agency.id });
    // The NGO and the health agency are on the team of the family's case; the case manager manages it.
    await createCase(h.db, {
      family,
      leadAgencyId: manager.agency.id,
      caseManagerId: manager.staff.id,
      grants: [
        { agencyId: specialist.agency.id, kind: GrantKind.TEAM },
        { agencyId: healthSpecialist.agency.id, kind: GrantKind.TEAM },
      ],
    });
    familyId = family.globalId;
    childId = family.children[0].globalId;
  });

  test('a team member adds a member; a caller who does not see the family gets NOT_FOUND', async () => {
    const member = { lastName: 'Кузнецов', firstName: 'Пётр', birthDate: '1988-09-09', sex: 'MALE', relation: 'FATHER' };
    const added = await gql(h, ADD_MEMBER, { input: { family: familyId, member } }, specialist);
    expect(added.errors).toBeUndefined();
    expect(added.data!.addFamilyMember.person).toMatchObject({ lastName: 'Кузнецов', relation: 'FATHER', family: { id: familyId } });
    expect(added.data!.addFamilyMember.family.members).toHaveLength(3);
    const hidden = await gql(h, ADD_MEMBER, { input: { family: familyId, member } }, outsider);
    expect(codes(hidden)).toEqual(['NOT_FOUND']);
  });

  test('writing a class one may not read is FORBIDDEN: an NGO may not write a diagnosis, a health agency may', async () => {
    const member = { lastName: 'Кузнецова', firstName: 'Вера', birthDate: '2024-01-01', sex: 'FEMALE', relation: 'CHILD', diagnosis: 'Q90 синдром Дауна' };
    const persons = await countRows(h.db, 'person');
    expect(codes(await gql(h, ADD_MEMBER, { input: { family: familyId, member } }, specialist))).toEqual(['FORBIDDEN']);
    expect(await countRows(h.db, 'person')).toBe(persons);

    const read = await gql(h, `query($id: ID!) { node(id: $id) { ... on Person { version } } }`, { id: childId }, manager);
    const version = read.data!.node.version;
    const ngoDiagnosis = await gql(h, UPDATE_PERSON, { input: { person: childId, expectedVersion: version, diagnosis: 'F84.0 аутизм' } }, specialist);
    expect(codes(ngoDiagnosis)).toEqual(['FORBIDDEN']);
    expect(ngoDiagnosis.errors![0].message).toContain('diagnosis');
    const healthDiagnosis = await gql(h, UPDATE_PERSON, { input: { person: childId, expectedVersion: version, diagnosis: 'F84.0 аутизм' } }, healthSpecialist);
    expect(healthDiagnosis.errors).toBeUndefined();
    expect(healthDiagnosis.data!.updatePerson.person).toMatchObject({ version: version + 1 });
    const asHealth = await gql(h, `query($id: ID!) { node(id: $id) { ... on Person { disability { diagnosis } } } }`, { id: childId }, healthSpecialist);
    expect(asHealth.data!.node.disability.diagnosis).toBe('F84.0 аутизм');
    // The NGO may still change what it reads: the name.
    const rename = await gql(h, UPDATE_PERSON, { input: { person: childId, expectedVersion: version + 1, middleName: 'Петрович' } }, specialist);
    expect(rename.errors).toBeUndefined();
    expect(rename.data!.updatePerson.person.middleName).toBe('Петрович');
  });

  test('a stale version is a CONFLICT and changes nothing; null clears an optional field; a required one cannot be cleared', async () => {
    const read = await gql(h, `query($id: ID!) { node(id: $id) { ... on Person { version lastName } } }`, { id: childId }, manager);
    const { version, lastName } = read.data!.node;
    const stale = await gql(h, UPDATE_PERSON, { input: { person: childId, expectedVersion: version - 1, lastName: 'Другой' } }, manager);
    expect(codes(stale)).toEqual(['CONFLICT']);
    const after = await gql(h, `query($id: ID!) { node(id: $id) { ... on Person { version lastName } } }`, { id: childId }, manager);
    expect(after.data!.node).toEqual({ version, lastName });

    const cleared = await gql(h, UPDATE_PERSON, { input: { person: childId, expectedVersion: version, middleName: null, pmpkConclusion: null } }, manager);
    expect(cleared.errors).toBeUndefined();
    expect(cleared.data!.updatePerson.person).toMatchObject({ middleName: null });
    const asManager = await gql(h, `query($id: ID!) { node(id: $id) { ... on Person { education { pmpkConclusion } } } }`, { id: childId }, manager);
    expect(asManager.data!.node.education.pmpkConclusion).toBeNull();

    const noName = await gql(h, UPDATE_PERSON, { input: { person: childId, expectedVersion: version + 1, lastName: null, birthDate: '2999-01-01' } }, manager);
    expect(codes(noName)).toEqual(['BAD_USER_INPUT']);
    const fields = noName.errors![0].extensions.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['input.lastName', 'input.birthDate']));
  });
});

describe('recordPlacementEvent', () => {
  test('placing a child and returning it moves the placement and keeps the history; a change to the same placement is INVALID_TRANSITION', async () => {
    const family = await createFamily(h.db, { registeredBy: manager.agency.id });
    await createCase(h.db, { family, leadAgencyId: manager.agency.id, caseManagerId: manager.staff.id });
    const child = family.children[0].globalId;
    const institution = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.HEALTH });

    const returnedTooEarly = await gql(h, RECORD_PLACEMENT, { input: { person: child, kind: 'RETURNED_TO_BIRTH_FAMILY', occurredOn: '2024-01-10' } }, manager);
    expect(codes(returnedTooEarly)).toEqual(['INVALID_TRANSITION']);

    const placed = await gql(
      h,
      RECORD_PLACEMENT,
      { input: { person: child, kind: 'PLACED_IN_INSTITUTION', occurredOn: '2024-01-10', agency: toGlobalId('Agency', institution.agency.id), notes: 'Дом ребёнка, временно', idempotencyKey: unique('placement') } },
      manager,
    );
    expect(placed.errors).toBeUndefined();
    expect(placed.data!.recordPlacementEvent.placementEvent).toMatchObject({
      kind: 'PLACED_IN_INSTITUTION',
      occurredOn: '2024-01-10',
      placementBefore: 'WITH_BIRTH_FAMILY',
      placementAfter: 'IN_INSTITUTION',
      notes: 'Дом ребёнка, временно',
      agency: { name: institution.agency.name },
      recordedBy: { id: toGlobalId('Agency', manager.agency.id) },
    });
    const placedTwice = await gql(h, RECORD_PLACEMENT, { input: { person: child, kind: 'PLACED_IN_INSTITUTION', occurredOn: '2024-02-10' } }, manager);
    expect(codes(placedTwice)).toEqual(['INVALID_TRANSITION']);
    const backdated = await gql(h, RECORD_PLACEMENT, { input: { person: child, kind: 'RETURNED_TO_BIRTH_FAMILY', occurredOn: '2023-12-31' } }, manager);
    expect(backdated.errors![0].extensions.fields).toEqual([{ field: 'input.occurredOn', message: 'must not be before the last recorded placement change of the child' }]);

    const returned = await gql(h, RECORD_PLACEMENT, { input: { person: child, kind: 'RETURNED_TO_BIRTH_FAMILY', occurredOn: '2024-05-20' } }, manager);
    expect(returned.errors).toBeUndefined();
    expect(returned.data!.recordPlacementEvent.person).toMatchObject({
      placement: 'WITH_BIRTH_FAMILY',
      placementHistory: [
        { kind: 'PLACED_IN_INSTITUTION', placementBefore: 'WITH_BIRTH_FAMILY', placementAfter: 'IN_INSTITUTION' },
        { kind: 'RETURNED_TO_BIRTH_FAMILY', placementBefore: 'IN_INSTITUTION', placementAfter: 'WITH_BIRTH_FAMILY' },
      ],
    });
  });

  test('only a child has a placement history; a date in the future is refused', async () => {
    const family = await createFamily(h.db, { registeredBy: manager.agency.id });
    await createCase(h.db, { family, leadAgencyId: manager.agency.id, caseManagerId: manager.staff.id });
    const mother = family.members.find((m) => m.relation === 'MOTHER')!;
    const events = await countRows(h.db, 'placement_event');
    const notChild = await gql(h, RECORD_PLACEMENT, { input: { person: mother.globalId, kind: 'PLACED_IN_INSTITUTION', occurredOn: '2024-01-10' } }, manager);
    expect(notChild.errors![0].extensions.fields).toEqual([{ field: 'input.person', message: 'is not a child of the family (relation CHILD)' }]);
    const future = await gql(h, RECORD_PLACEMENT, { input: { person: family.children[0].globalId, kind: 'PLACED_IN_INSTITUTION', occurredOn: '2999-01-10' } }, manager);
    expect(future.errors![0].extensions.fields).toEqual([{ field: 'input.occurredOn', message: 'must not be in the future' }]);
    expect(await countRows(h.db, 'placement_event')).toBe(events);
  });
});
