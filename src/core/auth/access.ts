import type { Context } from '../../context';
import { defineLoader } from '../loaders';
import { forbidden } from '../graphql/errors';
import { mayAct, readableClasses, type Action } from './policy';
import { FieldClass, Relation } from './roles';
import { requireViewer } from '../../context';

/**
 * What a guarded object says about itself so that the policy can decide:
 * the record it belongs to (a case, or a family whose cases count) and the agency that wrote it.
 */
export interface RecordScope {
  kind: 'case' | 'family' | 'conference';
  id: string;
  ownerAgencyId?: string | null;
}

/** A GraphQL object whose guarded fields are decided by the policy table. */
export interface Guarded {
  readonly scope: RecordScope;
}

type RelationResolver = (ctx: Context, ids: readonly string[]) => Promise<Array<Set<Relation>>>;
const resolvers = new Map<RecordScope['kind'], RelationResolver>();

/** Modules that own a kind of record register how a caller's relations to it are computed (in SQL, batched). */
export function registerRelationResolver(kind: RecordScope['kind'], resolver: RelationResolver): void {
  resolvers.set(kind, resolver);
}

const relationLoaders = {
  case: defineLoader<string, Set<Relation>>('relationsByCaseId', (ctx, ids) => resolve('case', ctx, ids)),
  family: defineLoader<string, Set<Relation>>('relationsByFamilyId', (ctx, ids) => resolve('family', ctx, ids)),
  conference: defineLoader<string, Set<Relation>>('relationsByConferenceId', (ctx, ids) => resolve('conference', ctx, ids)),
};

function resolve(kind: RecordScope['kind'], ctx: Context, ids: readonly string[]): Promise<Array<Set<Relation>>> {
  const resolver = resolvers.get(kind);
  if (!resolver) return Promise.resolve(ids.map(() => new Set<Relation>()));
  return resolver(ctx, ids);
}

/** The caller's relations to a record (cached per request). */
export async function relationsTo(ctx: Context, scope: RecordScope): Promise<Set<Relation>> {
  const viewer = requireViewer(ctx);
  const relations = new Set(await relationLoaders[scope.kind](ctx).load(scope.id));
  if (scope.ownerAgencyId && scope.ownerAgencyId === viewer.agencyId) relations.add(Relation.AUTHOR_AGENCY);
  return relations;
}

/** The field classes the caller may read on a record. */
export async function classesReadable(ctx: Context, scope: RecordScope): Promise<Set<FieldClass>> {
  const viewer = requireViewer(ctx);
  return readableClasses(viewer.roles, viewer.agencyKind, await relationsTo(ctx, scope), scope.kind);
}

/** Refuses an operation the caller's roles do not allow (ACTION_POLICY). */
export function assertMayAct(ctx: Context, action: Action): void {
  const viewer = requireViewer(ctx);
  if (!mayAct(viewer.roles, action)) throw forbidden(`Your roles do not allow ${action}.`);
}
