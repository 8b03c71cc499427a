import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import type { Resolved } from '../../core/loaders';
import { Allow } from '../../core/auth/guard';
import { registerNodeType } from '../../core/graphql/node';
import { Region } from '../agencies/agency.type';
import { regionByCode } from '../agencies/agency.loaders';
import { Program } from '../programs/program.type';
import { programById } from '../programs/program.loaders';
import { ServiceType } from '../providers/provider.type';
import { serviceTypeById } from '../providers/provider.loaders';
import { MetricDimension } from './metrics.enums';
import { OutcomeMetricsFilter, ReportIndicatorInput } from './metrics.inputs';
import { reportedIndicatorById } from './metrics.loaders';
import { computeOutcomeMetrics, reportIndicator } from './metrics.service';
import { INDICATOR_NAMES, type IndicatorName } from './metrics.indicators';
import { OutcomeMetrics, OutcomeMetricsRow, ReportIndicatorPayload, ReportedIndicator, ReportedIndicatorValue } from './metrics.type';

registerNodeType('ReportedIndicator', async (ctx, ids) => (await reportedIndicatorById(ctx).loadMany(ids)).map((r) => (r instanceof Error ? null : r)));

const loaded = <T>(value: T | Error | null): T | null => (value instanceof Error ? null : value);

const INDICATOR_SET: ReadonlySet<string> = new Set(INDICATOR_NAMES);

/**
 * The indicators the query selects under `rows` and `total` (through fragments too): the answer computes only their
 * families (look-ahead), so a question about services does not pay for placements, referrals and conferences.
 */
function requestedIndicators(info: GraphQLResolveInfo): IndicatorName[] {
  const names = new Set<IndicatorName>();
  const visit = (selectionSet: SelectionSetNode, inRow: boolean): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (inRow && INDICATOR_SET.has(name)) names.add(name as IndicatorName);
        else if (!inRow && (name === 'rows' || name === 'total') && selection.selectionSet) visit(selection.selectionSet, true);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, inRow);
      else {
        const fragment = info.fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet, inRow);
      }
    }
  };
  for (const node of info.fieldNodes) if (node.selectionSet) visit(node.selectionSet, false);
  return [...names];
}

@Resolver(() => OutcomeMetrics)
export class OutcomeMetricsResolver {
  @Query(() => OutcomeMetrics, {
    description:
      'Outcome metrics computed from the records (AGGREGATE: analysts, coordinators, administrators), cut by the dimensions of `groupBy`, with the reported figures beside them. For analysts every count of 1 to 4 is suppressed, with what would give it away. Definitions: docs/METRICS.md.',
  })
  @Allow('metrics.read')
  outcomeMetrics(
    @Ctx() ctx: Context,
    @Arg('filter', () => OutcomeMetricsFilter, { description: 'Which records the metrics are computed from.' }) filter: OutcomeMetricsFilter,
    @Arg('groupBy', () => [MetricDimension], { defaultValue: [], description: 'The dimensions to group the rows by (none: the total alone).' }) groupBy: MetricDimension[],
    @Info() info: GraphQLResolveInfo,
  ): Promise<OutcomeMetrics> {
    return computeOutcomeMetrics(ctx, filter, groupBy, requestedIndicators(info));
  }

  @FieldResolver(() => [Program], { description: 'The programmes of the filter, in the order given (empty without a programme filter).' })
  async programs(@Root() metrics: OutcomeMetrics, @Ctx() ctx: Context): Promise<Program[]> {
    return (await programById(ctx).loadMany(metrics.programIds)).map(loaded).filter((p): p is Program => p !== null);
  }

  @Mutation(() => ReportIndicatorPayload, {
    description:
      'Reports a figure that records cannot yield (funds spent, specialists trained) for a programme, region and period: a coordinator of the region or an administrator. A figure is reported once: a second report of the same programme, region, indicator and period is a CONFLICT.',
  })
  @Allow('metrics.report')
  async reportIndicator(
    @Ctx() ctx: Context,
    @Arg('input', () => ReportIndicatorInput, { description: 'The figure to report.' }) input: ReportIndicatorInput,
  ): Promise<ReportIndicatorPayload> {
    return Object.assign(new ReportIndicatorPayload(), { reportedIndicator: await reportIndicator(ctx, input) });
  }
}

@Resolver(() => OutcomeMetricsRow)
export class OutcomeMetricsRowResolver {
  @FieldResolver(() => Region, { nullable: true, description: 'The region of the group, when grouped by REGION.' })
  region(@Root() row: OutcomeMetricsRow, @Ctx() ctx: Context): Resolved<Region | null> | null {
    return row.regionCode ? regionByCode(ctx).get(row.regionCode) : null;
  }

  @FieldResolver(() => Program, { nullable: true, description: 'The programme of the group, when grouped by PROGRAM.' })
  program(@Root() row: OutcomeMetricsRow, @Ctx() ctx: Context): Resolved<Program | null> | null {
    return row.programId ? programById(ctx).get(row.programId) : null;
  }

  @FieldResolver(() => ServiceType, { nullable: true, description: 'The service type of the group, when grouped by SERVICE_TYPE.' })
  serviceType(@Root() row: OutcomeMetricsRow, @Ctx() ctx: Context): Resolved<ServiceType | null> | null {
    return row.serviceTypeId ? serviceTypeById(ctx).get(row.serviceTypeId) : null;
  }
}

@Resolver(() => ReportedIndicator)
export class ReportedIndicatorResolver {
  @FieldResolver(() => Program, { description: 'The programme that reported the figure.' })
  program(@Root() indicator: ReportedIndicator, @Ctx() ctx: Context): Resolved<Program> {
    return programById(ctx).get(indicator.programId) as Resolved<Program>;
  }

  @FieldResolver(() => Region, { description: 'The region the figure belongs to.' })
  region(@Root() indicator: ReportedIndicator, @Ctx() ctx: Context): Resolved<Region> {
    return regionByCode(ctx).get(indicator.regionCode) as Resolved<Region>;
  }
}

@Resolver(() => ReportedIndicatorValue)
export class ReportedIndicatorValueResolver {
  @FieldResolver(() => Program, { description: 'The programme that reported the figure.' })
  program(@Root() value: ReportedIndicatorValue, @Ctx() ctx: Context): Resolved<Program> {
    return programById(ctx).get(value.source.programId) as Resolved<Program>;
  }

  @FieldResolver(() => Region, { description: 'The region the figure belongs to.' })
  region(@Root() value: ReportedIndicatorValue, @Ctx() ctx: Context): Resolved<Region> {
    return regionByCode(ctx).get(value.source.regionCode) as Resolved<Region>;
  }

  @FieldResolver(() => ReportedIndicator, { description: 'The reported figure as recorded (a node).' })
  reportedIndicator(@Root() value: ReportedIndicatorValue): ReportedIndicator {
    return value.source;
  }
}
