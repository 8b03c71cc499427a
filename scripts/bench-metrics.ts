import 'reflect-metadata';
import { parse, execute, type GraphQLSchema } from 'graphql';
import { loadConfig } from '../src/config';
import { createContext } from '../src/context';
import { AgencyKind, Role } from '../src/core/auth/roles';
import type { Viewer } from '../src/core/auth/viewer';
import { setLogLevel, sqlCounter } from '../src/core/logger';
import { openDatabase } from '../src/db/database';
import { createSchema } from '../src/schema';
import { familyStatements } from '../src/modules/metrics/metrics.queries';
import { FAMILY_DIMENSIONS, type IndicatorFamily } from '../src/modules/metrics/metrics.indicators';
import { MetricDimension } from '../src/modules/metrics/metrics.enums';

/**
 * Times `outcomeMetrics` for one region and one year, grouped by MONTH and SERVICE_TYPE (by default), against the
 * database of DATABASE_URL (or the embedded one): N runs through the GraphQL schema (resolvers, suppression, loaders;
 * no HTTP), then p50/p95. Reads only. `--explain` prints EXPLAIN (ANALYZE, BUFFERS) of the metrics statement.
 *
 * Usage: npm run bench:metrics -- [--region 54] [--year 2024] [--runs 20] [--warmup 2] [--role ADMIN|ANALYST]
 *                                 [--group MONTH,SERVICE_TYPE] [--program CODE] [--explain [--timeout SECONDS]]
 */

const OPERATION = `
  query Bench($filter: OutcomeMetricsFilter!, $groupBy: [MetricDimension!]) {
    outcomeMetrics(filter: $filter, groupBy: $groupBy) {
      rows { month serviceType { code } region { code } agencyKind deliveryMode
             servicesDelivered { value suppressed } familiesServed { value suppressed } childrenServed { value suppressed }
             parentsInGroups { value suppressed } brigadeServices { value suppressed } referralsSent { value suppressed }
             medianDaysReferralToFirstService { value suppressed } planStepsOnTimeRate { value suppressed } }
      total { servicesDelivered { value } familiesServed { value } childrenInInstitutions { value } childrenReturnedToBirthFamily { value } referralClosureRate { value } }
      reported { indicator value { value } }
    }
  }`;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  setLogLevel(config.logLevel);
  const region = option('region', '54');
  const year = Number(option('year', String(new Date().getUTCFullYear() - 1)));
  const runs = Number(option('runs', '20'));
  const warmup = Number(option('warmup', '2'));
  const role = option('role', 'ADMIN') as Role;
  const groupBy = option('group', 'MONTH,SERVICE_TYPE').split(',').filter(Boolean) as MetricDimension[];
  const program = process.argv.includes('--program') ? option('program', '') : null;
  const filter = { regions: [region], from: `${year}-01-01`, to: `${year}-12-31`, ...(program ? { programs: [program] } : {}) };

  const database = await openDatabase(config);
  try {
    const schema: GraphQLSchema = await createSchema();
    const document = parse(OPERATION);
    // A synthetic caller: the bench reads only and needs no staff row (an administrator sees every region unsuppressed).
    const viewer: Viewer = { subject: 'bench-metrics', staffId: null, agencyId: '0', agencyKind: AgencyKind.OTHER, agencyRegion: region, roles: [role], regions: [region] };
    const once = async () => {
      const context = createContext({ requestId: 'bench-metrics', viewer, db: database.dataSource, config });
      const before = sqlCounter.total;
      const started = process.hrtime.bigint();
      const result = await execute({ schema, document, variableValues: { filter, groupBy }, contextValue: context });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
      const answer = (result.data as { outcomeMetrics: { rows: unknown[] } }).outcomeMetrics;
      return { ms, rows: answer.rows.length, statements: sqlCounter.total - before };
    };

    const counts = await database.dataSource.query(
      `SELECT (SELECT count(*) FROM service_delivery)::bigint AS deliveries, (SELECT count(*) FROM "case")::bigint AS cases, (SELECT count(*) FROM person)::bigint AS persons`,
    );
    console.log(`database: ${counts[0].deliveries} service deliveries, ${counts[0].cases} cases, ${counts[0].persons} persons`);
    console.log(`outcomeMetrics(filter: ${JSON.stringify(filter)}, groupBy: [${groupBy.join(', ')}]) as ${role}, ${runs} runs after ${warmup} warm-up`);

    if (process.argv.includes('--explain')) {
      const programIds = program ? (await database.dataSource.query('SELECT id FROM program WHERE code = $1', [program])).map((r: { id: string }) => String(r.id)) : null;
      const statements = familyStatements({
        regions: [region],
        programIds,
        from: filter.from,
        to: filter.to,
        asOf: `${year + 1}-01-01`,
        baselineDate: `${year}-01-01`,
        targetAgeUnder: 4,
        groupBy,
        families: Object.keys(FAMILY_DIMENSIONS) as IndicatorFamily[],
        measures: null,
      });
      // One family at a time, so that each plan can be read on its own (the answer runs them as one UNION ALL).
      for (const [family, statement] of Object.entries(statements)) {
        const { text, values } = statement.build();
        const plan: Array<Record<string, string>> = await database.dataSource.transaction(async (tx) => {
          await tx.query(`SET LOCAL statement_timeout = '${Number(option('timeout', '120'))}s'`);
          return tx.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
        });
        console.log(`\n--- ${family}\n${plan.map((line) => Object.values(line)[0]).join('\n')}`);
      }
    }

    for (let i = 0; i < warmup; i++) await once();
    const timings: number[] = [];
    let last = { rows: 0, statements: 0 };
    for (let i = 0; i < runs; i++) {
      const run = await once();
      timings.push(run.ms);
      last = run;
    }
    const sorted = [...timings].sort((a, b) => a - b);
    console.log(`rows: ${last.rows}, SQL statements per answer: ${last.statements}`);
    console.log(`p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
