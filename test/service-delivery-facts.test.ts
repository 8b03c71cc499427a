import { harness, gql, createCaller, type Harness, type Caller } from './support/harness';
import { createCase, createFamily } from './support/fixtures';
import { createServiceType } from './support/route-fixtures';
import { AgencyKind, Role } from '../src/core/auth/roles';
import { query, queryOne } from '../src/core/db';
import { sql } from '../src/core/sql';
import { FamilyRelation } from '../src/modules/families/family.enums';

/**
 * A service delivery carries copies of its case's region and family and of its recipient's relation, so that outcome
 * metrics read a region's deliveries from one index range (migration ServiceDeliveryFacts). The database keeps the
 * copies exact whatever writes the rows; these tests write with plain SQL, as a script or a future module might.
 */

let h: Harness;
let admin: Caller;
let provider: Caller;
let serviceTypeId: string;
beforeAll(async () => {
  h = await harness();
  admin = await createCaller(h, { roles: [Role.ADMIN] });
  provider = await createCaller(h, { roles: [Role.SPECIALIST], kind: AgencyKind.HEALTH, region: '54' });
  serviceTypeId = (await createServiceType(h.db, 'Консультация невролога')).id;
});
afterAll(() => h.close());

interface Facts {
  region_code: string;
  family_id: string;
  recipient_relation: string;
}

const facts = async (id: string) =>
  (await queryOne<Facts>(h.db, sql`SELECT region_code, family_id::text AS family_id, recipient_relation::text AS recipient_relation FROM service_delivery WHERE id = ${id}::bigint`))!;

async function deliver(caseId: string, recipientId: string, deliveredOn = '2025-03-10'): Promise<string> {
  const row = await queryOne<{ id: string }>(
    h.db,
    sql`INSERT INTO service_delivery (case_id, recipient_id, service_type_id, provider_id, delivered_on, delivery_mode, recorded_by_agency_id, recorded_by_subject,
                                      region_code, family_id, recipient_relation)
        VALUES (${caseId}::bigint, ${recipientId}::bigint, ${serviceTypeId}::bigint, ${provider.agency.id}::bigint, ${deliveredOn}::date,
                'ON_SITE', ${provider.agency.id}::bigint, 'test', '51', 0, 'GRANDPARENT')
        RETURNING id::text AS id`,
  );
  return row!.id;
}

const SERVICES = `query($filter: OutcomeMetricsFilter!) { outcomeMetrics(filter: $filter) { total { servicesDelivered { value } childrenServed { value } } } }`;
async function servicesIn(region: string): Promise<{ services: number; children: number }> {
  const response = await gql<{ outcomeMetrics: { total: Record<string, { value: number }> } }>(h, SERVICES, { filter: { regions: [region], from: '2025-01-01', to: '2025-12-31' } }, admin);
  expect(response.errors).toBeUndefined();
  const total = response.data!.outcomeMetrics.total;
  return { services: total.servicesDelivered.value, children: total.childrenServed.value };
}

test('an inserted delivery takes its case\'s region and family and its recipient\'s relation, whatever the writer says', async () => {
  const family = await createFamily(h.db, { registeredBy: provider.agency.id, region: '54' });
  const kase = await createCase(h.db, { family, leadAgencyId: provider.agency.id });
  const child = family.children[0];
  const id = await deliver(kase.id, child.id);
  expect(await facts(id)).toEqual({ region_code: '54', family_id: family.id, recipient_relation: 'CHILD' });
  // Written directly, the copies are put back.
  await query(h.db, sql`UPDATE service_delivery SET region_code = '51', recipient_relation = 'MOTHER' WHERE id = ${id}::bigint`);
  expect(await facts(id)).toEqual({ region_code: '54', family_id: family.id, recipient_relation: 'CHILD' });
});

test('a delivery given to another member takes that member\'s relation', async () => {
  const family = await createFamily(h.db, { registeredBy: provider.agency.id, region: '54' });
  const kase = await createCase(h.db, { family, leadAgencyId: provider.agency.id });
  const mother = family.members.find((m) => m.relation === FamilyRelation.MOTHER)!;
  const id = await deliver(kase.id, family.children[0].id);
  await query(h.db, sql`UPDATE service_delivery SET recipient_id = ${mother.id}::bigint WHERE id = ${id}::bigint`);
  expect((await facts(id)).recipient_relation).toBe('MOTHER');
});

test('a change of a case\'s region or family, or of a person\'s relation, reaches the deliveries and the metrics', async () => {
  const family = await createFamily(h.db, { registeredBy: provider.agency.id, region: '54' });
  const other = await createFamily(h.db, { registeredBy: provider.agency.id, region: '54' });
  const kase = await createCase(h.db, { family, leadAgencyId: provider.agency.id });
  const child = family.children[0];
  const before = { novosibirsk: await servicesIn('54'), murmansk: await servicesIn('51') };
  const ids = [await deliver(kase.id, child.id), await deliver(kase.id, child.id, '2025-04-02')];
  expect(await servicesIn('54')).toEqual({ services: before.novosibirsk.services + 2, children: before.novosibirsk.children + 1 });

  await query(h.db, sql`UPDATE "case" SET region_code = '51', family_id = ${other.id}::bigint WHERE id = ${kase.id}::bigint`);
  for (const id of ids) expect(await facts(id)).toEqual({ region_code: '51', family_id: other.id, recipient_relation: 'CHILD' });
  expect(await servicesIn('54')).toEqual(before.novosibirsk);
  expect(await servicesIn('51')).toEqual({ services: before.murmansk.services + 2, children: before.murmansk.children + 1 });

  // Recorded as a child by mistake and corrected: the services still count, the child no longer does.
  await query(h.db, sql`UPDATE person SET relation = 'SIBLING' WHERE id = ${child.id}::bigint`);
  for (const id of ids) expect((await facts(id)).recipient_relation).toBe('SIBLING');
  expect(await servicesIn('51')).toEqual({ services: before.murmansk.services + 2, children: before.murmansk.children });
});

test('referrals and plan steps carry their case\'s region: set on insert, put back when written, moved with the case, and the metrics follow', async () => {
  const family = await createFamily(h.db, { registeredBy: provider.agency.id, region: '54' });
  const kase = await createCase(h.db, { family, leadAgencyId: provider.agency.id });
  const referral = await queryOne<{ id: string }>(
    h.db,
    sql`INSERT INTO referral (case_id, from_agency_id, to_agency_id, sent_at, respond_by, region_code)
        VALUES (${kase.id}::bigint, ${provider.agency.id}::bigint, ${provider.agency.id}::bigint, '2025-05-05T10:00:00Z', '2025-05-15T10:00:00Z', '51')
        RETURNING id::text AS id`,
  );
  const step = await queryOne<{ id: string }>(
    h.db,
    sql`INSERT INTO plan_step (case_id, position, title, responsible_agency_id, status, due_on, completed_on, region_code)
        VALUES (${kase.id}::bigint, 1, 'Консультация', ${provider.agency.id}::bigint, 'DONE', '2025-06-30', '2025-06-20', '51')
        RETURNING id::text AS id`,
  );
  const regions = async () => ({
    referral: (await queryOne<{ r: string }>(h.db, sql`SELECT region_code AS r FROM referral WHERE id = ${referral!.id}::bigint`))!.r,
    step: (await queryOne<{ r: string }>(h.db, sql`SELECT region_code AS r FROM plan_step WHERE id = ${step!.id}::bigint`))!.r,
  });
  expect(await regions()).toEqual({ referral: '54', step: '54' });
  await query(h.db, sql`UPDATE plan_step SET region_code = '51' WHERE id = ${step!.id}::bigint`);
  expect(await regions()).toEqual({ referral: '54', step: '54' });

  const ROUTE = `query($filter: OutcomeMetricsFilter!) { outcomeMetrics(filter: $filter) { total { referralsSent { value } planStepsDone { value } } } }`;
  const route = async (region: string) => {
    const response = await gql<{ outcomeMetrics: { total: Record<string, { value: number }> } }>(h, ROUTE, { filter: { regions: [region], from: '2025-01-01', to: '2025-12-31' } }, admin);
    expect(response.errors).toBeUndefined();
    return { sent: response.data!.outcomeMetrics.total.referralsSent.value, done: response.data!.outcomeMetrics.total.planStepsDone.value };
  };
  const before = { novosibirsk: await route('54'), murmansk: await route('51') };
  await query(h.db, sql`UPDATE "case" SET region_code = '51' WHERE id = ${kase.id}::bigint`);
  expect(await regions()).toEqual({ referral: '51', step: '51' });
  expect(await route('54')).toEqual({ sent: before.novosibirsk.sent - 1, done: before.novosibirsk.done - 1 });
  expect(await route('51')).toEqual({ sent: before.murmansk.sent + 1, done: before.murmansk.done + 1 });
});
