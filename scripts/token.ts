import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { Role } from '../src/core/auth/roles';
import { signDevelopmentToken } from '../src/core/auth/token';
import { openDatabase } from '../src/db/database';
import { queryOne } from '../src/core/db';
import { sql } from '../src/core/sql';
import { setLogLevel } from '../src/core/logger';
import { fromGlobalId } from '../src/core/graphql/global-id';

const usage = `Usage: npm run token -- --role <ROLE>[,<ROLE>] [--agency <id>] [--staff <id>] [--regions 54,10] [--hours 12]
Prints a development token (HS256, signed with JWT_SECRET). Without --agency/--staff, a staff member of the
running registry holding the role is chosen. Ids may be numbers or the API's global ids.
Roles: ${Object.values(Role).join(', ')}`;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** An id as a number, or the number behind a global id of the given type (as the API shows it). */
function localId(name: string, type: string): string | undefined {
  const value = argument(name);
  if (value === undefined || /^\d+$/.test(value)) return value;
  const parsed = fromGlobalId(value);
  if (!parsed || parsed.type !== type) throw new Error(`--${name} must be a number or the global id of a ${type}.\n${usage}`);
  return parsed.id;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(usage);
    return;
  }
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'error' });
  // The token is the only output, so that TOKEN=$(npm run --silent token -- ...) works.
  setLogLevel(config.logLevel);
  const roles = (argument('role') ?? 'CASE_MANAGER').split(',').map((r) => r.trim().toUpperCase());
  for (const role of roles) if (!(role in Role)) throw new Error(`Unknown role "${role}".\n${usage}`);
  let agencyId = localId('agency', 'Agency');
  let staffId = localId('staff', 'StaffMember');
  if (!agencyId || (!staffId && !roles.includes(Role.PARTNER_SYSTEM))) {
    const database = await openDatabase(config);
    try {
      const row = await queryOne<{ id: string; agency_id: string }>(
        database.dataSource,
        sql`SELECT id, agency_id FROM staff_member
             WHERE active AND (${agencyId ?? null}::bigint IS NULL OR agency_id = ${agencyId ?? null}::bigint)
               AND (${staffId ?? null}::bigint IS NULL OR id = ${staffId ?? null}::bigint)
             ORDER BY (roles && ${roles}::text[]) DESC, id LIMIT 1`,
      );
      if (!row) throw new Error('No matching staff member; pass --agency and --staff.');
      agencyId ??= String(row.agency_id);
      staffId ??= String(row.id);
    } finally {
      await database.close();
    }
  }
  const regions = argument('regions')?.split(',').map((r) => r.trim());
  const hours = Number(argument('hours') ?? 12);
  const token = signDevelopmentToken({ sub: staffId ?? `system-${agencyId}`, agencyId, roles: roles as Role[], regions }, config.jwt.secret!, {
    expiresInSeconds: hours * 3600,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
  });
  console.log(token);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
