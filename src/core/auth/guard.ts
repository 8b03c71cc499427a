import { Extensions, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { Context } from '../../context';
import { forbidden } from '../graphql/errors';
import { assertMayAct, canRead, type Guarded } from './access';
import type { Action } from './policy';
import { FieldClass } from './roles';

/** Field classes whose every read is written to the audit log. */
export const AUDITED_CLASSES: ReadonlySet<FieldClass> = new Set([FieldClass.IDENTITY, FieldClass.HEALTH, FieldClass.SOCIAL_RISK, FieldClass.EDUCATION, FieldClass.NOTES]);

function guardMiddleware(fieldClass: FieldClass): MiddlewareFn<Context> {
  return async ({ root, context, info }, next) => {
    const record = root as Guarded;
    if (!record?.scope) throw new Error(`${info.parentType.name}.${info.fieldName} is guarded but its object carries no scope`);
    if (!(await canRead(context, record.scope, fieldClass))) {
      throw forbidden(`${info.parentType.name}.${info.fieldName} is ${fieldClass} data that you may not read.`);
    }
    if (AUDITED_CLASSES.has(fieldClass)) context.audit.read(record.scope, info.parentType.name, info.fieldName);
    return next();
  };
}

const middlewares = new Map<FieldClass, MiddlewareFn<Context>>();

/**
 * Declares a field's sensitivity class. The policy table decides who reads it; a denied read is
 * `null` plus a FORBIDDEN error at the field's path; reads of sensitive classes are audited.
 */
export function Guard(fieldClass: FieldClass): PropertyDecorator & MethodDecorator {
  let middleware = middlewares.get(fieldClass);
  if (!middleware) middlewares.set(fieldClass, (middleware = guardMiddleware(fieldClass)));
  const extensions = Extensions({ fieldClass });
  const use = UseMiddleware(middleware);
  return ((target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    extensions(target, key, descriptor as never);
    use(target, key, descriptor as never);
  }) as PropertyDecorator & MethodDecorator;
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
