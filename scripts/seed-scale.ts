import 'reflect-metadata';
import path from 'node:path';
import { Client } from 'pg';
import { createDataSource } from '../src/db/data-source';
import { migrate } from '../src/db/database';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded';
import { setLogLevel } from '../src/core/logger';

/**
 * Generates a consistent registry at regional or national scale with set-based SQL: every table is filled by a few
 * `INSERT ... SELECT generate_series(...)` statements whose values come from a deterministic hash of the row's key,
 * so that the same scale always yields the same registry and related rows agree without a round trip per row.
 *
 * Usage: npm run seed:scale -- --scale regional|national|<fraction> [--database-url URL] [--force] [--keep-indexes]
 *
 * Layout (what makes the generation set-based): ids are computed, not looked up. Agencies are laid out per region in
 * fixed slots by kind, staff in fixed slots per agency, persons in four slots per family (two adults, two children,
 * absent slots skipped), one case per family with the family's id, plan steps and referrals in fixed slots per case.
 * The whole load is one transaction: either the full registry is there or nothing changed.
 */

export interface SeedOptions {
  /** 1 = regional (100 000 families), 10 = national. */
  scale: number;
  databaseUrl: string;
  /** Wipe a database that holds data other than an earlier scale seed. */
  force?: boolean;
  /** Load with the migration's secondary indexes in place instead of dropping and recreating them. */
  keepIndexes?: boolean;
  /** The day the registry is "as of" (YYYY-MM-DD); yesterday by default. */
  today?: string;
  /** Progress and totals go here (stderr by default); null silences them. */
  output?: NodeJS.WritableStream | null;
}

export interface SeedResult {
  scale: number;
  seconds: number;
  totals: Record<string, number>;
  counts: SeedCounts;
}

/** The code that marks a registry made by this script (a programme no case is enrolled in). */
export const SEED_MARKER_PROGRAM = 'SEED-SCALE';

const REGIONS: Array<[string, string]> = [
  ['10', 'Республика Карелия'], ['23', 'Краснодарский край'], ['51', 'Мурманская область'], ['54', 'Новосибирская область'], ['63', 'Самарская область'],
  ['16', 'Республика Татарстан'], ['66', 'Свердловская область'], ['52', 'Нижегородская область'], ['61', 'Ростовская область'], ['74', 'Челябинская область'],
  ['02', 'Республика Башкортостан'], ['24', 'Красноярский край'], ['59', 'Пермский край'], ['34', 'Волгоградская область'], ['36', 'Воронежская область'],
  ['55', 'Омская область'], ['42', 'Кемеровская область'], ['38', 'Иркутская область'], ['72', 'Тюменская область'], ['22', 'Алтайский край'],
  ['26', 'Ставропольский край'], ['64', 'Саратовская область'], ['18', 'Удмуртская Республика'], ['25', 'Приморский край'], ['73', 'Ульяновская область'],
  ['27', 'Хабаровский край'], ['56', 'Оренбургская область'], ['58', 'Пензенская область'], ['70', 'Томская область'], ['71', 'Тульская область'],
  ['21', 'Чувашская Республика'], ['76', 'Ярославская область'], ['43', 'Кировская область'], ['29', 'Архангельская область'], ['35', 'Вологодская область'],
  ['47', 'Ленинградская область'], ['50', 'Московская область'], ['77', 'Москва'], ['78', 'Санкт-Петербург'], ['31', 'Белгородская область'],
  ['32', 'Брянская область'], ['33', 'Владимирская область'], ['37', 'Ивановская область'], ['39', 'Калининградская область'], ['40', 'Калужская область'],
  ['44', 'Костромская область'], ['45', 'Курганская область'], ['46', 'Курская область'], ['48', 'Липецкая область'], ['53', 'Новгородская область'],
  ['57', 'Орловская область'], ['60', 'Псковская область'], ['62', 'Рязанская область'], ['67', 'Смоленская область'], ['68', 'Тамбовская область'],
  ['69', 'Тверская область'], ['30', 'Астраханская область'], ['28', 'Амурская область'], ['75', 'Забайкальский край'], ['03', 'Республика Бурятия'],
  ['11', 'Республика Коми'], ['12', 'Республика Марий Эл'], ['13', 'Республика Мордовия'], ['14', 'Республика Саха (Якутия)'], ['19', 'Республика Хакасия'],
  ['01', 'Республика Адыгея'], ['04', 'Республика Алтай'], ['05', 'Республика Дагестан'], ['06', 'Республика Ингушетия'], ['07', 'Кабардино-Балкарская Республика'],
  ['08', 'Республика Калмыкия'], ['09', 'Карачаево-Черкесская Республика'], ['15', 'Республика Северная Осетия — Алания'], ['17', 'Республика Тыва'], ['41', 'Камчатский край'],
  ['49', 'Магаданская область'], ['65', 'Сахалинская область'], ['79', 'Еврейская автономная область'], ['83', 'Ненецкий автономный округ'], ['86', 'Ханты-Мансийский автономный округ — Югра'],
  ['87', 'Чукотский автономный округ'], ['89', 'Ямало-Ненецкий автономный округ'],
];

/** Agency kinds in the order of their slots within a region, with the share of the region's agencies. */
const KINDS = [
  { kind: 'SOCIAL_PROTECTION', share: 0.25, types: [1, 10, 6, 3, 7, 14, 13], caseManagers: 5, name: 'Комплексный центр социального обслуживания населения', position: 'специалист по социальной работе' },
  { kind: 'HEALTH', share: 0.2, types: [2, 15, 3, 4], caseManagers: 0, name: 'Детская городская поликлиника', position: 'врач-педиатр' },
  { kind: 'EDUCATION', share: 0.3, types: [4, 6, 11, 12, 9], caseManagers: 0, name: 'Образовательная организация', position: 'педагог-психолог' },
  { kind: 'GUARDIANSHIP', share: 0.05, types: [5, 3], caseManagers: 0, name: 'Отдел опеки и попечительства', position: 'специалист органа опеки' },
  { kind: 'NGO', share: 0.12, types: [7, 8, 9, 13, 3, 5, 14], caseManagers: 2, name: 'АНО «Центр помощи семье и детям»', position: 'куратор семьи' },
  { kind: 'LAW_ENFORCEMENT', share: 0.05, types: [16, 5], caseManagers: 0, name: 'Отдел по делам несовершеннолетних ОМВД', position: 'инспектор ПДН' },
  { kind: 'OTHER', share: 0.03, types: [14, 9], caseManagers: 0, name: 'Организация-партнёр', position: 'специалист' },
] as const;
const SP = 0;
const HEALTH = 1;
const EDUCATION = 2;
const GUARDIANSHIP = 3;
const NGO = 4;

const SERVICE_TYPES: Array<[number, string, string, string]> = [
  [1, 'HOME_SOCIAL_CARE', 'Социальное обслуживание на дому', 'SOCIAL'],
  [2, 'CONSULTATION_NEUROLOGIST', 'Консультация невролога', 'MEDICAL'],
  [3, 'CONSULTATION_PSYCHOLOGIST', 'Консультация психолога', 'PSYCHOLOGICAL'],
  [4, 'CONSULTATION_SPEECH_THERAPIST', 'Консультация логопеда', 'PEDAGOGICAL'],
  [5, 'CONSULTATION_LAWYER', 'Консультация юриста', 'LEGAL'],
  [6, 'LEKOTEKA_SESSION', 'Занятие в Лекотеке', 'PEDAGOGICAL'],
  [7, 'PARENT_TRAINING', 'Тренинг для родителей', 'PARENTING'],
  [8, 'SUPPORT_GROUP', 'Группа поддержки родителей', 'PARENTING'],
  [9, 'LEISURE_EVENT', 'Досуговое мероприятие', 'LEISURE'],
  [10, 'SOCIAL_NANNY', 'Социальная няня', 'RESPITE'],
  [11, 'INCLUSIVE_KINDERGARTEN', 'Место в инклюзивном детском саду', 'PEDAGOGICAL'],
  [12, 'PMP_SUPPORT', 'Психолого-медико-педагогическое сопровождение', 'PEDAGOGICAL'],
  [13, 'RESPITE_PLAY_ROOM', 'Игровая комната «передышка»', 'RESPITE'],
  [14, 'MATERIAL_AID', 'Материальная помощь', 'MATERIAL'],
  [15, 'REHABILITATION_COURSE', 'Курс реабилитации', 'MEDICAL'],
  [16, 'PREVENTIVE_TALK', 'Профилактическая беседа', 'SOCIAL'],
];

const SETTLEMENTS = ['Центральный район', 'Заречный', 'Первомайское', 'Октябрьский', 'Советский', 'Берёзовка', 'Северный', 'Лесной', 'Новосёлки', 'Красный Яр', 'Сосновка', 'Озёрный', 'Каменка', 'Садовый', 'Ключи', 'Медведево', 'Рыбачий', 'Горный', 'Луговой', 'Приозёрск'];
const SURNAMES = [['Иванов', 'Иванова'], ['Смирнов', 'Смирнова'], ['Кузнецов', 'Кузнецова'], ['Попов', 'Попова'], ['Васильев', 'Васильева'], ['Петров', 'Петрова'], ['Соколов', 'Соколова'], ['Михайлов', 'Михайлова'], ['Новиков', 'Новикова'], ['Фёдоров', 'Фёдорова'], ['Морозов', 'Морозова'], ['Волков', 'Волкова'], ['Алексеев', 'Алексеева'], ['Лебедев', 'Лебедева'], ['Семёнов', 'Семёнова'], ['Егоров', 'Егорова'], ['Павлов', 'Павлова'], ['Козлов', 'Козлова'], ['Степанов', 'Степанова'], ['Николаев', 'Николаева'], ['Орлов', 'Орлова'], ['Андреев', 'Андреева'], ['Макаров', 'Макарова'], ['Никитин', 'Никитина'], ['Захаров', 'Захарова']];
const MALE = ['Александр', 'Дмитрий', 'Максим', 'Сергей', 'Андрей', 'Алексей', 'Артём', 'Илья', 'Кирилл', 'Михаил', 'Никита', 'Матвей', 'Роман', 'Егор', 'Иван'];
const FEMALE = ['Анна', 'Мария', 'Елена', 'Дарья', 'Алина', 'Ирина', 'Екатерина', 'Арина', 'Полина', 'Ольга', 'Юлия', 'Татьяна', 'Наталья', 'Виктория', 'София'];
const PATRONYMIC = [['Александрович', 'Александровна'], ['Сергеевич', 'Сергеевна'], ['Андреевич', 'Андреевна'], ['Дмитриевич', 'Дмитриевна'], ['Иванович', 'Ивановна'], ['Николаевич', 'Николаевна'], ['Петрович', 'Петровна'], ['Владимирович', 'Владимировна']];
const DIAGNOSES = ['ДЦП, спастическая диплегия', 'Расстройство аутистического спектра', 'Задержка психоречевого развития', 'Синдром Дауна', 'Нейросенсорная тугоухость', 'Эпилепсия', 'Ретинопатия недоношенных'];

/** The app's tables, in an order that TRUNCATE ... CASCADE does not mind. */
const APP_TABLES = [
  'audit_event', 'idempotency_key', 'decision', 'conference_item', 'conference_staff', 'conference_agency', 'case_conference', 'service_delivery', 'brigade_trip',
  'referral', 'plan_step', 'need', 'case_status_change', 'case_access_grant', 'case_program', 'case_child', 'case_number_counter', '"case"', 'external_id',
  'placement_event', 'person', 'family', 'reported_indicator', 'service_offering', 'service_type', 'program', 'staff_member', 'agency', 'region',
];

/** Tables whose secondary indexes are dropped during the load and recreated from their saved definitions. */
const BULK_TABLES = [
  'family', 'person', 'placement_event', 'external_id', 'case', 'case_child', 'case_program', 'case_access_grant', 'case_status_change', 'need', 'plan_step',
  'referral', 'brigade_trip', 'service_delivery', 'case_conference', 'conference_agency', 'conference_staff', 'conference_item', 'decision',
];

export interface SeedCounts {
  regions: number;
  agenciesPerRegion: number;
  agencies: number;
  staffPerAgency: number;
  families: number;
  conferences: number;
  kinds: Array<{ kind: string; start: number; count: number }>;
}

/** The shape of the registry for a scale: regions grow with it (a national registry spans the federal subjects). */
export function countsFor(scale: number): SeedCounts {
  const regions = Math.min(REGIONS.length, Math.max(5, Math.round(10 * scale)));
  const perRegion = Math.max(40, Math.round((2000 * scale) / regions));
  let start = 0;
  const kinds = KINDS.map((k) => {
    const count = Math.max(1, Math.round(perRegion * k.share));
    const slot = { kind: k.kind, start, count };
    start += count;
    return slot;
  });
  return {
    regions,
    agenciesPerRegion: start,
    agencies: start * regions,
    staffPerAgency: 10,
    families: Math.max(100, Math.round(100_000 * scale)),
    conferences: Math.max(10, Math.round(20_000 * scale)),
    kinds,
  };
}

export function parseScale(value: string): number {
  if (value === 'regional') return 1;
  if (value === 'national') return 10;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || number > 20) throw new Error(`--scale must be regional, national or a positive number (a fraction of regional), got "${value}"`);
  return number;
}

const lit = (value: string): string => `'${value.replace(/'/g, "''")}'`;
const textArray = (values: readonly string[]): string => `ARRAY[${values.map(lit).join(',')}]::text[]`;

/** Draws on stderr: the step, rows done of the step, and the time left for the whole load. */
class Progress {
  private done = 0;
  private stepDone = 0;
  private stepTotal = 0;
  private step = '';
  private stepIndex = 0;
  private lastDraw = 0;
  private readonly started = Date.now();
  private readonly tty: boolean;

  constructor(
    private readonly out: NodeJS.WritableStream | null,
    private readonly total: number,
    private readonly steps: number,
  ) {
    this.tty = Boolean((out as { isTTY?: boolean } | null)?.isTTY);
  }

  begin(step: string, rows: number): void {
    this.finishLine();
    this.stepIndex += 1;
    this.step = step;
    this.stepDone = 0;
    this.stepTotal = Math.max(1, rows);
    this.draw(true);
  }

  add(rows: number, weight = rows): void {
    this.stepDone += rows;
    this.done += weight;
    this.draw(false);
  }

  private finishLine(): void {
    if (this.step && this.out) {
      this.draw(true);
      if (this.tty) this.out.write('\n');
    }
  }

  end(): void {
    this.finishLine();
    this.step = '';
  }

  private draw(force: boolean): void {
    if (!this.out) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < (this.tty ? 200 : 5000)) return;
    this.lastDraw = now;
    const elapsed = (now - this.started) / 1000;
    const fraction = Math.min(1, this.done / this.total);
    const left = fraction > 0.02 ? (elapsed / fraction) * (1 - fraction) : NaN;
    const width = 24;
    const stepFraction = Math.min(1, this.stepDone / this.stepTotal);
    const bar = '█'.repeat(Math.round(stepFraction * width)).padEnd(width, '░');
    const line =
      `[${String(this.stepIndex).padStart(2)}/${this.steps}] ${this.step.padEnd(34)} ${bar} ${fmt(this.stepDone)}/${fmt(this.stepTotal)} rows` +
      `  total ${(fraction * 100).toFixed(0).padStart(3)}%  elapsed ${clock(elapsed)}  left ${Number.isNaN(left) ? '--:--' : clock(left)}`;
    this.out.write(this.tty ? `\r${line}\x1b[K` : `${line}\n`);
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}

/**
 * Helper functions of the generation, created in pg_temp (they vanish with the session and never touch the app's schema).
 * h(key, salt, n): a deterministic pseudo-random integer in [0, n). ag(r, kind, j): the j-th agency of a kind in region r.
 */
function helperFunctions(c: SeedCounts, today: string): string[] {
  const starts = c.kinds.map((k) => k.start).join(',');
  const counts = c.kinds.map((k) => k.count).join(',');
  const P = c.agenciesPerRegion;
  const R = c.regions;
  const fn = (signature: string, returns: string, body: string) =>
    `CREATE FUNCTION pg_temp.${signature} RETURNS ${returns} LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT ${body} $fn$`;
  return [
    fn('h(x bigint, s int, n int)', 'int', `((hashint8extended(x, s) & 2147483647) % greatest(n, 1))::int`),
    fn('ag(r int, k int, j int)', 'bigint', `r::bigint * ${P} + (ARRAY[${starts}])[k + 1] + (j % (ARRAY[${counts}])[k + 1]) + 1`),
    fn('region_of(c bigint)', 'int', `((c - 1) % ${R})::int`),
    fn('region_code(r int)', 'text', `(${textArray(REGIONS.slice(0, R).map((x) => x[0]))})[r + 1]`),
    // A case's lead agency: a social-protection centre or unit (80 %) or an NGO of its region.
    fn('lead(c bigint)', 'bigint', `CASE WHEN pg_temp.h(c, 20, 100) < 80 THEN pg_temp.ag(pg_temp.region_of(c), ${SP}, pg_temp.h(c, 21, 1000000)) ELSE pg_temp.ag(pg_temp.region_of(c), ${NGO}, pg_temp.h(c, 21, 1000000)) END`),
    // Team agencies besides the lead: t = 1 health, 2 education, 3 guardianship; a case has 1 + h % 3 of them.
    fn('team_size(c bigint)', 'int', `1 + pg_temp.h(c, 10, 3)`),
    fn(
      'team(c bigint, t int)',
      'bigint',
      `CASE t WHEN 0 THEN pg_temp.lead(c) WHEN 1 THEN pg_temp.ag(pg_temp.region_of(c), ${HEALTH}, pg_temp.h(c, 11, 1000000)) WHEN 2 THEN pg_temp.ag(pg_temp.region_of(c), ${EDUCATION}, pg_temp.h(c, 12, 1000000)) ELSE pg_temp.ag(pg_temp.region_of(c), ${GUARDIANSHIP}, pg_temp.h(c, 13, 1000000)) END`,
    ),
    fn('opened(c bigint)', 'date', `DATE ${lit(today)} - pg_temp.h(c, 32, 2555)`),
    // Children: placement history bucket and its two dates (placed in an institution, then the way out of it).
    fn('d1(p bigint, opened date)', 'date', `least(opened + pg_temp.h(p, 71, 90), DATE ${lit(today)})`),
    fn('d2(p bigint, opened date)', 'date', `least(opened + pg_temp.h(p, 71, 90), DATE ${lit(today)}) + 20 + pg_temp.h(p, 72, 400)`),
    fn(
      'bucket(p bigint, opened date)',
      'text',
      `CASE WHEN pg_temp.h(p, 70, 1000) >= 78 THEN 'NONE' WHEN pg_temp.h(p, 70, 1000) < 30 THEN 'INST' ` +
        `WHEN pg_temp.d2(p, opened) > DATE ${lit(today)} THEN 'INST' WHEN pg_temp.h(p, 70, 1000) < 50 THEN 'RET' ` +
        `WHEN pg_temp.h(p, 70, 1000) < 65 THEN 'GUARD' WHEN pg_temp.h(p, 70, 1000) < 75 THEN 'FOSTER' ELSE 'ADOPT' END`,
    ),
    fn('placement_of(b text)', 'placement', `(CASE b WHEN 'INST' THEN 'IN_INSTITUTION' WHEN 'GUARD' THEN 'GUARDIANSHIP' WHEN 'FOSTER' THEN 'FOSTER_FAMILY' WHEN 'ADOPT' THEN 'ADOPTED' ELSE 'WITH_BIRTH_FAMILY' END)::placement`),
    // Persons: slot 0 an adult, slot 1 a second adult (30 %), slot 2 a child, slot 3 a second child (20 %).
    fn('person_exists(f bigint, slot int)', 'boolean', `CASE slot WHEN 0 THEN true WHEN 1 THEN pg_temp.h(f, 3, 10) < 3 WHEN 2 THEN true ELSE pg_temp.h(f, 4, 5) = 0 END`),
  ];
}

/** Runs a statement and returns the rows it touched. */
async function run(client: Client, text: string): Promise<number> {
  // SEED_SCALE_EXPLAIN=<text>: print the plan of the statements that contain the text (to tune the generation).
  const explain = process.env.SEED_SCALE_EXPLAIN;
  if (explain && text.includes(explain)) {
    const plan = await client.query(`EXPLAIN ${text}`);
    process.stderr.write(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n') + '\n');
  }
  try {
    const result = await client.query(text);
    return result.rowCount ?? 0;
  } catch (error) {
    const position = Number((error as { position?: string }).position ?? 0);
    const near = position ? ` near: ${text.slice(Math.max(0, position - 120), position + 60).replace(/\s+/g, ' ')}` : '';
    throw new Error(`${error instanceof Error ? error.message : String(error)} in "${text.trim().split('\n')[0].slice(0, 80)}..."${near}`);
  }
}

function ranges(total: number, batches: number): Array<[number, number]> {
  const size = Math.max(1000, Math.ceil(total / batches));
  const out: Array<[number, number]> = [];
  for (let lo = 1; lo <= total; lo += size) out.push([lo, Math.min(total, lo + size - 1)]);
  return out;
}

export async function seedScale(options: SeedOptions): Promise<SeedResult> {
  const out = options.output === undefined ? process.stderr : options.output;
  const say = (line: string) => out?.write(line + '\n');
  const started = Date.now();
  const scale = options.scale;
  const c = countsFor(scale);
  const R = c.regions;
  const P = c.agenciesPerRegion;
  const A = c.agencies;
  const S = c.staffPerAgency;
  const F = c.families;
  const C = c.conferences;
  // As of yesterday evening: every generated timestamp lies in the past, whatever the hour the seed runs at.
  const today = options.today ?? new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const TODAY = `DATE ${lit(today)}`;
  const NOW = `(${TODAY} + time '18:00')::timestamptz`;

  // Migrations first, through the app's own data source (so the schema is exactly the app's).
  setLogLevel('warn');
  const dataSource = createDataSource(options.databaseUrl);
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } finally {
    await dataSource.destroy();
  }

  const client = new Client({ connectionString: options.databaseUrl, application_name: 'krug-seed-scale' });
  await client.connect();
  try {
    const existing = await client.query<{ agencies: string; marker: string }>(
      `SELECT (SELECT count(*) FROM agency) AS agencies, (SELECT count(*) FROM program WHERE code = ${lit(SEED_MARKER_PROGRAM)}) AS marker`,
    );
    const holdsData = Number(existing.rows[0].agencies) > 0;
    const isSeed = Number(existing.rows[0].marker) > 0;
    if (holdsData && !isSeed && !options.force) {
      throw new Error('The database already holds registry data that seed-scale did not make; refusing to wipe it (pass --force to do so).');
    }

    say(
      `seed-scale: scale ${scale} → ${R} regions, ${fmt(A)} agencies, ${fmt(A * S)} staff, ${fmt(F)} families/cases, ${fmt(C)} conferences; as of ${today}` +
        (holdsData ? ' (replacing the data that is there)' : ''),
    );

    // Expected rows per step (for the progress bar and its time estimate); deliveries dominate.
    const expected = {
      reference: A * (1 + S + 2) + R,
      families: F,
      persons: F * 2.5,
      cases: F,
      caseRows: F * 5.5,
      grants: F * 2.6,
      route: F * 3.7,
      referrals: F * 1.9,
      placements: F * 1.5,
      deliveries: F * 19,
      referralDeliveries: F * 1.0,
      conferences: C * 24,
      indexes: F * 4,
      analyze: F * 4,
    };
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    const progress = new Progress(out ?? null, total, 16);

    await client.query('BEGIN');
    await client.query(`SET LOCAL maintenance_work_mem = '512MB'`);
    await client.query(`SET LOCAL work_mem = '64MB'`);
    await client.query(`SET LOCAL synchronous_commit = off`);
    // The generated expressions are large and the row estimates of generate_series high: JIT would compile every batch.
    await client.query(`SET LOCAL jit = off`);
    for (const statement of helperFunctions(c, today)) await client.query(statement);

    progress.begin('clearing and preparing', 1);
    await client.query(`TRUNCATE ${APP_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
    let savedIndexes: Array<{ name: string; definition: string; table: string }> = [];
    if (!options.keepIndexes) {
      const indexes = await client.query<{ name: string; definition: string; table: string }>(
        `SELECT i.indexname AS name, i.indexdef AS definition, i.tablename AS table
           FROM pg_indexes i
          WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname AND k.contype IN ('p', 'u', 'x'))
          ORDER BY i.tablename, i.indexname`,
        [BULK_TABLES],
      );
      savedIndexes = indexes.rows;
      for (const index of savedIndexes) await client.query(`DROP INDEX "public"."${index.name}"`);
    }
    progress.add(1, 0);

    // ---------------------------------------------------------------- reference data
    progress.begin('regions, agencies, staff, catalogue', expected.reference);
    await client.query(`INSERT INTO region (code, name) SELECT * FROM unnest(${textArray(REGIONS.slice(0, R).map((x) => x[0]))}, ${textArray(REGIONS.slice(0, R).map((x) => x[1]))})`);
    const kindCase = (expr: (k: (typeof KINDS)[number], i: number) => string) =>
      `CASE ${c.kinds.map((slot, i) => `WHEN s.slot < ${slot.start + slot.count} THEN ${expr(KINDS[i], i)}`).join(' ')} END`;
    const typeOf = (offset: number) =>
      `CASE k ${KINDS.map((x, i) => `WHEN ${i} THEN (ARRAY[${x.types.join(',')}])[((j + ${offset}) % ${x.types.length}) + 1]`).join(' ')} END::bigint`;
    await client.query(`CREATE TEMP TABLE seed_agency ON COMMIT DROP AS
      SELECT id, r, slot, k, j AS kj, kind, region_code, ${typeOf(0)} AS type0, ${typeOf(1)} AS type1,
             (ARRAY[${KINDS.map((x) => x.caseManagers).join(',')}])[k + 1] AS case_managers
        FROM (SELECT r * ${P} + slot + 1 AS id, r, slot, k, slot - (ARRAY[${c.kinds.map((x) => x.start).join(',')}])[k + 1] AS j, kind, region_code
                FROM (SELECT r, s.slot, ${kindCase((_k, i) => String(i))} AS k, (${kindCase((k) => lit(k.kind))})::agency_kind AS kind, pg_temp.region_code(r) AS region_code
                        FROM generate_series(0, ${R - 1}) r CROSS JOIN generate_series(0, ${P - 1}) s(slot)) s) t`);
    await client.query(`ALTER TABLE seed_agency ADD PRIMARY KEY (id)`);
    // Temporary tables are never analysed automatically; without statistics the planner joins them by nested loops.
    await client.query(`ANALYZE seed_agency`);
    const centres = Math.max(1, Math.ceil(c.kinds[SP].count / 5));
    progress.add(
      await run(
        client,
        `INSERT INTO agency (id, name, short_name, kind, region_code, parent_id, settlement, active, created_at, updated_at) OVERRIDING SYSTEM VALUE
         SELECT a.id,
                CASE WHEN a.k = ${SP} AND a.kj >= ${centres} THEN 'Отделение №' || (a.kj / ${centres}) || ' ГБУ СО «КЦСОН №' || (a.kj % ${centres} + 1) || '»'
                     WHEN a.k = ${SP} THEN 'ГБУ СО «Комплексный центр социального обслуживания населения №' || (a.kj + 1) || '»'
                     ELSE (${textArray(KINDS.map((k) => k.name))})[a.k + 1] || ' №' || (a.kj + 1) END,
                CASE WHEN a.k = ${SP} THEN 'КЦСОН №' || (a.kj % ${centres} + 1) ELSE NULL END,
                a.kind, a.region_code,
                CASE WHEN a.k = ${SP} AND a.kj >= ${centres} THEN a.r * ${P} + ${c.kinds[SP].start} + (a.kj % ${centres}) + 1 END,
                (${textArray(SETTLEMENTS)})[pg_temp.h(a.id, 1, ${SETTLEMENTS.length}) + 1], true,
                ${NOW} - interval '8 years', ${NOW} - interval '8 years'
           FROM seed_agency a ORDER BY a.id`,
      ),
    );
    // Staff: ten per agency. Case managers first (social protection 5, NGO 2), then specialists; in the first centre of
    // every region slot 9 is the region's coordinator and slot 8 an analyst of the regional ministry.
    progress.add(
      await run(
        client,
        `INSERT INTO staff_member (id, agency_id, full_name, position, email, roles, active, created_at) OVERRIDING SYSTEM VALUE
         SELECT (a.id - 1) * ${S} + s.k + 1, a.id,
                CASE WHEN pg_temp.h(a.id * 16 + s.k, 2, 2) = 0
                     THEN (${textArray(SURNAMES.map((x) => x[1]))})[pg_temp.h(a.id * 16 + s.k, 3, ${SURNAMES.length}) + 1] || ' ' || (${textArray(FEMALE)})[pg_temp.h(a.id * 16 + s.k, 4, ${FEMALE.length}) + 1] || ' ' || (${textArray(PATRONYMIC.map((x) => x[1]))})[pg_temp.h(a.id * 16 + s.k, 5, ${PATRONYMIC.length}) + 1]
                     ELSE (${textArray(SURNAMES.map((x) => x[0]))})[pg_temp.h(a.id * 16 + s.k, 3, ${SURNAMES.length}) + 1] || ' ' || (${textArray(MALE)})[pg_temp.h(a.id * 16 + s.k, 4, ${MALE.length}) + 1] || ' ' || (${textArray(PATRONYMIC.map((x) => x[0]))})[pg_temp.h(a.id * 16 + s.k, 5, ${PATRONYMIC.length}) + 1] END,
                CASE WHEN a.k = ${SP} AND a.kj = 0 AND s.k = 9 THEN 'региональный координатор программы'
                     WHEN a.k = ${SP} AND a.kj = 0 AND s.k = 8 THEN 'аналитик регионального министерства'
                     WHEN s.k < a.case_managers THEN 'куратор семьи (социальный агент)'
                     ELSE (${textArray(KINDS.map((k) => k.position))})[a.k + 1] END,
                'staff' || ((a.id - 1) * ${S} + s.k + 1) || '@krug.example',
                CASE WHEN a.k = ${SP} AND a.kj = 0 AND s.k = 9 THEN ARRAY['COORDINATOR']
                     WHEN a.k = ${SP} AND a.kj = 0 AND s.k = 8 THEN ARRAY['ANALYST']
                     WHEN a.id = 1 AND s.k = 7 THEN ARRAY['ADMIN']
                     WHEN s.k < a.case_managers THEN ARRAY['CASE_MANAGER'] ELSE ARRAY['SPECIALIST'] END,
                true, ${NOW} - interval '8 years'
           FROM seed_agency a CROSS JOIN generate_series(0, ${S - 1}) s(k)`,
      ),
    );
    await client.query(
      `INSERT INTO service_type (id, code, name, domain, description) OVERRIDING SYSTEM VALUE
       SELECT * FROM unnest(ARRAY[${SERVICE_TYPES.map((t) => t[0]).join(',')}]::bigint[], ${textArray(SERVICE_TYPES.map((t) => t[1]))}, ${textArray(SERVICE_TYPES.map((t) => t[2]))},
                            ${textArray(SERVICE_TYPES.map((t) => t[3]))}::service_domain[], ${textArray(SERVICE_TYPES.map((t) => `${t[2]} (каталог услуг).`))})`,
    );
    // Two offerings per agency: the first two service types of its kind, with the modes it can deliver in.
    progress.add(
      await run(
        client,
        `INSERT INTO service_offering (id, provider_id, service_type_id, delivery_modes, min_age_months, max_age_months, region_codes, monthly_capacity, description, active, created_at) OVERRIDING SYSTEM VALUE
         SELECT (a.id - 1) * 2 + o.j + 1, a.id, CASE o.j WHEN 0 THEN a.type0 ELSE a.type1 END,
                CASE WHEN a.k = ${SP} THEN ARRAY['ON_SITE','HOME','REMOTE','MOBILE_BRIGADE'] ELSE ARRAY['ON_SITE','HOME','REMOTE'] END::delivery_mode[],
                0, 216, ARRAY[a.region_code], 20 + pg_temp.h(a.id, 6, 200), NULL, true, ${NOW} - interval '8 years'
           FROM seed_agency a CROSS JOIN generate_series(0, 1) o(j)`,
      ),
    );
    // Programmes: the federal pilot "0-4" in every region, one regional programme per region, and the seed marker.
    await client.query(
      `INSERT INTO program (id, code, name, funder, region_codes, starts_on, ends_on, budget_rub, description) OVERRIDING SYSTEM VALUE
       SELECT 1, 'PILOT-0-4', 'Федеральный пилот «0–4»: профилактика социального сиротства детей до 4 лет', 'Минтруд России',
              (SELECT array_agg(code ORDER BY code) FROM region), DATE '2019-01-01', NULL::date, 250000000, 'Ранняя помощь и профилактика помещения детей в учреждения.'
       UNION ALL
       SELECT r + 2, 'REG-' || pg_temp.region_code(r), 'Круг заботы — ' || (SELECT name FROM region WHERE code = pg_temp.region_code(r)), 'Фонд президентских грантов',
              ARRAY[pg_temp.region_code(r)], DATE '2019-01-01', NULL::date, 5000000 + pg_temp.h(r, 7, 5000000), 'Сопровождение семей социальным агентом по маршруту помощи.'
         FROM generate_series(0, ${R - 1}) r
       UNION ALL
       SELECT ${R + 2}, ${lit(SEED_MARKER_PROGRAM)}, 'Синтетический реестр seed-scale (нагрузочные данные)', 'seed-scale', ARRAY[]::text[], ${TODAY}, ${TODAY}, NULL,
              ${lit(JSON.stringify({ scale, regions: R, families: F, today }))}`,
    );

    // ---------------------------------------------------------------- families and persons
    progress.begin('families', F);
    for (const [lo, hi] of ranges(F, 20)) {
      progress.add(
        await run(
          client,
          `INSERT INTO family (id, region_code, settlement, remote, address, phone, situations, registered_by_agency_id, created_at, updated_at) OVERRIDING SYSTEM VALUE
           SELECT f, pg_temp.region_code(pg_temp.region_of(f)), (${textArray(SETTLEMENTS)})[pg_temp.h(f, 1, ${SETTLEMENTS.length}) + 1], pg_temp.h(f, 2, 100) < 20,
                  'ул. ' || (ARRAY['Ленина','Мира','Советская','Школьная','Садовая','Молодёжная','Лесная','Набережная'])[pg_temp.h(f, 14, 8) + 1] || ', д. ' || (1 + pg_temp.h(f, 15, 120)) || ', кв. ' || (1 + pg_temp.h(f, 16, 200)),
                  '+7 9' || lpad(pg_temp.h(f, 17, 100000000)::text, 9, '0'),
                  (CASE WHEN pg_temp.h(f, 18, 3) = 0 THEN ARRAY[s1] ELSE ARRAY[s1, (enum_range(NULL::family_situation))[((pg_temp.h(f, 19, 12) + 1 + pg_temp.h(f, 22, 11)) % 12) + 1]] END),
                  pg_temp.lead(f), pg_temp.opened(f) + time '10:00', pg_temp.opened(f) + time '10:00'
             FROM generate_series(${lo}, ${hi}) f, LATERAL (SELECT (enum_range(NULL::family_situation))[pg_temp.h(f, 19, 12) + 1] AS s1) x`,
        ),
      );
    }

    progress.begin('persons', F * 2.5);
    for (const [lo, hi] of ranges(F, 20)) {
      progress.add(
        await run(
          client,
          `INSERT INTO person (id, family_id, last_name, first_name, middle_name, birth_date, sex, relation, document_number, phone, disability_status, diagnosis,
                               education_placement, pmpk_conclusion, placement, created_at, updated_at) OVERRIDING SYSTEM VALUE
           SELECT p, f, (CASE WHEN sex = 'FEMALE' THEN ${textArray(SURNAMES.map((x) => x[1]))} ELSE ${textArray(SURNAMES.map((x) => x[0]))} END)[pg_temp.h(f, 6, ${SURNAMES.length}) + 1],
                  CASE WHEN sex = 'FEMALE' THEN (${textArray(FEMALE)})[pg_temp.h(p, 7, ${FEMALE.length}) + 1] ELSE (${textArray(MALE)})[pg_temp.h(p, 7, ${MALE.length}) + 1] END,
                  (CASE WHEN sex = 'FEMALE' THEN ${textArray(PATRONYMIC.map((x) => x[1]))} ELSE ${textArray(PATRONYMIC.map((x) => x[0]))} END)[pg_temp.h(p, 23, ${PATRONYMIC.length}) + 1],
                  birth, sex::sex, relation::family_relation,
                  CASE WHEN slot < 2 THEN 'паспорт ' || lpad(pg_temp.h(p, 24, 10000)::text, 4, '0') || ' ' || lpad(pg_temp.h(p, 25, 1000000)::text, 6, '0')
                       ELSE 'свидетельство о рождении ' || (ARRAY['I','II','III','IV'])[pg_temp.h(p, 24, 4) + 1] || '-ЛО ' || lpad(pg_temp.h(p, 25, 1000000)::text, 6, '0') END,
                  CASE WHEN slot < 2 THEN '+7 9' || lpad(pg_temp.h(p, 17, 100000000)::text, 9, '0') END,
                  disability::disability_status,
                  CASE WHEN disability <> 'NONE' THEN (${textArray(DIAGNOSES)})[pg_temp.h(p, 26, ${DIAGNOSES.length}) + 1] END,
                  CASE WHEN slot < 2 OR ${TODAY} - birth < 3 * 365 THEN NULL WHEN ${TODAY} - birth < 7 * 365 THEN 'МБДОУ детский сад №' || (1 + pg_temp.h(p, 27, 200))
                       WHEN ${TODAY} - birth < 18 * 365 THEN 'МБОУ СОШ №' || (1 + pg_temp.h(p, 27, 150)) END,
                  CASE WHEN slot >= 2 AND disability <> 'NONE' AND ${TODAY} - birth >= 3 * 365 THEN 'Заключение ПМПК: адаптированная образовательная программа, сопровождение тьютора' END,
                  CASE WHEN slot >= 2 THEN pg_temp.placement_of(pg_temp.bucket(p, opened)) ELSE 'WITH_BIRTH_FAMILY'::placement END,
                  opened + time '10:00', opened + time '10:00'
             FROM (SELECT f, slot, (f - 1) * 4 + slot + 1 AS p, opened,
                          CASE WHEN slot < 2 THEN opened - 7300 - pg_temp.h((f - 1) * 4 + slot + 1, 8, 10950) ELSE opened - 30 - pg_temp.h((f - 1) * 4 + slot + 1, 8, 5800) END AS birth,
                          CASE WHEN slot = 0 THEN (CASE WHEN pg_temp.h(f, 5, 100) < 88 THEN 'MOTHER' WHEN pg_temp.h(f, 5, 100) < 94 THEN 'FATHER' WHEN pg_temp.h(f, 5, 100) < 98 THEN 'GRANDPARENT' ELSE 'GUARDIAN' END)
                               WHEN slot = 1 THEN (CASE WHEN pg_temp.h(f, 9, 10) < 7 THEN 'FATHER' WHEN pg_temp.h(f, 9, 10) < 9 THEN 'GRANDPARENT' ELSE 'SIBLING' END)
                               ELSE 'CHILD' END AS relation,
                          CASE WHEN slot = 0 THEN (CASE WHEN pg_temp.h(f, 5, 100) BETWEEN 88 AND 93 THEN 'MALE' ELSE 'FEMALE' END)
                               WHEN slot = 1 THEN (CASE WHEN pg_temp.h(f, 9, 10) < 7 THEN 'MALE' ELSE 'FEMALE' END)
                               WHEN pg_temp.h((f - 1) * 4 + slot + 1, 9, 2) = 0 THEN 'FEMALE' ELSE 'MALE' END AS sex,
                          CASE WHEN slot < 2 THEN 'NONE' WHEN pg_temp.h((f - 1) * 4 + slot + 1, 12, 100) < 5 THEN 'DISABLED'
                               WHEN pg_temp.h((f - 1) * 4 + slot + 1, 12, 100) < 13 THEN 'LIMITED_HEALTH' ELSE 'NONE' END AS disability
                     FROM (SELECT f, pg_temp.opened(f) AS opened FROM generate_series(${lo}, ${hi}) f) ff CROSS JOIN generate_series(0, 3) slot
                    WHERE pg_temp.person_exists(f, slot)) x`,
        ),
      );
    }

    // ---------------------------------------------------------------- cases
    // Status by age and hash; the closing date lies after the opening and before today; numbers are dense per region and year.
    progress.begin('cases', F);
    progress.add(
      await run(
        client,
        `INSERT INTO "case" (id, number, region_code, family_id, status, risk_level, source, lead_agency_id, case_manager_id, opened_on, closed_on,
                             closure_outcome, closure_note, created_at, updated_at, version) OVERRIDING SYSTEM VALUE
         SELECT c, region_code || '-' || extract(year FROM opened)::int || '-' || lpad(row_number() OVER (PARTITION BY region_code, extract(year FROM opened) ORDER BY c)::text, 6, '0'),
                region_code, c, status::case_status,
                (ARRAY['LOW','MEDIUM','MEDIUM','HIGH','HIGH','CRITICAL'])[pg_temp.h(c, 33, 6) + 1]::risk_level,
                (ARRAY['EARLY_DETECTION','EARLY_DETECTION','SELF_REFERRAL','SCHOOL','KINDERGARTEN','HOSPITAL','POLICE','NGO','GUARDIANSHIP','SOCIAL_SERVICE','OTHER'])[pg_temp.h(c, 34, 11) + 1]::case_source,
                lead, (lead - 1) * ${S} + floor(cms * power(pg_temp.h(c, 35, 1000) / 1000.0, 2))::int + 1,
                opened, closed,
                CASE WHEN status = 'CLOSED' THEN (ARRAY['GOALS_ACHIEVED','GOALS_ACHIEVED','FAMILY_STABILISED','FAMILY_STABILISED','CHILD_RETURNED_TO_FAMILY','CHILD_PLACED_IN_FAMILY_CARE','CHILD_PLACED_IN_INSTITUTION','FAMILY_MOVED','FAMILY_REFUSED','OTHER'])[pg_temp.h(c, 36, 10) + 1]::case_closure_outcome END,
                CASE WHEN status = 'CLOSED' THEN 'Случай закрыт по итогам межведомственного сопровождения.' END,
                opened + time '10:00', coalesce(closed, opened + (${TODAY} - opened) / 2) + time '17:00',
                array_position(ARRAY['REFERRED','ASSESSMENT','ACTIVE','MONITORING','CLOSED'], status)
           FROM (SELECT c, region_code, opened, lead, cms, status,
                        CASE WHEN status = 'CLOSED' THEN opened + 45 + pg_temp.h(c, 31, ${TODAY} - opened - 45) END AS closed
                   FROM (SELECT c, pg_temp.region_code(pg_temp.region_of(c)) AS region_code, opened, pg_temp.lead(c) AS lead,
                                CASE WHEN pg_temp.h(c, 20, 100) < 80 THEN ${KINDS[SP].caseManagers} ELSE ${KINDS[NGO].caseManagers} END AS cms,
                                CASE WHEN ${TODAY} - opened < 14 THEN (CASE WHEN u < 50 THEN 'REFERRED' ELSE 'ASSESSMENT' END)
                                     WHEN ${TODAY} - opened < 46 THEN (CASE WHEN u < 10 THEN 'REFERRED' WHEN u < 50 THEN 'ASSESSMENT' ELSE 'ACTIVE' END)
                                     WHEN u < 2 THEN 'REFERRED' WHEN u < 6 THEN 'ASSESSMENT' WHEN u < 36 THEN 'ACTIVE' WHEN u < 50 THEN 'MONITORING' ELSE 'CLOSED' END AS status
                           FROM (SELECT c, pg_temp.opened(c) AS opened, pg_temp.h(c, 30, 100) AS u FROM generate_series(1, ${F}) c) a) b) d`,
      ),
    );
    // The period of a case: from its opening to its closing (or today); history and route of help fall within it.
    await client.query(`CREATE TEMP TABLE seed_case ON COMMIT DROP AS
      SELECT id AS c, pg_temp.region_of(id) AS r, region_code, opened_on AS opened, coalesce(closed_on, ${TODAY}) AS ends,
             coalesce(closed_on, ${TODAY}) - opened_on AS len, status::text AS status,
             array_position(ARRAY['REFERRED','ASSESSMENT','ACTIVE','MONITORING','CLOSED'], status::text) - 1 AS si,
             lead_agency_id AS lead, case_manager_id AS cm, pg_temp.team_size(id) AS nt,
             CASE WHEN status IN ('ACTIVE','MONITORING','CLOSED') THEN 1 + pg_temp.h(id, 50, 4) WHEN status = 'ASSESSMENT' THEN 1 ELSE 0 END AS ns,
             CASE WHEN status = 'REFERRED' THEN 0 ELSE 1 + pg_temp.h(id, 60, 2) END AS nn,
             CASE WHEN status = 'REFERRED' THEN 0 ELSE pg_temp.h(id, 40, 3) END AS nr,
             pg_temp.h(id, 2, 100) < 20 AS remote
        FROM "case"`);
    await client.query(`ALTER TABLE seed_case ADD PRIMARY KEY (c)`);
    await client.query(`ANALYZE seed_case`);
    await client.query(`ANALYZE family, person, "case"`);

    progress.begin('children, programmes, history, counters', expected.caseRows);
    progress.add(
      await run(
        client,
        `INSERT INTO case_child (case_id, person_id)
         SELECT s.c, (s.c - 1) * 4 + slot + 1 FROM seed_case s CROSS JOIN generate_series(2, 3) slot WHERE pg_temp.person_exists(s.c, slot)`,
      ),
    );
    progress.add(
      await run(
        client,
        `INSERT INTO case_program (case_id, program_id)
         SELECT s.c, CASE WHEN pg_temp.h(s.c, 37, 2) = 0 THEN 1 ELSE s.r + 2 END FROM seed_case s WHERE pg_temp.h(s.c, 38, 10) < 6`,
      ),
    );
    // History: one row per status reached, at fixed fractions of the period; the closing row on the closing date.
    progress.add(
      await run(
        client,
        `INSERT INTO case_status_change (case_id, from_status, to_status, changed_by_subject, changed_by_staff_id, comment, changed_at)
         SELECT s.c, (ARRAY['REFERRED','ASSESSMENT','ACTIVE','MONITORING'])[i]::case_status, (ARRAY['REFERRED','ASSESSMENT','ACTIVE','MONITORING','CLOSED'])[i + 1]::case_status,
                s.cm::text, s.cm, NULL,
                (s.opened + CASE WHEN i = 4 THEN s.len ELSE floor(s.len * (ARRAY[0, 0.05, 0.15, 0.75])[i + 1])::int END) + time '11:00' + make_interval(mins => i)
           FROM seed_case s CROSS JOIN generate_series(0, 4) i WHERE i <= s.si`,
      ),
    );
    await client.query(
      `INSERT INTO case_number_counter (region_code, year, last_value)
       SELECT region_code, split_part(number, '-', 2)::int, max(split_part(number, '-', 3)::int) FROM "case" GROUP BY 1, 2`,
    );

    // ---------------------------------------------------------------- grants: lead, team, emergency
    progress.begin('access grants (lead, team)', expected.grants);
    progress.add(
      await run(
        client,
        `INSERT INTO case_access_grant (case_id, agency_id, staff_id, kind, source, source_id, reason, expires_at, revoked_at, granted_by_subject, created_at)
         SELECT s.c, s.lead, NULL, 'LEAD', 'OPEN_CASE', NULL, NULL, NULL, NULL, s.cm::text, s.opened + time '10:00' FROM seed_case s`,
      ),
    );
    progress.add(
      await run(
        client,
        `INSERT INTO case_access_grant (case_id, agency_id, staff_id, kind, source, source_id, reason, expires_at, revoked_at, granted_by_subject, created_at)
         SELECT s.c, pg_temp.team(s.c, t), NULL, 'TEAM', 'MANUAL', NULL, NULL, NULL, NULL, s.cm::text, s.opened + floor(s.len * 0.05)::int + time '12:00'
           FROM seed_case s CROSS JOIN generate_series(1, 3) t WHERE s.si >= 1 AND t <= s.nt`,
      ),
    );
    // Break-the-glass access that has long expired (0.3 % of cases): a health specialist in an emergency.
    progress.add(
      await run(
        client,
        `INSERT INTO case_access_grant (case_id, agency_id, staff_id, kind, source, source_id, reason, expires_at, revoked_at, granted_by_subject, created_at)
         SELECT s.c, pg_temp.ag(s.r, ${HEALTH}, pg_temp.h(s.c, 39, 1000000) + 1), NULL, 'EMERGENCY', 'EMERGENCY', NULL, 'Экстренная госпитализация ребёнка, нужен анамнез',
                s.opened + time '03:00' + interval '24 hours', NULL, ((pg_temp.ag(s.r, ${HEALTH}, pg_temp.h(s.c, 39, 1000000) + 1) - 1) * ${S} + 1)::text, s.opened + time '03:00'
           FROM seed_case s WHERE pg_temp.h(s.c, 41, 1000) < 3 AND s.opened < ${TODAY} - 2`,
      ),
    );

    // ---------------------------------------------------------------- needs and plan steps
    // Step j is the responsibility of team member j mod (team size + 1) (0 = the lead) and uses one of its offerings.
    progress.begin('needs and route of help', expected.route);
    progress.add(
      await run(
        client,
        `INSERT INTO need (id, case_id, domain, description, status, identified_by_agency_id, created_at) OVERRIDING SYSTEM VALUE
         SELECT (s.c - 1) * 2 + j + 1, s.c, t.domain, 'Потребность: ' || lower(t.name),
                (CASE WHEN s.status = 'CLOSED' THEN (CASE WHEN pg_temp.h(s.c * 2 + j, 42, 10) < 8 THEN 'MET' ELSE 'NOT_MET' END)
                      WHEN s.status = 'MONITORING' THEN 'MET' WHEN s.status = 'ACTIVE' THEN 'BEING_MET' ELSE 'IDENTIFIED' END)::need_status,
                s.lead, s.opened + floor(s.len * 0.05)::int + time '12:30'
           FROM seed_case s CROSS JOIN generate_series(0, 1) j
           JOIN seed_agency a ON a.id = pg_temp.team(s.c, j % (s.nt + 1))
           JOIN service_type t ON t.id = CASE WHEN j % 2 = 0 THEN a.type0 ELSE a.type1 END
          WHERE j < s.nn`,
      ),
    );
    progress.add(
      await run(
        client,
        `INSERT INTO plan_step (id, case_id, position, need_id, title, service_type_id, responsible_agency_id, offering_id, due_on, status, completed_on, decision_id, created_at, updated_at) OVERRIDING SYSTEM VALUE
         SELECT id, c, j + 1, need_id, title, type_id, agency_id, offering_id, due, status::plan_step_status,
                CASE WHEN status = 'DONE' THEN least(greatest(due - 10 + pg_temp.h(id, 44, 20), opened), ends) END, NULL,
                created, CASE WHEN status = 'DONE' THEN least(greatest(due - 10 + pg_temp.h(id, 44, 20), opened), ends) + time '16:00' ELSE created END
           FROM (SELECT (s.c - 1) * 4 + j + 1 AS id, s.c, j, s.opened, s.ends,
                        CASE WHEN s.nn > 0 THEN (s.c - 1) * 2 + (j % s.nn) + 1 END AS need_id,
                        t.name AS title, t.id AS type_id, a.id AS agency_id, (a.id - 1) * 2 + (j % 2) + 1 AS offering_id,
                        s.opened + floor(s.len * 0.15)::int + 30 * (j + 1) AS due,
                        CASE WHEN s.status = 'CLOSED' THEN (CASE WHEN pg_temp.h(s.c * 4 + j, 43, 10) < 8 THEN 'DONE' ELSE 'CANCELLED' END)
                             WHEN s.status = 'MONITORING' THEN 'DONE'
                             WHEN s.status = 'ACTIVE' THEN (CASE WHEN j < pg_temp.h(s.c, 45, s.ns) THEN 'DONE' WHEN j = pg_temp.h(s.c, 45, s.ns) THEN 'IN_PROGRESS' ELSE 'PLANNED' END)
                             ELSE 'PLANNED' END AS status,
                        s.opened + floor(s.len * 0.1)::int + time '13:00' AS created
                   FROM seed_case s CROSS JOIN generate_series(0, 3) j
                   JOIN seed_agency a ON a.id = pg_temp.team(s.c, j % (s.nt + 1))
                   JOIN service_type t ON t.id = CASE WHEN j % 2 = 0 THEN a.type0 ELSE a.type1 END
                  WHERE j < s.ns) x`,
      ),
    );

    // ---------------------------------------------------------------- referrals and their grants
    // Referral j of a case goes from the lead to an agency of its region that offers help (health, education, NGO, social protection).
    progress.begin('referrals and their grants', expected.referrals);
    progress.add(
      await run(
        client,
        `INSERT INTO referral (id, case_id, from_agency_id, to_agency_id, offering_id, service_type_id, plan_step_id, status, reason, notes, sent_by_staff_id, sent_at, respond_by,
                               responded_at, decline_reason, response_note, completed_at, outcome, created_at, updated_at) OVERRIDING SYSTEM VALUE
         SELECT id, c, lead, to_agency, (to_agency - 1) * 2 + 1, type0, CASE WHEN j < ns THEN (c - 1) * 4 + j + 1 END, status::referral_status,
                'Нужна помощь: ' || lower(type_name), 'Семья согласна на обращение; удобное время — после 15:00.', cm, sent, sent + interval '10 days',
                responded, CASE WHEN status = 'DECLINED' THEN (ARRAY['NO_CAPACITY','NOT_ELIGIBLE','OUT_OF_AREA','OTHER'])[pg_temp.h(id, 46, 4) + 1]::decline_reason END,
                CASE WHEN status IN ('ACCEPTED','COMPLETED') THEN 'Принято, специалист свяжется с семьёй.' WHEN status = 'DECLINED' THEN 'Отказ: см. причину.' END,
                completed, CASE WHEN status = 'COMPLETED' THEN (ARRAY['GOT_HELP','GOT_HELP','GOT_HELP','COULD_NOT_CONTACT','NO_LONGER_INTERESTED','REFERRED_ELSEWHERE','COULD_NOT_HELP'])[pg_temp.h(id, 47, 7) + 1]::referral_outcome END,
                sent, coalesce(completed, responded, sent)
           FROM (SELECT *, CASE WHEN status IN ('ACCEPTED','DECLINED','COMPLETED') THEN sent + make_interval(days => least(1 + pg_temp.h(id, 48, 12), (ends - sent::date) / 3), hours => 4) END AS responded,
                           CASE WHEN status = 'COMPLETED' THEN sent + make_interval(days => least(1 + pg_temp.h(id, 48, 12), (ends - sent::date) / 3) + least(10 + pg_temp.h(id, 49, 60), (ends - sent::date) - least(1 + pg_temp.h(id, 48, 12), (ends - sent::date) / 3)), hours => 6) END AS completed
                   FROM (SELECT (s.c - 1) * 2 + j + 1 AS id, s.c, j, s.lead, s.cm, s.ns, s.ends, a.id AS to_agency, a.type0, t.name AS type_name,
                                (s.opened + least(floor(s.len * 0.1)::int + 10 * j, s.len)) + time '10:00' AS sent,
                                CASE WHEN s.status = 'CLOSED' THEN (CASE WHEN pg_temp.h(s.c * 2 + j, 51, 100) < 60 THEN 'COMPLETED' WHEN pg_temp.h(s.c * 2 + j, 51, 100) < 85 THEN 'DECLINED' ELSE 'CANCELLED' END)
                                     ELSE (CASE WHEN pg_temp.h(s.c * 2 + j, 51, 100) < 25 THEN 'SENT' WHEN pg_temp.h(s.c * 2 + j, 51, 100) < 55 THEN 'ACCEPTED' WHEN pg_temp.h(s.c * 2 + j, 51, 100) < 70 THEN 'DECLINED'
                                                WHEN pg_temp.h(s.c * 2 + j, 51, 100) < 95 THEN 'COMPLETED' ELSE 'CANCELLED' END) END AS status
                           FROM seed_case s CROSS JOIN generate_series(0, 1) j
                           JOIN seed_agency a ON a.id = pg_temp.ag(s.r, (ARRAY[${HEALTH}, ${EDUCATION}, ${NGO}, ${SP}])[pg_temp.h(s.c * 2 + j, 52, 4) + 1], pg_temp.h(s.c * 2 + j, 53, 1000000))
                           JOIN service_type t ON t.id = a.type0
                          WHERE j < s.nr AND a.id <> s.lead) x) y`,
      ),
    );
    await client.query(`ANALYZE referral, plan_step`);
    // Accepting a referral grants the receiving agency access to the case.
    progress.add(
      await run(
        client,
        `INSERT INTO case_access_grant (case_id, agency_id, staff_id, kind, source, source_id, reason, expires_at, revoked_at, granted_by_subject, created_at)
         SELECT r.case_id, r.to_agency_id, NULL, 'REFERRAL', 'REFERRAL', r.id, NULL, NULL, NULL, ((r.to_agency_id - 1) * ${S} + 1)::text, r.responded_at
           FROM referral r WHERE r.status IN ('ACCEPTED', 'COMPLETED')`,
      ),
    );

    // ---------------------------------------------------------------- placements and external ids
    progress.begin('placement events, external ids', expected.placements);
    progress.add(
      await run(
        client,
        `INSERT INTO placement_event (person_id, kind, occurred_on, placement_before, placement_after, agency_id, recorded_by_agency_id, notes, created_at)
         SELECT p.id, e.kind::placement_event_kind, e.day, e.before::placement, e.after::placement,
                CASE WHEN e.kind = 'PLACED_IN_INSTITUTION' THEN pg_temp.ag(s.r, ${HEALTH}, pg_temp.h(p.id, 54, 1000000)) ELSE pg_temp.ag(s.r, ${GUARDIANSHIP}, pg_temp.h(p.id, 55, 1000000)) END,
                pg_temp.ag(s.r, ${GUARDIANSHIP}, pg_temp.h(p.id, 55, 1000000)), NULL, e.day + time '15:00'
           FROM person p JOIN seed_case s ON s.c = p.family_id
           CROSS JOIN LATERAL (SELECT pg_temp.bucket(p.id, s.opened) AS b) b
           CROSS JOIN LATERAL (VALUES (1, 'PLACED_IN_INSTITUTION', pg_temp.d1(p.id, s.opened), 'WITH_BIRTH_FAMILY', 'IN_INSTITUTION'),
                                      (2, CASE b.b WHEN 'RET' THEN 'RETURNED_TO_BIRTH_FAMILY' WHEN 'GUARD' THEN 'GUARDIANSHIP' WHEN 'FOSTER' THEN 'FOSTER_FAMILY' ELSE 'ADOPTED' END,
                                          pg_temp.d2(p.id, s.opened), 'IN_INSTITUTION', pg_temp.placement_of(b.b)::text)) e(n, kind, day, before, after)
          WHERE p.relation = 'CHILD' AND b.b <> 'NONE' AND (e.n = 1 OR b.b <> 'INST')`,
      ),
    );
    progress.add(
      await run(
        client,
        `INSERT INTO external_id (subject_type, family_id, person_id, system, value)
         SELECT 'FAMILY', f.id, NULL, 'EGISSO', 'EG-' || lpad(f.id::text, 9, '0') FROM family f WHERE pg_temp.h(f.id, 56, 2) = 0
         UNION ALL
         SELECT 'PERSON', NULL, p.id, 'MIS-' || f.region_code, 'P' || lpad(p.id::text, 10, '0')
           FROM person p JOIN family f ON f.id = p.family_id WHERE p.relation = 'CHILD' AND pg_temp.h(p.id, 57, 10) < 4`,
      ),
    );

    // ---------------------------------------------------------------- service deliveries
    // Case c gets least(4 + h % 34, 1 + days/3) deliveries when help is under way (a few during assessment), each on a
    // day of its period, by the lead or a team agency (one third of them for a plan step of that agency), by a specialist
    // of that agency, in a mode its offering has. A remote family is visited by a social-protection agency's mobile
    // brigade on the agency's weekly trip day; the trips are created in the same statement.
    progress.begin('service deliveries', F * 19);
    const epoch = `DATE '2000-01-03'`;
    for (const [lo, hi] of ranges(F, 40)) {
      progress.add(
        await run(
          client,
          `WITH gen AS (
             SELECT s.c, s.r, s.region_code, s.opened, s.ends, s.remote, g.j, s.ns, s.nt,
                    (s.c - 1) * 64 + g.j AS k,
                    s.opened + pg_temp.h((s.c - 1) * 64 + g.j, 86, s.len + 1) AS day,
                    CASE WHEN s.ns > 0 AND s.si >= 2 AND pg_temp.h((s.c - 1) * 64 + g.j, 87, 3) = 0 THEN g.j % s.ns END AS step
               FROM seed_case s
               CROSS JOIN LATERAL generate_series(0, (CASE WHEN s.si >= 2 THEN least(4 + pg_temp.h(s.c, 85, 34), 1 + s.len / 3) WHEN s.si = 1 THEN pg_temp.h(s.c, 85, 3) ELSE 0 END) - 1) g(j)
              WHERE s.c BETWEEN ${lo} AND ${hi}
           ), prov AS (
             SELECT gen.*, a.id AS provider, a.k AS provider_kind,
                    CASE WHEN gen.step IS NOT NULL THEN (CASE WHEN gen.step % 2 = 0 THEN a.type0 ELSE a.type1 END)
                         WHEN pg_temp.h(gen.k, 88, 2) = 0 THEN a.type0 ELSE a.type1 END AS type_id,
                    (a.id - 1) * ${S} + CASE WHEN a.case_managers > 0 THEN a.case_managers + pg_temp.h(gen.k, 89, ${S} - a.case_managers) ELSE pg_temp.h(gen.k, 89, ${S}) END + 1 AS specialist
               FROM gen JOIN seed_agency a ON a.id = pg_temp.team(gen.c, coalesce(gen.step, pg_temp.h(gen.k, 90, gen.nt + 1)) % (gen.nt + 1))
           ), moded AS (
             SELECT prov.*, CASE WHEN brigade THEN trip_day ELSE day END AS delivered_on,
                    CASE WHEN brigade THEN 'MOBILE_BRIGADE' WHEN remote AND pg_temp.h(k, 92, 2) = 0 THEN 'REMOTE'
                         WHEN type_id IN (1, 10) OR (remote AND provider_kind = ${SP}) THEN 'HOME'
                         WHEN pg_temp.h(k, 92, 100) < 15 THEN 'REMOTE' ELSE 'ON_SITE' END AS mode,
                    CASE WHEN brigade THEN provider * 10000 + (trip_day - ${epoch}) / 7 END AS trip_id
               FROM (SELECT prov.*, day - ((day - ${epoch} + provider::int) % 7) AS trip_day,
                            remote AND provider_kind = ${SP} AND pg_temp.h(k, 91, 2) = 0 AND day - ((day - ${epoch} + provider::int) % 7) >= opened AS brigade
                       FROM prov) prov
           ), trips AS (
             INSERT INTO brigade_trip (id, agency_id, region_code, trip_date, destination, created_at) OVERRIDING SYSTEM VALUE
             SELECT DISTINCT ON (trip_id) trip_id, provider, moded.region_code, delivered_on, 'Выезд мобильной бригады: ' || f.settlement, delivered_on + time '08:00'
               FROM moded JOIN family f ON f.id = moded.c WHERE trip_id IS NOT NULL
             ORDER BY trip_id
             ON CONFLICT (id) DO NOTHING
           )
           INSERT INTO service_delivery (case_id, recipient_id, service_type_id, provider_id, specialist_id, delivered_on, duration_minutes, delivery_mode, notes,
                                         plan_step_id, referral_id, brigade_trip_id, recorded_by_agency_id, recorded_by_subject, created_at, updated_at)
           SELECT c, (c - 1) * 4 + CASE WHEN type_id IN (5, 7, 8, 14) THEN 0 WHEN pg_temp.person_exists(c, 3) AND pg_temp.h(k, 93, 2) = 0 THEN 3 ELSE 2 END + 1,
                  type_id, provider, specialist, delivered_on, 30 + 15 * pg_temp.h(k, 94, 7), mode::delivery_mode,
                  CASE WHEN pg_temp.h(k, 95, 4) = 0 THEN 'Ребёнок охотно идёт на контакт; мама просит перенести следующее занятие.' END,
                  CASE WHEN step IS NOT NULL THEN (c - 1) * 4 + step + 1 END, NULL, trip_id, provider, specialist::text,
                  delivered_on + time '17:30', delivered_on + time '17:30'
             FROM moded`,
        ),
      );
    }
    // A referral that was accepted brings a few services by the receiving agency, after the answer.
    progress.begin('services for accepted referrals', F * 1.0);
    progress.add(
      await run(
        client,
        `INSERT INTO service_delivery (case_id, recipient_id, service_type_id, provider_id, specialist_id, delivered_on, duration_minutes, delivery_mode, notes,
                                       plan_step_id, referral_id, brigade_trip_id, recorded_by_agency_id, recorded_by_subject, created_at, updated_at)
         SELECT r.case_id, (r.case_id - 1) * 4 + 3, r.service_type_id, r.to_agency_id, spec, day, 45, (CASE WHEN s.remote THEN 'REMOTE' ELSE 'ON_SITE' END)::delivery_mode,
                NULL, NULL, r.id, NULL, r.to_agency_id, spec::text, day + time '17:30', day + time '17:30'
           FROM referral r JOIN seed_case s ON s.c = r.case_id JOIN seed_agency a ON a.id = r.to_agency_id
           CROSS JOIN generate_series(0, 2) g(i)
           CROSS JOIN LATERAL (SELECT r.responded_at::date + pg_temp.h(r.id * 4 + g.i, 96, greatest(1, coalesce(r.completed_at::date, s.ends) - r.responded_at::date)) AS day,
                                      (r.to_agency_id - 1) * ${S} + a.case_managers + pg_temp.h(r.id * 4 + g.i, 97, ${S} - a.case_managers) + 1 AS spec) x
          WHERE r.status IN ('ACCEPTED', 'COMPLETED') AND g.i <= pg_temp.h(r.id, 98, 3) AND day <= s.ends`,
      ),
    );

    // ---------------------------------------------------------------- conferences
    // Conference k sits in region k mod R around an anchor case of that region: on a day of the anchor's period (or in
    // the coming month for an open case). Its agenda holds up to five cases of the region open on that day; participants
    // are the chair (guardianship), the anchor's lead and team; each participating agency gets CONFERENCE access to the
    // agenda's cases until the follow-up date.
    progress.begin('case conferences', expected.conferences);
    const perRegion = Math.floor(F / R);
    progress.add(
      await run(
        client,
        `INSERT INTO case_conference (id, region_code, chair_agency_id, title, scheduled_at, format, status, held_at, minutes, follow_up_until, created_at, updated_at) OVERRIDING SYSTEM VALUE
         SELECT k, s.region_code, pg_temp.ag(s.r, ${GUARDIANSHIP}, pg_temp.h(k, 81, 1000000)), 'Межведомственный консилиум №' || k, at,
                (CASE WHEN pg_temp.h(k, 82, 3) = 0 THEN 'REMOTE' ELSE 'IN_PERSON' END)::conference_format, z.cstatus::conference_status,
                CASE WHEN z.cstatus = 'HELD' THEN at END,
                CASE WHEN z.cstatus = 'HELD' THEN 'Заслушаны кураторы семей; решения приняты коллегиально.' END,
                (at + interval '90 days')::date, at - interval '14 days', at
           FROM (SELECT k, a, at, CASE WHEN at > ${NOW} THEN 'SCHEDULED' WHEN pg_temp.h(k, 83, 10) = 0 THEN 'CANCELLED' ELSE 'HELD' END AS cstatus
                   FROM (SELECT k, a, CASE WHEN s.status <> 'CLOSED' AND pg_temp.h(k, 84, 100) < 15 THEN ${TODAY} + 2 + pg_temp.h(k, 85, 30)
                                          ELSE s.opened + pg_temp.h(k, 86, s.len + 1) END + time '10:00' + make_interval(hours => pg_temp.h(k, 87, 7)) AS at
                           FROM (SELECT k, pg_temp.region_of(k) + 1 + ${R} * pg_temp.h(k, 80, ${perRegion}) AS a FROM generate_series(1, ${C}) k) x
                           JOIN seed_case s ON s.c = x.a) y) z
           JOIN seed_case s ON s.c = z.a`,
      ),
      C,
    );
    await client.query(`CREATE TEMP TABLE seed_conference ON COMMIT DROP AS
      SELECT k.id AS k, (k.id - 1) % ${R} + 1 + ${R} * pg_temp.h(k.id, 80, ${perRegion}) AS a, k.scheduled_at, k.scheduled_at::date AS day, k.status::text AS status,
             k.chair_agency_id AS chair, k.follow_up_until FROM case_conference k`);
    await client.query(`ALTER TABLE seed_conference ADD PRIMARY KEY (k)`);
    await client.query(`ANALYZE seed_conference, case_conference`);
    progress.add(
      await run(
        client,
        `INSERT INTO conference_agency (conference_id, agency_id)
         SELECT DISTINCT k.k, x.agency FROM seed_conference k JOIN seed_case s ON s.c = k.a
           CROSS JOIN LATERAL unnest(ARRAY[k.chair, s.lead, pg_temp.team(s.c, 1), CASE WHEN s.nt >= 2 THEN pg_temp.team(s.c, 2) END]) x(agency)
          WHERE x.agency IS NOT NULL`,
      ),
    );
    await client.query(`ANALYZE conference_agency`);
    progress.add(
      await run(
        client,
        `INSERT INTO conference_staff (conference_id, staff_id)
         SELECT ca.conference_id, CASE WHEN ca.agency_id = s.lead THEN s.cm ELSE (ca.agency_id - 1) * ${S} + 1 + pg_temp.h(ca.conference_id * 7 + ca.agency_id, 88, ${S}) END
           FROM conference_agency ca JOIN seed_conference k ON k.k = ca.conference_id JOIN seed_case s ON s.c = k.a`,
      ),
    );
    progress.add(
      await run(
        client,
        `INSERT INTO conference_item (id, conference_id, case_id, position, question, outcome, created_at, version) OVERRIDING SYSTEM VALUE
         SELECT (k - 1) * 5 + pos, k, c, pos, (ARRAY['Утвердить маршрут помощи семьи','Риск помещения ребёнка в учреждение: меры','Продлить сопровождение','Закрыть случай?','Нужна реабилитация ребёнка'])[pg_temp.h(c * 31 + k, 61, 5) + 1],
                CASE WHEN status = 'HELD' THEN (ARRAY['CONTINUE','CONTINUE','CHANGE_PLAN','CLOSE_CASE','ESCALATE'])[pg_temp.h(c * 31 + k, 62, 5) + 1]::conference_item_outcome END,
                greatest(scheduled_at - interval '7 days', opened + time '12:00'), 1
           FROM (SELECT k.k, s.c, s.opened, k.status, k.scheduled_at, row_number() OVER (PARTITION BY k.k ORDER BY i) AS pos
                   FROM seed_conference k CROSS JOIN generate_series(0, 11) i
                   JOIN seed_case s ON s.c = k.a + ${R} * i
                  WHERE s.opened <= k.day AND (s.status <> 'CLOSED' AND k.day > ${TODAY} OR k.day <= s.ends)) x
          WHERE pos <= 5`,
      ),
    );
    await client.query(`ANALYZE conference_item`);
    progress.add(
      await run(
        client,
        `INSERT INTO decision (id, item_id, conference_id, case_id, text, responsible_agency_id, due_on, status, done_on, plan_step_id, created_at, updated_at) OVERRIDING SYSTEM VALUE
         SELECT i.id, i.id, i.conference_id, i.case_id, 'Поручение: ' || lower(i.question), pg_temp.team(i.case_id, pg_temp.h(i.id, 63, s.nt + 1)),
                k.day + 30, st.dstatus::decision_status, CASE WHEN st.dstatus = 'DONE' THEN least(k.day + 5 + pg_temp.h(i.id, 65, 40), ${TODAY}) END, NULL,
                k.scheduled_at, k.scheduled_at
           FROM conference_item i JOIN seed_conference k ON k.k = i.conference_id JOIN seed_case s ON s.c = i.case_id
           CROSS JOIN LATERAL (SELECT CASE WHEN k.day + 30 < ${TODAY} AND pg_temp.h(i.id, 64, 10) < 7 THEN 'DONE' ELSE 'OPEN' END AS dstatus) st
          WHERE k.status = 'HELD' AND pg_temp.h(i.id, 66, 10) < 7`,
      ),
    );
    progress.add(
      await run(
        client,
        `INSERT INTO case_access_grant (case_id, agency_id, staff_id, kind, source, source_id, reason, expires_at, revoked_at, granted_by_subject, created_at)
         SELECT i.case_id, ca.agency_id, NULL, 'CONFERENCE', 'CONFERENCE', i.conference_id, NULL, (k.follow_up_until + 1)::timestamptz, NULL,
                ((k.chair - 1) * ${S} + 10)::text, i.created_at
           FROM conference_item i JOIN seed_conference k ON k.k = i.conference_id JOIN conference_agency ca ON ca.conference_id = i.conference_id
          WHERE k.status <> 'CANCELLED'`,
      ),
    );
    await client.query(
      `INSERT INTO reported_indicator (program_id, region_code, indicator, period_start, period_end, value, note, reported_by_subject)
       SELECT p.id, rc, ind, make_date(y, 1, 1), make_date(y, 12, 31),
              CASE ind WHEN 'FUNDS_SPENT_RUB' THEN 1000000 + pg_temp.h(p.id * 10000 + y, 67, 4000000) ELSE 20 + pg_temp.h(p.id * 10000 + y, 68, 300) END,
              NULL, 'seed-scale'
         FROM program p CROSS JOIN LATERAL unnest(p.region_codes) rc CROSS JOIN generate_series(2020, extract(year FROM ${TODAY})::int - 1) y
        CROSS JOIN unnest(ARRAY['FUNDS_SPENT_RUB', 'SPECIALISTS_TRAINED']) ind
        WHERE p.code <> ${lit(SEED_MARKER_PROGRAM)}`,
    );

    // ---------------------------------------------------------------- indexes and identity sequences
    progress.begin('recreating indexes', expected.indexes);
    for (const index of savedIndexes) {
      await client.query(index.definition);
      progress.add(expected.indexes / savedIndexes.length);
    }
    for (const table of ['agency', 'staff_member', 'service_type', 'service_offering', 'program', 'family', 'person', 'placement_event', 'external_id', '"case"', 'case_access_grant',
      'case_status_change', 'need', 'plan_step', 'referral', 'brigade_trip', 'service_delivery', 'reported_indicator', 'case_conference', 'conference_item', 'decision']) {
      await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM ${table}), false)`);
    }
    progress.begin('committing', 1);
    await client.query('COMMIT');
    progress.add(1, 0);

    progress.begin('vacuum and analyze', expected.analyze);
    for (const table of APP_TABLES) {
      await client.query(`VACUUM (ANALYZE) ${table}`);
      progress.add(expected.analyze / APP_TABLES.length);
    }
    progress.end();

    const totals: Record<string, number> = {};
    for (const table of APP_TABLES) {
      const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      totals[table.replace(/"/g, '')] = Number(r.rows[0].n);
    }
    const seconds = (Date.now() - started) / 1000;
    return { scale, seconds, totals, counts: c };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * The domain rules a scale registry must keep; each query counts the rows that break its rule (0 = kept).
 * Used by `--check` and by test/seed-scale.test.ts.
 */
export const SEED_INVARIANTS: Record<string, string> = {
  'every case has an active LEAD grant for its lead agency': `SELECT count(*) FROM "case" c WHERE NOT EXISTS (SELECT 1 FROM case_access_grant g WHERE g.case_id = c.id AND g.kind = 'LEAD' AND g.agency_id = c.lead_agency_id AND g.revoked_at IS NULL AND g.expires_at IS NULL)`,
  'the case manager is a CASE_MANAGER of the lead agency': `SELECT count(*) FROM "case" c LEFT JOIN staff_member s ON s.id = c.case_manager_id WHERE s.id IS NULL OR s.agency_id <> c.lead_agency_id OR NOT ('CASE_MANAGER' = ANY(s.roles))`,
  'the lead agency, the family and the case share a region': `SELECT count(*) FROM "case" c JOIN family f ON f.id = c.family_id JOIN agency a ON a.id = c.lead_agency_id WHERE f.region_code <> c.region_code OR a.region_code <> c.region_code`,
  'every case has a child in focus, a child of its family': `SELECT count(*) FROM "case" c WHERE NOT EXISTS (SELECT 1 FROM case_child cc JOIN person p ON p.id = cc.person_id WHERE cc.case_id = c.id) OR EXISTS (SELECT 1 FROM case_child cc JOIN person p ON p.id = cc.person_id WHERE cc.case_id = c.id AND (p.family_id <> c.family_id OR p.relation <> 'CHILD'))`,
  'closed cases have a closing date and outcome after the opening, open ones none': `SELECT count(*) FROM "case" WHERE (status = 'CLOSED') <> (closed_on IS NOT NULL) OR (status = 'CLOSED') <> (closure_outcome IS NOT NULL) OR closed_on <= opened_on OR closed_on > current_date OR opened_on > current_date`,
  'the status history walks the lifecycle to the current status, in date order': `SELECT count(*) FROM "case" c WHERE (SELECT array_agg(h.to_status::text ORDER BY h.changed_at, h.id) FROM case_status_change h WHERE h.case_id = c.id) <> (ARRAY['REFERRED','ASSESSMENT','ACTIVE','MONITORING','CLOSED'])[1:array_position(ARRAY['REFERRED','ASSESSMENT','ACTIVE','MONITORING','CLOSED'], c.status::text)] OR EXISTS (SELECT 1 FROM case_status_change h WHERE h.case_id = c.id AND (h.changed_at::date < c.opened_on OR h.changed_at::date > coalesce(c.closed_on, current_date)))`,
  'case numbers are region-year-sequence and the counters cover them': `SELECT count(*) FROM "case" c LEFT JOIN case_number_counter n ON n.region_code = c.region_code AND n.year = extract(year FROM c.opened_on) WHERE c.number !~ ('^' || c.region_code || '-' || extract(year FROM c.opened_on) || '-[0-9]{6}$') OR n.last_value IS NULL OR split_part(c.number, '-', 3)::int > n.last_value`,
  'accepted or completed referrals have an active REFERRAL grant for the receiving agency': `SELECT count(*) FROM referral r WHERE r.status IN ('ACCEPTED','COMPLETED') AND NOT EXISTS (SELECT 1 FROM case_access_grant g WHERE g.case_id = r.case_id AND g.kind = 'REFERRAL' AND g.source_id = r.id AND g.agency_id = r.to_agency_id AND g.revoked_at IS NULL)`,
  'no REFERRAL grant without an accepted referral': `SELECT count(*) FROM case_access_grant g WHERE g.kind = 'REFERRAL' AND NOT EXISTS (SELECT 1 FROM referral r WHERE r.id = g.source_id AND r.status IN ('ACCEPTED','COMPLETED') AND r.to_agency_id = g.agency_id)`,
  'referral timestamps follow the loop': `SELECT count(*) FROM referral r JOIN "case" c ON c.id = r.case_id WHERE (r.status = 'SENT') <> (r.responded_at IS NULL AND r.status <> 'CANCELLED') AND r.status <> 'CANCELLED' OR r.responded_at < r.sent_at OR r.completed_at < r.responded_at OR (r.status = 'COMPLETED') <> (r.completed_at IS NOT NULL) OR (r.status = 'DECLINED') <> (r.decline_reason IS NOT NULL) OR (r.status = 'SENT' AND c.status = 'CLOSED') OR r.sent_at::date < c.opened_on`,
  'a child placement equals the outcome of its last placement event': `SELECT count(*) FROM person p LEFT JOIN LATERAL (SELECT e.placement_after FROM placement_event e WHERE e.person_id = p.id ORDER BY e.occurred_on DESC, e.id DESC LIMIT 1) e ON true WHERE p.placement <> coalesce(e.placement_after, 'WITH_BIRTH_FAMILY')`,
  'placement events chain (each starts where the previous ended)': `SELECT count(*) FROM (SELECT e.placement_before, lag(e.placement_after) OVER (PARTITION BY e.person_id ORDER BY e.occurred_on, e.id) AS previous FROM placement_event e) x WHERE x.previous IS NOT NULL AND x.previous <> x.placement_before`,
  'deliveries fall within the case period and are given by an agency on the team': `SELECT count(*) FROM service_delivery d JOIN "case" c ON c.id = d.case_id WHERE d.delivered_on < c.opened_on OR d.delivered_on > coalesce(c.closed_on, current_date) OR NOT EXISTS (SELECT 1 FROM case_access_grant g WHERE g.case_id = d.case_id AND g.agency_id = d.provider_id AND g.kind IN ('LEAD','TEAM','REFERRAL') AND g.revoked_at IS NULL)`,
  'deliveries carry the region and family of their case and the relation of their recipient (the metrics index)': `SELECT count(*) FROM service_delivery d JOIN "case" c ON c.id = d.case_id JOIN person p ON p.id = d.recipient_id WHERE d.region_code <> c.region_code OR d.family_id <> c.family_id OR d.recipient_relation <> p.relation`,
  'referrals and plan steps carry the region of their case (the metrics indexes)': `SELECT (SELECT count(*) FROM referral r JOIN "case" c ON c.id = r.case_id WHERE r.region_code <> c.region_code) + (SELECT count(*) FROM plan_step ps JOIN "case" c ON c.id = ps.case_id WHERE ps.region_code <> c.region_code)`,
  'deliveries go to a member of the family, by staff of the provider, recorded by the provider': `SELECT count(*) FROM service_delivery d JOIN "case" c ON c.id = d.case_id JOIN person p ON p.id = d.recipient_id JOIN staff_member s ON s.id = d.specialist_id WHERE p.family_id <> c.family_id OR s.agency_id <> d.provider_id OR d.recorded_by_agency_id <> d.provider_id`,
  'the delivery mode is one the offering of the provider has, and brigade services are on a trip of the provider that day': `SELECT count(*) FROM service_delivery d LEFT JOIN brigade_trip t ON t.id = d.brigade_trip_id WHERE NOT EXISTS (SELECT 1 FROM service_offering o WHERE o.provider_id = d.provider_id AND o.service_type_id = d.service_type_id AND d.delivery_mode = ANY(o.delivery_modes)) OR (d.delivery_mode = 'MOBILE_BRIGADE') <> (d.brigade_trip_id IS NOT NULL) OR t.agency_id <> d.provider_id OR t.trip_date <> d.delivered_on`,
  'plan steps are the responsibility of a team agency, with the offering they name': `SELECT count(*) FROM plan_step s JOIN service_offering o ON o.id = s.offering_id WHERE o.provider_id <> s.responsible_agency_id OR o.service_type_id <> s.service_type_id OR (s.status = 'DONE') <> (s.completed_on IS NOT NULL) OR NOT EXISTS (SELECT 1 FROM case_access_grant g WHERE g.case_id = s.case_id AND g.agency_id = s.responsible_agency_id AND g.kind IN ('LEAD','TEAM'))`,
  'conference items are cases of the conference region, open on the day': `SELECT count(*) FROM conference_item i JOIN case_conference k ON k.id = i.conference_id JOIN "case" c ON c.id = i.case_id WHERE c.region_code <> k.region_code OR c.opened_on > k.scheduled_at::date OR c.closed_on < k.scheduled_at::date`,
  'conference participants get CONFERENCE access to the agenda until the follow-up date': `SELECT count(*) FROM conference_item i JOIN case_conference k ON k.id = i.conference_id JOIN conference_agency ca ON ca.conference_id = k.id WHERE k.status <> 'CANCELLED' AND NOT EXISTS (SELECT 1 FROM case_access_grant g WHERE g.case_id = i.case_id AND g.agency_id = ca.agency_id AND g.kind = 'CONFERENCE' AND g.source_id = k.id AND g.expires_at::date > k.follow_up_until)`,
  'held conferences are in the past and have minutes': `SELECT count(*) FROM case_conference WHERE (status = 'HELD') <> (held_at IS NOT NULL) OR held_at > now() OR (status = 'HELD') <> (minutes IS NOT NULL)`,
  'identity sequences give ids past the loaded ones': `SELECT count(*) FROM (SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM public.case_id_seq) AS next, (SELECT coalesce(max(id), 0) FROM "case") AS top UNION ALL SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM public.family_id_seq) AS next, (SELECT coalesce(max(id), 0) FROM "family") AS top UNION ALL SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM public.person_id_seq) AS next, (SELECT coalesce(max(id), 0) FROM "person") AS top UNION ALL SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM public.service_delivery_id_seq) AS next, (SELECT coalesce(max(id), 0) FROM "service_delivery") AS top UNION ALL SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM public.referral_id_seq) AS next, (SELECT coalesce(max(id), 0) FROM "referral") AS top UNION ALL SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM public.plan_step_id_seq) AS next, (SELECT coalesce(max(id), 0) FROM "plan_step") AS top UNION ALL SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM public.need_id_seq) AS next, (SELECT coalesce(max(id), 0) FROM "need") AS top UNION ALL SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM public.agency_id_seq) AS next, (SELECT coalesce(max(id), 0) FROM "agency") AS top UNION ALL SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM public.staff_member_id_seq) AS next, (SELECT coalesce(max(id), 0) FROM "staff_member") AS top UNION ALL SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM public.brigade_trip_id_seq) AS next, (SELECT coalesce(max(id), 0) FROM "brigade_trip") AS top UNION ALL SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM public.case_conference_id_seq) AS next, (SELECT coalesce(max(id), 0) FROM "case_conference") AS top UNION ALL SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM public.conference_item_id_seq) AS next, (SELECT coalesce(max(id), 0) FROM "conference_item") AS top UNION ALL SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM public.decision_id_seq) AS next, (SELECT coalesce(max(id), 0) FROM "decision") AS top UNION ALL SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM public.case_access_grant_id_seq) AS next, (SELECT coalesce(max(id), 0) FROM "case_access_grant") AS top) x WHERE x.next <= x.top`,
};

/** Runs the invariants; returns the names of the broken ones with their counts. */
export async function checkInvariants(databaseUrl: string): Promise<Array<{ rule: string; violations: number }>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const broken: Array<{ rule: string; violations: number }> = [];
    for (const [rule, text] of Object.entries(SEED_INVARIANTS)) {
      const result = await client.query<{ count: string }>(text);
      const violations = Number(result.rows[0].count);
      if (violations) broken.push({ rule, violations });
    }
    return broken;
  } finally {
    await client.end();
  }
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log('Usage: npm run seed:scale -- --scale regional|national|<fraction> [--database-url URL] [--force] [--keep-indexes] [--today YYYY-MM-DD]');
    return;
  }
  const scale = parseScale(argument('scale') ?? 'regional');
  let url = argument('database-url') ?? process.env.DATABASE_URL;
  let embedded: EmbeddedDatabase | null = null;
  if (!url) {
    const dataDir = path.resolve(process.env.KRUG_DATA_DIR ?? '.data/scale');
    process.stderr.write(`seed-scale: no DATABASE_URL: starting the embedded PostgreSQL in ${dataDir}\n`);
    embedded = await startEmbeddedPostgres({ dataDir, persistent: true });
    url = embedded.url;
  }
  try {
    const result = await seedScale({ scale, databaseUrl: url, force: process.argv.includes('--force'), keepIndexes: process.argv.includes('--keep-indexes'), today: argument('today') });
    const width = Math.max(...Object.keys(result.totals).map((k) => k.length));
    console.log(`\nseed-scale: scale ${result.scale} loaded in ${clock(result.seconds)} (${result.seconds.toFixed(1)} s)`);
    let sum = 0;
    for (const [table, count] of Object.entries(result.totals)) {
      sum += count;
      console.log(`  ${table.padEnd(width)} ${fmt(count).padStart(12)}`);
    }
    console.log(`  ${'total rows'.padEnd(width)} ${fmt(sum).padStart(12)}`);
    if (process.argv.includes('--check')) {
      const broken = await checkInvariants(url);
      console.log(broken.length ? `\nBROKEN domain rules:\n${broken.map((b) => `  ${b.rule}: ${b.violations}`).join('\n')}` : `\nAll ${Object.keys(SEED_INVARIANTS).length} domain rules hold.`);
      if (broken.length) process.exitCode = 1;
    }
    if (embedded) console.log(`\nThe data is in ${url} (embedded, data directory ${process.env.KRUG_DATA_DIR ?? '.data/scale'}).`);
  } finally {
    if (embedded) await embedded.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`seed-scale failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
