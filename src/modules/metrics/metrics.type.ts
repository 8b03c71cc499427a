import { Extensions, Field, Float, Int, ObjectType } from 'type-graphql';
import { AgencyKind, FieldClass } from '../../core/auth/roles';
import { Node } from '../../core/graphql/node';
import { toGlobalId } from '../../core/graphql/global-id';
import { DeliveryMode } from '../providers/provider.enums';
import { MetricDimension, ReportedIndicatorKind } from './metrics.enums';
import { INDICATORS, INDICATOR_NAMES, type IndicatorName } from './metrics.indicators';

@ObjectType({ description: 'One figure of outcome metrics (AGGREGATE): its value, and whether it is hidden by small-cell protection or reported by a programme.' })
export class MetricValue {
  @Field(() => Float, { nullable: true, description: 'The value of the figure; null when it is suppressed, or when it cannot be computed (e.g. a rate with nothing to divide by).' })
  value: number | null;

  @Field({ description: 'Whether the figure is hidden by small-cell protection: a count of 1 to 4, a figure that would give such a count away by subtraction, or one derived from a hidden count.' })
  suppressed: boolean;

  @Field({ description: 'Whether the figure was reported by a programme (`reportIndicator`) rather than computed from records.' })
  reported: boolean;

  static of(value: number | null, suppressed: boolean, reported = false): MetricValue {
    return Object.assign(new MetricValue(), { value: suppressed ? null : value, suppressed, reported });
  }
}

/**
 * One row of outcome metrics: the keys of its group and the indicators. The indicator fields are declared from the
 * catalogue (metrics.indicators.ts) below, so that every indicator is in the schema with its written definition.
 */
@ObjectType({
  description:
    'One group of outcome metrics (AGGREGATE): its keys (null for a dimension not grouped by) and the indicators, each null when it does not apply to the grouping. No row identifies a person or a record.',
})
// The whole row is AGGREGATE: the query is gated by `metrics.read` and small cells are suppressed in SQL results.
@Extensions({ fieldClass: FieldClass.AGGREGATE })
export class OutcomeMetricsRow {
  regionCode: string | null;
  programId: string | null;
  serviceTypeId: string | null;
  values: Partial<Record<IndicatorName, MetricValue | null>>;

  @Field(() => String, { nullable: true, description: 'The month of the group (YYYY-MM), when grouped by MONTH.' })
  month: string | null;

  @Field(() => AgencyKind, { nullable: true, description: 'The agency kind of the group, when grouped by AGENCY_KIND.' })
  agencyKind: AgencyKind | null;

  @Field(() => DeliveryMode, { nullable: true, description: 'The delivery mode of the group, when grouped by DELIVERY_MODE.' })
  deliveryMode: DeliveryMode | null;
}

for (const name of INDICATOR_NAMES) {
  Object.defineProperty(OutcomeMetricsRow.prototype, name, {
    get(this: OutcomeMetricsRow) {
      return this.values[name] ?? null;
    },
    configurable: true,
  });
  Field(() => MetricValue, { nullable: true, description: INDICATORS[name].definition })(OutcomeMetricsRow.prototype, name);
}

@ObjectType({ implements: Node, description: 'A figure a programme reported for a region and a period because records cannot yield it (AGGREGATE).' })
export class ReportedIndicator extends Node {
  localId: string;
  programId: string;
  regionCode: string;

  @Field(() => ReportedIndicatorKind, { description: 'What the figure measures.' })
  indicator: ReportedIndicatorKind;

  @Field({ description: 'The first day of the period the figure covers (YYYY-MM-DD).' })
  periodStart: string;

  @Field({ description: 'The last day of the period the figure covers (YYYY-MM-DD).' })
  periodEnd: string;

  @Field(() => Float, { description: 'The figure: roubles for money, a whole number otherwise.' })
  value: number;

  @Field(() => String, { nullable: true, description: 'The note on the figure: its source or how it was counted.' })
  note: string | null;

  @Field({ description: 'When the figure was reported (ISO 8601 timestamp).' })
  reportedAt: string;

  static from(row: ReportedIndicatorRow): ReportedIndicator {
    return Object.assign(new ReportedIndicator(), {
      id: toGlobalId('ReportedIndicator', row.id),
      localId: String(row.id),
      programId: String(row.program_id),
      regionCode: row.region_code,
      indicator: row.indicator as ReportedIndicatorKind,
      periodStart: row.period_start,
      periodEnd: row.period_end,
      value: Number(row.value),
      note: row.note,
      reportedAt: new Date(row.created_at).toISOString(),
    });
  }
}

export interface ReportedIndicatorRow {
  id: string;
  program_id: string;
  region_code: string;
  indicator: string;
  period_start: string;
  period_end: string;
  value: string;
  note: string | null;
  created_at: string | Date;
}

@ObjectType({ description: 'A reported figure shown beside the computed indicators of an answer, marked `reported`.' })
export class ReportedIndicatorValue {
  source: ReportedIndicator;

  @Field(() => ReportedIndicatorKind, { description: 'What the figure measures.' })
  indicator: ReportedIndicatorKind;

  @Field({ description: 'The first day of the period the figure covers (YYYY-MM-DD).' })
  periodStart: string;

  @Field({ description: 'The last day of the period the figure covers (YYYY-MM-DD).' })
  periodEnd: string;

  @Field(() => MetricValue, { description: 'The figure, marked `reported`; reported figures are programme totals, not counts of records, and are never suppressed.' })
  value: MetricValue;

  @Field(() => String, { nullable: true, description: 'The note on the figure.' })
  note: string | null;

  static from(source: ReportedIndicator): ReportedIndicatorValue {
    return Object.assign(new ReportedIndicatorValue(), {
      source,
      indicator: source.indicator,
      periodStart: source.periodStart,
      periodEnd: source.periodEnd,
      value: MetricValue.of(source.value, false, true),
      note: source.note,
    });
  }
}

@ObjectType({ description: 'Outcome metrics computed from the records (AGGREGATE): the filter as applied, the rows of the groups, the total, and the reported figures beside them.' })
export class OutcomeMetrics {
  programIds: string[];

  @Field(() => [String], { nullable: true, description: 'The codes of the regions the figures cover; null for every region.' })
  regionCodes: string[] | null;

  @Field(() => String, { nullable: true, description: 'The first day of the period (YYYY-MM-DD); null for no lower bound.' })
  from: string | null;

  @Field(() => String, { nullable: true, description: 'The last day of the period (YYYY-MM-DD); null for no upper bound.' })
  to: string | null;

  @Field({ description: 'The date of the stock counts (YYYY-MM-DD, at the beginning of the day).' })
  asOf: string;

  @Field(() => String, { nullable: true, description: 'The baseline date of the change of institutionalised children (YYYY-MM-DD); null when none was given.' })
  baselineDate: string | null;

  @Field(() => Int, { description: 'The target group of the placement indicators: children younger than this many years.' })
  targetAgeUnder: number;

  @Field(() => [MetricDimension], { description: 'The dimensions the rows are grouped by, in the order asked.' })
  groupBy: MetricDimension[];

  @Field({ description: 'Whether small-cell protection was applied (analysts): counts of 1 to 4, and what would give them away, are hidden.' })
  smallCellsSuppressed: boolean;

  @Field(() => [OutcomeMetricsRow], { description: 'One row per group, ordered by the keys; the total row alone when not grouped.' })
  rows: OutcomeMetricsRow[];

  @Field(() => OutcomeMetricsRow, { description: 'The total over every group (all keys null).' })
  total: OutcomeMetricsRow;

  @Field(() => [ReportedIndicatorValue], {
    description: "The figures programmes reported (funds spent, specialists trained...) for the same programmes and regions, whose period lies within the answer's period, by programme, region, indicator and period.",
  })
  reported: ReportedIndicatorValue[];
}

@ObjectType({ description: 'The result of `reportIndicator`.' })
export class ReportIndicatorPayload {
  @Field(() => ReportedIndicator, { description: 'The reported figure as recorded.' })
  reportedIndicator: ReportedIndicator;
}
