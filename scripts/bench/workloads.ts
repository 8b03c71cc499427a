import type { Client } from 'pg';
import { Role } from '../../src/core/auth/roles';
import { signDevelopmentToken } from '../../src/core/auth/token';
import { toGlobalId } from '../../src/core/graphql/global-id';
import type { PreparedRequest } from './drive';

/**
 * The fixed workloads of the benchmark and the real staff of the seeded registry they run as. The documents use the
 * schema's real names; W1 asks only for CASE_META and IDENTITY fields, which every persona on a case may read, so a
 * FORBIDDEN error in an answer is a real error, not a field the persona may not see.
 */

export const W1_QUERY = /* GraphQL */ `
  query W1CasesPage($first: Int!) {
    cases(first: $first) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id number status riskLevel openedOn
        leadAgency { name }
        caseManager { fullName }
        family {
          settlement remote address
          members { id firstName lastName birthDate relation disability { status } }
        }
        participants { kind agency { name kind } }
        plan { position title status dueOn responsibleAgency { name } serviceType { name } }
        referrals(openOnly: true) { status sentAt respondBy overdue toAgency { name } serviceType { name } }
        services(first: 5) { nodes { deliveredOn deliveryMode durationMinutes serviceType { name } provider { name } specialist { fullName } } }
      }
    }
  }`;

export const W2_QUERY = /* GraphQL */ `
  query W2CaseByNumber($number: String!) {
    case(number: $number) {
      id number status riskLevel source openedOn closedOn closureOutcome closureNote version updatedAt
      region { code name }
      leadAgency { name kind }
      caseManager { fullName position }
      programs { code name }
      family {
        settlement remote address phone situations
        externalIds { system value }
        members {
          id firstName lastName middleName birthDate sex relation documentNumber phone ageMonths placement
          disability { status diagnosis }
          education { institution pmpkConclusion }
          externalIds { system value }
          placementHistory { kind occurredOn placementBefore placementAfter }
        }
      }
      children { id firstName lastName }
      participants(includeInactive: true) { kind source active grantedAt expiresAt agency { name kind } staff { fullName } }
      statusHistory { fromStatus toStatus changedAt comment }
      needs { domain description status identifiedBy { name } }
      plan { position title status dueOn completedOn overdue version responsibleAgency { name } serviceType { code name } need { description } }
      referrals { status reason notes sentAt respondBy respondedAt declineReason responseNote completedAt outcome overdue version fromAgency { name } toAgency { name } serviceType { name } }
      services(first: 20) {
        totalCount
        nodes {
          deliveredOn deliveryMode durationMinutes notes serviceType { code name } provider { name } specialist { fullName }
          recipient { firstName } planStep { title } referral { status } brigadeTrip { tripDate destination }
        }
      }
      conferences { title scheduledAt status format items { position question outcome } decisions { text dueOn status } }
    }
  }`;

export const W3_QUERY = /* GraphQL */ `
  query W3Metrics($region: String!, $from: String!, $to: String!) {
    outcomeMetrics(filter: { regions: [$region], from: $from, to: $to }, groupBy: [MONTH, SERVICE_TYPE]) {
      asOf
      total { servicesDelivered { value } familiesServed { value } childrenServed { value } referralClosureRate { value } }
      rows {
        month serviceType { code }
        servicesDelivered { value suppressed } familiesServed { value } childrenServed { value }
        referralsSent { value } referralClosureRate { value } planStepsDone { value } planStepsOnTimeRate { value }
      }
    }
  }`;

const RECORD_DELIVERY = /* GraphQL */ `
  mutation W4Record($input: RecordServiceDeliveryInput!) {
    recordServiceDelivery(input: $input) { serviceDelivery { id deliveredOn version } }
  }`;
const UPDATE_STEP = /* GraphQL */ `
  mutation W4Step($input: UpdatePlanStepInput!) {
    updatePlanStep(input: $input) { planStep { id status version } }
  }`;
const RESPOND = /* GraphQL */ `
  mutation W4Respond($input: RespondToReferralInput!) {
    respondToReferral(input: $input) { incomingReferral { id } }
  }`;

export interface Persona {
  label: string;
  staffId: string;
  agencyId: string;
  regionCode: string;
  roles: Role[];
  /** How many cases the persona may see (an estimate from the grants, the region and the managed cases). */
  visibleCases: number;
  token: string;
}

export interface Personas {
  coordinator: Persona;
  caseManager: Persona;
  specialist: Persona;
  analystRegion: string;
}

const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

export function tokenFor(staffId: string, agencyId: string, roles: Role[], secret: string): string {
  return signDevelopmentToken({ sub: staffId, agencyId, roles }, secret, { expiresInSeconds: 6 * 3600 });
}

/** Real staff of the seeded data: the coordinator of the largest region, the busiest case manager, a specialist of the health agency on most teams. */
export async function choosePersonas(db: Client, secret: string): Promise<Personas> {
  const coordinator = await db.query<{ id: string; agency_id: string; region_code: string; cases: string }>(
    `SELECT s.id, s.agency_id, a.region_code, (SELECT count(*) FROM "case" c WHERE c.region_code = a.region_code) AS cases
       FROM staff_member s JOIN agency a ON a.id = s.agency_id
      WHERE 'COORDINATOR' = ANY(s.roles) AND s.active
      ORDER BY cases DESC, s.id LIMIT 1`,
  );
  const manager = await db.query<{ id: string; agency_id: string; region_code: string; managed: string; visible: string }>(
    `SELECT s.id, s.agency_id, a.region_code, m.managed,
            (SELECT count(DISTINCT c.id) FROM "case" c WHERE c.case_manager_id = s.id
                OR EXISTS (SELECT 1 FROM case_access_grant g WHERE g.case_id = c.id AND g.agency_id = s.agency_id AND g.kind IN ('LEAD','TEAM','REFERRAL') AND g.revoked_at IS NULL)) AS visible
       FROM (SELECT case_manager_id, count(*) AS managed FROM "case" GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1) m
       JOIN staff_member s ON s.id = m.case_manager_id JOIN agency a ON a.id = s.agency_id`,
  );
  const specialist = await db.query<{ id: string; agency_id: string; region_code: string; visible: string }>(
    `SELECT s.id, t.agency_id, a.region_code, t.visible
       FROM (SELECT g.agency_id, count(DISTINCT g.case_id) AS visible FROM case_access_grant g JOIN agency a ON a.id = g.agency_id
              WHERE a.kind = 'HEALTH' AND g.kind IN ('TEAM','REFERRAL') AND g.revoked_at IS NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1) t
       JOIN agency a ON a.id = t.agency_id
       JOIN LATERAL (SELECT id FROM staff_member WHERE agency_id = t.agency_id AND 'SPECIALIST' = ANY(roles) AND active ORDER BY id LIMIT 1) s ON true`,
  );
  if (!coordinator.rows[0] || !manager.rows[0] || !specialist.rows[0]) throw new Error('The database holds no coordinator, case manager or specialist: seed it first (npm run seed:scale).');
  const persona = (label: string, row: { id: string; agency_id: string; region_code: string }, roles: Role[], visible: number): Persona => ({
    label,
    staffId: String(row.id),
    agencyId: String(row.agency_id),
    regionCode: row.region_code,
    roles,
    visibleCases: visible,
    token: tokenFor(String(row.id), String(row.agency_id), roles, secret),
  });
  return {
    coordinator: persona('coordinator', coordinator.rows[0], [Role.COORDINATOR], Number(coordinator.rows[0].cases)),
    caseManager: persona('case-manager', manager.rows[0], [Role.CASE_MANAGER], Number(manager.rows[0].visible)),
    specialist: persona('specialist', specialist.rows[0], [Role.SPECIALIST], Number(specialist.rows[0].visible)),
    analystRegion: coordinator.rows[0].region_code,
  };
}

export function w1Requests(persona: Persona, first = 50): PreparedRequest[] {
  return [{ body: body(W1_QUERY, { first }), token: persona.token }];
}

/** W2: the case manager's own cases, by number, in turn. */
export async function w2Requests(db: Client, persona: Persona): Promise<PreparedRequest[]> {
  const numbers = await db.query<{ number: string }>(`SELECT number FROM "case" WHERE case_manager_id = $1 ORDER BY id LIMIT 500`, [persona.staffId]);
  return numbers.rows.map((r) => ({ body: body(W2_QUERY, { number: r.number }), token: persona.token }));
}

/** W3: the coordinator's region, the last full calendar year, grouped by month and service type. */
export function w3Requests(persona: Persona, year: number): PreparedRequest[] {
  return [{ body: body(W3_QUERY, { region: persona.regionCode, from: `${year}-01-01`, to: `${year}-12-31` }), token: persona.token }];
}

/**
 * W3D: the same question over 24 different twelve-month windows (starting each month of the two years before `year`
 * ends), in turn: no two requests in flight ask the same thing, so none shares a statement with another (the
 * metrics gate's coalescing does not help; this is the cost of distinct questions).
 */
export function w3DistinctRequests(persona: Persona, year: number): PreparedRequest[] {
  const windows: PreparedRequest[] = [];
  for (let k = 0; k < 24; k++) {
    const start = new Date(Date.UTC(year - 1, k, 1));
    const end = new Date(Date.UTC(year - 1, k + 12, 0));
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    windows.push({ body: body(W3_QUERY, { region: persona.regionCode, from: iso(start), to: iso(end) }), token: persona.token });
  }
  return windows;
}

/**
 * W4: a write mix, in turn: a service recorded by a specialist of a team agency, a planned step of an active case set in
 * progress by a specialist of its responsible agency, a sent referral accepted or declined by a specialist of the
 * agency it is addressed to. Each step and referral is written once, with the version it has now, so that no answer is
 * a version conflict; `limit` targets of each kind are drawn (more than a run can use).
 */
export async function w4Requests(db: Client, secret: string, today: string, limit: number): Promise<{ requests: PreparedRequest[]; pools: Record<string, number> }> {
  const tokens = new Map<string, string>();
  const token = (staffId: string, agencyId: string) => {
    let t = tokens.get(staffId);
    if (!t) tokens.set(staffId, (t = tokenFor(staffId, agencyId, [Role.SPECIALIST], secret)));
    return t;
  };
  const deliveries = await db.query<{ case_id: string; agency_id: string; staff_id: string; recipient_id: string; code: string }>(
    `SELECT c.id AS case_id, g.agency_id, s.id AS staff_id, cc.person_id AS recipient_id, t.code
       FROM "case" c
       JOIN LATERAL (SELECT agency_id FROM case_access_grant WHERE case_id = c.id AND kind = 'TEAM' AND revoked_at IS NULL ORDER BY id LIMIT 1) g ON true
       JOIN LATERAL (SELECT id FROM staff_member WHERE agency_id = g.agency_id AND 'SPECIALIST' = ANY(roles) AND active ORDER BY id LIMIT 1) s ON true
       JOIN LATERAL (SELECT person_id FROM case_child WHERE case_id = c.id ORDER BY person_id LIMIT 1) cc ON true
       JOIN LATERAL (SELECT t.code FROM service_offering o JOIN service_type t ON t.id = o.service_type_id WHERE o.provider_id = g.agency_id ORDER BY o.id LIMIT 1) t ON true
      WHERE c.status = 'ACTIVE'
      ORDER BY hashint8(c.id) LIMIT $1`,
    [limit],
  );
  const steps = await db.query<{ id: string; version: number; agency_id: string; staff_id: string }>(
    `SELECT ps.id, ps.version, ps.responsible_agency_id AS agency_id, s.id AS staff_id
       FROM plan_step ps JOIN "case" c ON c.id = ps.case_id
       JOIN LATERAL (SELECT id FROM staff_member WHERE agency_id = ps.responsible_agency_id AND 'SPECIALIST' = ANY(roles) AND active ORDER BY id LIMIT 1) s ON true
      WHERE c.status = 'ACTIVE' AND ps.status = 'PLANNED'
      ORDER BY hashint8(ps.id) LIMIT $1`,
    [limit],
  );
  const referrals = await db.query<{ id: string; version: number; agency_id: string; staff_id: string }>(
    `SELECT r.id, r.version, r.to_agency_id AS agency_id, s.id AS staff_id
       FROM referral r JOIN "case" c ON c.id = r.case_id
       JOIN LATERAL (SELECT id FROM staff_member WHERE agency_id = r.to_agency_id AND 'SPECIALIST' = ANY(roles) AND active ORDER BY id LIMIT 1) s ON true
      WHERE r.status = 'SENT' AND c.status <> 'CLOSED'
      ORDER BY hashint8(r.id) LIMIT $1`,
    [limit],
  );
  const record = deliveries.rows.map((d) => ({
    body: body(RECORD_DELIVERY, {
      input: {
        case: toGlobalId('Case', String(d.case_id)),
        recipient: toGlobalId('Person', String(d.recipient_id)),
        serviceType: d.code,
        deliveredOn: today,
        deliveryMode: 'ON_SITE',
        durationMinutes: 45,
        notes: 'Плановое занятие (нагрузочный тест).',
      },
    }),
    token: token(String(d.staff_id), String(d.agency_id)),
  }));
  const update = steps.rows.map((s) => ({
    body: body(UPDATE_STEP, { input: { step: toGlobalId('PlanStep', String(s.id)), status: 'IN_PROGRESS', expectedVersion: s.version } }),
    token: token(String(s.staff_id), String(s.agency_id)),
  }));
  const respond = referrals.rows.map((r, i) => ({
    body: body(RESPOND, {
      input: i % 2 === 0
        ? { referral: toGlobalId('Referral', String(r.id)), accept: true, expectedVersion: r.version, note: 'Принято.' }
        : { referral: toGlobalId('Referral', String(r.id)), accept: false, declineReason: 'NO_CAPACITY', expectedVersion: r.version },
    }),
    token: token(String(r.staff_id), String(r.agency_id)),
  }));
  // Interleave the three kinds; a kind whose pool runs out first simply stops appearing.
  const requests: PreparedRequest[] = [];
  for (let i = 0; i < Math.max(record.length, update.length, respond.length); i++) {
    if (record[i]) requests.push(record[i]);
    if (update[i]) requests.push(update[i]);
    if (respond[i]) requests.push(respond[i]);
  }
  return { requests, pools: { recordServiceDelivery: record.length, updatePlanStep: update.length, respondToReferral: respond.length } };
}
