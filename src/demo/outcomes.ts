import type { EntityManager } from 'typeorm';
import { query, queryOne } from '../core/db';
import { raw, sql, type Sql } from '../core/sql';

/*
 * The seeds' outcome figures, built as records so that `outcomeMetrics` computes them (docs/METRICS.md):
 *
 *  - SOS Murmansk, «От равных прав к равным возможностям» (seed 001), region 51, 1 Sep 2019 – 30 Dec 2020:
 *    23 families with home-based social care for a disabled child, 5 mobile-brigade trips with 75 specialists'
 *    services, 80 individual consultations, 102 parents in trainings and support groups, 300 children at leisure
 *    events; 206 specialists trained (reported).
 *  - Pilot «0–4», Novosibirsk (seed 004), region 54: 112 children of the target group in institutions at the start
 *    (1 Jun 2023), 125 placed in families in 2023, 61 returned to birth families and 17 placed under guardianship in
 *    the first half of 2024, 47 left in institutions on 1 Jul 2024: −58 % against the start.
 *  - «Детство под защитой», Karelia (seed 000), region 10: funds spent 1 390 700 RUB in 2020, 3 282 233 RUB in 2021
 *    (reported).
 *
 * Set-based SQL (generate_series), idempotent (each block is guarded by the external ids of its families, under an
 * advisory lock), with its own families and cases. Agencies, staff, service types and programmes are looked up by the
 * names and codes of the reference data (src/demo/reference-data.ts) and created only when missing.
 * Names of people are invented.
 */

/** The system of the external ids that mark the families of this dataset. */
export const DEMO_OUTCOMES_SYSTEM = 'krug-demo-outcomes';

interface ProgrammeSpec {
  codes: string[];
  name: string;
  funder: string;
  regions: string[];
  startsOn: string;
  endsOn: string | null;
}

/** The programmes, by the codes of the reference data first. */
export const OUTCOME_PROGRAMMES = {
  karelia: {
    codes: ['CHILDHOOD-UNDER-PROTECTION'],
    name: 'Детство под защитой – ответственное родительство в Республике Карелия',
    funder: 'РПО «Спасем детей» (Норвегия)',
    regions: ['10'],
    startsOn: '2020-01-01',
    endsOn: null,
  },
  murmansk: {
    codes: ['EQUAL-RIGHTS-EQUAL-OPPORTUNITIES'],
    name: 'От равных прав к равным возможностям',
    funder: 'Фонд президентских грантов',
    regions: ['51'],
    startsOn: '2019-09-01',
    endsOn: '2020-12-30',
  },
  novosibirsk: {
    codes: ['PILOT-0-4'],
    name: 'Профилактика социального сиротства среди детей в возрасте до 4 лет',
    funder: 'Уполномоченный при Президенте РФ по правам ребёнка',
    regions: ['23', '54'],
    startsOn: '2023-06-01',
    endsOn: null,
  },
} as const satisfies Record<string, ProgrammeSpec>;

const AGENCIES = {
  sos: { name: 'Социальный центр – SOS Мурманск', shortName: 'SOS Мурманск', kind: 'NGO', region: '51', settlement: 'Мурманск' },
  childrenInFamily: {
    name: 'Региональная служба «Дети в семье» Новосибирской области',
    shortName: 'Служба «Дети в семье» (НСО)',
    kind: 'SOCIAL_PROTECTION',
    region: '54',
    settlement: 'Новосибирск',
  },
  childrensHome: {
    name: 'Дом ребёнка Новосибирской области (социальное учреждение для детей раннего возраста)',
    shortName: 'Дом ребёнка НСО',
    kind: 'SOCIAL_PROTECTION',
    region: '54',
    settlement: 'Новосибирск',
  },
} as const;

const STAFF = {
  sosCaseManager: { agency: 'sos', fullName: 'Яковлева Дарья Сергеевна', position: 'куратор семьи', roles: ['CASE_MANAGER'] },
  sosNeurologist: { agency: 'sos', fullName: 'Романов Игорь Валентинович', position: 'врач-невролог мобильной бригады SOS-помощи', roles: ['SPECIALIST'] },
  nskCaseManager: { agency: 'childrenInFamily', fullName: 'Панова Ксения Игоревна', position: 'куратор случая службы «Дети в семье»', roles: ['CASE_MANAGER'] },
} as const;

const SERVICE_TYPES: Array<[code: string, name: string, domain: string]> = [
  ['HOME_SOCIAL_CARE', 'Социальное обслуживание на дому', 'SOCIAL'],
  ['CONSULTATION_NEUROLOGIST', 'Консультация невролога', 'MEDICAL'],
  ['CONSULTATION_PSYCHOLOGIST', 'Консультация психолога', 'PSYCHOLOGICAL'],
  ['CONSULTATION_SPEECH_THERAPIST', 'Консультация логопеда', 'PEDAGOGICAL'],
  ['CONSULTATION_LAWYER', 'Консультация юриста', 'LEGAL'],
  ['INDIVIDUAL_CONSULTATION', 'Индивидуальная консультация семьи', 'SOCIAL'],
  ['PARENT_TRAINING', 'Тренинг для родителей', 'PARENTING'],
  ['SUPPORT_GROUP', 'Группа психологической поддержки родителей', 'PARENTING'],
  ['PARENT_CLUB', 'Родительский клуб', 'PARENTING'],
  ['LEISURE_EVENT', 'Досуговое мероприятие', 'LEISURE'],
];

const REGIONS: Array<[code: string, name: string]> = [
  ['10', 'Республика Карелия'],
  ['23', 'Краснодарский край'],
  ['51', 'Мурманская область'],
  ['54', 'Новосибирская область'],
];

/** Reported figures: programme, region, indicator, period, value, note. */
const REPORTED: Array<{ programme: keyof typeof OUTCOME_PROGRAMMES; region: string; indicator: string; start: string; end: string; value: string; note: string }> = [
  { programme: 'karelia', region: '10', indicator: 'FUNDS_SPENT_RUB', start: '2020-01-01', end: '2020-12-31', value: '1390700', note: 'Общая сумма израсходованных средств по проекту за 2020 год.' },
  { programme: 'karelia', region: '10', indicator: 'FUNDS_SPENT_RUB', start: '2021-01-01', end: '2021-12-31', value: '3282233', note: 'Общая сумма израсходованных средств по проекту за 2021 год.' },
  {
    programme: 'murmansk',
    region: '51',
    indicator: 'SPECIALISTS_TRAINED',
    start: '2019-09-01',
    end: '2020-12-30',
    value: '206',
    note: 'Специалисты государственных и муниципальных учреждений, СО НКО, персональные ассистенты, прошедшие обучение и супервизии.',
  },
  { programme: 'novosibirsk', region: '54', indicator: 'SPECIALISTS_TRAINED', start: '2023-06-01', end: '2024-06-30', value: '27000', note: 'Более 27 тысяч специалистов системы профилактики прошли обучение новым методикам.' },
];

const FEMALE_LAST = `ARRAY['Иванова','Петрова','Смирнова','Кузнецова','Попова','Соколова','Лебедева','Козлова','Новикова','Морозова','Волкова','Алексеева']`;
const FEMALE_FIRST = `ARRAY['Анна','Мария','Елена','Ольга','Наталья','Татьяна','Ирина','Светлана','Екатерина','Юлия','Дарья','Ксения']`;
const CHILD_FIRST = `ARRAY['Артём','Софья','Михаил','Анна','Максим','Мария','Иван','Алиса','Лев','Ева','Марк','Виктория']`;

export async function seedDemoOutcomes(db: EntityManager): Promise<void> {
  await db.transaction(async (tx) => {
    // Two runs at once must not both see "not yet seeded".
    await query(tx, sql`SELECT pg_advisory_xact_lock(hashtext(${DEMO_OUTCOMES_SYSTEM}))`);
    await query(tx, sql`INSERT INTO region (code, name) SELECT * FROM unnest(${REGIONS.map((r) => r[0])}::text[], ${REGIONS.map((r) => r[1])}::text[]) ON CONFLICT (code) DO NOTHING`);
    await query(
      tx,
      sql`INSERT INTO service_type (code, name, domain)
          SELECT code, name, domain::service_domain
            FROM unnest(${SERVICE_TYPES.map((t) => t[0])}::text[], ${SERVICE_TYPES.map((t) => t[1])}::text[], ${SERVICE_TYPES.map((t) => t[2])}::text[]) AS t(code, name, domain)
          ON CONFLICT (code) DO NOTHING`,
    );
    const programmes = {
      karelia: await ensureProgramme(tx, OUTCOME_PROGRAMMES.karelia),
      murmansk: await ensureProgramme(tx, OUTCOME_PROGRAMMES.murmansk),
      novosibirsk: await ensureProgramme(tx, OUTCOME_PROGRAMMES.novosibirsk),
    };
    const agencies = {
      sos: await ensureAgency(tx, AGENCIES.sos),
      childrenInFamily: await ensureAgency(tx, AGENCIES.childrenInFamily),
      childrensHome: await ensureAgency(tx, AGENCIES.childrensHome),
    };
    const staff = {
      sosCaseManager: await ensureStaff(tx, agencies[STAFF.sosCaseManager.agency], STAFF.sosCaseManager),
      sosNeurologist: await ensureStaff(tx, agencies[STAFF.sosNeurologist.agency], STAFF.sosNeurologist),
      nskCaseManager: await ensureStaff(tx, agencies[STAFF.nskCaseManager.agency], STAFF.nskCaseManager),
    };

    if (!(await seeded(tx, 'murmansk-1'))) {
      await seedMurmansk(tx, { programme: programmes.murmansk, agency: agencies.sos, caseManager: staff.sosCaseManager, specialist: staff.sosNeurologist });
    }
    if (!(await seeded(tx, 'novosibirsk-1'))) {
      await seedNovosibirsk(tx, { programme: programmes.novosibirsk, agency: agencies.childrenInFamily, institution: agencies.childrensHome, caseManager: staff.nskCaseManager });
    }
    for (const figure of REPORTED) {
      await query(
        tx,
        sql`INSERT INTO reported_indicator (program_id, region_code, indicator, period_start, period_end, value, note, reported_by_subject)
            VALUES (${programmes[figure.programme]}::bigint, ${figure.region}, ${figure.indicator}, ${figure.start}::date, ${figure.end}::date, ${figure.value}::numeric, ${figure.note}, 'demo')
            ON CONFLICT (program_id, region_code, indicator, period_start, period_end) DO NOTHING`,
      );
    }
  });
}

async function seeded(tx: EntityManager, marker: string): Promise<boolean> {
  return (await queryOne(tx, sql`SELECT 1 FROM external_id WHERE system = ${DEMO_OUTCOMES_SYSTEM} AND value = ${marker} AND subject_type = 'FAMILY'`)) !== null;
}

/** A programme by the reference data's code (or its name) that runs in the regions needed; created when missing. */
async function ensureProgramme(tx: EntityManager, spec: ProgrammeSpec): Promise<string> {
  const found = await queryOne<{ id: string }>(
    tx,
    sql`SELECT id FROM program
         WHERE (code = ANY(${spec.codes}::text[]) OR name = ${spec.name}) AND region_codes @> ${spec.regions}::text[]
         ORDER BY code = ANY(${spec.codes}::text[]) DESC, id LIMIT 1`,
  );
  if (found) return String(found.id);
  const created = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO program (code, name, funder, region_codes, starts_on, ends_on)
        VALUES (${spec.codes[0]}, ${spec.name}, ${spec.funder}, ${spec.regions}::text[], ${spec.startsOn}::date, ${spec.endsOn}::date)
        ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code
        RETURNING id`,
  );
  return String(created!.id);
}

async function ensureAgency(tx: EntityManager, spec: (typeof AGENCIES)[keyof typeof AGENCIES]): Promise<string> {
  await query(
    tx,
    sql`INSERT INTO agency (name, short_name, kind, region_code, settlement)
        VALUES (${spec.name}, ${spec.shortName}, ${spec.kind}::agency_kind, ${spec.region}, ${spec.settlement})
        ON CONFLICT (name, region_code) DO NOTHING`,
  );
  const row = await queryOne<{ id: string }>(tx, sql`SELECT id FROM agency WHERE name = ${spec.name} AND region_code = ${spec.region}`);
  return String(row!.id);
}

async function ensureStaff(tx: EntityManager, agencyId: string, spec: (typeof STAFF)[keyof typeof STAFF]): Promise<string> {
  const found = await queryOne<{ id: string }>(tx, sql`SELECT id FROM staff_member WHERE agency_id = ${agencyId}::bigint AND full_name = ${spec.fullName} ORDER BY id LIMIT 1`);
  if (found) return String(found.id);
  const created = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO staff_member (agency_id, full_name, position, roles) VALUES (${agencyId}::bigint, ${spec.fullName}, ${spec.position}, ${[...spec.roles]}::text[]) RETURNING id`,
  );
  return String(created!.id);
}

/**
 * Fills the plan table's `case_number` with numbers issued from the registry's counter (region-year-sequence),
 * so that later cases opened through the API never collide with these.
 */
async function issueCaseNumbers(tx: EntityManager, table: string, region: string): Promise<void> {
  const t = raw(table);
  await query(
    tx,
    sql`WITH wanted AS (SELECT extract(year FROM opened_on)::int AS year, count(*)::int AS n FROM ${t} GROUP BY 1),
             bumped AS (
               INSERT INTO case_number_counter (region_code, year, last_value)
               SELECT ${region}, year, n FROM wanted
               ON CONFLICT (region_code, year) DO UPDATE SET last_value = case_number_counter.last_value + EXCLUDED.last_value
               RETURNING year, last_value),
             numbered AS (
               SELECT i, extract(year FROM opened_on)::int AS year, row_number() OVER (PARTITION BY extract(year FROM opened_on) ORDER BY i) AS n FROM ${t})
        UPDATE ${t} p SET case_number = ${region} || '-' || nb.year || '-' || lpad((b.last_value - w.n + nb.n)::text, 6, '0')
          FROM numbered nb JOIN bumped b ON b.year = nb.year JOIN wanted w ON w.year = nb.year
         WHERE p.i = nb.i`,
  );
}

/** Families, members, cases (with the lead grant, children in focus and the programme) from a plan table. */
async function insertFamiliesAndCases(
  tx: EntityManager,
  table: string,
  options: { region: string; marker: string; agency: string; caseManager: string; programme: string; source: string; risk: string; situations: Sql },
): Promise<void> {
  const t = raw(table);
  await issueCaseNumbers(tx, table, options.region);
  await query(
    tx,
    sql`INSERT INTO family (id, region_code, settlement, remote, address, situations, registered_by_agency_id) OVERRIDING SYSTEM VALUE
        SELECT family_id, ${options.region}, settlement, settlement IN ('Ловозеро', 'Искитим'), settlement || ', ул. Садовая, д. ' || (i % 60 + 1) || ', кв. ' || (i % 40 + 1),
               ${options.situations}, ${options.agency}::bigint
          FROM ${t} ORDER BY i`,
  );
  await query(
    tx,
    sql`INSERT INTO external_id (subject_type, family_id, system, value)
        SELECT 'FAMILY', family_id, ${DEMO_OUTCOMES_SYSTEM}, ${options.marker} || '-' || i FROM ${t}`,
  );
  await query(
    tx,
    sql`INSERT INTO person (id, family_id, last_name, first_name, birth_date, sex, relation) OVERRIDING SYSTEM VALUE
        SELECT mother_id, family_id, (${raw(FEMALE_LAST)})[1 + i % 12], (${raw(FEMALE_FIRST)})[1 + (i / 12) % 12], date '1984-03-01' + (i * 37 % 5000), 'FEMALE', 'MOTHER' FROM ${t}`,
  );
  await query(
    tx,
    sql`INSERT INTO person (id, family_id, last_name, first_name, birth_date, sex, relation, disability_status, placement) OVERRIDING SYSTEM VALUE
        SELECT child_id, family_id, (${raw(FEMALE_LAST)})[1 + i % 12], (${raw(CHILD_FIRST)})[1 + i % 12], child_birth,
               CASE WHEN i % 2 = 0 THEN 'FEMALE' ELSE 'MALE' END::sex, 'CHILD', child_disability::disability_status, child_placement::placement
          FROM ${t}`,
  );
  await query(
    tx,
    sql`INSERT INTO "case" (id, number, region_code, family_id, status, risk_level, source, lead_agency_id, case_manager_id, opened_on, closed_on, closure_outcome)
        OVERRIDING SYSTEM VALUE
        SELECT case_id, case_number, ${options.region}, family_id, case_status::case_status, ${options.risk}::risk_level, ${options.source}::case_source,
               ${options.agency}::bigint, ${options.caseManager}::bigint, opened_on, closed_on, closure_outcome::case_closure_outcome
          FROM ${t}`,
  );
  await query(tx, sql`INSERT INTO case_child (case_id, person_id) SELECT case_id, child_id FROM ${t}`);
  await query(tx, sql`INSERT INTO case_program (case_id, program_id) SELECT case_id, ${options.programme}::bigint FROM ${t}`);
  await query(
    tx,
    sql`INSERT INTO case_access_grant (case_id, agency_id, kind, source, granted_by_subject)
        SELECT case_id, ${options.agency}::bigint, 'LEAD', 'OPEN_CASE', ${options.caseManager} FROM ${t}`,
  );
}

/** A temporary plan table with pre-allocated ids: one row per family, dropped at commit. */
async function planTable(tx: EntityManager, table: string, rows: number, columns: Sql): Promise<void> {
  await query(tx, sql`DROP TABLE IF EXISTS ${raw(table)}`);
  await query(
    tx,
    sql`CREATE TEMP TABLE ${raw(table)} ON COMMIT DROP AS
        SELECT i,
               nextval(pg_get_serial_sequence('family', 'id')) AS family_id,
               nextval(pg_get_serial_sequence('person', 'id')) AS mother_id,
               nextval(pg_get_serial_sequence('person', 'id')) AS child_id,
               nextval(pg_get_serial_sequence('"case"', 'id')) AS case_id,
               NULL::text AS case_number,
               ${columns}
          FROM generate_series(1, ${rows}::int) AS i`,
  );
}

/**
 * SOS Murmansk: 150 families of the three districts, each a mother and a child (300 children with the second
 * child of each family, added below); the first 23 children are disabled and get home-based social care.
 */
async function seedMurmansk(tx: EntityManager, ids: { programme: string; agency: string; caseManager: string; specialist: string }): Promise<void> {
  const plan = 'pg_temp.demo_outcomes_murmansk';
  await planTable(
    tx,
    plan,
    150,
    raw(`(ARRAY['Ковдор','Кандалакша','Ловозеро'])[1 + i % 3] AS settlement,
         date '2008-01-15' + (i * 53 % 4000) AS child_birth,
         CASE WHEN i <= 23 THEN 'DISABLED' ELSE 'NONE' END AS child_disability,
         'WITH_BIRTH_FAMILY' AS child_placement,
         nextval(pg_get_serial_sequence('person', 'id')) AS sibling_id,
         date '2019-09-02' + (i % 90) AS opened_on,
         date '2020-12-30' AS closed_on,
         'CLOSED' AS case_status,
         'FAMILY_STABILISED' AS closure_outcome`),
  );
  await insertFamiliesAndCases(tx, plan, {
    region: '51',
    marker: 'murmansk',
    agency: ids.agency,
    caseManager: ids.caseManager,
    programme: ids.programme,
    source: 'NGO',
    risk: 'MEDIUM',
    situations: raw(`CASE WHEN i <= 23 THEN '{DISABILITY_IN_FAMILY}' ELSE '{}' END::family_situation[]`),
  });
  const p = raw(plan);
  // The second child of each family: 150 more children (the leisure events' 300).
  await query(
    tx,
    sql`INSERT INTO person (id, family_id, last_name, first_name, birth_date, sex, relation) OVERRIDING SYSTEM VALUE
        SELECT sibling_id, family_id, (${raw(FEMALE_LAST)})[1 + i % 12], (${raw(CHILD_FIRST)})[1 + (i + 5) % 12], date '2012-05-01' + (i * 31 % 2500),
               CASE WHEN i % 2 = 0 THEN 'MALE' ELSE 'FEMALE' END::sex, 'CHILD' FROM ${p}`,
  );
  await query(tx, sql`INSERT INTO case_child (case_id, person_id) SELECT case_id, sibling_id FROM ${p}`);

  const deliver = (select: Sql, prefix: Sql = raw('')) =>
    query(
      tx,
      sql`${prefix}
          INSERT INTO service_delivery (case_id, recipient_id, service_type_id, provider_id, specialist_id, delivered_on, duration_minutes, delivery_mode, brigade_trip_id, recorded_by_agency_id, recorded_by_subject)
          SELECT s.case_id, s.recipient_id, st.id, ${ids.agency}::bigint, ${ids.specialist}::bigint, s.delivered_on, 60, s.mode::delivery_mode, s.trip_id, ${ids.agency}::bigint, ${ids.caseManager}
            FROM (${select}) AS s JOIN service_type st ON st.code = s.code`,
    );
  // 23 families: home-based social care for the disabled child, four visits each.
  await deliver(
    sql`SELECT case_id, child_id AS recipient_id, 'HOME_SOCIAL_CARE' AS code, date '2019-10-01' + (k * 90 + i) AS delivered_on, 'HOME' AS mode, NULL::bigint AS trip_id
          FROM ${p} CROSS JOIN generate_series(0, 3) AS k WHERE i <= 23`,
  );
  // Five inter-agency mobile-brigade trips, with 75 services by a neurologist, psychologist, speech therapist or lawyer (15 a trip).
  await deliver(
    sql`SELECT f.case_id, CASE WHEN s % 4 = 0 THEN f.mother_id ELSE f.child_id END AS recipient_id,
               (ARRAY['CONSULTATION_LAWYER','CONSULTATION_NEUROLOGIST','CONSULTATION_PSYCHOLOGIST','CONSULTATION_SPEECH_THERAPIST'])[1 + s % 4] AS code,
               bt.trip_date AS delivered_on, 'MOBILE_BRIGADE' AS mode, bt.id AS trip_id
          FROM generate_series(1, 75) AS s
          JOIN ${p} f ON f.i = 1 + (s * 7) % 150
          JOIN (SELECT id, trip_date, row_number() OVER (ORDER BY trip_date) AS n FROM trips) bt ON bt.n = 1 + (s - 1) / 15`,
    sql`WITH trips AS (
          INSERT INTO brigade_trip (agency_id, region_code, trip_date, destination)
          SELECT ${ids.agency}::bigint, '51', d::date, dest
            FROM unnest(ARRAY['2019-11-15','2020-02-20','2020-06-18','2020-09-10','2020-11-19'], ARRAY['Ковдор','Кандалакша','Ловозеро','Ковдор','Ловозеро']) AS t(d, dest)
          RETURNING id, trip_date)`,
  );
  // 80 individual consultations of mothers.
  await deliver(
    sql`SELECT case_id, mother_id AS recipient_id, 'INDIVIDUAL_CONSULTATION' AS code, date '2019-09-15' + i * 5 AS delivered_on, 'ON_SITE' AS mode, NULL::bigint AS trip_id
          FROM ${p} WHERE i <= 80`,
  );
  // 102 parents in trainings; 60 of them also in support groups.
  await deliver(
    sql`SELECT case_id, mother_id AS recipient_id, 'PARENT_TRAINING' AS code, date '2019-10-10' + (i % 12) * 30 AS delivered_on, 'ON_SITE' AS mode, NULL::bigint AS trip_id
          FROM ${p} WHERE i <= 102
        UNION ALL
        SELECT case_id, mother_id, 'SUPPORT_GROUP', date '2020-01-20' + (i % 10) * 28, 'ON_SITE', NULL FROM ${p} WHERE i <= 60`,
  );
  // 300 children at leisure events; 50 of them twice.
  await deliver(
    sql`SELECT case_id, child_id AS recipient_id, 'LEISURE_EVENT' AS code, date '2019-12-27' AS delivered_on, 'ON_SITE' AS mode, NULL::bigint AS trip_id FROM ${p}
        UNION ALL SELECT case_id, sibling_id, 'LEISURE_EVENT', date '2020-06-01', 'ON_SITE', NULL FROM ${p}
        UNION ALL SELECT case_id, child_id, 'LEISURE_EVENT', date '2020-12-20', 'ON_SITE', NULL FROM ${p} WHERE i <= 50`,
  );
}

/**
 * Pilot «0–4», Novosibirsk: 250 children under 4 in the regional children's home at some time, each with a family
 * (a mother) and a case of the pilot. Children 1–112 were placed before the start (1 Jun 2023); 113–192 during 2023;
 * 193–250 in the first half of 2024. 125 leave in 2023 (98 returned, 20 to guardianship, 7 to foster families),
 * 78 in the first half of 2024 (61 returned, 17 to guardianship); 47 are still there on 1 Jul 2024.
 * Every child's events are in date order and consistent: placed in the institution, then (maybe) out of it.
 */
async function seedNovosibirsk(tx: EntityManager, ids: { programme: string; agency: string; institution: string; caseManager: string }): Promise<void> {
  const plan = 'pg_temp.demo_outcomes_novosibirsk';
  await planTable(
    tx,
    plan,
    250,
    raw(`(ARRAY['Новосибирск','Бердск','Искитим'])[1 + i % 3] AS settlement,
         CASE WHEN i <= 112 THEN date '2022-06-01' + (i - 1) * 3
              WHEN i <= 192 THEN date '2023-06-02' + (i - 113) * 2
              ELSE date '2024-01-03' + (i - 193) * 2 END AS admitted_on,
         CASE WHEN i <= 100 THEN i WHEN i BETWEEN 113 AND 137 THEN 100 + (i - 112) END AS exit_2023,
         CASE WHEN i BETWEEN 101 AND 112 THEN i - 100 WHEN i BETWEEN 138 AND 192 THEN 12 + (i - 137) WHEN i BETWEEN 193 AND 203 THEN 67 + (i - 192) END AS exit_2024,
         'NONE' AS child_disability`),
  );
  const p = raw(plan);
  await query(
    tx,
    sql`ALTER TABLE ${p} ADD COLUMN exit_on date, ADD COLUMN exit_kind text, ADD COLUMN child_birth date, ADD COLUMN child_placement text,
          ADD COLUMN opened_on date, ADD COLUMN closed_on date, ADD COLUMN case_status text, ADD COLUMN closure_outcome text`,
  );
  await query(
    tx,
    sql`UPDATE ${p} SET
          exit_on = CASE WHEN exit_2023 IS NOT NULL AND i <= 100 THEN date '2023-06-05' + (i - 1) * 2
                         WHEN exit_2023 IS NOT NULL THEN date '2023-12-01' + (i - 113)
                         WHEN exit_2024 IS NOT NULL THEN date '2024-01-10' + (exit_2024 - 1) * 2 END,
          exit_kind = CASE WHEN exit_2023 <= 98 THEN 'RETURNED_TO_BIRTH_FAMILY' WHEN exit_2023 <= 118 THEN 'GUARDIANSHIP' WHEN exit_2023 <= 125 THEN 'FOSTER_FAMILY'
                           WHEN exit_2024 <= 61 THEN 'RETURNED_TO_BIRTH_FAMILY' WHEN exit_2024 <= 78 THEN 'GUARDIANSHIP' END,
          child_birth = admitted_on - (60 + (i % 11) * 30),
          opened_on = GREATEST(admitted_on, date '2023-06-01')`,
  );
  await query(
    tx,
    sql`UPDATE ${p} SET
          child_placement = CASE exit_kind WHEN 'RETURNED_TO_BIRTH_FAMILY' THEN 'WITH_BIRTH_FAMILY' WHEN 'GUARDIANSHIP' THEN 'GUARDIANSHIP'
                                           WHEN 'FOSTER_FAMILY' THEN 'FOSTER_FAMILY' ELSE 'IN_INSTITUTION' END,
          closed_on = exit_on,
          case_status = CASE WHEN exit_on IS NULL THEN 'ACTIVE' ELSE 'CLOSED' END,
          closure_outcome = CASE WHEN exit_kind IS NULL THEN NULL WHEN exit_kind = 'RETURNED_TO_BIRTH_FAMILY' THEN 'CHILD_RETURNED_TO_FAMILY'
                                 ELSE 'CHILD_PLACED_IN_FAMILY_CARE' END`,
  );
  await insertFamiliesAndCases(tx, plan, {
    region: '54',
    marker: 'novosibirsk',
    agency: ids.agency,
    caseManager: ids.caseManager,
    programme: ids.programme,
    source: 'EARLY_DETECTION',
    risk: 'CRITICAL',
    situations: raw(`(ARRAY['{LOW_INCOME}','{SINGLE_PARENT,LOW_INCOME}','{HOUSING}','{UNEMPLOYMENT}'])[1 + i % 4]::family_situation[]`),
  });
  // Each child: placed in the institution, then (for 203 of them) out of it, in date order.
  await query(
    tx,
    sql`INSERT INTO placement_event (person_id, kind, occurred_on, placement_before, placement_after, agency_id, recorded_by_agency_id)
        SELECT child_id, 'PLACED_IN_INSTITUTION'::placement_event_kind, admitted_on, 'WITH_BIRTH_FAMILY'::placement, 'IN_INSTITUTION'::placement,
               ${ids.institution}::bigint, ${ids.agency}::bigint FROM ${p}
        UNION ALL
        SELECT child_id, exit_kind::placement_event_kind, exit_on, 'IN_INSTITUTION'::placement, child_placement::placement, ${ids.institution}::bigint, ${ids.agency}::bigint
          FROM ${p} WHERE exit_on IS NOT NULL
        ORDER BY 3, 1`,
  );
}
