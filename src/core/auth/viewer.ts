import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { queryOne } from '../db';
import { sql } from '../sql';
import { unauthenticated } from '../graphql/errors';
import { AgencyKind, Role } from './roles';
import { verifyToken } from './token';

/** The authenticated caller of a request. */
export interface Viewer {
  /** The token's subject: a staff member's id, or a partner system's client id. */
  subject: string;
  /** The staff member behind the token, when the subject is one of the agency's staff. */
  staffId: string | null;
  agencyId: string;
  agencyKind: AgencyKind;
  agencyRegion: string;
  roles: Role[];
  /** The regions the caller works in: the token's `regions`, else the agency's region. */
  regions: string[];
}

/** Reads the bearer token of a request and resolves it to a viewer; null when no token was sent. */
export async function resolveViewer(authorization: string | undefined, config: Config['jwt'], db: DataSource): Promise<Viewer | null> {
  return (await resolveCaller(authorization, config, db)).viewer;
}

/**
 * `resolveViewer`, and the version of the reference data read in the same statement (`reference_version`, see
 * src/db/reference-cache.ts): null when no token was sent.
 */
export async function resolveCaller(
  authorization: string | undefined,
  config: Config['jwt'],
  db: DataSource,
): Promise<{ viewer: Viewer | null; referenceVersion: string | null }> {
  if (!authorization) return { viewer: null, referenceVersion: null };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
  const claims = verifyToken(match[1], config);
  if (!/^\d{1,18}$/.test(claims.agencyId)) throw unauthenticated('The token names an unknown agency.');
  const staffId = /^\d{1,18}$/.test(claims.sub) ? claims.sub : null;
  const row = await queryOne<{ kind: AgencyKind; region_code: string; staff_id: string | null; reference_version: string }>(
    db,
    sql`SELECT a.kind, a.region_code, s.id AS staff_id, (SELECT v.version::text FROM reference_version v) AS reference_version
          FROM agency a
          LEFT JOIN staff_member s ON s.id = ${staffId}::bigint AND s.agency_id = a.id AND s.active
         WHERE a.id = ${claims.agencyId}::bigint AND a.active`,
  );
  if (!row) throw unauthenticated('The token names an unknown agency.');
  const isSystem = claims.roles.includes(Role.PARTNER_SYSTEM);
  if (!row.staff_id && !isSystem) throw unauthenticated('The token names no active staff member of its agency.');
  const viewer: Viewer = {
    subject: claims.sub,
    staffId: row.staff_id,
    agencyId: claims.agencyId,
    agencyKind: row.kind,
    agencyRegion: row.region_code,
    roles: claims.roles,
    regions: claims.regions ?? [row.region_code],
  };
  return { viewer, referenceVersion: row.reference_version };
}
