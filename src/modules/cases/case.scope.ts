import type { Context } from '../../context';
import { requireViewer } from '../../context';
import { primeRelations, registerRelationResolver } from '../../core/auth/access';
import { relationsGranting } from '../../core/auth/policy';
import { FieldClass, Relation } from '../../core/auth/roles';
import type { Viewer } from '../../core/auth/viewer';
import { query } from '../../core/db';
import { byKey } from '../../core/loaders';
import { pgArray } from '../families/family.type';
import { join, or, raw, sql, type Sql } from '../../core/sql';
import { GrantKind } from './case.enums';

/**
 * Row scoping, shared by every finder of case data. Each relation of the policy table has one SQL predicate
 * over a case row; a case is visible when one of the relations that give the caller CASE_META holds.
 */

const TEAM_KINDS = [GrantKind.LEAD, GrantKind.TEAM, GrantKind.REFERRAL];

/** An active grant of one of `kinds` to the caller's agency or to the caller in person, on the case `caseId`. */
export function activeGrant(viewer: Viewer, caseId: Sql, kinds: GrantKind[]): Sql {
  return sql`EXISTS (SELECT 1 FROM case_access_grant g
                      WHERE g.case_id = ${caseId} AND g.kind = ANY(${kinds}::grant_kind[])
                        AND (g.agency_id = ${viewer.agencyId}::bigint OR g.staff_id = ${viewer.staffId}::bigint)
                        AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > now()))`;
}

/** The SQL predicate of each relation, over the case alias `c`. */
export function relationPredicate(viewer: Viewer, relation: Relation, alias = 'c'): Sql | null {
  const id = raw(`${alias}.id`);
  switch (relation) {
    case Relation.CASE_MANAGER:
      return viewer.staffId ? sql`${raw(alias)}.case_manager_id = ${viewer.staffId}::bigint` : null;
    case Relation.TEAM:
      return activeGrant(viewer, id, TEAM_KINDS);
    case Relation.EMERGENCY:
      return activeGrant(viewer, id, [GrantKind.EMERGENCY]);
    case Relation.CONFERENCE:
      return activeGrant(viewer, id, [GrantKind.CONFERENCE]);
    case Relation.REGION:
      return sql`${raw(alias)}.region_code = ANY(${viewer.regions}::text[])`;
    case Relation.AUTHOR_AGENCY:
      return null;
  }
}

/** The grant kinds that stand for each grant-based relation. */
const KINDS_OF: Partial<Record<Relation, GrantKind[]>> = {
  [Relation.TEAM]: TEAM_KINDS,
  [Relation.EMERGENCY]: [GrantKind.EMERGENCY],
  [Relation.CONFERENCE]: [GrantKind.CONFERENCE],
};

/**
 * The cases (alias `c`) whose field class `fieldClass` the caller may read; CASE_META is "visible at all".
 * A caller who sees a region tests each case row against the relations' predicates. A caller who sees cases only
 * through management and grants (a few hundred of a registry's cases) gets them as a set of candidate ids, read from
 * the two indexes, so that a page costs the same however large the registry is (docs/performance.md, finding 3).
 */
export function caseReadableCondition(viewer: Viewer, fieldClass: FieldClass = FieldClass.CASE_META, alias = 'c'): Sql {
  const relations = relationsGranting(viewer.roles, viewer.agencyKind, fieldClass);
  if (relations.has(Relation.REGION)) {
    const predicates: Sql[] = [];
    for (const relation of relations) {
      const predicate = relationPredicate(viewer, relation, alias);
      if (predicate) predicates.push(predicate);
    }
    return or(predicates);
  }
  const candidates: Sql[] = [];
  if (relations.has(Relation.CASE_MANAGER) && viewer.staffId) candidates.push(sql`SELECT m.id FROM "case" m WHERE m.case_manager_id = ${viewer.staffId}::bigint`);
  const kinds = [...relations].flatMap((relation) => KINDS_OF[relation] ?? []);
  if (kinds.length) {
    candidates.push(sql`SELECT g.case_id FROM case_access_grant g
                         WHERE g.kind = ANY(${kinds}::grant_kind[]) AND (g.agency_id = ${viewer.agencyId}::bigint OR g.staff_id = ${viewer.staffId}::bigint)
                           AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > now())`);
  }
  if (candidates.length === 0) return raw('FALSE');
  return sql`${raw(alias)}.id IN (${join(candidates, ' UNION ALL ')})`;
}

/** The cases the caller may see at all, over alias `c`. */
export function visibleCaseCondition(ctx: Context, alias = 'c'): Sql {
  return caseReadableCondition(requireViewer(ctx), FieldClass.CASE_META, alias);
}

/**
 * The families the caller may see (alias `f`): a family with a visible case, or one the caller's agency
 * registered and that has no case yet (so that its case can be opened), or (for the coordinator) of the own regions.
 */
export function visibleFamilyCondition(ctx: Context, alias = 'f'): Sql {
  const viewer = requireViewer(ctx);
  const f = raw(alias);
  const granting = relationsGranting(viewer.roles, viewer.agencyKind, FieldClass.CASE_META);
  const parts: Sql[] = [sql`EXISTS (SELECT 1 FROM "case" c WHERE c.family_id = ${f}.id AND ${caseReadableCondition(viewer)})`];
  // The registering agency stands to its caseless family as a team member (the relation resolver says so too);
  // it sees the family only if team membership gives the caller's role CASE_META at all.
  if (granting.has(Relation.TEAM)) {
    parts.push(sql`(${f}.registered_by_agency_id = ${viewer.agencyId}::bigint AND NOT EXISTS (SELECT 1 FROM "case" c0 WHERE c0.family_id = ${f}.id))`);
  }
  if (granting.has(Relation.REGION)) {
    parts.push(sql`${f}.region_code = ANY(${viewer.regions}::text[])`);
  }
  return or(parts);
}

/** The columns `caseRelationColumns` adds to a row of a case. */
export interface CaseRelationColumns {
  is_manager: boolean;
  in_region: boolean;
  kinds: GrantKind[] | string;
}

interface RelationRow extends CaseRelationColumns {
  id: string;
}

/** The relations the columns of `caseRelationColumns` (or `familyRelationColumns`) stand for; none for no row. */
export function relationsOfColumns(row: CaseRelationColumns | undefined): Set<Relation> {
  const relations = new Set<Relation>();
  if (!row) return relations;
  if (row.is_manager) relations.add(Relation.CASE_MANAGER);
  if (row.in_region) relations.add(Relation.REGION);
  const kinds = pgArray<GrantKind>(row.kinds);
  for (const kind of kinds) {
    if (TEAM_KINDS.includes(kind)) relations.add(Relation.TEAM);
    if (kind === GrantKind.EMERGENCY) relations.add(Relation.EMERGENCY);
    if (kind === GrantKind.CONFERENCE) relations.add(Relation.CONFERENCE);
  }
  return relations;
}

function grantKindsOf(viewer: Viewer, caseId: Sql): Sql {
  return sql`ARRAY(SELECT DISTINCT g.kind::text FROM case_access_grant g
                    WHERE g.case_id = ${caseId} AND (g.agency_id = ${viewer.agencyId}::bigint OR g.staff_id = ${viewer.staffId}::bigint)
                      AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > now()))`;
}

/** The caller's relations to the case `alias` as columns (`is_manager`, `in_region`, `kinds`) of a statement over cases. */
export function caseRelationColumns(viewer: Viewer, alias = 'c'): Sql {
  return sql`coalesce(${raw(alias)}.case_manager_id = ${viewer.staffId}::bigint, false) AS is_manager,
             ${raw(alias)}.region_code = ANY(${viewer.regions}::text[]) AS in_region,
             ${grantKindsOf(viewer, raw(`${alias}.id`))} AS kinds`;
}

/**
 * Primes the guards with the relations read alongside the records themselves (`caseRelationColumns` for cases,
 * `familyRelationColumns` for families), so that their fields need no relation statement of their own.
 */
export function primeRelationColumns(ctx: Context, kind: 'case' | 'family', rows: ReadonlyArray<{ id: string | number } & CaseRelationColumns>): void {
  primeRelations(ctx, kind, rows.map((row) => [String(row.id), relationsOfColumns(row)] as const));
}

registerRelationResolver('case', async (ctx, ids) => {
  const viewer = requireViewer(ctx);
  const rows = await query<RelationRow>(
    ctx.db,
    sql`SELECT c.id::text AS id, ${caseRelationColumns(viewer)} FROM "case" c WHERE c.id = ANY(${ids as string[]}::bigint[])`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((row) => relationsOfColumns(row ?? undefined));
});

/**
 * The caller's relations to the family `alias` as columns (`is_manager`, `in_region`, `kinds`): the union over its
 * cases, plus its region, plus "registered by my agency" (a team member) while it has no case.
 */
export function familyRelationColumns(viewer: Viewer, alias = 'f'): Sql {
  const f = raw(alias);
  return sql`EXISTS (SELECT 1 FROM "case" mc WHERE mc.family_id = ${f}.id AND mc.case_manager_id = ${viewer.staffId}::bigint) AS is_manager,
             ${f}.region_code = ANY(${viewer.regions}::text[]) AS in_region,
             ARRAY(SELECT DISTINCT g.kind::text FROM case_access_grant g JOIN "case" gc ON gc.id = g.case_id
                    WHERE gc.family_id = ${f}.id AND (g.agency_id = ${viewer.agencyId}::bigint OR g.staff_id = ${viewer.staffId}::bigint)
                      AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > now())
                   UNION
                   SELECT 'TEAM' WHERE ${f}.registered_by_agency_id = ${viewer.agencyId}::bigint
                                   AND NOT EXISTS (SELECT 1 FROM "case" nc WHERE nc.family_id = ${f}.id)) AS kinds`;
}

registerRelationResolver('family', async (ctx, ids) => {
  const viewer = requireViewer(ctx);
  const rows = await query<RelationRow>(
    ctx.db,
    sql`SELECT f.id::text AS id, ${familyRelationColumns(viewer)} FROM family f WHERE f.id = ANY(${ids as string[]}::bigint[])`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((row) => relationsOfColumns(row ?? undefined));
});
