import {
  defaultFieldResolver,
  getNamedType,
  isCompositeType,
  isAbstractType,
  isObjectType,
  type GraphQLAbstractType,
  type FieldNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { collectSubfields } from 'graphql/execution/collectFields';
import { getArgumentValues } from 'graphql/execution/values';
import type { Context } from '../../context';
import { isPromise } from '../loaders';

/**
 * Look-ahead: the query's shape drives the loading, level by level, before graphql-js walks the answer.
 *
 * When a field that returns objects has to wait (a root list, a relation not loaded yet), the rest of its selection is
 * known: every relation below it is asked for, for all the objects of a level at once, so that each relation costs one
 * batched statement per level and every loader holds its values before graphql-js visits them. graphql-js then finds
 * every relation already loaded (loaders hand settled values over synchronously, `RequestLoader.get`) and completes
 * the whole answer without a promise per field.
 *
 * The look-ahead calls the fields' own resolvers, guards included: it loads nothing a resolver would not load, and a
 * field the caller may not read is refused here exactly as later (its error is dropped here and raised by graphql-js).
 * Interfaces and unions are followed under each object's own type; an object whose type cannot be told at once is
 * left to graphql-js, which loads it as it always did.
 */

interface Level {
  type: GraphQLNamedType;
  fieldNodes: readonly FieldNode[];
  items: unknown[];
}

const innerResolvers = new WeakMap<GraphQLField<unknown, Context>, GraphQLFieldResolver<unknown, Context>>();

/**
 * How the look-ahead works with the guards (src/core/auth/guard.ts): the resolver to call for a field (guarded, but
 * not settling each field's records on its own), and how to settle all the records of a round at once.
 */
export interface LookaheadHooks {
  resolverOf(field: GraphQLField<unknown, Context>): GraphQLFieldResolver<unknown, Context> | undefined;
  settle(context: Context, records: unknown[]): Promise<unknown> | undefined;
}

function collect(into: unknown[], value: unknown): void {
  if (value == null) return;
  if (Array.isArray(value)) for (const item of value) collect(into, item);
  else if (typeof value === 'object') into.push(value);
}

const ignore = (): void => undefined;

/** The objects of an interface or union level, grouped under their object types (those it cannot tell are left to graphql-js). */
function byRuntimeType(ctx: Context, info: GraphQLResolveInfo, level: Level): Level[] {
  const abstract = level.type as GraphQLAbstractType;
  const groups = new Map<string, Level>();
  for (const item of level.items) {
    let name: unknown;
    try {
      name = abstract.resolveType?.(item, ctx, info, abstract);
    } catch {
      continue;
    }
    if (typeof name !== 'string') continue;
    const type = info.schema.getType(name);
    if (!type || !isObjectType(type)) continue;
    let group = groups.get(name);
    if (!group) groups.set(name, (group = { type, fieldNodes: level.fieldNodes, items: [] }));
    group.items.push(item);
  }
  return [...groups.values()];
}

/**
 * Loads every relation asked for below `value`, one round of loads at a time: a round dispatches every load it can
 * together (so that relations sharing a loader share its batch) and waits for them once. Objects that are already
 * there (a connection's `nodes`, a payload's fields) are no round of their own: their relations join the current one.
 */
async function loadBelow(ctx: Context, info: GraphQLResolveInfo, value: unknown, hooks: LookaheadHooks | undefined): Promise<void> {
  const first: Level = { type: getNamedType(info.returnType), fieldNodes: info.fieldNodes, items: [] };
  collect(first.items, value);
  let round = [first];
  while (round.length) {
    const pending: Array<Promise<unknown>> = [];
    const next: Level[] = [];
    // `round` grows while it is walked: a level whose objects were all at hand is walked in this very round.
    for (let index = 0; index < round.length; index++) {
      const level = round[index];
      if (level.items.length === 0) continue;
      if (isAbstractType(level.type)) {
        // An interface or union (`node`, `nodes`): its objects are walked under their own types.
        round.push(...byRuntimeType(ctx, info, level));
        continue;
      }
      if (!isObjectType(level.type)) continue;
      const fields = level.type.getFields();
      for (const [responseKey, nodes] of collectSubfields(info.schema, info.fragments, info.variableValues, level.type, level.fieldNodes as FieldNode[])) {
        const field = fields[nodes[0].name.value];
        if (!field || !isCompositeType(getNamedType(field.type))) continue;
        let args: Record<string, unknown>;
        try {
          args = getArgumentValues(field, nodes[0], info.variableValues);
        } catch {
          continue;
        }
        const resolve = hooks?.resolverOf(field as GraphQLField<unknown, Context>) ?? innerResolvers.get(field as GraphQLField<unknown, Context>) ?? defaultFieldResolver;
        const fieldInfo: GraphQLResolveInfo = {
          ...info,
          fieldName: field.name,
          fieldNodes: nodes,
          returnType: field.type,
          parentType: level.type,
          path: { prev: info.path, key: responseKey, typename: level.type.name },
        };
        const below: Level = { type: getNamedType(field.type), fieldNodes: nodes, items: [] };
        let waits = false;
        for (const item of level.items) {
          let result: unknown;
          try {
            result = resolve(item, args, ctx, fieldInfo);
          } catch {
            continue;
          }
          if (isPromise(result)) {
            waits = true;
            pending.push(result.then((resolved) => collect(below.items, resolved), ignore));
          } else collect(below.items, result);
        }
        (waits ? next : round).push(below);
      }
    }
    await Promise.all(pending);
    // The records this round brought in have their guard decisions settled together, before the next round reads them.
    const settling = hooks?.settle(ctx, next.flatMap((level) => level.items));
    if (settling) await settling;
    round = next;
  }
}

/**
 * Wraps every field that returns objects: when its resolver has to wait, the selection below it is loaded ahead
 * (`loadBelow`) before its value is handed to graphql-js. A field whose value is already there is left as it is: its
 * relations were loaded ahead by the field above it.
 */
export function applyLookahead(schema: GraphQLSchema, hooks?: LookaheadHooks): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields()) as Array<GraphQLField<unknown, Context>>) {
      if (!isCompositeType(getNamedType(field.type))) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      innerResolvers.set(field, resolve);
      field.resolve = (root, args, context, info) => {
        const result = resolve(root, args, context, info);
        if (!isPromise(result)) return result;
        return result.then(async (value) => {
          if (value != null) await loadBelow(context, info, value, hooks);
          return value;
        });
      };
    }
  }
  return schema;
}
