import { and, join, raw, sql, type Sql } from '../../core/sql';
import { MetricDimension } from './metrics.enums';
import { FAMILY_DIMENSIONS, appliesToGrouping, type IndicatorFamily } from './metrics.indicators';

/** What an answer is computed over, after access decisions and defaults. */
export interface MetricsScope {
  /** Region codes; null for every region. */
  regions: string[] | null;
  /** Programme ids; null for no programme filter. */
  programIds: string[] | null;
  from: string | null;
  to: string | null;
  asOf: string;
  baselineDate: string | null;
  targetAgeUnder: number;
  groupBy: MetricDimension[];
  /** The indicator families to compute: those of the indicators the query asks for (all when it names none). */
  families: IndicatorFamily[];
  /**
   * The measures to compute within those families (indicators and internal counts); null for all of them. A measure
   * left out costs nothing: its aggregate is not computed and a join only it needs is not made.
   */
  measures: ReadonlySet<string> | null;
}

/** The key columns every family's sub-query returns, in this order, as text (null when not grouped by). */
export const KEY_COLUMNS: ReadonlyArray<{ dimension: MetricDimension; column: string }> = [
  { dimension: MetricDimension.REGION, column: 'region_code' },
  { dimension: MetricDimension.PROGRAM, column: 'program_id' },
  { dimension: MetricDimension.MONTH, column: 'month' },
  { dimension: MetricDimension.AGENCY_KIND, column: 'agency_kind' },
  { dimension: MetricDimension.SERVICE_TYPE, column: 'service_type_id' },
  { dimension: MetricDimension.DELIVERY_MODE, column: 'delivery_mode' },
];

/** One row of the metrics statement: a family's aggregates for one group (or its total). */
export interface MetricsResultRow {
  family: IndicatorFamily;
  is_total: boolean;
  region_code: string | null;
  program_id: string | null;
  month: string | null;
  agency_kind: string | null;
  service_type_id: string | null;
  delivery_mode: string | null;
  measures: Record<string, number | null>;
}

/** The records of one family as a sub-query: the source with its joins, conditions, key expressions and aggregates. */
interface FamilySource {
  from: Sql;
  where: Sql[];
  keys: Partial<Record<MetricDimension, Sql>>;
  measures: Record<string, Sql>;
}

const PARENT_GROUP_SERVICES = raw(`('PARENT_TRAINING', 'SUPPORT_GROUP', 'PARENT_CLUB')`);
const PARENT_RELATIONS = raw(`('MOTHER', 'FATHER', 'GUARDIAN', 'GRANDPARENT')`);
const FAMILY_PLACEMENTS = raw(`('RETURNED_TO_BIRTH_FAMILY', 'GUARDIANSHIP', 'FOSTER_FAMILY', 'ADOPTED')`);
const SUBSTITUTE_PLACEMENTS = raw(`('GUARDIANSHIP', 'FOSTER_FAMILY', 'ADOPTED')`);

const grouped = (scope: MetricsScope, dimension: MetricDimension) => scope.groupBy.includes(dimension);
const wanted = (scope: MetricsScope, ...measures: string[]) => !scope.measures || measures.some((m) => scope.measures!.has(m));

function period(expression: Sql, scope: MetricsScope): Sql[] {
  const parts: Sql[] = [];
  if (scope.from) parts.push(sql`${expression} >= ${scope.from}::date`);
  if (scope.to) parts.push(sql`${expression} <= ${scope.to}::date`);
  return parts;
}

/** A timestamp column within the period's UTC days, written so that an index on the column serves it. */
function timestampPeriod(column: Sql, scope: MetricsScope): Sql[] {
  const parts: Sql[] = [];
  if (scope.from) parts.push(sql`${column} >= (${scope.from}::date)::timestamp AT TIME ZONE 'UTC'`);
  if (scope.to) parts.push(sql`${column} < (${scope.to}::date + 1)::timestamp AT TIME ZONE 'UTC'`);
  return parts;
}

function regionFilter(expression: Sql, scope: MetricsScope): Sql[] {
  return scope.regions ? [sql`${expression} = ANY(${scope.regions}::text[])`] : [];
}

/**
 * The programme cut of records that hang off a case (alias `c`), dated by `date`: the case is enrolled in the
 * programme, its region is one of the programme's, and the date lies in the programme's period.
 * Grouped by PROGRAM, a join yields one record per programme; otherwise a filter keeps the record once.
 * `caseJoin` joins the case (alias `c`) when the cut needs it: records carry their case's region themselves
 * (migrations ServiceDeliveryFacts, CaseRegionCopies), so without a programme cut the case is not read at all.
 */
function caseProgramme(scope: MetricsScope, date: Sql): { join: Sql; where: Sql[]; key: Sql | null; caseJoin: (caseId: Sql) => Sql } {
  const conditions = (cp: string, pg: string) =>
    and([
      sql`${raw(pg)}.id = ${raw(cp)}.program_id`,
      sql`c.region_code = ANY(${raw(pg)}.region_codes)`,
      sql`${date} >= ${raw(pg)}.starts_on`,
      sql`(${raw(pg)}.ends_on IS NULL OR ${date} <= ${raw(pg)}.ends_on)`,
      ...(scope.programIds ? [sql`${raw(pg)}.id = ANY(${scope.programIds}::bigint[])`] : []),
    ]);
  const caseJoin = (caseId: Sql) => sql`JOIN "case" c ON c.id = ${caseId}`;
  if (grouped(scope, MetricDimension.PROGRAM)) {
    return { join: sql`JOIN case_program cpg ON cpg.case_id = c.id JOIN program pg ON ${conditions('cpg', 'pg')}`, where: [], key: raw('pg.id'), caseJoin };
  }
  if (!scope.programIds) return { join: raw(''), where: [], key: null, caseJoin: () => raw('') };
  return {
    join: raw(''),
    where: [sql`EXISTS (SELECT 1 FROM case_program cpf JOIN program pgf ON ${conditions('cpf', 'pgf')} WHERE cpf.case_id = c.id)`],
    key: null,
    caseJoin,
  };
}

/**
 * The programme cut of a child (family alias `f`): a case of the child's family is enrolled in the programme, in
 * one of its regions; with `date`, the date lies in the programme's period (stock counts pass none).
 */
function familyProgramme(scope: MetricsScope, date: Sql | null): { join: Sql; where: Sql[]; key: Sql | null } {
  const conditions = and([
    sql`pgf.id = cpf.program_id`,
    sql`f.region_code = ANY(pgf.region_codes)`,
    ...(date ? [sql`${date} >= pgf.starts_on`, sql`(pgf.ends_on IS NULL OR ${date} <= pgf.ends_on)`] : []),
    ...(scope.programIds ? [sql`pgf.id = ANY(${scope.programIds}::bigint[])`] : []),
  ]);
  const enrolled = sql`FROM "case" cf JOIN case_program cpf ON cpf.case_id = cf.id JOIN program pgf ON ${conditions} WHERE cf.family_id = f.id`;
  if (grouped(scope, MetricDimension.PROGRAM)) {
    return { join: sql`JOIN LATERAL (SELECT DISTINCT pgf.id AS program_id ${enrolled}) pm ON TRUE`, where: [], key: raw('pm.program_id') };
  }
  if (!scope.programIds) return { join: raw(''), where: [], key: null };
  return { join: raw(''), where: [sql`EXISTS (SELECT 1 ${enrolled})`], key: null };
}

/** The month of a date as the date of its first day: grouped as a date (a cheap sort), shown as YYYY-MM. */
const month = (date: Sql) => sql`date_trunc('month', (${date})::timestamp)::date`;

const percent = (part: Sql, whole: Sql) => sql`round(100.0 * ${part} / NULLIF(${whole}, 0), 1)`;

/** Children of the target group whose placement at the beginning of a day was IN_INSTITUTION, at `asOf` and the baseline. */
function stockSource(scope: MetricsScope): FamilySource {
  const dates = scope.baselineDate
    ? sql`(VALUES ('asOf', ${scope.asOf}::date), ('baseline', ${scope.baselineDate}::date)) AS d(at, on_date)`
    : sql`(VALUES ('asOf', ${scope.asOf}::date)) AS d(at, on_date)`;
  const programme = familyProgramme(scope, null);
  const asOf = raw(`count(DISTINCT p.id) FILTER (WHERE d.at = 'asOf')`);
  const baseline = raw(`count(DISTINCT p.id) FILTER (WHERE d.at = 'baseline')`);
  const hasBaseline = scope.baselineDate !== null;
  const child = sql`p.relation = 'CHILD' AND p.birth_date < d.on_date AND p.birth_date > d.on_date - make_interval(years => ${scope.targetAgeUnder}::int)`;
  // Only a child who is in an institution now or has a placement event into or out of one can have been in one at a
  // date. For some regions, the children of their families are few enough to walk (family → person indexes) and each
  // is tested for that; for the whole country the candidates (the person index on placement, the events) are looked up
  // instead of every child. The same children either way; the first is 3× faster for one region of the regional data.
  const from = scope.regions
    ? sql`${dates} CROSS JOIN family f JOIN person p ON p.family_id = f.id AND ${child} ${programme.join}`
    : sql`${dates}
      CROSS JOIN (SELECT id FROM person WHERE placement = 'IN_INSTITUTION'
                  UNION SELECT person_id FROM placement_event WHERE placement_after = 'IN_INSTITUTION' OR placement_before = 'IN_INSTITUTION') AS candidate
      JOIN person p ON p.id = candidate.id AND ${child}
      JOIN family f ON f.id = p.family_id
      ${programme.join}`;
  const candidate = scope.regions
    ? [raw(`(p.placement = 'IN_INSTITUTION' OR EXISTS (SELECT 1 FROM placement_event pe WHERE pe.person_id = p.id
                                                  AND (pe.placement_after = 'IN_INSTITUTION' OR pe.placement_before = 'IN_INSTITUTION')))`)]
    : [];
  return {
    from,
    where: [
      ...regionFilter(raw('f.region_code'), scope),
      ...candidate,
      ...programme.where,
      // The placement at the beginning of the day: after the last earlier event, else before the first later one, else the current one.
      raw(`COALESCE(
        (SELECT e.placement_after FROM placement_event e WHERE e.person_id = p.id AND e.occurred_on < d.on_date ORDER BY e.occurred_on DESC, e.id DESC LIMIT 1),
        (SELECT e.placement_before FROM placement_event e WHERE e.person_id = p.id AND e.occurred_on >= d.on_date ORDER BY e.occurred_on, e.id LIMIT 1),
        p.placement) = 'IN_INSTITUTION'`),
    ],
    keys: { [MetricDimension.REGION]: raw('f.region_code'), ...(programme.key ? { [MetricDimension.PROGRAM]: programme.key } : {}) },
    measures: {
      childrenInInstitutions: asOf,
      childrenInInstitutionsAtBaseline: hasBaseline ? baseline : raw('NULL::bigint'),
      institutionalisedChange: hasBaseline ? percent(sql`(${asOf} - ${baseline})`, baseline) : raw('NULL::numeric'),
    },
  };
}

/** Placement events of children of the target group (at the event's date) that placed them in a family, in the period. */
function placementSource(scope: MetricsScope): FamilySource {
  const programme = familyProgramme(scope, raw('e.occurred_on'));
  return {
    from: sql`placement_event e JOIN person p ON p.id = e.person_id JOIN family f ON f.id = p.family_id ${programme.join}`,
    where: [
      sql`e.kind IN ${FAMILY_PLACEMENTS}`,
      ...period(raw('e.occurred_on'), scope),
      raw(`p.relation = 'CHILD'`),
      sql`p.birth_date <= e.occurred_on AND p.birth_date > e.occurred_on - make_interval(years => ${scope.targetAgeUnder}::int)`,
      ...regionFilter(raw('f.region_code'), scope),
      ...programme.where,
    ],
    keys: {
      [MetricDimension.REGION]: raw('f.region_code'),
      [MetricDimension.MONTH]: month(raw('e.occurred_on')),
      ...(programme.key ? { [MetricDimension.PROGRAM]: programme.key } : {}),
    },
    measures: {
      childrenReturnedToBirthFamily: raw(`count(DISTINCT e.person_id) FILTER (WHERE e.kind = 'RETURNED_TO_BIRTH_FAMILY')`),
      childrenPlacedInSubstituteFamily: sql`count(DISTINCT e.person_id) FILTER (WHERE e.kind IN ${SUBSTITUTE_PLACEMENTS})`,
      childrenPlacedInFamilies: raw('count(DISTINCT e.person_id)'),
    },
  };
}

/**
 * Service deliveries of the period. A delivery carries its case's region and family and its recipient's relation
 * (copies kept by triggers, migration ServiceDeliveryFacts), so a region's deliveries are one range of
 * `service_delivery_region_idx`; the case, the recipient and the service type are joined only for the programme cut
 * and the measures that need them.
 */
function serviceSource(scope: MetricsScope): FamilySource {
  const programme = caseProgramme(scope, raw('sd.delivered_on'));
  const byKind = grouped(scope, MetricDimension.AGENCY_KIND);
  const byRecipient = wanted(scope, 'familiesWithDisabledChildServed');
  const byType = wanted(scope, 'parentsInGroups');
  return {
    from: sql`service_delivery sd
      ${programme.caseJoin(raw('sd.case_id'))}
      ${byRecipient ? raw('JOIN person rp ON rp.id = sd.recipient_id') : raw('')}
      ${byType ? raw('JOIN service_type st ON st.id = sd.service_type_id') : raw('')}
      ${byKind ? raw('JOIN agency pa ON pa.id = sd.provider_id') : raw('')}
      ${programme.join}`,
    where: [...period(raw('sd.delivered_on'), scope), ...regionFilter(raw('sd.region_code'), scope), ...programme.where],
    keys: {
      [MetricDimension.REGION]: raw('sd.region_code'),
      [MetricDimension.MONTH]: month(raw('sd.delivered_on')),
      [MetricDimension.AGENCY_KIND]: raw('pa.kind'),
      [MetricDimension.SERVICE_TYPE]: raw('sd.service_type_id'),
      [MetricDimension.DELIVERY_MODE]: raw('sd.delivery_mode'),
      ...(programme.key ? { [MetricDimension.PROGRAM]: programme.key } : {}),
    },
    measures: {
      familiesServed: raw('count(DISTINCT sd.family_id)'),
      familiesWithDisabledChildServed: raw(`count(DISTINCT sd.family_id) FILTER (WHERE sd.recipient_relation = 'CHILD' AND rp.disability_status = 'DISABLED')`),
      childrenServed: raw(`count(DISTINCT sd.recipient_id) FILTER (WHERE sd.recipient_relation = 'CHILD')`),
      parentsInGroups: sql`count(DISTINCT sd.recipient_id) FILTER (WHERE st.code IN ${PARENT_GROUP_SERVICES} AND sd.recipient_relation IN ${PARENT_RELATIONS})`,
      servicesDelivered: raw('count(*)'),
      brigadeTrips: raw('count(DISTINCT sd.brigade_trip_id)'),
      brigadeServices: raw('count(sd.brigade_trip_id)'),
    },
  };
}

function referralSource(scope: MetricsScope): FamilySource {
  const sentOn = raw(`(r.sent_at AT TIME ZONE 'UTC')::date`);
  const programme = caseProgramme(scope, sentOn);
  const byKind = grouped(scope, MetricDimension.AGENCY_KIND);
  const sent = raw('count(*)');
  const completed = raw(`count(*) FILTER (WHERE r.status = 'COMPLETED')`);
  // The first service after each referral is looked up only for the measures that use it.
  const firstService = wanted(scope, 'referralsWithService', 'medianDaysReferralToFirstService');
  return {
    from: sql`referral r
      ${programme.caseJoin(raw('r.case_id'))}
      ${byKind ? raw('JOIN agency ta ON ta.id = r.to_agency_id') : raw('')}
      ${programme.join}
      ${firstService
        ? sql`LEFT JOIN LATERAL (SELECT min(sd.delivered_on) AS first_on FROM service_delivery sd
                                  WHERE sd.referral_id = r.id AND sd.delivered_on >= ${sentOn}) fs ON TRUE`
        : raw('')}`,
    where: [...timestampPeriod(raw('r.sent_at'), scope), ...regionFilter(raw('r.region_code'), scope), ...programme.where],
    keys: {
      [MetricDimension.REGION]: raw('r.region_code'),
      [MetricDimension.MONTH]: month(sentOn),
      [MetricDimension.AGENCY_KIND]: raw('ta.kind'),
      [MetricDimension.SERVICE_TYPE]: raw('r.service_type_id'),
      ...(programme.key ? { [MetricDimension.PROGRAM]: programme.key } : {}),
    },
    measures: {
      referralsSent: sent,
      referralsCompleted: completed,
      referralsWithService: raw('count(fs.first_on)'),
      referralClosureRate: percent(completed, sent),
      medianDaysReferralToFirstService: sql`round((percentile_cont(0.5) WITHIN GROUP (ORDER BY fs.first_on - ${sentOn}))::numeric, 1)`,
    },
  };
}

function planStepSource(scope: MetricsScope): FamilySource {
  const programme = caseProgramme(scope, raw('ps.completed_on'));
  const byKind = grouped(scope, MetricDimension.AGENCY_KIND);
  const done = raw('count(*)');
  const onTime = raw('count(*) FILTER (WHERE ps.completed_on <= ps.due_on)');
  return {
    from: sql`plan_step ps
      ${programme.caseJoin(raw('ps.case_id'))}
      ${byKind ? raw('JOIN agency ra ON ra.id = ps.responsible_agency_id') : raw('')}
      ${programme.join}`,
    where: [
      raw(`ps.status = 'DONE' AND ps.due_on IS NOT NULL AND ps.completed_on IS NOT NULL`),
      ...period(raw('ps.completed_on'), scope),
      ...regionFilter(raw('ps.region_code'), scope),
      ...programme.where,
    ],
    keys: {
      [MetricDimension.REGION]: raw('ps.region_code'),
      [MetricDimension.MONTH]: month(raw('ps.completed_on')),
      [MetricDimension.AGENCY_KIND]: raw('ra.kind'),
      [MetricDimension.SERVICE_TYPE]: raw('ps.service_type_id'),
      ...(programme.key ? { [MetricDimension.PROGRAM]: programme.key } : {}),
    },
    measures: { planStepsDone: done, planStepsDoneOnTime: onTime, planStepsOnTimeRate: percent(onTime, done) },
  };
}

function decisionSource(scope: MetricsScope): FamilySource {
  const programme = caseProgramme(scope, raw('dn.done_on'));
  const byKind = grouped(scope, MetricDimension.AGENCY_KIND);
  const done = raw('count(*)');
  const onTime = raw('count(*) FILTER (WHERE dn.done_on <= dn.due_on)');
  return {
    from: sql`decision dn
      JOIN "case" c ON c.id = dn.case_id
      ${byKind ? raw('JOIN agency ra ON ra.id = dn.responsible_agency_id') : raw('')}
      ${programme.join}`,
    where: [
      raw(`dn.status = 'DONE' AND dn.done_on IS NOT NULL`),
      ...period(raw('dn.done_on'), scope),
      ...regionFilter(raw('c.region_code'), scope),
      ...programme.where,
    ],
    keys: {
      [MetricDimension.REGION]: raw('c.region_code'),
      [MetricDimension.MONTH]: month(raw('dn.done_on')),
      [MetricDimension.AGENCY_KIND]: raw('ra.kind'),
      ...(programme.key ? { [MetricDimension.PROGRAM]: programme.key } : {}),
    },
    measures: { decisionsDone: done, decisionsDoneOnTime: onTime, decisionsOnTimeRate: percent(onTime, done) },
  };
}

const SOURCES: Record<IndicatorFamily, (scope: MetricsScope) => FamilySource> = {
  stock: stockSource,
  placement: placementSource,
  service: serviceSource,
  referral: referralSource,
  planStep: planStepSource,
  decision: decisionSource,
};

/**
 * One family's aggregates: GROUPING SETS of the grouped dimensions and the total, when every grouped dimension
 * applies to the family; the total alone otherwise (its indicators are then null in the rows).
 */
function familyStatement(family: IndicatorFamily, scope: MetricsScope): Sql {
  const source = SOURCES[family](scope);
  const dimensions = appliesToGrouping(family, scope.groupBy) ? scope.groupBy : [];
  const keyOf = (dimension: MetricDimension): Sql => {
    const key = source.keys[dimension];
    if (!key) throw new Error(`the ${family} indicators have no key for ${dimension}`);
    return key;
  };
  const keys = KEY_COLUMNS.filter((k) => dimensions.includes(k.dimension)).map((k) => keyOf(k.dimension));
  const keyColumns = join(
    KEY_COLUMNS.map((k) => {
      if (!dimensions.includes(k.dimension)) return raw(`NULL::text AS ${k.column}`);
      const key = keyOf(k.dimension);
      return k.dimension === MetricDimension.MONTH ? sql`to_char(${key}, 'YYYY-MM') AS ${raw(k.column)}` : sql`${key}::text AS ${raw(k.column)}`;
    }),
    ', ',
  );
  const measures = join(
    Object.entries(source.measures).filter(([name]) => wanted(scope, name)).map(([name, expression]) => sql`${raw(`'${name}'`)}, ${expression}`),
    ', ',
  );
  const totalFlag = keys.length ? sql`(GROUPING(${join(keys, ', ')}) <> 0)` : raw('TRUE');
  const groupBy = keys.length ? sql`GROUP BY GROUPING SETS ((${join(keys, ', ')}), ())` : raw('');
  return sql`SELECT ${raw(`'${family}'`)} AS family, ${totalFlag} AS is_total, ${keyColumns}, jsonb_build_object(${measures}) AS measures
    FROM ${source.from}
   WHERE ${and(source.where)}
   ${groupBy}`;
}

/** Each family's aggregates as its own query (for EXPLAIN and the benchmark). */
export function familyStatements(scope: MetricsScope): Partial<Record<IndicatorFamily, Sql>> {
  return Object.fromEntries(scope.families.map((family) => [family, familyStatement(family, scope)])) as Record<IndicatorFamily, Sql>;
}

/** Every family's aggregates in one statement: the number of statements does not depend on the number of groups. */
export function metricsStatement(scope: MetricsScope): Sql {
  return join(
    Object.values(familyStatements(scope)).map((statement) => sql`(${statement!})`),
    '\nUNION ALL\n',
  );
}
