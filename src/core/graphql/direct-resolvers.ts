import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import type { Context } from '../../context';

type Method = (...params: unknown[]) => unknown;

/**
 * Calls relation resolvers directly. type-graphql wraps every `@FieldResolver` in a generic handler that, on each call,
 * sorts the method's parameter list, maps it, checks for promises and converts the root; a page of cases calls such
 * resolvers a few thousand times. A resolver whose parameters are only `@Root()`, `@Ctx()` and `@Info()`, with no
 * middleware and no roles, needs none of that: it is called on one instance of its class with the root (when the root
 * is already of the declared class, as every object built by a loader is), the context and the info. Anything else —
 * arguments (validated by type-graphql), middlewares, a root of another class — keeps type-graphql's handler.
 */
export function applyDirectResolvers(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  const typeNames = new Map<Function, string>(storage.objectTypes.map((t) => [t.target, t.name]));
  const instances = new Map<Function, Record<string, Method>>();
  for (const resolver of storage.fieldResolvers) {
    if (resolver.kind !== 'external' || resolver.middlewares?.length || resolver.roles?.length) continue;
    const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
    if (!params.every((p) => (p.kind === 'root' || p.kind === 'context') ? !p.propertyName : p.kind === 'info')) continue;
    if (params.some((p, i) => p.index !== i)) continue;
    const objectClass = resolver.getObjectType?.() as Function | undefined;
    const typeName = objectClass && typeNames.get(objectClass);
    const type = typeName ? schema.getType(typeName) : undefined;
    if (!isObjectType(type)) continue;
    const field = type.getFields()[resolver.schemaName];
    if (!field?.resolve) continue;
    let instance = instances.get(resolver.target);
    if (!instance) instances.set(resolver.target, (instance = new (resolver.target as new () => Record<string, Method>)()));
    const method = instance[resolver.methodName];
    if (typeof method !== 'function') continue;
    const rootClass = rootClassOf(params);
    const kinds = params.map((p) => p.kind);
    const generic = field.resolve as GraphQLFieldResolver<unknown, Context>;
    const target = instance;
    field.resolve = (root, args, context, info) => {
      if (rootClass && !(root instanceof rootClass)) return generic(root, args, context, info);
      const values = kinds.map((kind) => (kind === 'root' ? root : kind === 'context' ? context : info));
      return method.apply(target, values);
    };
  }
  return schema;
}

/** The class a `@Root()` parameter declares (by reflection), when it declares one. */
function rootClassOf(params: ReadonlyArray<{ kind: string; getType?: unknown }>): Function | undefined {
  const root = params.find((p) => p.kind === 'root') as { getType?: () => unknown } | undefined;
  const declared = root?.getType?.();
  return typeof declared === 'function' && declared !== Object ? (declared as Function) : undefined;
}
