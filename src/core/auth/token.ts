import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt, { type Algorithm, type JwtPayload } from 'jsonwebtoken';
import type { Config } from '../../config';
import { Role } from './roles';
import { unauthenticated } from '../graphql/errors';

/** The claims of a verified token (ACCESS.md). */
export interface TokenClaims {
  sub: string;
  agencyId: string;
  roles: Role[];
  regions: string[] | null;
}

const ROLES = new Set<string>(Object.values(Role));

const keys = new WeakMap<Config['jwt'], KeyObject>();

/** The key tokens are checked with, built once per configuration (jsonwebtoken would parse a string key on every call). */
function verificationKey(config: Config['jwt']): KeyObject {
  let key = keys.get(config);
  if (!key) {
    key = config.algorithms.includes('HS256') ? createSecretKey(Buffer.from(config.secret!, 'utf8')) : createPublicKey(config.publicKey!);
    keys.set(config, key);
  }
  return key;
}

/**
 * Verifies a bearer token: pinned algorithms only (never `none`), `exp` required,
 * `iss`/`aud` when configured, and claims of the right shape. Every failure is UNAUTHENTICATED
 * with a reason that names no secret.
 */
export function verifyToken(token: string, config: Config['jwt']): TokenClaims {
  const key = verificationKey(config);
  let payload: JwtPayload;
  try {
    const verified = jwt.verify(token, key, {
      algorithms: config.algorithms as Algorithm[],
      issuer: config.issuer,
      audience: config.audience,
      clockTolerance: 5,
      complete: false,
    });
    if (typeof verified === 'string') throw new Error('payload is not an object');
    payload = verified;
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TokenExpiredError') throw unauthenticated('The token has expired.');
    throw unauthenticated('The token is invalid.');
  }
  if (typeof payload.exp !== 'number') throw unauthenticated('The token has no expiry (exp).');
  const { sub, agency_id: agencyId, roles, regions } = payload as JwtPayload & { agency_id?: unknown; roles?: unknown; regions?: unknown };
  if (typeof sub !== 'string' || !sub) throw unauthenticated('The token has no subject (sub).');
  if (typeof agencyId !== 'string' && typeof agencyId !== 'number') throw unauthenticated('The token has no agency_id.');
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => typeof r === 'string' && ROLES.has(r))) {
    throw unauthenticated('The token has no valid roles.');
  }
  if (regions !== undefined && (!Array.isArray(regions) || !regions.every((r) => typeof r === 'string'))) {
    throw unauthenticated('The token has malformed regions.');
  }
  return { sub, agencyId: String(agencyId), roles: roles as Role[], regions: (regions as string[] | undefined) ?? null };
}

/** Signs a development token (HS256). Used by `npm run token` and the tests. */
export function signDevelopmentToken(
  claims: { sub: string; agencyId: string; roles: Role[]; regions?: string[] },
  secret: string,
  options: { expiresInSeconds?: number; issuer?: string; audience?: string } = {},
): string {
  return jwt.sign(
    { agency_id: claims.agencyId, roles: claims.roles, ...(claims.regions ? { regions: claims.regions } : {}) },
    secret,
    {
      algorithm: 'HS256',
      subject: claims.sub,
      expiresIn: options.expiresInSeconds ?? 12 * 3600,
      ...(options.issuer ? { issuer: options.issuer } : {}),
      ...(options.audience ? { audience: options.audience } : {}),
    },
  );
}
