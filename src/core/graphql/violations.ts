import { badInput, type FieldViolation } from './errors';
import { fromGlobalId } from './global-id';

/** The violations of one input, collected so that a caller learns every bad field at once and nothing is written. */
export class Violations {
  readonly list: FieldViolation[] = [];

  add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Throws BAD_USER_INPUT naming each field, if any rule was broken. */
  throwIfAny(): void {
    if (this.list.length) throw badInput(this.list);
  }
}

/** Decodes a global id of one type into `violations` (a wrong id names the field); returns null when absent or bad. */
export function localIdOf(value: string | null | undefined, type: string, field: string, violations: Violations): string | null {
  if (value === null || value === undefined) return null;
  const parsed = fromGlobalId(value);
  if (!parsed || parsed.type !== type) {
    violations.add(field, `must be the id of a ${type}`);
    return null;
  }
  return parsed.id;
}
