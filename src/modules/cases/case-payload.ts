import { Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import type { Context } from '../../context';
import type { Resolved } from '../../core/loaders';
import { Case } from './case.type';
import { caseById } from './case.loaders';

/** A mutation payload that carries the local id of its case (null: no case to show); see `payloadCaseResolver`. */
export interface WithCaseId {
  caseId: string | null;
}

/**
 * The resolver of a payload's `case` field: the case is read (after the write, scoped like every read: null when the
 * caller may not see it) only when the client selects it, instead of with every answer. The payload type keeps its
 * `@Field` for `case` (type, nullability, description); this only resolves it, from the payload's `caseId`.
 * Export the returned class from a `.resolver.ts` file under a name ending in `Resolver`, so that the schema picks it up.
 */
export function payloadCaseResolver<P extends WithCaseId>(payload: ClassType<P>) {
  @Resolver(() => payload)
  class PayloadCaseResolver {
    @FieldResolver(() => Case, { nullable: true })
    case(@Root() root: P, @Ctx() ctx: Context): Resolved<Case | null> | null {
      return root.caseId ? caseById(ctx).get(root.caseId) : null;
    }
  }
  return PayloadCaseResolver;
}
