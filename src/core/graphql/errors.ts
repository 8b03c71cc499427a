import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { log } from '../logger';

/** The error codes of API.md; any other error reaches the client as INTERNAL_SERVER_ERROR. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  RATE_LIMITED = 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** One violation of an input rule: the input field's path and a plain message, never the value sent. */
export interface FieldViolation {
  field: string;
  message: string;
}

const httpStatus: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.QUERY_TOO_COMPLEX]: 400,
  [ErrorCode.RATE_LIMITED]: 429,
};

export class KrugError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    const status = httpStatus[code];
    super(message, { extensions: { code, ...extra, ...(status ? { http: { status } } : {}) } });
  }
}

export const unauthenticated = (message = 'A valid bearer token is required.') => new KrugError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'You may not do this.') => new KrugError(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string) => new KrugError(ErrorCode.NOT_FOUND, `${what} was not found.`);
export const conflict = (message: string) => new KrugError(ErrorCode.CONFLICT, message);
export const invalidTransition = (message: string) => new KrugError(ErrorCode.INVALID_TRANSITION, message);

export function badInput(violations: FieldViolation[]): KrugError {
  const summary = violations.map((v) => `${v.field}: ${v.message}`).join('; ');
  return new KrugError(ErrorCode.BAD_USER_INPUT, `Invalid input. ${summary}`, { fields: violations });
}

export const badField = (field: string, message: string) => badInput([{ field, message }]);

const knownCodes = new Set<string>(Object.values(ErrorCode));
// graphql-js and Apollo report document problems with their own codes; they name no data and may pass.
const passThroughCodes = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE']);

/**
 * Masks every error that is not one of ours: no stack, no SQL, no input values.
 * Variable coercion errors from graphql-js quote the value sent; they are rewritten to name only the variable.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? '');
  const { http: _http, stacktrace: _stack, exception: _exception, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
  const ours = error instanceof KrugError || (error instanceof GraphQLError && error.originalError instanceof KrugError);
  // graphql-js reports variable coercion failures quoting the value sent (Apollo codes them BAD_USER_INPUT): name only the variable.
  if (!ours && /^Variable "\$[^"]+" /.test(formatted.message)) return maskVariableError(formatted);
  // A null (or a variable without a value) for a required argument is found only at execution: the caller's mistake.
  const missingArgument = ours ? null : /^Argument "([^"]+)" of (?:non-null|required) type/.exec(formatted.message);
  if (missingArgument) {
    const field = missingArgument[1];
    return {
      message: `Invalid input. ${field}: is required and must not be null.`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.BAD_USER_INPUT, fields: [{ field, message: 'is required and must not be null' }] },
    };
  }
  if (knownCodes.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    // Apollo prefixes errors thrown while building the context (a bad token); the prefix tells a client nothing.
    const message = formatted.message.replace(/^Context creation failed: /, '');
    return { message, locations: formatted.locations, path: formatted.path, extensions };
  }
  if (passThroughCodes.has(code)) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code } };
  }
  const original = error instanceof GraphQLError ? error.originalError ?? error : error;
  log('error', 'unexpected error', {
    error: original instanceof Error ? original.message : String(original),
    stack: original instanceof Error ? original.stack : undefined,
    path: formatted.path,
  });
  return { message: 'Internal server error. The request id in the logs identifies it.', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

function maskVariableError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const match = /^Variable "\$([^"]+)"/.exec(formatted.message);
  const variable = match?.[1] ?? 'unknown';
  const fieldMatch = /at "([^"]+)"/.exec(formatted.message);
  const field = fieldMatch ? fieldMatch[1] : variable;
  const reason = formatted.message.includes('of required type') || formatted.message.includes('was not provided')
    ? 'is required'
    : formatted.message.includes('is not defined by type')
      ? 'is not a known field'
      : 'has the wrong type or format';
  return {
    message: `Invalid value for variable "$${variable}": ${field} ${reason}.`,
    locations: formatted.locations,
    extensions: { code: ErrorCode.BAD_USER_INPUT, fields: [{ field, message: reason }] },
  };
}
