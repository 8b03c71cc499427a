import type { Context } from '../../context';
import { keysetPage, type PageArgs } from '../../core/graphql/connection';
import { expectGlobalId } from '../../core/graphql/global-id';
import { and, raw, sql, type Sql } from '../../core/sql';
import { visibleCaseCondition } from '../cases/case.scope';
import { CaseConference, Decision, today, type ConferenceRow, type DecisionRow } from './conference.type';
import type { ConferenceFilter } from './conference.inputs';
import { visibleConferenceCondition } from './conference.scope';
import { DecisionStatus } from './conference.enums';

function overdueDecisionOf(conference: Sql, day: string): Sql {
  return sql`EXISTS (SELECT 1 FROM decision od WHERE od.conference_id = ${conference} AND od.status = ${DecisionStatus.OPEN}::decision_status AND od.due_on < ${day}::date)`;
}

/** The conferences the caller may see, filtered, latest first; keyset-paginated in SQL. */
export function findConferences(ctx: Context, filter: ConferenceFilter | undefined, page: PageArgs) {
  const conditions: Sql[] = [visibleConferenceCondition(ctx)];
  if (filter?.region) conditions.push(sql`cc.region_code = ${filter.region}`);
  if (filter?.status) conditions.push(sql`cc.status = ${filter.status}::conference_status`);
  if (filter?.from) conditions.push(sql`cc.scheduled_at >= ${filter.from}`);
  if (filter?.to) conditions.push(sql`cc.scheduled_at < ${filter.to}`);
  if (filter?.case) {
    const caseId = expectGlobalId(filter.case, 'Case', 'filter.case');
    // A case the caller may not see filters to nothing: the filter must not reveal which agendas hold it.
    conditions.push(sql`EXISTS (SELECT 1 FROM conference_item fi JOIN "case" c ON c.id = fi.case_id
                                 WHERE fi.conference_id = cc.id AND fi.case_id = ${caseId}::bigint AND ${visibleCaseCondition(ctx)})`);
  }
  if (filter?.hasOverdueDecisions != null) {
    const overdue = overdueDecisionOf(raw('cc.id'), today());
    conditions.push(filter.hasOverdueDecisions ? overdue : sql`NOT ${overdue}`);
  }
  return keysetPage<ConferenceRow & Record<string, unknown>, CaseConference>({
    db: ctx.db,
    select: raw('cc.*'),
    from: raw('case_conference cc'),
    where: and(conditions),
    order: [
      { expression: 'cc.scheduled_at', direction: 'DESC', key: 'scheduled_at' },
      { expression: 'cc.id', direction: 'DESC', key: 'id' },
    ],
    args: page,
    map: CaseConference.from,
  });
}

/** The OPEN decisions an agency is responsible for, in conferences the caller may see, by due day. */
export function findOpenDecisions(ctx: Context, agencyId: string, overdue: boolean | undefined, page: PageArgs) {
  const conditions: Sql[] = [
    sql`d.responsible_agency_id = ${agencyId}::bigint`,
    sql`d.status = ${DecisionStatus.OPEN}::decision_status`,
    visibleConferenceCondition(ctx),
  ];
  if (overdue != null) conditions.push(overdue ? sql`d.due_on < ${today()}::date` : sql`d.due_on >= ${today()}::date`);
  return keysetPage<DecisionRow & Record<string, unknown>, Decision>({
    db: ctx.db,
    select: raw('d.*, d.due_on::text AS due_key'),
    from: raw('decision d JOIN case_conference cc ON cc.id = d.conference_id'),
    where: and(conditions),
    order: [
      { expression: 'd.due_on', direction: 'ASC', key: 'due_key' },
      { expression: 'd.id', direction: 'ASC', key: 'id' },
    ],
    args: page,
    map: Decision.from,
  });
}
