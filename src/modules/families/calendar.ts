import { ValidateBy, type ValidationOptions } from 'class-validator';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MOSCOW_OFFSET_MS = 3 * 3600 * 1000;

/** Whether a value is a real calendar day written YYYY-MM-DD (no 2024-02-30), from 1900 on. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Today as the registry dates its records: the calendar day in Moscow (UTC+3), as federal registries do.
 * A day after it is "in the future" for validation.
 */
export function registryToday(now: Date = new Date()): string {
  return new Date(now.getTime() + MOSCOW_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether a calendar day is after the registry's today. */
export function isFutureDate(value: string, now: Date = new Date()): boolean {
  return value > registryToday(now);
}

/** The input value is a calendar day written YYYY-MM-DD. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isCalendarDate', validator: { validate: (value) => isCalendarDate(value), defaultMessage: () => 'must be a date written YYYY-MM-DD' } }, options);
}

/** The input value, when it is a calendar day, is not after today (Moscow time). */
export function NotInFuture(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'notInFuture', validator: { validate: (value) => !isCalendarDate(value) || !isFutureDate(value), defaultMessage: () => 'must not be in the future' } },
    options,
  );
}

/** The input text has at least one character that is not white space. */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'notBlank', validator: { validate: (value) => typeof value !== 'string' || value.trim().length > 0, defaultMessage: () => 'must not be empty' } }, options);
}
