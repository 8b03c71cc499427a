import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { DEVELOPMENT_JWT_SECRET } from '../src/config';
import { percentile, round } from './bench/drive';
import { choosePersonas } from './bench/workloads';

/**
 * The SQL floor of W1 and W2: the same data as the GraphQL workloads, built as JSON by PostgreSQL in ONE statement
 * (json_agg over LATERAL subqueries), with the same row scoping for the same persona, driven through `pg` directly with
 * the same concurrency: `connections` clients, each running the statement in a loop for `duration` seconds.
 * Nothing but PostgreSQL and the driver: no HTTP, no GraphQL, no field guards, no audit. This is what the hardware
 * gives for that data; the distance from it is what the API layer costs.
 *
 * Usage: node dist/scripts/bench-sql-floor.js [--database-url URL] [--duration 15] [--connections 8] [--workloads W1,W2]
 */

/** W1 as one statement: the caller's visible cases, newest first, 50 with everything W1 asks (the 51st tells whether more follow). */
const CASE_NODE = `json_build_object(
      'id', 'Case:' || c.id, 'number', c.number, 'status', c.status, 'riskLevel', c.risk_level, 'openedOn', c.opened_on,
      'leadAgency', json_build_object('name', la.name),
      'caseManager', CASE WHEN cm.id IS NOT NULL THEN json_build_object('fullName', cm.full_name) END,
      'family', (SELECT json_build_object('settlement', f.settlement, 'remote', f.remote, 'address', f.address,
                   'members', (SELECT json_agg(json_build_object('id', 'Person:' || p.id, 'firstName', p.first_name, 'lastName', p.last_name, 'birthDate', p.birth_date,
                                                                 'relation', p.relation, 'disability', json_build_object('status', p.disability_status)) ORDER BY p.birth_date, p.id)
                                 FROM person p WHERE p.family_id = f.id))
                   FROM family f WHERE f.id = c.family_id),
      'participants', (SELECT json_agg(json_build_object('kind', g.kind, 'agency', CASE WHEN a.id IS NOT NULL THEN json_build_object('name', a.name, 'kind', a.kind) END) ORDER BY g.created_at, g.id)
                         FROM case_access_grant g LEFT JOIN agency a ON a.id = g.agency_id
                        WHERE g.case_id = c.id AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > now())),
      'plan', (SELECT json_agg(json_build_object('position', ps.position, 'title', ps.title, 'status', ps.status, 'dueOn', ps.due_on,
                                                 'responsibleAgency', json_build_object('name', ra.name), 'serviceType', CASE WHEN st.id IS NOT NULL THEN json_build_object('name', st.name) END) ORDER BY ps.position, ps.id)
                 FROM plan_step ps JOIN agency ra ON ra.id = ps.responsible_agency_id LEFT JOIN service_type st ON st.id = ps.service_type_id WHERE ps.case_id = c.id),
      'referrals', (SELECT json_agg(json_build_object('status', r.status, 'sentAt', r.sent_at, 'respondBy', r.respond_by, 'overdue', r.status = 'SENT' AND r.respond_by < now(),
                                                      'toAgency', json_build_object('name', ta.name), 'serviceType', CASE WHEN st.id IS NOT NULL THEN json_build_object('name', st.name) END) ORDER BY r.sent_at DESC, r.id DESC)
                      FROM referral r JOIN agency ta ON ta.id = r.to_agency_id LEFT JOIN service_type st ON st.id = r.service_type_id
                     WHERE r.case_id = c.id AND r.status IN ('SENT', 'ACCEPTED')),
      'services', json_build_object('nodes', (SELECT json_agg(json_build_object('deliveredOn', sd.delivered_on, 'deliveryMode', sd.delivery_mode, 'durationMinutes', sd.duration_minutes,
                                                                                'serviceType', json_build_object('name', st.name), 'provider', json_build_object('name', pa.name),
                                                                                'specialist', CASE WHEN sp.id IS NOT NULL THEN json_build_object('fullName', sp.full_name) END) ORDER BY sd.delivered_on DESC, sd.id DESC)
                                                FROM (SELECT * FROM service_delivery WHERE case_id = c.id ORDER BY delivered_on DESC, id DESC LIMIT 5) sd
                                                JOIN service_type st ON st.id = sd.service_type_id JOIN agency pa ON pa.id = sd.provider_id LEFT JOIN staff_member sp ON sp.id = sd.specialist_id)))`;

/** The row scoping of the app for a caller (region, manager, active grants of the caller's agency or of the caller). */
const VISIBLE = `(c.region_code = ANY($1::text[]) OR c.case_manager_id = $3::bigint
                  OR EXISTS (SELECT 1 FROM case_access_grant g WHERE g.case_id = c.id AND (g.agency_id = $2::bigint OR g.staff_id = $3::bigint)
                                AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > now())))`;

/**
 * W1 as one statement. Visible cases are found the way that suits the caller: a region-wide caller (coordinator) walks
 * the opening-date index and keeps the visible rows; a caller who sees a few hundred cases through grants or as their
 * manager starts from those ids (a walk would cross most of the registry to find 51 of them).
 */
export function w1FloorSql(regionWide: boolean): string {
  const visible = regionWide
    ? `SELECT c.* FROM "case" c WHERE ${VISIBLE}`
    : `SELECT c.* FROM "case" c WHERE c.id IN (SELECT id FROM "case" WHERE case_manager_id = $3::bigint
                                                UNION SELECT g.case_id FROM case_access_grant g
                                                       WHERE (g.agency_id = $2::bigint OR g.staff_id = $3::bigint) AND g.revoked_at IS NULL
                                                         AND (g.expires_at IS NULL OR g.expires_at > now()))
                                     AND cardinality($1::text[]) >= 0`;
  return `
WITH page AS (
  SELECT c.id, c.opened_on, ${CASE_NODE} AS node
    FROM (${visible} ORDER BY c.opened_on DESC, c.id DESC LIMIT 51) c
    JOIN agency la ON la.id = c.lead_agency_id LEFT JOIN staff_member cm ON cm.id = c.case_manager_id)
SELECT json_build_object('data', json_build_object('cases', json_build_object(
         'pageInfo', json_build_object('hasNextPage', (SELECT count(*) FROM page) > 50,
                                       'endCursor', (SELECT max(id) FROM (SELECT id FROM page ORDER BY opened_on DESC, id DESC LIMIT 50) l)),
         'nodes', coalesce((SELECT json_agg(node ORDER BY opened_on DESC, id DESC) FROM (SELECT * FROM page ORDER BY opened_on DESC, id DESC LIMIT 50) p), '[]'::json))))::text AS body`;
}

/** W2 as one statement: one case by number (if visible to the caller) with what W2 asks for. */
export const W2_FLOOR_SQL = `
SELECT json_build_object('data', json_build_object('case', (
  SELECT json_build_object(
      'id', 'Case:' || c.id, 'number', c.number, 'status', c.status, 'riskLevel', c.risk_level, 'source', c.source, 'openedOn', c.opened_on, 'closedOn', c.closed_on,
      'closureOutcome', c.closure_outcome, 'closureNote', c.closure_note, 'version', c.version, 'updatedAt', c.updated_at,
      'region', (SELECT json_build_object('code', rg.code, 'name', rg.name) FROM region rg WHERE rg.code = c.region_code),
      'leadAgency', json_build_object('name', la.name, 'kind', la.kind),
      'caseManager', CASE WHEN cm.id IS NOT NULL THEN json_build_object('fullName', cm.full_name, 'position', cm.position) END,
      'programs', (SELECT json_agg(json_build_object('code', pr.code, 'name', pr.name) ORDER BY pr.id) FROM case_program cp JOIN program pr ON pr.id = cp.program_id WHERE cp.case_id = c.id),
      'family', (SELECT json_build_object('settlement', f.settlement, 'remote', f.remote, 'address', f.address, 'phone', f.phone, 'situations', f.situations,
                   'externalIds', (SELECT json_agg(json_build_object('system', x.system, 'value', x.value)) FROM external_id x WHERE x.family_id = f.id),
                   'members', (SELECT json_agg(json_build_object('id', 'Person:' || p.id, 'firstName', p.first_name, 'lastName', p.last_name, 'middleName', p.middle_name,
                                 'birthDate', p.birth_date, 'sex', p.sex, 'relation', p.relation, 'documentNumber', p.document_number, 'phone', p.phone,
                                 'ageMonths', (extract(year FROM age(current_date, p.birth_date)) * 12 + extract(month FROM age(current_date, p.birth_date)))::int, 'placement', p.placement,
                                 'disability', json_build_object('status', p.disability_status, 'diagnosis', p.diagnosis),
                                 'education', json_build_object('institution', p.education_placement, 'pmpkConclusion', p.pmpk_conclusion),
                                 'externalIds', (SELECT json_agg(json_build_object('system', x.system, 'value', x.value)) FROM external_id x WHERE x.person_id = p.id),
                                 'placementHistory', (SELECT json_agg(json_build_object('kind', e.kind, 'occurredOn', e.occurred_on, 'placementBefore', e.placement_before, 'placementAfter', e.placement_after) ORDER BY e.occurred_on, e.id)
                                                        FROM placement_event e WHERE e.person_id = p.id)) ORDER BY p.birth_date, p.id)
                                 FROM person p WHERE p.family_id = f.id))
                   FROM family f WHERE f.id = c.family_id),
      'children', (SELECT json_agg(json_build_object('id', 'Person:' || p.id, 'firstName', p.first_name, 'lastName', p.last_name) ORDER BY p.birth_date, p.id)
                     FROM case_child cc JOIN person p ON p.id = cc.person_id WHERE cc.case_id = c.id),
      'participants', (SELECT json_agg(json_build_object('kind', g.kind, 'source', g.source, 'active', g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > now()),
                                                         'grantedAt', g.created_at, 'expiresAt', g.expires_at,
                                                         'agency', CASE WHEN a.id IS NOT NULL THEN json_build_object('name', a.name, 'kind', a.kind) END,
                                                         'staff', CASE WHEN s.id IS NOT NULL THEN json_build_object('fullName', s.full_name) END) ORDER BY g.created_at, g.id)
                         FROM case_access_grant g LEFT JOIN agency a ON a.id = g.agency_id LEFT JOIN staff_member s ON s.id = g.staff_id WHERE g.case_id = c.id),
      'statusHistory', (SELECT json_agg(json_build_object('fromStatus', h.from_status, 'toStatus', h.to_status, 'changedAt', h.changed_at, 'comment', h.comment) ORDER BY h.changed_at, h.id)
                          FROM case_status_change h WHERE h.case_id = c.id),
      'needs', (SELECT json_agg(json_build_object('domain', n.domain, 'description', n.description, 'status', n.status, 'identifiedBy', json_build_object('name', na.name)) ORDER BY n.id)
                  FROM need n JOIN agency na ON na.id = n.identified_by_agency_id WHERE n.case_id = c.id),
      'plan', (SELECT json_agg(json_build_object('position', ps.position, 'title', ps.title, 'status', ps.status, 'dueOn', ps.due_on, 'completedOn', ps.completed_on,
                                                 'overdue', coalesce(ps.status NOT IN ('DONE', 'CANCELLED') AND ps.due_on < current_date, false), 'version', ps.version,
                                                 'responsibleAgency', json_build_object('name', ra.name), 'serviceType', CASE WHEN st.id IS NOT NULL THEN json_build_object('code', st.code, 'name', st.name) END,
                                                 'need', CASE WHEN n.id IS NOT NULL THEN json_build_object('description', n.description) END) ORDER BY ps.position, ps.id)
                 FROM plan_step ps JOIN agency ra ON ra.id = ps.responsible_agency_id LEFT JOIN service_type st ON st.id = ps.service_type_id LEFT JOIN need n ON n.id = ps.need_id
                WHERE ps.case_id = c.id),
      'referrals', (SELECT json_agg(json_build_object('status', r.status, 'reason', r.reason, 'notes', r.notes, 'sentAt', r.sent_at, 'respondBy', r.respond_by, 'respondedAt', r.responded_at,
                                                      'declineReason', r.decline_reason, 'responseNote', r.response_note, 'completedAt', r.completed_at, 'outcome', r.outcome,
                                                      'overdue', r.status = 'SENT' AND r.respond_by < now(), 'version', r.version,
                                                      'fromAgency', json_build_object('name', fa.name), 'toAgency', json_build_object('name', ta.name),
                                                      'serviceType', CASE WHEN st.id IS NOT NULL THEN json_build_object('name', st.name) END) ORDER BY r.sent_at DESC, r.id DESC)
                      FROM referral r JOIN agency fa ON fa.id = r.from_agency_id JOIN agency ta ON ta.id = r.to_agency_id LEFT JOIN service_type st ON st.id = r.service_type_id
                     WHERE r.case_id = c.id),
      'services', json_build_object(
          'totalCount', (SELECT count(*) FROM service_delivery WHERE case_id = c.id),
          'nodes', (SELECT json_agg(json_build_object('deliveredOn', sd.delivered_on, 'deliveryMode', sd.delivery_mode, 'durationMinutes', sd.duration_minutes, 'notes', sd.notes,
                                                      'serviceType', json_build_object('code', st.code, 'name', st.name), 'provider', json_build_object('name', pa.name),
                                                      'specialist', CASE WHEN sp.id IS NOT NULL THEN json_build_object('fullName', sp.full_name) END,
                                                      'recipient', json_build_object('firstName', rp.first_name),
                                                      'planStep', CASE WHEN ps.id IS NOT NULL THEN json_build_object('title', ps.title) END,
                                                      'referral', CASE WHEN rf.id IS NOT NULL THEN json_build_object('status', rf.status) END,
                                                      'brigadeTrip', CASE WHEN bt.id IS NOT NULL THEN json_build_object('tripDate', bt.trip_date, 'destination', bt.destination) END) ORDER BY sd.delivered_on DESC, sd.id DESC)
                      FROM (SELECT * FROM service_delivery WHERE case_id = c.id ORDER BY delivered_on DESC, id DESC LIMIT 20) sd
                      JOIN service_type st ON st.id = sd.service_type_id JOIN agency pa ON pa.id = sd.provider_id LEFT JOIN staff_member sp ON sp.id = sd.specialist_id
                      JOIN person rp ON rp.id = sd.recipient_id LEFT JOIN plan_step ps ON ps.id = sd.plan_step_id LEFT JOIN referral rf ON rf.id = sd.referral_id
                      LEFT JOIN brigade_trip bt ON bt.id = sd.brigade_trip_id)),
      'conferences', (SELECT json_agg(json_build_object('title', k.title, 'scheduledAt', k.scheduled_at, 'status', k.status, 'format', k.format,
                                                        'items', (SELECT json_agg(json_build_object('position', i2.position, 'question', i2.question, 'outcome', i2.outcome) ORDER BY i2.position) FROM conference_item i2 WHERE i2.conference_id = k.id),
                                                        'decisions', (SELECT json_agg(json_build_object('text', d.text, 'dueOn', d.due_on, 'status', d.status) ORDER BY d.id) FROM decision d WHERE d.conference_id = k.id)) ORDER BY k.scheduled_at DESC)
                        FROM conference_item i JOIN case_conference k ON k.id = i.conference_id WHERE i.case_id = c.id))
    FROM "case" c JOIN agency la ON la.id = c.lead_agency_id LEFT JOIN staff_member cm ON cm.id = c.case_manager_id
   WHERE c.number = $4 AND ${VISIBLE})))::text AS body`;

function argument(name: string, fallback?: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

export interface FloorStats {
  name: string;
  persona: string;
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  responseKiB: number;
  errors: number;
}

/** Runs a statement from `connections` clients in a loop for `seconds`; each call takes the next parameter list in turn. */
async function drive(url: string, name: string, persona: string, text: string, params: unknown[][], connections: number, seconds: number): Promise<FloorStats> {
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new Client({ connectionString: url, application_name: 'krug-sql-floor' });
      await client.connect();
      return client;
    }),
  );
  const latencies: number[] = [];
  let bytes = 0;
  let errors = 0;
  let next = 0;
  const started = Date.now();
  const deadline = started + seconds * 1000;
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (Date.now() < deadline) {
          const values = params[next++ % params.length];
          const t = process.hrtime.bigint();
          try {
            // A named statement: parsed and planned once per connection, as a driver with a statement cache would.
            const result = await client.query<{ body: string }>({ name: name.replace(/\W/g, '_'), text, values });
            bytes += result.rows[0]?.body?.length ?? 0;
          } catch (error) {
            errors += 1;
            if (errors === 1) process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
          }
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    persona,
    connections,
    seconds,
    requests: latencies.length,
    rps: round(latencies.length / elapsed, 1),
    latencyMs: {
      mean: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length), 1),
      p50: round(percentile(latencies, 50), 1),
      p95: round(percentile(latencies, 95), 1),
      p99: round(percentile(latencies, 99), 1),
      max: round(latencies[latencies.length - 1] ?? NaN, 1),
    },
    responseKiB: round(bytes / Math.max(1, latencies.length) / 1024, 1),
    errors,
  };
}

async function main(): Promise<void> {
  const url = argument('database-url') ?? process.env.DATABASE_URL;
  if (!url) throw new Error('Give --database-url (or DATABASE_URL) of a seeded database.');
  const seconds = Number(argument('duration', '15'));
  const warmup = Number(argument('warmup', '3'));
  const connections = Number(argument('connections', '8'));
  const workloads = (argument('workloads', 'W1,W2') ?? '').split(',').map((w) => w.trim().toUpperCase());
  const db = new Client({ connectionString: url });
  await db.connect();
  const results: FloorStats[] = [];
  try {
    const personas = await choosePersonas(db, process.env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET);
    const runs: Array<{ name: string; persona: string; text: string; params: unknown[][] }> = [];
    for (const p of [personas.coordinator, personas.caseManager, personas.specialist]) {
      if (workloads.includes('W1')) runs.push({ name: `W1 ${p.label.replace('-', ' ')} (SQL floor)`, persona: p.label, text: w1FloorSql(p.label === 'coordinator'), params: [[p.label === 'coordinator' ? [p.regionCode] : [], p.agencyId, p.staffId]] });
    }
    if (workloads.includes('W2')) {
      const m = personas.caseManager;
      const numbers = await db.query<{ number: string }>(`SELECT number FROM "case" WHERE case_manager_id = $1 ORDER BY id LIMIT 500`, [m.staffId]);
      runs.push({ name: 'W2 case by number (SQL floor)', persona: m.label, text: W2_FLOOR_SQL, params: numbers.rows.map((r) => [[], m.agencyId, m.staffId, r.number]) });
    }
    for (const run of runs) {
      if (warmup > 0) await drive(url, run.name, run.persona, run.text, run.params, connections, warmup);
      const stats = await drive(url, run.name, run.persona, run.text, run.params, connections, seconds);
      results.push(stats);
      process.stdout.write(
        `  ${run.name.padEnd(34)} ${String(stats.rps).padStart(8)} req/s  p50 ${stats.latencyMs.p50} ms  p95 ${stats.latencyMs.p95} ms  p99 ${stats.latencyMs.p99} ms  ${stats.responseKiB} KiB  errors ${stats.errors}\n`,
      );
    }
  } finally {
    await db.end();
  }
  const dir = path.resolve(__dirname, '..', '..', 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `sql-floor-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({ startedAt: new Date().toISOString(), connections, seconds, results }, null, 2) + '\n');
  process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bench-sql-floor failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
