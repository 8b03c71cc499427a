import type { Context } from '../../context';
import { requireViewer } from '../../context';
import { Role } from '../../core/auth/roles';
import type { Viewer } from '../../core/auth/viewer';
import { query, queryOne } from '../../core/db';
import { ErrorCode, KrugError, badField, conflict, forbidden } from '../../core/graphql/errors';
import { CoalescingGate } from '../../core/coalesce';
import type { Config } from '../../config';
import { toGlobalId } from '../../core/graphql/global-id';
import { runMutation } from '../../core/mutation';
import { and, sql, type Sql } from '../../core/sql';
import type { AgencyKind } from '../../core/auth/roles';
import type { DeliveryMode } from '../providers/provider.enums';
import { programByCode } from '../programs/program.loaders';
import type { Program } from '../programs/program.type';
import { MONEY_INDICATORS, type MetricDimension } from './metrics.enums';
import { FAMILY_DIMENSIONS, INDICATORS, INDICATOR_NAMES, INTERNAL_COUNTS, appliesToGrouping, type IndicatorFamily, type IndicatorName } from './metrics.indicators';
import type { OutcomeMetricsFilter, ReportIndicatorInput } from './metrics.inputs';
import { KEY_COLUMNS, metricsStatement, type MetricsResultRow, type MetricsScope } from './metrics.queries';
import { suppressSmallCells, type Cell, type CellRow } from './metrics.suppression';
import { MetricValue, OutcomeMetrics, OutcomeMetricsRow, ReportedIndicator, ReportedIndicatorValue, type ReportedIndicatorRow } from './metrics.type';
import { reportedIndicatorById } from './metrics.loaders';

/** An answer with more groups than this is refused: it would be a listing, not a summary. */
export const MAX_METRIC_ROWS = 5000;

const DEFAULT_TARGET_AGE = 4;

/** How a caller may see metrics of some regions: which regions, and whether small cells are hidden. */
export interface MetricsAccess {
  regions: string[] | null;
  suppress: boolean;
}

/**
 * AGGREGATE class (ACCESS.md): an administrator sees every region unsuppressed; a coordinator sees the own regions
 * unsuppressed (the own regions when none are named; naming another region is FORBIDDEN, unless the caller is also an
 * analyst, who then gets the analyst's view); an analyst sees every region with small cells suppressed.
 */
export function metricsAccess(viewer: Viewer, requested: string[] | undefined): MetricsAccess {
  if (viewer.roles.includes(Role.ADMIN)) return { regions: requested ?? null, suppress: false };
  if (viewer.roles.includes(Role.COORDINATOR)) {
    if (!requested) return { regions: [...viewer.regions], suppress: false };
    const others = requested.filter((code) => !viewer.regions.includes(code));
    if (others.length === 0) return { regions: requested, suppress: false };
    if (!viewer.roles.includes(Role.ANALYST)) {
      throw forbidden(`A coordinator sees the metrics of the own regions (${viewer.regions.join(', ') || 'none'}) only, not of ${others.join(', ')}.`);
    }
  }
  if (viewer.roles.includes(Role.ANALYST)) return { regions: requested ?? null, suppress: true };
  throw forbidden('Your roles do not allow metrics.read.');
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const today = () => new Date().toISOString().slice(0, 10);

async function programmesByCode(ctx: Context, codes: string[], field: string): Promise<Program[]> {
  const found = await programByCode(ctx).loadMany(codes);
  const unknown = codes.filter((_code, i) => !found[i] || found[i] instanceof Error);
  if (unknown.length) throw badField(field, `names no programme: ${unknown.join(', ')}`);
  return found as Program[];
}

/** The value of each family's indicators in a group where it has no records: zero counts, no rates. */
function emptyMeasures(family: IndicatorFamily, scope: MetricsScope): Record<string, number | null> {
  const values: Record<string, number | null> = {};
  for (const name of INDICATOR_NAMES.filter((n) => INDICATORS[n].family === family)) values[name] = INDICATORS[name].kind === 'count' ? 0 : null;
  for (const [name, owner] of Object.entries(INTERNAL_COUNTS)) if (owner === family) values[name] = 0;
  if (family === 'stock' && !scope.baselineDate) values.childrenInInstitutionsAtBaseline = null;
  return values;
}

interface Group {
  keys: Record<string, string | null>;
  measures: Record<string, number | null>;
}

const FAMILIES = Object.keys(FAMILY_DIMENSIONS) as IndicatorFamily[];

function keyOf(row: Pick<MetricsResultRow, 'region_code' | 'program_id' | 'month' | 'agency_kind' | 'service_type_id' | 'delivery_mode'>, groupBy: MetricDimension[]): string | null {
  const parts: string[] = [];
  for (const k of KEY_COLUMNS) {
    if (!groupBy.includes(k.dimension)) continue;
    const value = row[k.column as keyof typeof row];
    if (value === null) return null;
    parts.push(value);
  }
  return JSON.stringify(parts);
}

function compareKeys(a: Record<string, string | null>, b: Record<string, string | null>): number {
  for (const k of KEY_COLUMNS) {
    const x = a[k.column];
    const y = b[k.column];
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    return numeric ? Number(x) - Number(y) : x < y ? -1 : 1;
  }
  return 0;
}

function toRow(group: Group, cells: CellRow | null, names: IndicatorName[]): OutcomeMetricsRow {
  const values: Partial<Record<IndicatorName, MetricValue | null>> = {};
  for (const name of names) {
    const cell = cells?.[name];
    if (cell && (cell.value !== null || cell.suppressed)) values[name] = MetricValue.of(cell.value, cell.suppressed);
    else if (name in group.measures) values[name] = MetricValue.of(group.measures[name] ?? null, false);
  }
  return Object.assign(new OutcomeMetricsRow(), {
    regionCode: group.keys.region_code ?? null,
    programId: group.keys.program_id ?? null,
    month: group.keys.month ?? null,
    agencyKind: (group.keys.agency_kind ?? null) as AgencyKind | null,
    serviceTypeId: group.keys.service_type_id ?? null,
    deliveryMode: (group.keys.delivery_mode ?? null) as DeliveryMode | null,
    values,
  });
}

/**
 * Computes outcome metrics: one SQL statement for every indicator (each family's GROUPING SETS), one for the reported
 * figures; Node only merges the families' groups, applies small-cell protection and shapes the answer.
 */
export async function computeOutcomeMetrics(
  ctx: Context,
  filter: OutcomeMetricsFilter,
  groupBy: MetricDimension[],
  requested: readonly IndicatorName[] = [],
): Promise<OutcomeMetrics> {
  const viewer = requireViewer(ctx);
  if (new Set(groupBy).size !== groupBy.length) throw badField('groupBy', 'must not repeat a dimension');
  if (filter.from && filter.to && filter.to < filter.from) throw badField('filter.to', 'must not be before filter.from');
  const access = metricsAccess(viewer, filter.regions);
  const programmes = filter.programs ? await programmesByCode(ctx, filter.programs, 'filter.programs') : null;
  const scope: MetricsScope = {
    regions: access.regions,
    programIds: programmes ? programmes.map((p) => p.localId) : null,
    from: filter.from ?? null,
    to: filter.to ?? null,
    asOf: filter.asOf ?? (filter.to ? addDays(filter.to, 1) : today()),
    baselineDate: filter.baselineDate ?? null,
    targetAgeUnder: filter.targetAgeUnder ?? DEFAULT_TARGET_AGE,
    groupBy,
    // Only the families of the indicators asked for are computed. Small-cell protection works within one family's
    // cells, so an indicator is suppressed the same way whatever else the query asks for.
    families: requested.length ? FAMILIES.filter((family) => requested.some((name) => INDICATORS[name].family === family)) : FAMILIES,
    // Within them, only the indicators asked for, unless small cells are protected: complementary suppression looks at
    // the family's other counts, so an analyst's answer computes them all and hides a cell the same way whatever is asked.
    measures: requested.length && !access.suppress ? new Set<string>(requested) : null,
  };

  // Everything the answer depends on: the whole scope (a set as its sorted members) and whether small cells are hidden.
  // Callers with the same key get the same answer (see metricsGate).
  const key = JSON.stringify({ ...scope, measures: scope.measures && [...scope.measures].sort(), suppress: access.suppress });
  return metricsGate(ctx.config).run(key, () => answer(ctx, scope, access.suppress));
}

/** The answer of a scope: its figures from one statement, the reported figures, groups merged, small cells protected when `suppress`. */
async function answer(ctx: Context, scope: MetricsScope, suppress: boolean): Promise<OutcomeMetrics> {
  const groupBy = scope.groupBy;
  const [results, reported] = await Promise.all([runMetricsStatement(ctx, scope), findReported(ctx, scope)]);

  // Merge the families' groups by key; a family absent from a group has zero counts there.
  const total: Group = { keys: {}, measures: {} };
  const groups = new Map<string, Group>();
  const unshown: Group[] = [];
  for (const row of results) {
    if (row.is_total) {
      Object.assign(total.measures, row.measures);
      continue;
    }
    const key = keyOf(row, groupBy);
    if (key === null) {
      unshown.push({ keys: {}, measures: { ...emptyMeasures(row.family, scope), ...row.measures } });
      continue;
    }
    let group = groups.get(key);
    if (!group) {
      group = { keys: Object.fromEntries(KEY_COLUMNS.map((k) => [k.column, row[k.column as keyof MetricsResultRow] as string | null])), measures: {} };
      groups.set(key, group);
    }
    Object.assign(group.measures, row.measures);
  }
  if (groups.size > MAX_METRIC_ROWS) throw badField('groupBy', `gives ${groups.size} groups, more than ${MAX_METRIC_ROWS}: group by fewer dimensions or narrow the filter`);
  const grouped = groupBy.length > 0;
  const applicable = scope.families.filter((family) => appliesToGrouping(family, groupBy));
  for (const group of groups.values()) {
    for (const family of applicable) group.measures = { ...emptyMeasures(family, scope), ...group.measures };
  }
  for (const family of scope.families) total.measures = { ...emptyMeasures(family, scope), ...total.measures };
  const ordered = [...groups.values()].sort((a, b) => compareKeys(a.keys, b.keys));

  const names = INDICATOR_NAMES.filter((name) => scope.families.includes(INDICATORS[name].family));
  const rowNames = names.filter((name) => applicable.includes(INDICATORS[name].family));
  const cellsOf = (group: Group, only: string[]): CellRow =>
    Object.fromEntries(only.filter((name) => name in group.measures).map((name) => [name, { value: group.measures[name] ?? null, suppressed: false } satisfies Cell]));
  const internal = Object.entries(INTERNAL_COUNTS).filter(([, family]) => scope.families.includes(family)).map(([name]) => name);
  let totalCells: CellRow | null = null;
  let rowCells: CellRow[] = [];
  if (suppress) {
    totalCells = cellsOf(total, [...names, ...internal]);
    rowCells = ordered.map((group) => cellsOf(group, [...rowNames, ...internal]));
    suppressSmallCells(grouped ? rowCells : [totalCells], totalCells, unshown.map((group) => cellsOf(group, [...rowNames, ...internal])));
  }

  const totalRow = toRow(total, totalCells, names);
  const rows = grouped ? ordered.map((group, i) => toRow(group, suppress ? rowCells[i] : null, rowNames)) : [totalRow];
  return Object.assign(new OutcomeMetrics(), {
    programIds: scope.programIds ?? [],
    regionCodes: scope.regions,
    from: scope.from,
    to: scope.to,
    asOf: scope.asOf,
    baselineDate: scope.baselineDate,
    targetAgeUnder: scope.targetAgeUnder,
    groupBy,
    smallCellsSuppressed: suppress,
    rows,
    total: totalRow,
    reported: reported.map(ReportedIndicatorValue.from),
  });
}

/**
 * The gate of each process's metrics answers (one per configuration, i.e. per server). An answer's statement runs at
 * most `METRICS_CONCURRENCY` at a time, so that a burst of reports cannot take the cores from everything else; callers
 * asking the same question (the same key: the same figures, suppressed alike) while it waits or runs share the next
 * answer, computed after all of them arrived (CoalescingGate: never one that started before them, and never two of
 * the same question at once). The answer is shared and must not be changed.
 */
const gates = new WeakMap<Config, CoalescingGate<OutcomeMetrics>>();
function metricsGate(config: Config): CoalescingGate<OutcomeMetrics> {
  let gate = gates.get(config);
  if (!gate) {
    gate = new CoalescingGate<OutcomeMetrics>(config.metrics.concurrency, config.metrics.maxWaiting, () =>
      new KrugError(ErrorCode.SERVICE_UNAVAILABLE, 'The registry is busy computing outcome metrics. Retry later.'),
    );
    gates.set(config, gate);
  }
  return gate;
}

/** The statistics of the metrics gate of a configuration (for tests and the operator). */
export const metricsGateStats = (config: Config) => metricsGate(config).stats;

/**
 * The one metrics statement, in a transaction of its own: one snapshot for every family, JIT compilation off (it costs
 * more than it saves on these aggregates: hundreds of milliseconds per answer), room to sort the distinct counts in
 * memory, and no parallel workers: the services branch, which is most of the time, runs in one worker anyway while the
 * others finish in a few milliseconds, so the workers only cost their start and a core (measured: a region-year 39.9 →
 * 38.5 ms alone; under load W3 p95 147 → 139 ms and W3D +15 % answers/s, docs/performance.md).
 */
async function runMetricsStatement(ctx: Context, scope: MetricsScope): Promise<MetricsResultRow[]> {
  return ctx.db.transaction(async (tx) => {
    await query(tx, sql`SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true), set_config('max_parallel_workers_per_gather', '0', true)`);
    return query<MetricsResultRow>(tx, metricsStatement(scope));
  });
}

/** Reported figures of the answer's programmes and regions whose period lies within the answer's period. */
async function findReported(ctx: Context, scope: MetricsScope): Promise<ReportedIndicator[]> {
  const conditions: Sql[] = [];
  if (scope.programIds) conditions.push(sql`ri.program_id = ANY(${scope.programIds}::bigint[])`);
  if (scope.regions) conditions.push(sql`ri.region_code = ANY(${scope.regions}::text[])`);
  if (scope.from) conditions.push(sql`ri.period_start >= ${scope.from}::date`);
  if (scope.to) conditions.push(sql`ri.period_end <= ${scope.to}::date`);
  const rows = await query<ReportedIndicatorRow>(
    ctx.db,
    sql`SELECT ri.id, ri.program_id, ri.region_code, ri.indicator, ri.period_start, ri.period_end, ri.value::text AS value, ri.note, ri.created_at
          FROM reported_indicator ri
          JOIN program p ON p.id = ri.program_id
         WHERE ${and(conditions)}
         ORDER BY p.code, ri.region_code, ri.indicator, ri.period_start, ri.period_end`,
  );
  return rows.map(ReportedIndicator.from);
}

/** Records a reported figure once per programme, region, indicator and period; a second report of the same key is a CONFLICT. */
export async function reportIndicator(ctx: Context, input: ReportIndicatorInput): Promise<ReportedIndicator> {
  const viewer = requireViewer(ctx);
  if (!viewer.roles.includes(Role.ADMIN) && !viewer.regions.includes(input.region)) {
    throw forbidden(`A coordinator reports figures of the own regions (${viewer.regions.join(', ') || 'none'}) only, not of ${input.region}.`);
  }
  if (input.periodEnd < input.periodStart) throw badField('input.periodEnd', 'must not be before input.periodStart');
  const decimals = MONEY_INDICATORS.has(input.indicator) ? 2 : 0;
  if (Math.round(input.value * 10 ** decimals) / 10 ** decimals !== input.value) {
    throw badField('input.value', decimals ? 'must have at most two decimals (roubles and kopecks)' : `must be a whole number for ${input.indicator}`);
  }
  const [programme] = await programmesByCode(ctx, [input.program], 'input.program');
  if (!programme.regionCodes.includes(input.region)) throw badField('input.region', `is not a region of programme ${programme.code} (${programme.regionCodes.join(', ')})`);
  if (input.periodStart < programme.startsOn) throw badField('input.periodStart', `must not be before the programme starts (${programme.startsOn})`);
  if (programme.endsOn && input.periodEnd > programme.endsOn) throw badField('input.periodEnd', `must not be after the programme ends (${programme.endsOn})`);

  return runMutation(
    ctx,
    {
      operation: 'reportIndicator',
      idempotencyKey: input.idempotencyKey,
      input: { ...input, idempotencyKey: undefined },
      resultType: 'ReportedIndicator',
      load: async (id) => reportedIndicatorById(ctx).load(id),
    },
    async (tx) => {
      const inserted = await queryOne<{ id: string }>(
        tx,
        sql`INSERT INTO reported_indicator (program_id, region_code, indicator, period_start, period_end, value, note, reported_by_subject)
            VALUES (${programme.localId}::bigint, ${input.region}, ${input.indicator}, ${input.periodStart}::date, ${input.periodEnd}::date,
                    ${input.value}::numeric, ${input.note ?? null}, ${viewer.subject})
            ON CONFLICT (program_id, region_code, indicator, period_start, period_end) DO NOTHING
            RETURNING id`,
      );
      if (inserted) return String(inserted.id);
      const existing = await queryOne<{ id: string }>(
        tx,
        sql`SELECT id FROM reported_indicator WHERE program_id = ${programme.localId}::bigint AND region_code = ${input.region}
               AND indicator = ${input.indicator} AND period_start = ${input.periodStart}::date AND period_end = ${input.periodEnd}::date`,
      );
      throw conflict(
        `${input.indicator} of programme ${programme.code} for region ${input.region}, ${input.periodStart} to ${input.periodEnd}, is already reported` +
          (existing ? ` (ReportedIndicator ${toGlobalId('ReportedIndicator', existing.id)})` : '') +
          '; a figure is reported once for its programme, region, indicator and period.',
      );
    },
  );
}
