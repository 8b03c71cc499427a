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
  /** No database connection became free in time (the pool is exhausted): retry later. Not in API.md's list. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  /** PostgreSQL cancelled a statement that ran longer than the statement timeout: ask for less. Not in API.md's list. */
  QUERY_TIMEOUT = 'QUERY_TIMEOUT',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** One violation of an input rule: the input field's path and a plain message, never the value sent. */
export interface FieldViolation {
  field: string;
  message: string;
}

/** Seconds a client is asked to wait before retrying when the registry is busy. */
export const RETRY_AFTER_SECONDS = 1;

const httpStatus: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.QUERY_TOO_COMPLEX]: 400,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
  // 503, not 504: Krug is no gateway, and a proxy in front of it answers 504 when Krug itself is slow; a client
  // must be able to tell "the registry stopped your statement" from that. 503 says "not now", which holds for a
  // lock wait on a busy record; the code and message say that a heavy query should ask for less.
  [ErrorCode.QUERY_TIMEOUT]: 503,
};

/** Response headers an error code adds: when to come back after a busy pool. */
const httpHeaders: Partial<Record<ErrorCode, Array<[string, string]>>> = {
  [ErrorCode.SERVICE_UNAVAILABLE]: [['retry-after', String(RETRY_AFTER_SECONDS)]],
};

/** The HTTP status and headers of a code (Apollo reads them from `extensions.http` of a thrown error). */
function httpHead(code: ErrorCode): { status: number; headers: Map<string, string> } | null {
  const status = httpStatus[code];
  return status ? { status, headers: new Map(httpHeaders[code] ?? []) } : null;
}

export class KrugError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    const http = httpHead(code);
    super(message, { extensions: { code, ...extra, ...(http ? { http } : {}) } });
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

/** The pool's limits, named in the messages of the errors they cause (unknown when formatError is called without them). */
export interface DatabaseLimits {
  waitMs?: number;
  statementTimeoutMs?: number;
}

const within = (ms: number | undefined) => (ms ? `within ${ms} ms` : 'in time');

/**
 * The database refusing work because of the runaway-query limits, as the client should see it; null for any other
 * error. pg-pool reports an exhausted pool (and a connection that could not be opened within the same wait) only by
 * message; PostgreSQL reports a statement cancelled by statement_timeout as SQLSTATE 57014 (query_canceled), which
 * TypeORM copies onto its QueryFailedError. The messages never carry the statement, its values or the driver's text.
 */
export function databaseError(error: unknown, limits: DatabaseLimits = {}): KrugError | null {
  if (!(error instanceof Error)) return null;
  if (error.message === 'timeout exceeded when trying to connect') {
    return new KrugError(ErrorCode.SERVICE_UNAVAILABLE, `The registry is busy: no database connection became free ${within(limits.waitMs)}. Retry later.`);
  }
  if (error.message === 'Connection terminated due to connection timeout') {
    return new KrugError(ErrorCode.SERVICE_UNAVAILABLE, `The registry's database did not accept a connection ${within(limits.waitMs)}. Retry later.`);
  }
  const sqlState = (error as { code?: unknown; driverError?: { code?: unknown } }).code ?? (error as { driverError?: { code?: unknown } }).driverError?.code;
  if (sqlState === '57014') {
    const after = limits.statementTimeoutMs ? ` after ${limits.statementTimeoutMs} ms` : '';
    return new KrugError(
      ErrorCode.QUERY_TIMEOUT,
      `The query took too long: the database stopped it${after}. Ask for less (smaller pages, fewer nested lists, a narrower filter) or, if a record was busy, retry later.`,
    );
  }
  return null;
}

/**
 * The HTTP status and headers a response takes when one of its errors says the registry could not serve it now.
 * Errors raised while executing a query give HTTP 200 with partial data; a busy pool or a stopped statement is no
 * answer to the query, so the whole response says so (503, Retry-After).
 */
export function unavailableHead(errors: readonly GraphQLFormattedError[] | undefined): { status: number; headers: Map<string, string> } | null {
  for (const error of errors ?? []) {
    const code = error.extensions?.code;
    if (code === ErrorCode.SERVICE_UNAVAILABLE || code === ErrorCode.QUERY_TIMEOUT) return httpHead(code);
  }
  return null;
}

const knownCodes = new Set<string>(Object.values(ErrorCode));
// graphql-js and Apollo report document problems with their own codes; they name no data and may pass.
const passThroughCodes = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE']);

/**
 * Masks every error that is not one of ours: no stack, no SQL, no input values.
 * Variable coercion errors from graphql-js quote the value sent; they are rewritten to name only the variable.
 * A busy pool or a statement stopped by the timeout becomes SERVICE_UNAVAILABLE or QUERY_TIMEOUT (`databaseError`).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, limits: DatabaseLimits = {}): GraphQLFormattedError {
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
  const refused = databaseError(original, limits);
  if (refused) {
    log('warn', 'database refused work', { code: refused.extensions.code, error: original instanceof Error ? original.message : String(original), path: formatted.path });
    return { message: refused.message, locations: formatted.locations, path: formatted.path, extensions: { code: refused.extensions.code } };
  }
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
