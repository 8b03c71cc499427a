import { validate, type ValidationError } from 'class-validator';
import type { ValidatorFn } from 'type-graphql';
import { badInput, type FieldViolation } from './errors';

function violations(errors: ValidationError[], prefix: string): FieldViolation[] {
  const list: FieldViolation[] = [];
  for (const error of errors) {
    // Array items (class-validator names them by index) are written input.members[0].birthDate, as clients index them.
    const path = /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      // class-validator messages start with the property name; the path already names it.
      list.push({ field: path, message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message });
    }
    if (error.children?.length) list.push(...violations(error.children, path));
  }
  return list;
}

function argumentName(argValue: object, args: Record<string, unknown>): string {
  if (args === argValue) return '';
  for (const [name, value] of Object.entries(args)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.every((k) => k in argValue)) return name;
    }
  }
  const objectArgs = Object.entries(args).filter(([, v]) => v && typeof v === 'object');
  return objectArgs.length === 1 ? objectArgs[0][0] : '';
}

/**
 * Validates input objects with class-validator and reports each violation with the input field's path
 * and a plain message. Values are never echoed (type-graphql's own error carries the whole input).
 */
export const validateArgument: ValidatorFn = async (argValue, _argType, resolverData) => {
  if (argValue === null || argValue === undefined || typeof argValue !== 'object') return;
  const values = Array.isArray(argValue) ? argValue : [argValue];
  const found: FieldViolation[] = [];
  for (const [index, value] of values.entries()) {
    if (!value || typeof value !== 'object' || value.constructor === Object) continue;
    const errors = await validate(value, { forbidUnknownValues: false, validationError: { target: false, value: false } });
    if (errors.length) {
      const name = argumentName(value, resolverData.args as Record<string, unknown>);
      found.push(...violations(errors, Array.isArray(argValue) ? `${name}[${index}]` : name));
    }
  }
  if (found.length) throw badInput(found);
};
