import type { Context } from '../../context';
import { requireViewer } from '../../context';
import { registerRelationResolver } from '../../core/auth/access';
import { relationsGranting } from '../../core/auth/policy';
import { FieldClass, Relation } from '../../core/auth/roles';
import type { Viewer } from '../../core/auth/viewer';
import { query } from '../../core/db';
import { or, raw, sql, type Sql } from '../../core/sql';

/**
 * Row scoping of conferences. A caller stands to a conference in two ways: REGION (the conference is in one of the
 * caller's regions) and CONFERENCE (the caller's agency takes part). The policy table says which of them give the
 * caller CASE_META, i.e. make the conference visible at all: the region's coordinator sees every conference of the
 * region, participating agencies see the conferences they take part in, everyone else sees none.
 */

/** The caller's agency takes part in the conference `conferenceId`. */
export function participates(viewer: Viewer, conferenceId: Sql): Sql {
  return sql`EXISTS (SELECT 1 FROM conference_agency pa WHERE pa.conference_id = ${conferenceId} AND pa.agency_id = ${viewer.agencyId}::bigint)`;
}

function conferencePredicate(viewer: Viewer, relation: Relation, alias: string): Sql | null {
  switch (relation) {
    case Relation.REGION:
      return sql`${raw(alias)}.region_code = ANY(${viewer.regions}::text[])`;
    case Relation.CONFERENCE:
      return participates(viewer, raw(`${alias}.id`));
    default:
      // Case relations (team, case manager, emergency) say nothing about a meeting.
      return null;
  }
}

/** The conferences (alias `cc`) whose fields of `fieldClass` the caller may read; CASE_META is "visible at all". */
export function conferenceReadableCondition(viewer: Viewer, fieldClass: FieldClass = FieldClass.CASE_META, alias = 'cc'): Sql {
  const predicates: Sql[] = [];
  for (const relation of relationsGranting(viewer.roles, viewer.agencyKind, fieldClass, 'conference')) {
    const predicate = conferencePredicate(viewer, relation, alias);
    if (predicate) predicates.push(predicate);
  }
  return or(predicates);
}

/** The conferences the caller may see at all, over alias `cc`. */
export function visibleConferenceCondition(ctx: Context, alias = 'cc'): Sql {
  return conferenceReadableCondition(requireViewer(ctx), FieldClass.CASE_META, alias);
}

registerRelationResolver('conference', async (ctx, ids) => {
  const viewer = requireViewer(ctx);
  const rows = await query<{ id: string; in_region: boolean; participant: boolean }>(
    ctx.db,
    sql`SELECT cc.id::text AS id,
               cc.region_code = ANY(${viewer.regions}::text[]) AS in_region,
               ${participates(viewer, raw('cc.id'))} AS participant
          FROM case_conference cc WHERE cc.id = ANY(${ids as string[]}::bigint[])`,
  );
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  return ids.map((id) => {
    const row = byId.get(String(id));
    const relations = new Set<Relation>();
    if (row?.in_region) relations.add(Relation.REGION);
    if (row?.participant) relations.add(Relation.CONFERENCE);
    return relations;
  });
});
