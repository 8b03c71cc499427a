import type { EntityManager } from 'typeorm';
import { query, queryOne } from '../core/db';
import { sql } from '../core/sql';

/*
 * Routes of help for the demo cases: needs, plan steps (done on time, done late, overdue, planned, cancelled),
 * referrals in every state of the loop (open, overdue, accepted, declined, completed, cancelled), and service
 * deliveries in every delivery mode the region's offerings have: Lekoteka sessions and rehabilitation in the Karelian
 * departments, tablets (REMOTE) for families in remote settlements, the social mobile brigade (MOBILE_BRIGADE, with
 * its trips), home care, consultations.
 *
 * Built from whatever cases the earlier demo step made (SELECTed in id order) and from the region's offerings, so it
 * follows the reference data instead of repeating it. Deterministic: every choice depends on the case's position and
 * on ids; dates are counted from the case's opening and from today, so "overdue" and "open" stay true on any day.
 * A case that already has needs is left alone, so the step can run again.
 */

interface DemoCase {
  id: string;
  region_code: string;
  status: string;
  lead_agency_id: string;
  lead_parent_id: string | null;
  case_manager_id: string | null;
  opened_on: string;
  closed_on: string | null;
  today: string;
  remote: boolean;
  settlement: string;
  child_id: string | null;
  parent_id: string | null;
}

interface Offering {
  id: string;
  provider_id: string;
  provider_parent_id: string | null;
  service_type_id: string;
  code: string;
  name: string;
  domain: string;
  modes: string[];
}

const NEED_TEXT: Record<string, string> = {
  SOCIAL: 'Семье нужна помощь в быту и в оформлении мер социальной поддержки',
  MEDICAL: 'Ребёнку нужна реабилитация и наблюдение невролога',
  PSYCHOLOGICAL: 'Матери нужна психологическая поддержка: истощение, тревога за ребёнка',
  PEDAGOGICAL: 'Ребёнку нужны развивающие занятия: задержка речевого развития',
  LEGAL: 'Семье нужна правовая помощь: пособия, жильё, документы',
  LEISURE: 'Ребёнку нужно общение со сверстниками и досуг',
  PARENTING: 'Родителям нужна поддержка в воспитании ребёнка с особенностями',
  RESPITE: 'Матери нужна передышка: присмотр за ребёнком на несколько часов',
  MATERIAL: 'Семье нужна материальная помощь: продукты, одежда, техника',
};

/** Service types given to the parent rather than to the child. */
const FOR_PARENT = new Set(['CONSULTATION_LAWYER', 'PARENT_TRAINING', 'SUPPORT_GROUP', 'PARENT_CLUB', 'MATERIAL_AID', 'URGENT_TARGETED_AID', 'INDIVIDUAL_CONSULTATION']);
const DURATION: Record<string, number> = { LEKOTEKA_SESSION: 45, HOME_SOCIAL_CARE: 120, SOCIAL_NANNY: 240, PARENT_TRAINING: 90, SUPPORT_GROUP: 90, PARENT_CLUB: 120, RESPITE_PLAY_ROOM: 180 };
const MODE_ORDER = ['ON_SITE', 'HOME', 'REMOTE', 'MOBILE_BRIGADE'];

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string) => (a < b ? a : b);

export async function seedDemoRoutes(db: EntityManager): Promise<void> {
  const cases = await query<DemoCase>(
    db,
    sql`SELECT c.id::text AS id, c.region_code, c.status::text AS status, c.lead_agency_id::text AS lead_agency_id, la.parent_id::text AS lead_parent_id,
               c.case_manager_id::text AS case_manager_id, c.opened_on, c.closed_on, current_date::text AS today, f.remote, f.settlement,
               (SELECT cc.person_id::text FROM case_child cc JOIN person p ON p.id = cc.person_id WHERE cc.case_id = c.id ORDER BY p.birth_date DESC, p.id LIMIT 1) AS child_id,
               (SELECT p.id::text FROM person p WHERE p.family_id = f.id AND p.relation IN ('MOTHER', 'FATHER', 'GUARDIAN', 'GRANDPARENT')
                 ORDER BY (p.relation = 'MOTHER') DESC, p.id LIMIT 1) AS parent_id
          FROM "case" c JOIN family f ON f.id = c.family_id JOIN agency la ON la.id = c.lead_agency_id
         WHERE NOT EXISTS (SELECT 1 FROM need n WHERE n.case_id = c.id)
         ORDER BY c.id`,
  );
  const offeringsByRegion = new Map<string, Offering[]>();
  for (const [index, kase] of cases.entries()) {
    let offerings = offeringsByRegion.get(kase.region_code);
    if (!offerings) {
      offerings = await query<Offering>(
        db,
        sql`SELECT o.id::text AS id, o.provider_id::text AS provider_id, a.parent_id::text AS provider_parent_id, o.service_type_id::text AS service_type_id,
                   t.code, t.name, t.domain::text AS domain, o.delivery_modes::text[] AS modes
              FROM service_offering o JOIN service_type t ON t.id = o.service_type_id JOIN agency a ON a.id = o.provider_id
             WHERE o.active AND a.active AND ${kase.region_code} = ANY(o.region_codes)
             ORDER BY o.id`,
      );
      offeringsByRegion.set(kase.region_code, offerings);
    }
    await seedCaseRoute(db, kase, index, offerings);
  }
}

/** Another agency of the case's region, outside the lead organisation, to refer to when no partner has an offering. */
async function otherAgency(db: EntityManager, kase: DemoCase, index: number) {
  const rows = await query<{ id: string; name: string }>(
    db,
    sql`SELECT a.id::text AS id, coalesce(a.short_name, a.name) AS name FROM agency a
         WHERE a.region_code = ${kase.region_code} AND a.active AND a.kind IN ('NGO', 'HEALTH', 'EDUCATION', 'SOCIAL_PROTECTION')
           AND a.id <> ${kase.lead_agency_id}::bigint AND a.id IS DISTINCT FROM ${kase.lead_parent_id}::bigint
           AND a.parent_id IS DISTINCT FROM ${kase.lead_agency_id}::bigint AND a.parent_id IS DISTINCT FROM ${kase.lead_parent_id}::bigint
         ORDER BY (a.kind = 'NGO') DESC, a.id LIMIT 2`,
  );
  const row = rows[index % Math.max(1, rows.length)];
  return row ? { agencyId: row.id, offering: null as Offering | null, serviceTypeId: null as string | null, what: `в «${row.name}»`, domain: 'SOCIAL' } : null;
}

/** The agencies of the lead agency's organisation: itself, its parent and their units. */
function inLeadOrganisation(kase: DemoCase, agencyId: string, parentId: string | null): boolean {
  const roots = new Set([kase.lead_agency_id, kase.lead_parent_id].filter(Boolean) as string[]);
  return roots.has(agencyId) || (parentId !== null && roots.has(parentId));
}

async function seedCaseRoute(db: EntityManager, kase: DemoCase, index: number, offerings: Offering[]): Promise<void> {
  const own = offerings.filter((o) => inLeadOrganisation(kase, o.provider_id, o.provider_parent_id));
  const partners = offerings.filter((o) => !inLeadOrganisation(kase, o.provider_id, o.provider_parent_id));
  const rotate = <T>(list: T[], by: number): T[] => (list.length ? [...list.slice(by % list.length), ...list.slice(0, by % list.length)] : list);
  // Lekoteka first where there is one (what the Karelian programme is about), then what goes to the family: the mobile
  // brigade or home care, then the rest of the organisation's offerings.
  const lekoteka = own.find((o) => o.code === 'LEKOTEKA_SESSION');
  const outreach = rotate(own.filter((o) => o !== lekoteka && (o.modes.includes('MOBILE_BRIGADE') || o.modes.includes('HOME'))), index)[0];
  const ownRoute = [lekoteka, outreach, ...rotate(own.filter((o) => o !== lekoteka && o !== outreach), index)].filter((o): o is Offering => Boolean(o));
  const partnerRoute = rotate(partners, index);
  const closed = kase.status === 'CLOSED';
  const end = earlier(kase.today, kase.closed_on ?? kase.today);
  const span = Math.max(0, daysBetween(kase.opened_on, end));

  // Needs: what the own organisation and the first partner will work on.
  const domains = [...new Set([ownRoute[0]?.domain ?? 'SOCIAL', partnerRoute[0]?.domain ?? 'PSYCHOLOGICAL'])];
  const needIds: string[] = [];
  for (const [i, domain] of domains.entries()) {
    const met = closed || (kase.status === 'MONITORING' && i === 0);
    const row = await queryOne<{ id: string }>(
      db,
      sql`INSERT INTO need (case_id, domain, description, status, identified_by_agency_id, created_at)
          VALUES (${kase.id}::bigint, ${domain}::service_domain, ${NEED_TEXT[domain] ?? NEED_TEXT.SOCIAL}, ${met ? 'MET' : kase.status === 'REFERRED' ? 'IDENTIFIED' : 'BEING_MET'}::need_status,
                  ${i === 0 ? kase.lead_agency_id : partnerRoute[0]?.provider_id ?? kase.lead_agency_id}::bigint, ${kase.opened_on}::date + interval '9 hours')
          RETURNING id::text AS id`,
    );
    needIds.push(row!.id);
  }
  if (kase.status === 'REFERRED') return;

  // Plan steps.
  interface StepSpec {
    offering: Offering | undefined;
    need: string;
    title: string;
    due: string;
    status: string;
    completed: string | null;
  }
  // Most cases have a step that is late; every third one is on schedule.
  const overdueDue = index % 3 === 1 ? addDays(kase.today, 7) : later(kase.opened_on, addDays(kase.today, -7 - (index % 5)));
  const steps: StepSpec[] = [];
  const title = (o: Offering | undefined, fallback: string) => (o ? o.name : fallback);
  const first = ownRoute[0];
  const partner = partnerRoute[0] ?? ownRoute[1];
  if (kase.status !== 'ASSESSMENT') {
    steps.push({ offering: first, need: needIds[0], title: title(first, 'Социальное сопровождение семьи'), due: addDays(kase.opened_on, 30), status: 'DONE', completed: earlier(addDays(kase.opened_on, 20 + (index % 7)), end) });
    steps.push({
      offering: partner,
      need: needIds[needIds.length - 1],
      title: title(partner, 'Консультация специалиста'),
      due: overdueDue,
      status: closed ? 'DONE' : 'IN_PROGRESS',
      completed: closed ? earlier(addDays(overdueDue, 3), end) : null,
    });
    if (index % 3 === 0) {
      const late = ownRoute[1] ?? first;
      steps.push({ offering: late, need: needIds[0], title: title(late, 'Повторное занятие'), due: addDays(kase.opened_on, 15), status: 'DONE', completed: earlier(addDays(kase.opened_on, 28), end) });
    }
  }
  const next = partnerRoute[1] ?? ownRoute[2] ?? partner;
  steps.push({ offering: next, need: needIds[needIds.length - 1], title: title(next, 'Следующий этап маршрута'), due: addDays(kase.today, 21 + (index % 10)), status: closed ? 'CANCELLED' : 'PLANNED', completed: null });
  if (index % 4 === 3) steps.push({ offering: partnerRoute[2], need: needIds[0], title: title(partnerRoute[2], 'Участие в родительском клубе'), due: addDays(kase.today, 10), status: 'CANCELLED', completed: null });
  const stepIds: string[] = [];
  for (const [i, step] of steps.entries()) {
    const done = step.status === 'DONE' && step.completed && step.completed >= kase.opened_on;
    const row = await queryOne<{ id: string }>(
      db,
      sql`INSERT INTO plan_step (case_id, position, need_id, title, service_type_id, responsible_agency_id, offering_id, due_on, status, completed_on)
          VALUES (${kase.id}::bigint, ${i + 1}, ${step.need}::bigint, ${step.title}, ${step.offering?.service_type_id ?? null}::bigint,
                  ${step.offering?.provider_id ?? kase.lead_agency_id}::bigint, ${step.offering?.id ?? null}::bigint, ${step.due}::date,
                  ${done || step.status !== 'DONE' ? step.status : 'IN_PROGRESS'}::plan_step_status, ${done ? step.completed : null}::date)
          RETURNING id::text AS id`,
    );
    stepIds.push(row!.id);
  }

  // One referral per case, through every state of the loop: to the partner of step 2, else to another agency of the region.
  const partnerOffering = partner && !inLeadOrganisation(kase, partner.provider_id, partner.provider_parent_id) ? partner : partnerRoute[0];
  const target = partnerOffering
    ? { agencyId: partnerOffering.provider_id, offering: partnerOffering as Offering | null, serviceTypeId: partnerOffering.service_type_id as string | null, what: `на услугу «${partnerOffering.name}»`, domain: partnerOffering.domain }
    : await otherAgency(db, kase, index);
  let accepted: { id: string; agencyId: string; offering: Offering | null; from: string } | null = null;
  if (target) {
    const states = closed ? ['COMPLETED', 'CANCELLED'] : kase.status === 'ASSESSMENT' ? ['SENT', 'OVERDUE'] : ['SENT', 'OVERDUE', 'ACCEPTED', 'DECLINED', 'COMPLETED'];
    const state = states[index % states.length];
    const sentOn = state === 'SENT' ? addDays(kase.today, -1) : state === 'OVERDUE' ? addDays(kase.today, -12) : later(kase.opened_on, addDays(end, -Math.min(40, span)));
    const respondedOn = earlier(addDays(sentOn, 2), end);
    const sentAt = `${sentOn}T06:30:00Z`;
    const respondBy = state === 'SENT' ? `${addDays(kase.today, 5)}T15:00:00Z` : `${addDays(sentOn, 7)}T15:00:00Z`;
    const respondedAt = ['ACCEPTED', 'DECLINED', 'COMPLETED'].includes(state) ? `${respondedOn}T08:00:00Z` : null;
    const completedAt = state === 'COMPLETED' ? `${later(respondedOn, earlier(addDays(sentOn, 30), end))}T13:00:00Z` : null;
    const status = state === 'OVERDUE' ? 'SENT' : state;
    const row = await queryOne<{ id: string }>(
      db,
      sql`INSERT INTO referral (case_id, from_agency_id, to_agency_id, offering_id, service_type_id, plan_step_id, status, reason, notes, sent_by_staff_id,
                                sent_at, respond_by, responded_at, decline_reason, response_note, completed_at, outcome, created_at)
          VALUES (${kase.id}::bigint, ${kase.lead_agency_id}::bigint, ${target.agencyId}::bigint, ${target.offering?.id ?? null}::bigint, ${target.serviceTypeId}::bigint,
                  ${stepIds[1] ?? stepIds[0] ?? null}::bigint, ${status}::referral_status,
                  ${`Просим принять семью ${target.what}: ${(NEED_TEXT[target.domain] ?? 'нужна помощь специалиста').toLowerCase()}.`},
                  ${index % 2 === 0 ? 'Мать просит звонить после 17:00; отец в семье не проживает.' : null}, ${kase.case_manager_id}::bigint,
                  ${sentAt}::timestamptz, ${respondBy}::timestamptz, ${respondedAt}::timestamptz,
                  ${state === 'DECLINED' ? 'NO_CAPACITY' : null}::decline_reason,
                  ${state === 'DECLINED' ? 'Мест нет до следующего квартала, предлагаем обратиться повторно.' : respondedAt ? 'Приняли, первая встреча назначена.' : null},
                  ${completedAt}::timestamptz, ${completedAt ? 'GOT_HELP' : null}::referral_outcome, ${sentAt}::timestamptz)
          RETURNING id::text AS id`,
    );
    if (state === 'ACCEPTED' || state === 'COMPLETED') {
      await query(
        db,
        sql`INSERT INTO case_access_grant (case_id, agency_id, kind, source, source_id, granted_by_subject, created_at)
            VALUES (${kase.id}::bigint, ${target.agencyId}::bigint, 'REFERRAL', 'REFERRAL', ${row!.id}::bigint, 'demo', ${respondedAt}::timestamptz)`,
      );
      accepted = { id: row!.id, agencyId: target.agencyId, offering: target.offering, from: sentOn };
    }
  }

  // Now and then a referral the case manager withdrew (the family found help elsewhere): CANCELLED, without a grant.
  const withdrawnTo = index % 4 === 1 && kase.status !== 'ASSESSMENT' ? await otherAgency(db, kase, index + 1) : null;
  if (withdrawnTo && span >= 3) {
    const sentOn = addDays(kase.opened_on, Math.min(3, span));
    await query(
      db,
      sql`INSERT INTO referral (case_id, from_agency_id, to_agency_id, status, reason, sent_by_staff_id, sent_at, respond_by, created_at)
          VALUES (${kase.id}::bigint, ${kase.lead_agency_id}::bigint, ${withdrawnTo.agencyId}::bigint, 'CANCELLED',
                  ${`Просим принять семью ${withdrawnTo.what}; направление отозвано: семья получила помощь по месту жительства.`}, ${kase.case_manager_id}::bigint,
                  ${`${sentOn}T06:30:00Z`}::timestamptz, ${`${addDays(sentOn, 7)}T15:00:00Z`}::timestamptz, ${`${sentOn}T06:30:00Z`}::timestamptz)`,
    );
  }

  // Services: the own organisation's route, and what an accepting partner gave.
  if (span < 0 || !kase.child_id) return;
  interface Delivery {
    offering: Offering;
    recordedBy: string;
    on: string;
    step: string | null;
    referral: string | null;
  }
  const deliveries: Delivery[] = [];
  const sessions = kase.status === 'ASSESSMENT' ? 1 : 2 + (index % 3);
  for (let j = 0; j < sessions && ownRoute.length; j += 1) {
    const offering = ownRoute[j % Math.min(ownRoute.length, 3)];
    deliveries.push({ offering, recordedBy: kase.lead_agency_id, on: addDays(kase.opened_on, Math.floor((span * (j + 1)) / (sessions + 1))), step: j % 3 === 0 ? stepIds[0] ?? null : null, referral: null });
  }
  if (accepted?.offering) {
    const from = later(accepted.from, kase.opened_on);
    const room = Math.max(0, daysBetween(from, end));
    for (let j = 0; j < 2; j += 1) deliveries.push({ offering: accepted.offering, recordedBy: accepted.agencyId, on: addDays(from, Math.floor((room * (j + 1)) / 3)), step: stepIds[1] ?? null, referral: accepted.id });
  }
  for (const [j, delivery] of deliveries.entries()) {
    const modes = [...delivery.offering.modes].sort((a, b) => MODE_ORDER.indexOf(a) - MODE_ORDER.indexOf(b));
    // Families in remote settlements get tablets; the brigade goes where families cannot come; otherwise rotate.
    const mode =
      kase.remote && modes.includes('REMOTE') && j % 2 === 0
        ? 'REMOTE'
        : modes.includes('MOBILE_BRIGADE') && (kase.remote || (index + j) % 2 === 0)
          ? 'MOBILE_BRIGADE'
          : modes[(index + j) % modes.length];
    let tripId: string | null = null;
    if (mode === 'MOBILE_BRIGADE') {
      const trip =
        (await queryOne<{ id: string }>(db, sql`SELECT id::text AS id FROM brigade_trip WHERE agency_id = ${delivery.offering.provider_id}::bigint AND trip_date = ${delivery.on}::date ORDER BY id LIMIT 1`)) ??
        (await queryOne<{ id: string }>(
          db,
          sql`INSERT INTO brigade_trip (agency_id, region_code, trip_date, destination)
              VALUES (${delivery.offering.provider_id}::bigint, ${kase.region_code}, ${delivery.on}::date, ${`${kase.settlement} и окрестные населённые пункты`}) RETURNING id::text AS id`,
        ));
      tripId = trip!.id;
    }
    const specialist = await queryOne<{ id: string }>(
      db,
      sql`SELECT id::text AS id FROM staff_member WHERE agency_id = ${delivery.offering.provider_id}::bigint AND active AND NOT ('ADMIN' = ANY(roles)) AND NOT ('ANALYST' = ANY(roles))
           ORDER BY ('SPECIALIST' = ANY(roles)) DESC, id OFFSET ${(index + j) % 2} LIMIT 1`,
    );
    const recipient = FOR_PARENT.has(delivery.offering.code) && kase.parent_id ? kase.parent_id : kase.child_id;
    const notes = j % 3 === 1 ? 'Ребёнок занимался охотно; маме даны рекомендации для занятий дома.' : j % 3 === 2 ? 'Семья на связи, договорились о следующей встрече.' : null;
    await query(
      db,
      sql`INSERT INTO service_delivery (case_id, recipient_id, service_type_id, provider_id, specialist_id, delivered_on, duration_minutes, delivery_mode, notes,
                                        plan_step_id, referral_id, brigade_trip_id, recorded_by_agency_id, recorded_by_subject, created_at)
          VALUES (${kase.id}::bigint, ${recipient}::bigint, ${delivery.offering.service_type_id}::bigint, ${delivery.offering.provider_id}::bigint,
                  ${specialist?.id ?? null}::bigint, ${delivery.on}::date, ${DURATION[delivery.offering.code] ?? 45}, ${mode}::delivery_mode, ${notes},
                  ${delivery.step}::bigint, ${delivery.referral}::bigint, ${tripId}::bigint, ${delivery.recordedBy}::bigint, 'demo',
                  ${delivery.on}::date + interval '17 hours')`,
    );
  }
}
