import type { DataSource } from 'typeorm';
import { Role } from '../core/auth/roles';
import { signDevelopmentToken } from '../core/auth/token';
import { queryOne } from '../core/db';
import { sql } from '../core/sql';

/** A development token for the first case manager of the demo registry (or any staff member). */
export async function developmentToken(db: DataSource, secret: string): Promise<string> {
  const staff = await queryOne<{ id: string; agency_id: string; roles: string[] }>(
    db,
    sql`SELECT id, agency_id, roles FROM staff_member WHERE active ORDER BY ('CASE_MANAGER' = ANY(roles)) DESC, id LIMIT 1`,
  );
  if (!staff) throw new Error('no staff member to issue a token for');
  const roles = (staff.roles.length ? staff.roles : [Role.CASE_MANAGER]) as Role[];
  return signDevelopmentToken({ sub: String(staff.id), agencyId: String(staff.agency_id), roles }, secret);
}
