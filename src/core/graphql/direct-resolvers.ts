import { GraphQLScalarType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage as validationMetadata } from 'class-validator';
import { getMetadataStorage } from 'type-graphql';
import type { Context } from '../../context';

type Method = (...params: unknown[]) => unknown;

/**
 * Calls relation resolvers directly. type-graphql wraps every `@FieldResolver` in a generic handler that, on each call,
 * sorts the method's parameter list, maps it, checks for promises and converts the root; a page of cases calls such
 * resolvers a few thousand times. A resolver whose parameters are only `@Root()`, `@Ctx()` and `@Info()`, with no
 * middleware and no roles, needs none of that: it is called on one instance of its class with the root (when the root
 * is already of the declared class, as every object built by a loader is), the context and the info.
 *
 * Arguments are handed over too when type-graphql would do nothing with them but copy them: a scalar or enum `@Arg`,
 * and an `@Args()` class of scalar and enum fields that declares no validation (`PageArgs`). type-graphql's handler
 * validates every argument through `validateFn`, which is asynchronous: `services(first: 5)` on a page of cases was
 * 50 promises and 50 class-validator runs per request for nothing to check. Anything else — an input object,
 * a validated class, middlewares, a root of another class — keeps type-graphql's handler.
 */
export function applyDirectResolvers(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  applyPropertyReads(schema, storage);
  const typeNames = new Map<Function, string>(storage.objectTypes.map((t) => [t.target, t.name]));
  const instances = new Map<Function, Record<string, Method>>();
  for (const resolver of storage.fieldResolvers) {
    if (resolver.kind !== 'external' || resolver.middlewares?.length || resolver.roles?.length) continue;
    const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
    if (params.some((p, i) => p.index !== i)) continue;
    const getters = params.map((p) => argumentGetter(p, storage));
    if (getters.some((get) => get === undefined)) continue;
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
    const generic = field.resolve as GraphQLFieldResolver<unknown, Context>;
    const target = instance;
    const get = getters as ParamGetter[];
    const call = caller(method, target, get);
    field.resolve = (root, args, context, info) => {
      if (rootClass && !(root instanceof rootClass)) return generic(root, args, context, info);
      return call(root, args, context, info);
    };
  }
  return schema;
}

/**
 * Reads plain fields straight from their object. type-graphql resolves every `@Field` property of an object type through
 * a handler that builds a resolver-data object and a closure on each call, so that middlewares could run; Krug declares
 * none on object fields (guards are wrappers, src/core/auth/guard.ts), and a page of cases resolves ~3 800 such fields:
 * 7 % of W1's allocations. A field with no resolver of its own, no middleware and no roles is what type-graphql itself
 * builds for `@ObjectType({ simpleResolvers: true })`: the object's property. Fields with a resolver, a middleware or
 * roles keep type-graphql's handler. (The schema is built without global middlewares, src/schema.ts; one added there
 * would have to be applied to these fields too.)
 */
function applyPropertyReads(schema: GraphQLSchema, storage: Storage): void {
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    const fields = type.getFields();
    const classes = new Set<Function>([...(objectType.interfaceClasses ?? [])]);
    for (let c: Function | null = objectType.target; c && c !== Object && c !== Function.prototype; c = Object.getPrototypeOf(c) as Function | null) classes.add(c);
    const resolved = new Set(storage.fieldResolvers.filter((r) => classes.has(r.getObjectType?.() as Function)).map((r) => r.schemaName));
    for (const meta of storage.fields) {
      if (!classes.has(meta.target) || resolved.has(meta.schemaName) || meta.middlewares?.length || meta.roles?.length || meta.params?.length) continue;
      const field = fields[meta.schemaName];
      if (!field?.resolve) continue;
      const name = meta.name;
      field.resolve = (root) => (root as Record<string, unknown>)[name];
    }
  }
}

/** Calls `method` on `target` with its parameters' values: up to three (every resolver Krug has) without an array per call. */
function caller(method: Method, target: object, get: ParamGetter[]): GraphQLFieldResolver<unknown, Context> {
  const [first, second, third] = get;
  switch (get.length) {
    case 0:
      return () => method.call(target);
    case 1:
      return (root, args, context, info) => method.call(target, first(root, args, context, info));
    case 2:
      return (root, args, context, info) => method.call(target, first(root, args, context, info), second(root, args, context, info));
    case 3:
      return (root, args, context, info) => method.call(target, first(root, args, context, info), second(root, args, context, info), third(root, args, context, info));
    default:
      return (root, args, context, info) => method.apply(target, get.map((value) => value(root, args, context, info)));
  }
}

type ParamGetter = (root: unknown, args: Record<string, unknown>, context: Context, info: unknown) => unknown;
type Storage = ReturnType<typeof getMetadataStorage>;
interface ParamMetadata {
  kind: string;
  propertyName?: string;
  name?: string;
  getType?: () => unknown;
  validateSettings?: unknown;
  validateFn?: unknown;
}

/** Whether a declared type reaches the resolver as graphql-js coerced it (type-graphql converts nothing). */
function isPlain(type: unknown, storage: Storage): boolean {
  return (
    type === Boolean || type === String || type === Number || type === Date || type instanceof GraphQLScalarType || storage.enums.some((e) => e.enumObj === type)
  );
}

/** An `@Args()` class whose fields are all plain and that declares no class-validator rule; its field names. */
function plainArgsFields(cls: Function, storage: Storage): string[] | undefined {
  if (validationMetadata().getTargetValidationMetadatas(cls, '', true, false).length) return undefined;
  const names: string[] = [];
  for (let c: Function | null = cls; c && c !== Object && c !== Function.prototype; c = Object.getPrototypeOf(c) as Function | null) {
    for (const f of storage.fields) {
      if (f.target !== c) continue;
      if (!isPlain(f.getType(), storage)) return undefined;
      names.push(f.name);
    }
  }
  return names;
}

/** How a parameter gets its value on the direct path; undefined when only type-graphql's handler may fill it. */
function argumentGetter(raw: unknown, storage: Storage): ParamGetter | undefined {
  const p = raw as ParamMetadata;
  switch (p.kind) {
    case 'root':
      return p.propertyName ? undefined : (root) => root;
    case 'context':
      return p.propertyName ? undefined : (_root, _args, context) => context;
    case 'info':
      return (_root, _args, _context, info) => info;
    case 'arg': {
      if (p.validateSettings !== undefined || p.validateFn !== undefined || !p.name || !isPlain(p.getType?.(), storage)) return undefined;
      const name = p.name;
      return (_root, args) => args[name];
    }
    case 'args': {
      const cls = p.getType?.();
      if (p.validateSettings !== undefined || p.validateFn !== undefined || typeof cls !== 'function') return undefined;
      const fields = plainArgsFields(cls, storage);
      if (!fields) return undefined;
      const Args = cls as new () => Record<string, unknown>;
      // As type-graphql builds it (convertToType): the class's instance without the fields not given, plus those given.
      return (_root, args) => {
        const instance = new Args();
        for (const key of Object.keys(instance)) if (instance[key] === undefined && args[key] === undefined) delete instance[key];
        for (const name of fields) if (args[name] !== undefined) instance[name] = args[name];
        return instance;
      };
    }
    default:
      return undefined;
  }
}

/** The class a `@Root()` parameter declares (by reflection), when it declares one. */
function rootClassOf(params: ReadonlyArray<{ kind: string; getType?: unknown }>): Function | undefined {
  const root = params.find((p) => p.kind === 'root') as { getType?: () => unknown } | undefined;
  const declared = root?.getType?.();
  return typeof declared === 'function' && declared !== Object ? (declared as Function) : undefined;
}
