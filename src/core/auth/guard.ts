import { defaultFieldResolver, isObjectType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { Extensions, UseMiddleware } from 'type-graphql';
import type { Context } from '../../context';
import { forbidden } from '../graphql/errors';
import { assertMayAct, classesReadable, type Guarded, type RecordScope } from './access';
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

const classCache = new WeakMap<Context, Map<string, Set<FieldClass> | Promise<Set<FieldClass>>>>();

/**
 * The classes the caller may read on a record, once per record and request: the first field of a record waits for
 * the policy (its relations come from a batched loader), every further field of it is decided synchronously.
 */
function classesFor(ctx: Context, scope: RecordScope): Set<FieldClass> | Promise<Set<FieldClass>> {
  let cache = classCache.get(ctx);
  if (!cache) classCache.set(ctx, (cache = new Map()));
  const key = `${scope.kind}:${scope.id}:${scope.ownerAgencyId ?? ''}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const pending = classesReadable(ctx, scope).then((classes) => {
    cache.set(key, classes);
    return classes;
  });
  cache.set(key, pending);
  return pending;
}

/**
 * Enforces every `@Guard` of a built schema: each field that declares a class gets its resolver wrapped once, at
 * start. A wrapper rather than a type-graphql middleware, because a middleware is a chain of promises per field,
 * and a page of cases has thousands of guarded fields (docs/PERFORMANCE.md).
 */
export function applyFieldGuards(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const fieldClass = (field.extensions as { fieldClass?: FieldClass } | undefined)?.fieldClass;
      if (!fieldClass || fieldClass === FieldClass.REFERENCE) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const audited = AUDITED_CLASSES.has(fieldClass);
      const typeName = type.name;
      const fieldName = field.name;
      const decide = (classes: Set<FieldClass>, root: Guarded, args: Record<string, unknown>, context: Context, info: GraphQLResolveInfo) => {
        if (!classes.has(fieldClass)) throw forbidden(`${typeName}.${fieldName} is ${fieldClass} data that you may not read.`);
        if (audited) context.audit.read(root.scope, typeName, fieldName);
        return resolve(root, args, context, info);
      };
      field.resolve = (root: Guarded, args, context: Context, info) => {
        if (!root?.scope) throw new Error(`${typeName}.${fieldName} is guarded but its object carries no scope`);
        const classes = classesFor(context, root.scope);
        return classes instanceof Set ? decide(classes, root, args, context, info) : classes.then((known) => decide(known, root, args, context, info));
      };
    }
  }
  return schema;
}

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
