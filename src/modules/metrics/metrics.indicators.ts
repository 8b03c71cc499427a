import { MetricDimension } from './metrics.enums';

/**
 * The catalogue of computed indicators: one definition each, shared by the schema descriptions,
 * the SQL (by family), the suppression rules and docs/METRICS.md (a test checks that the document names each one).
 */

/** A group of indicators computed from the same kind of record in one sub-query. */
export type IndicatorFamily = 'stock' | 'placement' | 'service' | 'referral' | 'planStep' | 'decision';

/** The dimensions that apply to each family; an indicator is null in rows grouped by any other dimension. */
export const FAMILY_DIMENSIONS: Record<IndicatorFamily, readonly MetricDimension[]> = {
  stock: [MetricDimension.REGION, MetricDimension.PROGRAM],
  placement: [MetricDimension.REGION, MetricDimension.PROGRAM, MetricDimension.MONTH],
  service: [MetricDimension.REGION, MetricDimension.PROGRAM, MetricDimension.MONTH, MetricDimension.AGENCY_KIND, MetricDimension.SERVICE_TYPE, MetricDimension.DELIVERY_MODE],
  referral: [MetricDimension.REGION, MetricDimension.PROGRAM, MetricDimension.MONTH, MetricDimension.AGENCY_KIND, MetricDimension.SERVICE_TYPE],
  planStep: [MetricDimension.REGION, MetricDimension.PROGRAM, MetricDimension.MONTH, MetricDimension.AGENCY_KIND, MetricDimension.SERVICE_TYPE],
  decision: [MetricDimension.REGION, MetricDimension.PROGRAM, MetricDimension.MONTH, MetricDimension.AGENCY_KIND],
};

export interface IndicatorDefinition {
  family: IndicatorFamily;
  /** A count of people or records (suppressed 1–4 for analysts), a percentage, or a median of days. */
  kind: 'count' | 'percent' | 'median';
  /** The counts (shown or internal) a percentage or median is derived from: suppressed with any of them. */
  derivedFrom?: readonly string[];
  /** The written definition: the schema description and the text of docs/METRICS.md. */
  definition: string;
}

const TARGET = 'children of the target group (relation CHILD, younger than `filter.targetAgeUnder` years, default 4: the pilot «0–4»)';
const PROGRAMME_NOTE = "With a programme filter or PROGRAM grouping, a child belongs to a programme when a case of the child's family is enrolled in it";

export const INDICATORS = {
  childrenInInstitutions: {
    family: 'stock',
    kind: 'count',
    definition: `Number of ${TARGET} whose placement at the beginning of \`asOf\` was IN_INSTITUTION: the placement after their last placement event before that day, else the placement before their first event on or after it, else their current placement. ${PROGRAMME_NOTE} (whatever the dates). Region: the family's. Null in rows grouped by MONTH, AGENCY_KIND, SERVICE_TYPE or DELIVERY_MODE.`,
  },
  childrenInInstitutionsAtBaseline: {
    family: 'stock',
    kind: 'count',
    definition: `The same count as \`childrenInInstitutions\`, at the beginning of \`baselineDate\`; null without a baseline date. Null in rows grouped by MONTH, AGENCY_KIND, SERVICE_TYPE or DELIVERY_MODE.`,
  },
  institutionalisedChange: {
    family: 'stock',
    kind: 'percent',
    derivedFrom: ['childrenInInstitutions', 'childrenInInstitutionsAtBaseline'],
    definition:
      'Change of the number of children of the target group in institutions at `asOf` against `baselineDate`, in percent: 100 × (childrenInInstitutions − childrenInInstitutionsAtBaseline) / childrenInInstitutionsAtBaseline, rounded to one decimal (−58.0 means 58 % fewer). Null without a baseline date or when the baseline count is 0; suppressed when either count is. Null in rows grouped by MONTH, AGENCY_KIND, SERVICE_TYPE or DELIVERY_MODE.',
  },
  childrenReturnedToBirthFamily: {
    family: 'placement',
    kind: 'count',
    definition: `Number of distinct ${TARGET}, counted at the event's date, with a RETURNED_TO_BIRTH_FAMILY placement event in the period \`from\`–\`to\`. Region: the family's. ${PROGRAMME_NOTE} and the event's date lies in the programme's period. Null in rows grouped by AGENCY_KIND, SERVICE_TYPE or DELIVERY_MODE.`,
  },
  childrenPlacedInSubstituteFamily: {
    family: 'placement',
    kind: 'count',
    definition: `Number of distinct ${TARGET}, counted at the event's date, placed under guardianship, in a foster family or adopted (placement events GUARDIANSHIP, FOSTER_FAMILY, ADOPTED) in the period. Region and programme as for \`childrenReturnedToBirthFamily\`. Null in rows grouped by AGENCY_KIND, SERVICE_TYPE or DELIVERY_MODE.`,
  },
  childrenPlacedInFamilies: {
    family: 'placement',
    kind: 'count',
    definition: `Number of distinct ${TARGET} placed in a family in the period: returned to the birth family or placed in a substitute family (the two counts above; a child with both counts once). Null in rows grouped by AGENCY_KIND, SERVICE_TYPE or DELIVERY_MODE.`,
  },
  familiesServed: {
    family: 'service',
    kind: 'count',
    definition:
      "Number of distinct families (the case's family) with at least one service delivered in the period `from`–`to`. Region: the case's. Programme: the case's enrolment, the case's region among the programme's regions and the delivery date in its period. Applies to every dimension (AGENCY_KIND: the provider's kind).",
  },
  familiesWithDisabledChildServed: {
    family: 'service',
    kind: 'count',
    definition:
      'Number of distinct families with at least one service delivered in the period to a child (relation CHILD) whose disability status is DISABLED, e.g. home-based social care for a disabled child (group by SERVICE_TYPE and DELIVERY_MODE). Applies to every dimension.',
  },
  childrenServed: {
    family: 'service',
    kind: 'count',
    definition: 'Number of distinct children (recipients with relation CHILD, any age) who received at least one service in the period. Applies to every dimension.',
  },
  parentsInGroups: {
    family: 'service',
    kind: 'count',
    definition:
      'Number of distinct parents (recipients with relation MOTHER, FATHER, GUARDIAN or GRANDPARENT) who took part in a parent training, support group or parent club (service types PARENT_TRAINING, SUPPORT_GROUP, PARENT_CLUB) in the period. Applies to every dimension.',
  },
  servicesDelivered: {
    family: 'service',
    kind: 'count',
    definition: 'Number of service deliveries in the period; grouped by SERVICE_TYPE and DELIVERY_MODE it is the number of services by type and mode. Applies to every dimension.',
  },
  brigadeTrips: {
    family: 'service',
    kind: 'count',
    definition: 'Number of distinct mobile-brigade trips on which at least one service of the period (and of the programme, region, ...) was given. Applies to every dimension.',
  },
  brigadeServices: {
    family: 'service',
    kind: 'count',
    definition: 'Number of service deliveries of the period given on a mobile-brigade trip. Applies to every dimension.',
  },
  referralsSent: {
    family: 'referral',
    kind: 'count',
    definition:
      "Number of referrals sent in the period (the UTC day of `sentAt`). Region: the case's; programme: the case's enrolment with the sending day in its period; AGENCY_KIND: the receiving agency's kind; SERVICE_TYPE: the service asked for (referrals without one are left out of such rows). Null in rows grouped by DELIVERY_MODE.",
  },
  referralsCompleted: {
    family: 'referral',
    kind: 'count',
    definition: 'Number of the referrals sent in the period that are now COMPLETED (the loop was closed). Null in rows grouped by DELIVERY_MODE.',
  },
  referralClosureRate: {
    family: 'referral',
    kind: 'percent',
    derivedFrom: ['referralsSent', 'referralsCompleted'],
    definition: 'Referral loop closure rate, in percent: 100 × referralsCompleted / referralsSent, one decimal. Null when none was sent; suppressed when either count is. Null in rows grouped by DELIVERY_MODE.',
  },
  medianDaysReferralToFirstService: {
    family: 'referral',
    kind: 'median',
    derivedFrom: ['referralsWithService'],
    definition:
      'Median number of days from sending a referral (sent in the period) to the first service delivery that fulfils it (`ServiceDelivery.referral`, delivered on or after the sending day), over the referrals that have one (percentile_cont 0.5, one decimal). Null when none has; suppressed for analysts when 1–4 referrals have one. Null in rows grouped by DELIVERY_MODE.',
  },
  planStepsDone: {
    family: 'planStep',
    kind: 'count',
    definition:
      "Number of plan steps (route of help) with status DONE and a due date that were completed in the period (`completedOn`). Region and programme: the case's; AGENCY_KIND: the responsible agency's kind; SERVICE_TYPE: the step's service type. Null in rows grouped by DELIVERY_MODE.",
  },
  planStepsDoneOnTime: {
    family: 'planStep',
    kind: 'count',
    definition: 'Number of those plan steps completed on or before their due date (completedOn ≤ dueOn). Null in rows grouped by DELIVERY_MODE.',
  },
  planStepsOnTimeRate: {
    family: 'planStep',
    kind: 'percent',
    derivedFrom: ['planStepsDone', 'planStepsDoneOnTime'],
    definition: 'Plan steps done on time, in percent: 100 × planStepsDoneOnTime / planStepsDone, one decimal. Null when none was done; suppressed when either count is. Null in rows grouped by DELIVERY_MODE.',
  },
  decisionsDone: {
    family: 'decision',
    kind: 'count',
    definition:
      "Number of case-conference decisions with status DONE done in the period (`doneOn`). Region and programme: the decision's case's; AGENCY_KIND: the responsible agency's kind. Null in rows grouped by SERVICE_TYPE or DELIVERY_MODE.",
  },
  decisionsDoneOnTime: {
    family: 'decision',
    kind: 'count',
    definition: 'Number of those decisions done on or before their due date (doneOn ≤ dueOn). Null in rows grouped by SERVICE_TYPE or DELIVERY_MODE.',
  },
  decisionsOnTimeRate: {
    family: 'decision',
    kind: 'percent',
    derivedFrom: ['decisionsDone', 'decisionsDoneOnTime'],
    definition:
      'Conference decisions done on time, in percent: 100 × decisionsDoneOnTime / decisionsDone, one decimal. Null when no decision was done in the period (the region holds no conferences); suppressed when either count is. Null in rows grouped by SERVICE_TYPE or DELIVERY_MODE.',
  },
} as const satisfies Record<string, IndicatorDefinition>;

export type IndicatorName = keyof typeof INDICATORS;

export const INDICATOR_NAMES = Object.keys(INDICATORS) as IndicatorName[];

/** Counts computed only to decide suppression of a derived figure; never in an answer. */
export const INTERNAL_COUNTS = { referralsWithService: 'referral' } as const satisfies Record<string, IndicatorFamily>;

export type InternalCountName = keyof typeof INTERNAL_COUNTS;

/**
 * Cells that add up within one row: the total equals the sum of the parts (or exceeds it, for distinct counts).
 * If exactly one cell of such a sum were hidden, subtraction would give it away.
 */
export const ROW_SUMS: ReadonlyArray<{ total: IndicatorName; parts: readonly IndicatorName[] }> = [
  { total: 'childrenPlacedInFamilies', parts: ['childrenReturnedToBirthFamily', 'childrenPlacedInSubstituteFamily'] },
];

export function indicatorsOf(family: IndicatorFamily): IndicatorName[] {
  return INDICATOR_NAMES.filter((name) => INDICATORS[name].family === family);
}

/** Whether an indicator has a value in rows grouped by these dimensions. */
export function appliesToGrouping(family: IndicatorFamily, groupBy: readonly MetricDimension[]): boolean {
  return groupBy.every((dimension) => FAMILY_DIMENSIONS[family].includes(dimension));
}
