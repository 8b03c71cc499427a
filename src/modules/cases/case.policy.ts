import type { Context } from '../../context';
import { requireViewer } from '../../context';
import { assertMayAct, relationsTo, type RecordScope } from '../../core/auth/access';
import { ACTION_POLICY, type Action } from '../../core/auth/policy';
import { Relation, Role } from '../../core/auth/roles';
import type { Viewer } from '../../core/auth/viewer';
import { forbidden } from '../../core/graphql/errors';
import { or, type Sql } from '../../core/sql';
import { relationPredicate } from './case.scope';

/**
 * Authority over a case: who may move its status, assign its manager, manage its team and read its access log.
 * Like READ_POLICY, a declarative table: for each role, the relation to the case it must stand in.
 * The action (ACTION_POLICY) decides which of these rows an operation admits; the relation is computed
 * by the same resolvers and SQL predicates as every read.
 */
export const CASE_AUTHORITY: ReadonlyArray<{ role: Role; relation: Relation }> = [
  // The family's social agent, on the cases they manage.
  { role: Role.CASE_MANAGER, relation: Relation.CASE_MANAGER },
  // The programme's curator, on every case of the own regions.
  { role: Role.COORDINATOR, relation: Relation.REGION },
];

/** The relations that give this caller authority for an action: rows of CASE_AUTHORITY whose role the caller holds and the action admits. */
export function authorityRelations(roles: readonly Role[], action: Action): Relation[] {
  const admitted = ACTION_POLICY[action] as readonly Role[];
  return CASE_AUTHORITY.filter((row) => roles.includes(row.role) && admitted.includes(row.role)).map((row) => row.relation);
}

/** Whether relations to a case give authority for an action. */
export function hasCaseAuthority(roles: readonly Role[], action: Action, relations: ReadonlySet<Relation>): boolean {
  return authorityRelations(roles, action).some((relation) => relations.has(relation));
}

/** Refuses an operation on a case unless the caller's roles allow the action and the caller is the case's manager or the region's coordinator. */
export async function assertCaseAuthority(ctx: Context, scope: RecordScope, action: Action): Promise<void> {
  assertMayAct(ctx, action);
  const viewer = requireViewer(ctx);
  if (!hasCaseAuthority(viewer.roles, action, await relationsTo(ctx, scope))) {
    throw forbidden('Only the case manager of this case or the coordinator of its region may do this.');
  }
}

/** The cases (alias) over which the caller holds authority for an action, as SQL. */
export function authorityCaseCondition(viewer: Viewer, action: Action, alias = 'c'): Sql {
  const predicates = authorityRelations(viewer.roles, action)
    .map((relation) => relationPredicate(viewer, relation, alias))
    .filter((p): p is Sql => p !== null);
  return or(predicates);
}
