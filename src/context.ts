import type { DataSource } from 'typeorm';
import type { Config } from './config';
import type { Viewer } from './core/auth/viewer';
import { AuditBuffer } from './core/audit/audit-buffer';
import { unauthenticated } from './core/graphql/errors';

/** Everything one GraphQL request carries: the caller, per-request loaders, the audit buffer. */
export interface Context {
  requestId: string;
  viewer: Viewer | null;
  db: DataSource;
  config: Config;
  /** The request's loaders and other caches of what it read (each with `clearAll`, called after every write). */
  loaders: Map<symbol, unknown>;
  audit: AuditBuffer;
  /** The version of the reference data the request saw with its caller; null without one (src/db/reference-cache.ts). */
  referenceVersion: string | null;
  /** Whether the request has written: its reads then go around the process's reference cache (src/db/reference-cache.ts). */
  wrote: boolean;
}

export function createContext(options: { requestId: string; viewer: Viewer | null; db: DataSource; config: Config; referenceVersion?: string | null }): Context {
  return {
    ...options,
    referenceVersion: options.referenceVersion ?? null,
    loaders: new Map(),
    wrote: false,
    audit: new AuditBuffer(options.requestId, () => options.viewer, options.config.audit),
  };
}

/** The authenticated caller; every field of the registry requires one. */
export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}
