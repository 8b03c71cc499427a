import type { Context } from '../../context';
import { requireViewer } from '../../context';
import { assertMayAct } from '../../core/auth/access';
import { mayAct } from '../../core/auth/policy';
import { keysetPage, type PageArgs } from '../../core/graphql/connection';
import { badField } from '../../core/graphql/errors';
import { expectGlobalId } from '../../core/graphql/global-id';
import { and, raw, sql, type Sql } from '../../core/sql';
import { authorityCaseCondition } from '../cases/case.policy';
import { AuditEvent, type AuditEventRow } from './audit.type';
import type { AuditEventFilter } from './audit.inputs';

/**
 * The audit events (alias `e`) the caller may read: all of them with `audit.read`; with `audit.readCases`, those about
 * the cases (and their families) over which the caller holds authority (their manager, their region's coordinator).
 * `strict` refuses a caller with neither action; otherwise such a caller simply sees nothing.
 */
export function readableAuditCondition(ctx: Context, strict: boolean): Sql {
  const viewer = requireViewer(ctx);
  if (mayAct(viewer.roles, 'audit.read')) return raw('TRUE');
  if (!mayAct(viewer.roles, 'audit.readCases')) {
    if (strict) assertMayAct(ctx, 'audit.read');
    return raw('FALSE');
  }
  const authority = authorityCaseCondition(viewer, 'audit.readCases', 'ac');
  return sql`(EXISTS (SELECT 1 FROM "case" ac WHERE ac.id = e.case_id AND ${authority})
              OR EXISTS (SELECT 1 FROM "case" ac WHERE ac.family_id = e.family_id AND ${authority}))`;
}

/** Events about a case or its family. */
export function aboutCase(caseId: string): Sql {
  return sql`(e.case_id = ${caseId}::bigint OR e.family_id = (SELECT fc.family_id FROM "case" fc WHERE fc.id = ${caseId}::bigint))`;
}

/** One page of audit events, latest first. */
export function findAuditEvents(ctx: Context, where: Sql[], page: PageArgs) {
  return keysetPage<AuditEventRow & Record<string, unknown>, AuditEvent>({
    db: ctx.db,
    select: raw('e.*'),
    from: raw('audit_event e'),
    where: and(where),
    order: [{ expression: 'e.id', direction: 'DESC', key: 'id' }],
    args: page,
    map: AuditEvent.from,
  });
}

export function auditFilterConditions(filter: AuditEventFilter | null | undefined): Sql[] {
  const conditions: Sql[] = [];
  if (!filter) return conditions;
  if (filter.case) conditions.push(aboutCase(expectGlobalId(filter.case, 'Case', 'filter.case')));
  if (filter.actor) conditions.push(sql`e.actor_staff_id = ${expectGlobalId(filter.actor, 'StaffMember', 'filter.actor')}::bigint`);
  if (filter.action) conditions.push(sql`e.action = ${filter.action}`);
  if (filter.from && filter.to && filter.from > filter.to) throw badField('filter.to', 'must not be before from');
  if (filter.from) conditions.push(sql`e.occurred_at >= ${filter.from}::timestamptz`);
  if (filter.to) conditions.push(sql`e.occurred_at < ${filter.to}::timestamptz`);
  return conditions;
}
