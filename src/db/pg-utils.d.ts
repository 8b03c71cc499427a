/** pg's own conversion of a parameter value to the text it binds (not covered by @types/pg). */
declare module 'pg/lib/utils' {
  export function prepareValue(value: unknown): string | Buffer | null | undefined;
}
