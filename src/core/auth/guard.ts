import { defaultFieldResolver, getNamedType, isCompositeType, isObjectType, type GraphQLField, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { Extensions, UseMiddleware } from 'type-graphql';
import type { Context } from '../../context';
import { forbidden } from '../graphql/errors';
import { isPromise } from '../loaders';
import { assertMayAct, classesReadable, classesReadableNow, settleRelations, type Guarded, type RecordScope } from './access';
import type { Action } from './policy';
import { FieldClass } from './roles';

/** Field classes whose every read is written to the audit log. */
export const AUDITED_CLASSES: ReadonlySet<FieldClass> = new Set([FieldClass.IDENTITY, FieldClass.HEALTH, FieldClass.SOCIAL_RISK, FieldClass.EDUCATION, FieldClass.NOTES]);

/**
 * Declares a field's sensitivity class. The policy table decides who reads it; a denied read is
 * `null` plus a FORBIDDEN error at the field's path; reads of sensitive classes are audited.
 * The decorator only records the class; `applyFieldGuards` enforces it on the built schema.
 */
export function Guard(fieldClass: FieldClass): PropertyDecorator & MethodDecorator {
  return Extensions({ fieldClass }) as PropertyDecorator & MethodDecorator;
}

type Decision = Set<FieldClass> | Promise<Set<FieldClass>>;

/**
 * A request's guard decisions: by scope object (every field of one record), and by record for other objects of it.
 * Kept with the request's loaders, so that a write, which forgets everything loaded (`clearLoaders`), forgets them too.
 */
class DecisionCache {
  byScope = new WeakMap<RecordScope, Set<FieldClass>>();
  byRecord = new Map<string, Decision>();

  /** New maps, not emptied ones: a decision still pending from before the write lands in the forgotten map. */
  clearAll(): this {
    this.byScope = new WeakMap();
    this.byRecord = new Map();
    return this;
  }
}

const DECISIONS = Symbol('guardDecisions');

/**
 * The classes the caller may read on a record, once per record and request. The relations are normally settled before
 * graphql-js reaches the record (`settlingRecords`), so the decision is synchronous; otherwise the first field of the
 * record waits for it. Fields of the same object find the decision by their scope object, without building a key.
 */
function classesFor(ctx: Context, scope: RecordScope): Decision {
  let cache = ctx.loaders.get(DECISIONS) as DecisionCache | undefined;
  if (!cache) ctx.loaders.set(DECISIONS, (cache = new DecisionCache()));
  const direct = cache.byScope.get(scope);
  if (direct) return direct;
  const key = `${scope.kind}:${scope.id}:${scope.ownerAgencyId ?? ''}`;
  let decision = cache.byRecord.get(key);
  if (!decision) {
    const known = classesReadableNow(ctx, scope);
    if (known) decision = known;
    else {
      const byRecord = cache.byRecord;
      decision = classesReadable(ctx, scope).then((classes) => {
        byRecord.set(key, classes);
        return classes;
      });
    }
    cache.byRecord.set(key, decision);
  }
  if (decision instanceof Set) cache.byScope.set(scope, decision);
  return decision;
}

/** The record scopes of a resolved value: a guarded object, or a list of them. */
function* scopesOf(value: unknown): Generator<RecordScope> {
  if (Array.isArray(value)) {
    for (const item of value) if ((item as Guarded | null)?.scope) yield (item as Guarded).scope;
  } else if ((value as Guarded | null)?.scope) yield (value as Guarded).scope;
}

/**
 * Wraps a field that returns records (an object or a list): before graphql-js visits them, the caller's relations to
 * all of them are loaded in one batch, so that every guarded field below is decided synchronously. Without this the
 * first field of each record would wait for its own decision and every field of it would become a promise.
 */
function settlingRecords(resolve: GraphQLFieldResolver<unknown, Context>): GraphQLFieldResolver<unknown, Context> {
  const settle = (value: unknown, context: Context) => {
    // One record (the common case: a case's family, lead agency…) is settled without a generator object per call.
    const one = Array.isArray(value) ? undefined : (value as Guarded | null)?.scope;
    const scopes = Array.isArray(value) ? scopesOf(value) : one && [one];
    const pending = scopes ? settleRelations(context, scopes) : undefined;
    return pending ? pending.then(() => value) : value;
  };
  return (root, args, context, info) => {
    const value = resolve(root, args, context, info);
    return isPromise(value) ? value.then((resolved) => settle(resolved, context)) : settle(value, context);
  };
}

/** A field's resolver behind its guard, without `settlingRecords`: what the look-ahead calls (it settles per round). */
const guardedOnly = new WeakMap<GraphQLField<unknown, Context>, GraphQLFieldResolver<unknown, Context>>();

/** Wraps a resolver in the guard of a field class: a denied read is FORBIDDEN, a read of an audited class is noted. */
function guarding(typeName: string, fieldName: string, fieldClass: FieldClass, resolve: GraphQLFieldResolver<unknown, Context>): GraphQLFieldResolver<unknown, Context> {
  const audited = AUDITED_CLASSES.has(fieldClass);
  const decide = (classes: Set<FieldClass>, root: Guarded, args: Record<string, unknown>, context: Context, info: GraphQLResolveInfo) => {
    if (!classes.has(fieldClass)) throw forbidden(`${typeName}.${fieldName} is ${fieldClass} data that you may not read.`);
    if (audited) context.audit.read(root.scope, typeName, fieldName);
    return resolve(root, args, context, info);
  };
  return (root, args, context, info) => {
    const record = root as Guarded | null;
    if (!record?.scope) throw new Error(`${typeName}.${fieldName} is guarded but its object carries no scope`);
    const classes = classesFor(context, record.scope);
    return classes instanceof Set ? decide(classes, record, args, context, info) : classes.then((known) => decide(known, record, args, context, info));
  };
}

/**
 * Enforces every `@Guard` of a built schema: each field that declares a class gets its resolver wrapped once, at
 * start. A wrapper rather than a type-graphql middleware, because a middleware is a chain of promises per field,
 * and a page of cases has thousands of guarded fields (docs/performance.md). Every field that returns records also
 * settles the guard decisions for them in one batch (`settlingRecords`).
 */
export function applyFieldGuards(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields()) as Array<GraphQLField<unknown, Context>>) {
      const resolve = field.resolve ?? defaultFieldResolver;
      const fieldClass = (field.extensions as { fieldClass?: FieldClass } | undefined)?.fieldClass;
      const guarded = fieldClass && fieldClass !== FieldClass.REFERENCE;
      if (isCompositeType(getNamedType(field.type))) {
        guardedOnly.set(field, guarded ? guarding(type.name, field.name, fieldClass, resolve) : resolve);
        field.resolve = settlingRecords(resolve);
      }
      if (guarded) field.resolve = guarding(type.name, field.name, fieldClass, field.resolve ?? resolve);
    }
  }
  return schema;
}

/**
 * What the look-ahead needs from the guards: each field's guarded resolver without the per-field settling, and one
 * settling of all the records a round of loads brought in — one relation statement per kind of record and round,
 * whatever order the round's statements come back in.
 */
export const lookaheadGuards = {
  resolverOf: (field: GraphQLField<unknown, Context>): GraphQLFieldResolver<unknown, Context> | undefined => guardedOnly.get(field),
  settle: (context: Context, records: unknown[]): Promise<unknown> | undefined => settleRelations(context, scopesOf(records)),
};

/** Gates a query or mutation by an action of ACTION_POLICY. */
export function Allow(action: Action): MethodDecorator {
  const extensions = Extensions({ action });
  const use = UseMiddleware(async ({ context }: { context: Context }, next: () => Promise<unknown>) => {
    assertMayAct(context, action);
    return next();
  });
  return (target, key, descriptor) => {
    extensions(target, key, descriptor);
    use(target, key, descriptor);
  };
}
