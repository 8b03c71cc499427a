import { registerEnumType } from 'type-graphql';

/** A dimension that outcome metrics can be cut by. */
export enum MetricDimension {
  REGION = 'REGION',
  PROGRAM = 'PROGRAM',
  MONTH = 'MONTH',
  AGENCY_KIND = 'AGENCY_KIND',
  SERVICE_TYPE = 'SERVICE_TYPE',
  DELIVERY_MODE = 'DELIVERY_MODE',
}

/** A figure that a programme reports because records cannot yield it. */
export enum ReportedIndicatorKind {
  FUNDS_SPENT_RUB = 'FUNDS_SPENT_RUB',
  SPECIALISTS_TRAINED = 'SPECIALISTS_TRAINED',
  SPECIALISTS_SUPERVISED = 'SPECIALISTS_SUPERVISED',
  ROUND_TABLES_HELD = 'ROUND_TABLES_HELD',
  VOLUNTEERS_ENGAGED = 'VOLUNTEERS_ENGAGED',
}

/** Reported indicators whose value is an amount of money (two decimals allowed); the others count people or events. */
export const MONEY_INDICATORS: ReadonlySet<ReportedIndicatorKind> = new Set([ReportedIndicatorKind.FUNDS_SPENT_RUB]);

registerEnumType(MetricDimension, {
  name: 'MetricDimension',
  description: 'A dimension that outcome metrics are cut by (`groupBy`). An indicator that the dimension does not apply to is null in the rows (see each indicator).',
  valuesConfig: {
    REGION: { description: "The region: of the case (services, referrals, plan steps, decisions) or of the child's family (placements)." },
    PROGRAM: {
      description:
        "The programme: of the case, through its enrolment (`case_program`), when the case's region is one of the programme's regions and the record's date lies in the programme's period. A record of two programmes counts in both rows; records of no programme are left out of the rows.",
    },
    MONTH: { description: 'The calendar month (YYYY-MM) of the record: delivery, referral sent, step completed, decision done, placement event.' },
    AGENCY_KIND: { description: 'The kind of the agency: the provider of a service, the receiver of a referral, the agency responsible for a plan step or a decision.' },
    SERVICE_TYPE: { description: 'The service type: of a service delivery, a referral or a plan step (records without one are left out of the rows).' },
    DELIVERY_MODE: { description: 'The delivery mode of a service delivery.' },
  },
});

registerEnumType(ReportedIndicatorKind, {
  name: 'ReportedIndicatorKind',
  description: 'A figure a programme reports because records cannot yield it.',
  valuesConfig: {
    FUNDS_SPENT_RUB: { description: 'Funds spent by the programme in the period, in roubles (two decimals allowed).' },
    SPECIALISTS_TRAINED: { description: 'Specialists trained or supervised by the programme in the period (a whole number).' },
    SPECIALISTS_SUPERVISED: { description: 'Specialists who took part in supervision sessions in the period (a whole number).' },
    ROUND_TABLES_HELD: { description: 'Round tables and inter-agency meetings held in the period (a whole number).' },
    VOLUNTEERS_ENGAGED: { description: 'Volunteers engaged by the programme in the period (a whole number).' },
  },
});
