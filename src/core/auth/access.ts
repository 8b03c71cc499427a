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
  /**
   * The record itself when it is not the case, family or conference the scope names (a person, a referral, a service
   * record…): the audit log names it as the record read, with the case or family alongside. Guard decisions ignore it.
   */
  recordId?: string;
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

function withAuthorship(ctx: Context, scope: RecordScope, recordRelations: ReadonlySet<Relation>): Set<Relation> {
  const relations = new Set(recordRelations);
  if (scope.ownerAgencyId && scope.ownerAgencyId === requireViewer(ctx).agencyId) relations.add(Relation.AUTHOR_AGENCY);
  return relations;
}

/**
 * Hands over the caller's relations to records that a statement read anyway (as columns of the records' own rows),
 * so that no separate statement is needed for their guards.
 */
export function primeRelations(ctx: Context, kind: RecordScope['kind'], entries: Iterable<readonly [string, Set<Relation>]>): void {
  const loader = relationLoaders[kind](ctx);
  for (const [id, relations] of entries) loader.prime(id, relations);
}

/** The caller's relations to a record (cached per request). */
export async function relationsTo(ctx: Context, scope: RecordScope): Promise<Set<Relation>> {
  return withAuthorship(ctx, scope, await relationLoaders[scope.kind](ctx).load(scope.id));
}

/** The field classes the caller may read on a record. */
export async function classesReadable(ctx: Context, scope: RecordScope): Promise<Set<FieldClass>> {
  const viewer = requireViewer(ctx);
  return readableClasses(viewer.roles, viewer.agencyKind, await relationsTo(ctx, scope), scope.kind);
}

/** The field classes the caller may read on a record, if its relations are already loaded in this request; else undefined. */
export function classesReadableNow(ctx: Context, scope: RecordScope): Set<FieldClass> | undefined {
  const recordRelations = relationLoaders[scope.kind](ctx).peek(scope.id);
  if (!recordRelations) return undefined;
  const viewer = requireViewer(ctx);
  return readableClasses(viewer.roles, viewer.agencyKind, withAuthorship(ctx, scope, recordRelations), scope.kind);
}

/**
 * Loads, in one batch per kind, the caller's relations to every record in `scopes` that is not known yet, so that the
 * guards decide their fields synchronously. Undefined when nothing was missing.
 */
export function settleRelations(ctx: Context, scopes: Iterable<RecordScope>): Promise<unknown> | undefined {
  let missing: Map<RecordScope['kind'], string[]> | undefined;
  for (const scope of scopes) {
    if (relationLoaders[scope.kind](ctx).has(scope.id)) continue;
    missing ??= new Map();
    let ids = missing.get(scope.kind);
    if (!ids) missing.set(scope.kind, (ids = []));
    ids.push(scope.id);
  }
  if (!missing) return undefined;
  return Promise.all([...missing].map(([kind, ids]) => relationLoaders[kind](ctx).loadMany(ids)));
}

/** Refuses an operation the caller's roles do not allow (ACTION_POLICY). */
export function assertMayAct(ctx: Context, action: Action): void {
  const viewer = requireViewer(ctx);
  if (!mayAct(viewer.roles, action)) throw forbidden(`Your roles do not allow ${action}.`);
}
