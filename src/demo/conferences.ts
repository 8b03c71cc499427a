import type { EntityManager } from 'typeorm';
import { query, queryOne } from '../core/db';
import { sql } from '../core/sql';
import { AgencyKind } from '../core/auth/roles';
import { ConferenceFormat, ConferenceItemOutcome, ConferenceStatus, DecisionStatus } from '../modules/conferences/conference.enums';

/**
 * Demo inter-agency conferences, built from whatever demo cases and agencies exist (nothing when there are none).
 * Krasnodar first (seed 002: face-to-face inter-agency meetings that decide the hardest cases collegially):
 * a meeting held four months ago whose decisions were all carried out on time, one held six weeks ago with an
 * overdue decision, one scheduled in two weeks and one cancelled. The other demo regions get one held meeting each.
 * Deterministic: cases and agencies are picked in a fixed order and dates are whole days counted from the day of
 * seeding, so that "overdue" and "scheduled" keep their meaning whenever the demo is loaded.
 */

const DEMO_SUBJECT = 'demo-seed';
const DAY_MS = 24 * 60 * 60 * 1000;

interface DemoCase {
  id: string;
  region_code: string;
  lead_agency_id: string;
}

interface DemoAgency {
  id: string;
  kind: AgencyKind;
}

interface DemoDecision {
  /** The kind of the participating agency responsible for it (the chair when no participant is of that kind). */
  kind: AgencyKind;
  dueInDays: number;
  /** Days after the meeting it was carried out; absent while OPEN. */
  doneInDays?: number;
  planStep?: boolean;
}

interface DemoItem {
  question: string;
  outcome?: ConferenceItemOutcome;
  decisions: DemoDecision[];
}

interface DemoConference {
  title: string;
  format: ConferenceFormat;
  /** Days from the day of seeding (negative: in the past). */
  day: number;
  status: ConferenceStatus;
  minutes?: string;
  followUpDays: number;
  items: DemoItem[];
}

const DECISION_TEXT: Record<AgencyKind, string> = {
  [AgencyKind.SOCIAL_PROTECTION]: 'Подключить технологию «Социальная няня» и сопровождение специалиста службы «Дети в семье»',
  [AgencyKind.HEALTH]: 'Провести углублённое обследование ребёнка и оформить курс медицинской реабилитации',
  [AgencyKind.EDUCATION]: 'Предоставить ребёнку место в инклюзивном детском саду и заключение ПМПК',
  [AgencyKind.GUARDIANSHIP]: 'Обследовать условия проживания ребёнка и подготовить заключение органа опеки',
  [AgencyKind.NGO]: 'Оказать семье срочную адресную помощь (продуктовый набор, детские вещи, оплата проезда)',
  [AgencyKind.LAW_ENFORCEMENT]: 'Организовать оперативный поиск родственников ребёнка',
  [AgencyKind.OTHER]: 'Подготовить предложения по сопровождению семьи',
};

const KRASNODAR: DemoConference[] = [
  {
    title: 'Очное межведомственное заседание по наиболее сложным случаям (проект «0—4»)',
    format: ConferenceFormat.IN_PERSON,
    day: -120,
    status: ConferenceStatus.HELD,
    minutes:
      'Рассмотрены два случая угрозы помещения детей до 4 лет в учреждение. Решено коллегиально: сохранить детей в кровных семьях, ' +
      'изменить маршрут помощи — медицинская реабилитация, социальная няня, заключение органа опеки. Ответственные и сроки — в решениях.',
    followUpDays: 90,
    items: [
      {
        question: 'Угроза помещения ребёнка в учреждение: какие ресурсы подключить, чтобы сохранить его в семье?',
        outcome: ConferenceItemOutcome.CHANGE_PLAN,
        decisions: [
          { kind: AgencyKind.HEALTH, dueInDays: 30, doneInDays: 24, planStep: true },
          { kind: AgencyKind.SOCIAL_PROTECTION, dueInDays: 14, doneInDays: 10 },
        ],
      },
      {
        question: 'Семья с зависимостью: направить на социальную реабилитацию или продолжить сопровождение?',
        outcome: ConferenceItemOutcome.CONTINUE,
        decisions: [{ kind: AgencyKind.GUARDIANSHIP, dueInDays: 21, doneInDays: 21 }],
      },
    ],
  },
  {
    title: 'Очное межведомственное заседание: возвращение детей в кровные семьи',
    format: ConferenceFormat.IN_PERSON,
    day: -42,
    status: ConferenceStatus.HELD,
    minutes:
      'Обсуждена готовность семей к возвращению детей. По первому случаю маршрут помощи продолжен, по второму — вопрос передан ' +
      'в региональную межведомственную рабочую группу. Доверенной НКО поручена срочная адресная помощь.',
    followUpDays: 90,
    items: [
      {
        question: 'Готова ли семья к возвращению ребёнка из учреждения?',
        outcome: ConferenceItemOutcome.CONTINUE,
        decisions: [
          { kind: AgencyKind.NGO, dueInDays: 7, doneInDays: 5 },
          { kind: AgencyKind.EDUCATION, dueInDays: 30 },
        ],
      },
      {
        question: 'Повторное неблагополучие после закрытия случая: что изменить в маршруте помощи?',
        outcome: ConferenceItemOutcome.ESCALATE,
        decisions: [{ kind: AgencyKind.SOCIAL_PROTECTION, dueInDays: 60, planStep: true }],
      },
    ],
  },
  {
    title: 'Очное межведомственное заседание по сложным случаям (плановое)',
    format: ConferenceFormat.IN_PERSON,
    day: 14,
    status: ConferenceStatus.SCHEDULED,
    followUpDays: 90,
    items: [
      { question: 'Как выполнены решения прошлого заседания и нужно ли менять маршрут помощи?', decisions: [] },
      { question: 'Закрыть случай или продолжить сопровождение семьи?', decisions: [] },
    ],
  },
  {
    title: 'Внеочередное заседание (отменено: случай решён в рабочем порядке)',
    format: ConferenceFormat.REMOTE,
    day: -25,
    status: ConferenceStatus.CANCELLED,
    followUpDays: 30,
    items: [{ question: 'Срочное устройство ребёнка: временное пребывание или помощь на дому?', decisions: [] }],
  },
];

function heldElsewhere(format: ConferenceFormat): DemoConference {
  return {
    title: 'Межведомственный консилиум по сложным случаям',
    format,
    day: -60,
    status: ConferenceStatus.HELD,
    minutes: 'Рассмотрены сложные случаи; маршруты помощи согласованы, ответственные агентства и сроки определены.',
    followUpDays: 90,
    items: [
      {
        question: 'Как сохранить ребёнка в семье: какие службы подключить?',
        outcome: ConferenceItemOutcome.CHANGE_PLAN,
        decisions: [
          { kind: AgencyKind.SOCIAL_PROTECTION, dueInDays: 20, doneInDays: 18 },
          { kind: AgencyKind.HEALTH, dueInDays: 30 },
        ],
      },
    ],
  };
}

/** Krasnodar first; remote meetings for Karelia, whose settlements are far apart. */
const PLAN: Array<{ region: string; conferences: DemoConference[] }> = [
  { region: '23', conferences: KRASNODAR },
  { region: '54', conferences: [heldElsewhere(ConferenceFormat.IN_PERSON)] },
  { region: '63', conferences: [heldElsewhere(ConferenceFormat.IN_PERSON)] },
  { region: '10', conferences: [heldElsewhere(ConferenceFormat.REMOTE)] },
  { region: '51', conferences: [heldElsewhere(ConferenceFormat.IN_PERSON)] },
];

const dayFrom = (base: number, days: number): string => new Date(base + days * DAY_MS).toISOString().slice(0, 10);

export async function seedDemoConferences(db: EntityManager): Promise<void> {
  const now = new Date();
  const base = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (const { region, conferences } of PLAN) {
    // The hardest open cases first.
    const cases = await query<DemoCase>(
      db,
      sql`SELECT id::text AS id, region_code, lead_agency_id::text AS lead_agency_id FROM "case"
           WHERE region_code = ${region}
           ORDER BY (status = 'CLOSED'), CASE risk_level WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 ELSE 3 END, number
           LIMIT 6`,
    );
    if (cases.length === 0) continue;
    const agencies = await query<DemoAgency>(db, sql`SELECT id::text AS id, kind FROM agency WHERE region_code = ${region} AND active ORDER BY (parent_id IS NOT NULL), id`);
    const chair = agencies.find((a) => a.kind === AgencyKind.SOCIAL_PROTECTION) ?? agencies.find((a) => a.id === cases[0].lead_agency_id);
    if (!chair) continue;
    let next = 0;
    for (const conference of conferences) {
      const picked = conference.items.map(() => cases[next++ % cases.length]);
      // A small region may have fewer cases than agenda items: one case appears once on an agenda.
      const unique = picked.filter((c, i) => picked.findIndex((d) => d.id === c.id) === i);
      await insertConference(db, base, region, chair, agencies, conference, unique);
    }
  }
}

async function insertConference(db: EntityManager, base: number, region: string, chair: DemoAgency, agencies: DemoAgency[], spec: DemoConference, cases: DemoCase[]): Promise<void> {
  const scheduledAt = new Date(base + spec.day * DAY_MS + 7 * 60 * 60 * 1000); // 10:00 Moscow time
  const heldAt = spec.status === ConferenceStatus.HELD ? scheduledAt : null;
  const followUpUntil = dayFrom(base, spec.day + spec.followUpDays);
  const conference = await queryOne<{ id: string }>(
    db,
    sql`INSERT INTO case_conference (region_code, chair_agency_id, title, scheduled_at, format, status, held_at, minutes, follow_up_until)
        VALUES (${region}, ${chair.id}::bigint, ${spec.title}, ${scheduledAt}, ${spec.format}::conference_format, ${spec.status}::conference_status,
                ${heldAt}, ${spec.minutes ?? null}, ${followUpUntil}::date)
        RETURNING id::text AS id`,
  );
  const conferenceId = conference!.id;

  // Participants: the chair, the agencies leading the agenda's cases, and the first agency of each kind in the region.
  const participants = new Map<string, DemoAgency>([[chair.id, chair]]);
  for (const kase of cases) {
    const lead = agencies.find((a) => a.id === kase.lead_agency_id);
    if (lead) participants.set(lead.id, lead);
  }
  for (const kind of [AgencyKind.HEALTH, AgencyKind.GUARDIANSHIP, AgencyKind.EDUCATION, AgencyKind.NGO]) {
    const first = agencies.find((a) => a.kind === kind);
    if (first) participants.set(first.id, first);
  }
  const participantIds = [...participants.keys()];
  await query(db, sql`INSERT INTO conference_agency (conference_id, agency_id) SELECT ${conferenceId}::bigint, unnest(${participantIds}::bigint[])`);
  await query(
    db,
    sql`INSERT INTO conference_staff (conference_id, staff_id)
        SELECT ${conferenceId}::bigint, min(s.id) FROM staff_member s WHERE s.agency_id = ANY(${participantIds}::bigint[]) AND s.active GROUP BY s.agency_id`,
  );

  for (const [index, kase] of cases.entries()) {
    const item = spec.items[index];
    const created = await queryOne<{ id: string }>(
      db,
      sql`INSERT INTO conference_item (conference_id, case_id, position, question, outcome)
          VALUES (${conferenceId}::bigint, ${kase.id}::bigint, ${index + 1}, ${item.question}, ${item.outcome ?? null}::conference_item_outcome)
          RETURNING id::text AS id`,
    );
    for (const decision of item.decisions) {
      const responsible = [...participants.values()].find((a) => a.kind === decision.kind) ?? chair;
      await insertDecision(db, base, spec, conferenceId, created!.id, kase.id, responsible, decision);
    }
  }

  // The access the conference gave its participants to the agenda's cases, as scheduling it through the API would.
  await query(
    db,
    sql`INSERT INTO case_access_grant (case_id, agency_id, kind, source, source_id, expires_at, revoked_at, granted_by_subject, created_at)
        SELECT i.case_id, ca.agency_id, 'CONFERENCE', 'CONFERENCE', cc.id, ((cc.follow_up_until + 1)::timestamp AT TIME ZONE 'UTC'),
               CASE WHEN cc.status = 'CANCELLED' THEN cc.scheduled_at - interval '2 days' END, ${DEMO_SUBJECT},
               cc.scheduled_at - interval '7 days'
          FROM case_conference cc JOIN conference_item i ON i.conference_id = cc.id JOIN conference_agency ca ON ca.conference_id = cc.id
         WHERE cc.id = ${conferenceId}::bigint`,
  );
}

async function insertDecision(
  db: EntityManager,
  base: number,
  spec: DemoConference,
  conferenceId: string,
  itemId: string,
  caseId: string,
  responsible: DemoAgency,
  decision: DemoDecision,
): Promise<void> {
  const text = DECISION_TEXT[responsible.kind];
  const dueOn = dayFrom(base, spec.day + decision.dueInDays);
  const done = decision.doneInDays !== undefined;
  const doneOn = done ? dayFrom(base, spec.day + decision.doneInDays!) : null;
  const created = await queryOne<{ id: string }>(
    db,
    sql`INSERT INTO decision (item_id, conference_id, case_id, text, responsible_agency_id, due_on, status, done_on)
        VALUES (${itemId}::bigint, ${conferenceId}::bigint, ${caseId}::bigint, ${text}, ${responsible.id}::bigint, ${dueOn}::date,
                ${done ? DecisionStatus.DONE : DecisionStatus.OPEN}::decision_status, ${doneOn}::date)
        RETURNING id::text AS id`,
  );
  if (!decision.planStep) return;
  // The decision became a step of the case's route of help, linked both ways.
  const step = await queryOne<{ id: string }>(
    db,
    sql`INSERT INTO plan_step (case_id, position, title, responsible_agency_id, due_on, status, completed_on, decision_id)
        SELECT ${caseId}::bigint, coalesce(max(position), 0) + 1, ${text}, ${responsible.id}::bigint, ${dueOn}::date,
               ${done ? 'DONE' : 'PLANNED'}::plan_step_status, ${doneOn}::date, ${created!.id}::bigint
          FROM plan_step WHERE case_id = ${caseId}::bigint
        RETURNING id::text AS id`,
  );
  await query(db, sql`UPDATE decision SET plan_step_id = ${step!.id}::bigint WHERE id = ${created!.id}::bigint`);
}
