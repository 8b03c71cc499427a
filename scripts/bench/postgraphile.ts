import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config';
import { driveGraphQL, freePort, printTable, startChild, waitFor, type PreparedRequest, type WorkloadStats } from './drive';
import { choosePersonas } from './workloads';

/**
 * W1 and W2 against PostGraphile 4 serving the same tables, for the side-by-side comparison in docs/performance.md.
 * PostGraphile is NOT a dependency of the project: install it outside the repository and point --dir at it:
 *
 *   mkdir -p /tmp/pgl && cd /tmp/pgl && npm init -y && npm install postgraphile@^4
 *   node dist/scripts/bench/postgraphile.js --dir /tmp/pgl --database-url postgres://postgres@127.0.0.1:5432/krug_scale
 *
 * The queries ask for the same data as W1 and W2 with PostGraphile's generated names. PostGraphile knows nothing of
 * Krug's policies: it has no row scoping (W1 takes the coordinator's region as a plain condition), no field guards and
 * no audit, and it returns all referrals of a case rather than the open ones (its condition argument has no IN). A case
 * number is a unique index, not a constraint, so PostGraphile offers no caseByNumber: W2 uses allCases(condition: {number}).
 */

const W1_PG = /* GraphQL */ `
  query W1($region: String!) {
    allCases(first: 50, orderBy: [OPENED_ON_DESC, ID_DESC], condition: { regionCode: $region }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id number status riskLevel openedOn
        agencyByLeadAgencyId { name }
        staffMemberByCaseManagerId { fullName }
        familyByFamilyId {
          settlement remote address
          peopleByFamilyId(orderBy: [BIRTH_DATE_ASC, ID_ASC]) { nodes { id firstName lastName birthDate relation disabilityStatus } }
        }
        caseAccessGrantsByCaseId(condition: { revokedAt: null }, orderBy: [CREATED_AT_ASC, ID_ASC]) { nodes { kind agencyByAgencyId { name kind } } }
        planStepsByCaseId(orderBy: [POSITION_ASC]) { nodes { position title status dueOn agencyByResponsibleAgencyId { name } serviceTypeByServiceTypeId { name } } }
        referralsByCaseId(orderBy: [SENT_AT_DESC]) { nodes { status sentAt respondBy agencyByToAgencyId { name } serviceTypeByServiceTypeId { name } } }
        serviceDeliveriesByCaseId(first: 5, orderBy: [DELIVERED_ON_DESC, ID_DESC]) {
          nodes { deliveredOn deliveryMode durationMinutes serviceTypeByServiceTypeId { name } agencyByProviderId { name } staffMemberBySpecialistId { fullName } }
        }
      }
    }
  }`;

const W2_PG = /* GraphQL */ `
  query W2($number: String!) {
    allCases(condition: { number: $number }, first: 1) { nodes {
      id number status riskLevel source openedOn closedOn closureOutcome closureNote version updatedAt
      regionByRegionCode { code name }
      agencyByLeadAgencyId { name kind }
      staffMemberByCaseManagerId { fullName position }
      caseProgramsByCaseId { nodes { programByProgramId { code name } } }
      familyByFamilyId {
        settlement remote address phone situations
        externalIdsByFamilyId { nodes { system value } }
        peopleByFamilyId(orderBy: [BIRTH_DATE_ASC, ID_ASC]) {
          nodes {
            id firstName lastName middleName birthDate sex relation documentNumber phone placement
            disabilityStatus diagnosis educationPlacement pmpkConclusion
            externalIdsByPersonId { nodes { system value } }
            placementEventsByPersonId(orderBy: [OCCURRED_ON_ASC, ID_ASC]) { nodes { kind occurredOn placementBefore placementAfter } }
          }
        }
      }
      caseChildrenByCaseId { nodes { personByPersonId { id firstName lastName } } }
      caseAccessGrantsByCaseId(orderBy: [CREATED_AT_ASC, ID_ASC]) { nodes { kind source revokedAt createdAt expiresAt agencyByAgencyId { name kind } staffMemberByStaffId { fullName } } }
      caseStatusChangesByCaseId(orderBy: [CHANGED_AT_ASC, ID_ASC]) { nodes { fromStatus toStatus changedAt comment } }
      needsByCaseId(orderBy: [ID_ASC]) { nodes { domain description status agencyByIdentifiedByAgencyId { name } } }
      planStepsByCaseId(orderBy: [POSITION_ASC]) {
        nodes { position title status dueOn completedOn version agencyByResponsibleAgencyId { name } serviceTypeByServiceTypeId { code name } needByNeedId { description } }
      }
      referralsByCaseId(orderBy: [SENT_AT_DESC]) {
        nodes {
          status reason notes sentAt respondBy respondedAt declineReason responseNote completedAt outcome version
          agencyByFromAgencyId { name } agencyByToAgencyId { name } serviceTypeByServiceTypeId { name }
        }
      }
      serviceDeliveriesByCaseId(first: 20, orderBy: [DELIVERED_ON_DESC, ID_DESC]) {
        totalCount
        nodes {
          deliveredOn deliveryMode durationMinutes notes serviceTypeByServiceTypeId { code name } agencyByProviderId { name } staffMemberBySpecialistId { fullName }
          personByRecipientId { firstName } planStepByPlanStepId { title } referralByReferralId { status } brigadeTripByBrigadeTripId { tripDate destination }
        }
      }
      conferenceItemsByCaseId {
        nodes {
          caseConferenceByConferenceId {
            title scheduledAt status format
            conferenceItemsByConferenceId(orderBy: [POSITION_ASC]) { nodes { position question outcome } }
            decisionsByConferenceId(orderBy: [ID_ASC]) { nodes { text dueOn status } }
          }
        }
      }
    } }
  }`;

function argument(name: string, fallback?: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

async function main(): Promise<void> {
  const dir = argument('dir', '/tmp/pgl')!;
  const url = argument('database-url') ?? process.env.DATABASE_URL;
  if (!url) throw new Error('Give --database-url (or DATABASE_URL) of a seeded database.');
  const cli = path.join(dir, 'node_modules', 'postgraphile', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`PostGraphile is not installed in ${dir} (npm install postgraphile@^4 there; never in this repository).`);
  const seconds = Number(argument('duration', '15'));
  const warmup = Number(argument('warmup', '3'));
  const connections = Number(argument('connections', '8'));

  const db = new Client({ connectionString: url });
  await db.connect();
  const port = await freePort();
  const child = startChild(process.execPath, [cli, '-c', url, '--schema', 'public', '--host', '127.0.0.1', '--port', String(port), '--disable-default-mutations', '--disable-query-log'], {
    ...process.env,
    NODE_ENV: 'production',
  });
  const results: WorkloadStats[] = [];
  try {
    // PostGraphile answers GraphQL only by POST (a GET is 405): ready when `{ __typename }` is answered.
    await waitFor(`http://127.0.0.1:${port}/graphql`, child, 120, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' });
    const personas = await choosePersonas(db, process.env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET);
    const numbers = await db.query<{ number: string }>(`SELECT number FROM "case" WHERE case_manager_id = $1 ORDER BY id LIMIT 500`, [personas.caseManager.staffId]);
    const graphqlUrl = `http://127.0.0.1:${port}/graphql`;
    const runs: Array<{ name: string; persona: string; description: string; requests: PreparedRequest[] }> = [
      {
        name: 'W1 coordinator (PostGraphile)',
        persona: 'region condition',
        description: 'allCases(first: 50, condition: region) with the same relations as W1',
        requests: [{ body: JSON.stringify({ query: W1_PG, variables: { region: personas.coordinator.regionCode } }), token: 'none' }],
      },
      {
        name: 'W2 case by number (PostGraphile)',
        persona: 'no scoping',
        description: "allCases(condition: number) with the same relations as W2, the case manager's cases in turn",
        requests: numbers.rows.map((r) => ({ body: JSON.stringify({ query: W2_PG, variables: { number: r.number } }), token: 'none' })),
      },
    ];
    for (const run of runs) {
      const probe = await fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: run.requests[0].body });
      const text = await probe.text();
      if (probe.status !== 200 || text.includes('"errors":[')) throw new Error(`${run.name}: the probe failed: ${text.slice(0, 500)}`);
      if (warmup > 0) await driveGraphQL({ ...run, url: graphqlUrl, connections, seconds: warmup });
      const stats = await driveGraphQL({ ...run, url: graphqlUrl, connections, seconds, serverPid: child.process.pid });
      results.push(stats);
    }
    printTable(results);
    const out = path.resolve(__dirname, '..', '..', '..', 'bench-results');
    fs.mkdirSync(out, { recursive: true });
    const file = path.join(out, `postgraphile-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    const version = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'postgraphile', 'package.json'), 'utf8')).version as string;
    fs.writeFileSync(file, JSON.stringify({ startedAt: new Date().toISOString(), postgraphile: version, connections, seconds, results }, null, 2) + '\n');
    process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await child.stop();
    await db.end();
  }
}

main().catch((error: unknown) => {
  console.error(`postgraphile bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
