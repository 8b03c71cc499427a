import path from 'node:path';

/** Settings read once from the environment at start; a bad value stops the process with a clear message. */
export interface Config {
  port: number;
  /** The interface to listen on; every interface when unset. */
  host: string | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
  jwt: {
    algorithms: Array<'HS256' | 'RS256' | 'ES256'>;
    secret: string | undefined;
    publicKey: string | undefined;
    issuer: string | undefined;
    audience: string | undefined;
  };
  corsOrigins: string[];
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  exposeSqlCount: boolean;
  audit: boolean;
  /** Keeps agencies, staff members and service types across requests (src/db/reference-cache.ts). */
  referenceCache: boolean;
  /** How many records of each reference table the process keeps at most. */
  referenceCacheSize: number;
  seedDemo: boolean;
  limits: { maxDepth: number; maxCost: number; maxAliases: number; maxDocumentBytes: number };
  pool: PoolSettings;
  /** Outcome metrics statements: how many run at once per process, and how many distinct ones may wait (see CoalescingGate). */
  metrics: { concurrency: number; maxWaiting: number };
}

/**
 * The database connection pool of the process, bounded so that runaway queries cannot take the server down.
 * A wait of 0 waits for ever; a PostgreSQL timeout of 0 leaves the server's own setting (none by default).
 */
export interface PoolSettings {
  /** Connections per process. */
  size: number;
  /** How long a request waits for a free connection before it is answered SERVICE_UNAVAILABLE (pg-pool's connectionTimeoutMillis). */
  waitMs: number;
  /** How long one statement may run, lock waits included, before PostgreSQL cancels it (the session's statement_timeout). */
  statementTimeoutMs: number;
  /** How long a connection may sit idle inside an open transaction before PostgreSQL ends the session. */
  idleInTransactionTimeoutMs: number;
}

/** The development secret; refused when NODE_ENV=production. */
export const DEVELOPMENT_JWT_SECRET = 'krug-development-secret-change-me';

/** The shortest HS256 secret accepted in production: 256 bits, as RFC 7518 asks of an HS256 key. */
export const MIN_PRODUCTION_SECRET_LENGTH = 32;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`Environment variable ${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = integer(env, name, fallback);
  if (value === 0) throw new Error(`Environment variable ${name} must be a positive integer, got "${env[name]}"`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new Error(`Environment variable ${name} must be true or false, got "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const publicKey = env.JWT_PUBLIC_KEY?.replace(/\\n/g, '\n');
  const algorithms = (env.JWT_ALGORITHMS ?? (publicKey ? 'RS256' : 'HS256')).split(',').map((a) => a.trim());
  for (const algorithm of algorithms) {
    if (!['HS256', 'RS256', 'ES256'].includes(algorithm)) throw new Error(`JWT_ALGORITHMS: unsupported algorithm "${algorithm}"`);
  }
  const secret = env.JWT_SECRET ?? (production ? undefined : DEVELOPMENT_JWT_SECRET);
  if (algorithms.includes('HS256') && !secret) throw new Error('JWT_SECRET is required for HS256 tokens (or set JWT_PUBLIC_KEY for RS256/ES256)');
  if (production && algorithms.includes('HS256') && secret) {
    if (secret === DEVELOPMENT_JWT_SECRET) throw new Error('JWT_SECRET must not be the development secret in production');
    if (secret.length < MIN_PRODUCTION_SECRET_LENGTH) throw new Error(`JWT_SECRET must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters in production`);
  }
  // In production the data must live in a managed PostgreSQL, never in an embedded one inside the container.
  if (production && !env.DATABASE_URL) throw new Error('DATABASE_URL is required in production');
  if (algorithms.some((a) => a !== 'HS256') && !publicKey) throw new Error('JWT_PUBLIC_KEY is required for RS256/ES256 tokens');
  if (algorithms.includes('HS256') && algorithms.some((a) => a !== 'HS256')) {
    // Mixing symmetric and asymmetric algorithms invites key-confusion attacks.
    throw new Error('JWT_ALGORITHMS must not mix HS256 with RS256/ES256');
  }
  const logLevel = (env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info')) as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) throw new Error(`LOG_LEVEL: unknown level "${logLevel}"`);
  return {
    port: integer(env, 'PORT', 4000),
    host: env.HOST || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.KRUG_DATA_DIR ?? '.data/postgres'),
    jwt: {
      algorithms: algorithms as Config['jwt']['algorithms'],
      secret,
      publicKey,
      issuer: env.JWT_ISSUER || undefined,
      audience: env.JWT_AUDIENCE || undefined,
    },
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    logLevel,
    exposeSqlCount: flag(env, 'EXPOSE_SQL_COUNT', !production),
    audit: flag(env, 'AUDIT', true),
    referenceCache: flag(env, 'REFERENCE_CACHE', true),
    referenceCacheSize: positiveInteger(env, 'REFERENCE_CACHE_SIZE', 5000),
    seedDemo: flag(env, 'SEED_DEMO', !production),
    limits: {
      maxDepth: integer(env, 'MAX_QUERY_DEPTH', 12),
      maxCost: integer(env, 'MAX_QUERY_COST', 50000),
      maxAliases: integer(env, 'MAX_QUERY_ALIASES', 30),
      maxDocumentBytes: integer(env, 'MAX_DOCUMENT_BYTES', 20000),
    },
    pool: {
      size: positiveInteger(env, 'DATABASE_POOL_SIZE', 10),
      waitMs: integer(env, 'DATABASE_POOL_WAIT_MS', 5000),
      statementTimeoutMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 15000),
      idleInTransactionTimeoutMs: integer(env, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 60000),
    },
    metrics: {
      concurrency: positiveInteger(env, 'METRICS_CONCURRENCY', 2),
      maxWaiting: positiveInteger(env, 'METRICS_MAX_WAITING', 50),
    },
  };
}
