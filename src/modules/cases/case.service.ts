import type { DataSource, EntityManager } from 'typeorm';
import type { Context } from '../../context';
import { requireViewer } from '../../context';
import { relationsTo, type RecordScope } from '../../core/auth/access';
import { Relation, Role } from '../../core/auth/roles';
import { query, queryOne } from '../../core/db';
import { badField, badInput, invalidTransition, notFound, type FieldViolation } from '../../core/graphql/errors';
import { expectGlobalId, fromGlobalId } from '../../core/graphql/global-id';
import { bumpVersion } from '../../core/mutation';
import { sql } from '../../core/sql';
import { registryToday } from '../families/calendar';
import { FamilyRelation } from '../families/family.enums';
import { visibleFamilyCondition, visibleCaseCondition } from './case.scope';
import { assertCaseAuthority } from './case.policy';
import { CaseStatus, GrantKind } from './case.enums';
import type { CaseRow, GrantRow } from './case.type';
import type {
  AddCaseParticipantInput,
  AssignCaseManagerInput,
  ChangeCaseStatusInput,
  CloseCaseInput,
  OpenCaseInput,
  RemoveCaseParticipantInput,
  RequestEmergencyAccessInput,
} from './case.inputs';

/** The lifecycle of a case. Closing (from ASSESSMENT, ACTIVE or MONITORING) is closeCase's alone, because it needs an outcome. */
export const STATUS_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  [CaseStatus.REFERRED]: [CaseStatus.ASSESSMENT],
  [CaseStatus.ASSESSMENT]: [CaseStatus.ACTIVE],
  [CaseStatus.ACTIVE]: [CaseStatus.MONITORING],
  // A relapse during monitoring sends the case back to active work.
  [CaseStatus.MONITORING]: [CaseStatus.ACTIVE],
  [CaseStatus.CLOSED]: [],
};

/** The statuses closeCase closes from. */
export const CLOSABLE_STATUSES: readonly CaseStatus[] = [CaseStatus.ASSESSMENT, CaseStatus.ACTIVE, CaseStatus.MONITORING];

/** How long break-the-glass access lasts. */
export const EMERGENCY_ACCESS_HOURS = 24;

const caseScope = (caseId: string): RecordScope => ({ kind: 'case', id: caseId });

/**
 * Issues the next number of a region and year, `<region>-<year>-<6-digit sequence>`. The counter row is upserted and
 * incremented in one statement, which locks it until the transaction ends: concurrent openings queue, none repeats a number.
 */
export async function issueCaseNumber(db: DataSource | EntityManager, regionCode: string, year: number): Promise<string> {
  const row = await queryOne<{ last_value: number }>(
    db,
    sql`INSERT INTO case_number_counter (region_code, year, last_value) VALUES (${regionCode}, ${year}, 1)
        ON CONFLICT (region_code, year) DO UPDATE SET last_value = case_number_counter.last_value + 1
        RETURNING last_value`,
  );
  return `${regionCode}-${year}-${String(row!.last_value).padStart(6, '0')}`;
}

/** A case the caller may see, read in the transaction; hidden and nonexistent are the same NOT_FOUND. */
async function visibleCase(ctx: Context, tx: EntityManager, caseId: string): Promise<CaseRow> {
  const row = await queryOne<CaseRow>(tx, sql`SELECT c.* FROM "case" c WHERE c.id = ${caseId}::bigint AND ${visibleCaseCondition(ctx)}`);
  if (!row) throw notFound('Case');
  return row;
}

/** The local id of an active agency named by a global id, or null. */
async function activeAgency(tx: EntityManager, globalId: string): Promise<string | null> {
  const parsed = fromGlobalId(globalId);
  if (parsed?.type !== 'Agency') return null;
  const row = await queryOne(tx, sql`SELECT id FROM agency WHERE id = ${parsed.id}::bigint AND active`);
  return row ? parsed.id : null;
}

/** The local id of an active staff member (of an active agency) named by a global id, or null. */
async function activeStaff(tx: EntityManager, globalId: string): Promise<string | null> {
  const parsed = fromGlobalId(globalId);
  if (parsed?.type !== 'StaffMember') return null;
  const row = await queryOne(tx, sql`SELECT s.id FROM staff_member s JOIN agency a ON a.id = s.agency_id WHERE s.id = ${parsed.id}::bigint AND s.active AND a.active`);
  return row ? parsed.id : null;
}

async function recordStatusChange(ctx: Context, tx: EntityManager, caseId: string, from: CaseStatus | null, to: CaseStatus, comment: string | null): Promise<void> {
  const viewer = requireViewer(ctx);
  await query(
    tx,
    sql`INSERT INTO case_status_change (case_id, from_status, to_status, changed_by_subject, changed_by_staff_id, comment)
        VALUES (${caseId}::bigint, ${from}::case_status, ${to}::case_status, ${viewer.subject}, ${viewer.staffId}::bigint, ${comment})`,
  );
}

/** Opens a case for a visible family: number, children, programmes, the LEAD grant and the first status entry. */
export async function openCase(ctx: Context, tx: EntityManager, input: OpenCaseInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const familyId = expectGlobalId(input.family, 'Family', 'input.family');
  const family = await queryOne<{ region_code: string }>(tx, sql`SELECT f.region_code FROM family f WHERE f.id = ${familyId}::bigint AND ${visibleFamilyCondition(ctx)}`);
  if (!family) throw notFound('Family');

  const violations: FieldViolation[] = [];
  const childIds: string[] = [];
  const parsedChildren = input.children.map((id) => fromGlobalId(id));
  const members = await query<{ id: string; family_id: string; relation: FamilyRelation }>(
    tx,
    sql`SELECT id::text AS id, family_id::text AS family_id, relation FROM person
         WHERE id = ANY(${parsedChildren.filter((p) => p?.type === 'Person').map((p) => p!.id)}::bigint[])`,
  );
  const memberById = new Map(members.map((m) => [m.id, m]));
  parsedChildren.forEach((parsed, i) => {
    const field = `input.children[${i}]`;
    const member = parsed?.type === 'Person' ? memberById.get(parsed.id) : undefined;
    if (!member || member.family_id !== familyId) violations.push({ field, message: 'is not a member of the family' });
    else if (member.relation !== FamilyRelation.CHILD) violations.push({ field, message: 'is not a child of the family (relation CHILD)' });
    else if (childIds.includes(member.id)) violations.push({ field, message: 'names a child twice' });
    else childIds.push(member.id);
  });

  let leadAgencyId = viewer.agencyId;
  if (input.leadAgency) {
    const id = await activeAgency(tx, input.leadAgency);
    if (!id) violations.push({ field: 'input.leadAgency', message: 'is not an active agency of the registry' });
    else leadAgencyId = id;
  }

  // Not an access decision: a case manager opening a case is, unless told otherwise, its manager.
  let caseManagerId: string | null = viewer.roles.includes(Role.CASE_MANAGER) ? viewer.staffId : null;
  if (input.caseManager) {
    caseManagerId = await activeStaff(tx, input.caseManager);
    if (!caseManagerId) violations.push({ field: 'input.caseManager', message: 'is not an active staff member' });
  }

  const programIds: string[] = [];
  if (input.programs?.length) {
    const parsed = input.programs.map((id) => fromGlobalId(id));
    const programs = await query<{ id: string; region_codes: string[] }>(
      tx,
      sql`SELECT id::text AS id, region_codes FROM program WHERE id = ANY(${parsed.filter((p) => p?.type === 'Program').map((p) => p!.id)}::bigint[])`,
    );
    const programById = new Map(programs.map((p) => [p.id, p]));
    parsed.forEach((p, i) => {
      const program = p?.type === 'Program' ? programById.get(p.id) : undefined;
      if (!program) violations.push({ field: `input.programs[${i}]`, message: 'is not a programme of the registry' });
      else if (!program.region_codes.includes(family.region_code)) violations.push({ field: `input.programs[${i}]`, message: "does not run in the family's region" });
      else if (!programIds.includes(program.id)) programIds.push(program.id);
    });
  }
  if (violations.length) throw badInput(violations);

  const openedOn = input.openedOn ?? registryToday();
  const number = await issueCaseNumber(tx, family.region_code, Number(openedOn.slice(0, 4)));
  const created = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO "case" (number, region_code, family_id, status, risk_level, source, lead_agency_id, case_manager_id, opened_on)
        VALUES (${number}, ${family.region_code}, ${familyId}::bigint, ${CaseStatus.REFERRED}::case_status, ${input.riskLevel}::risk_level,
                ${input.source}::case_source, ${leadAgencyId}::bigint, ${caseManagerId}::bigint, ${openedOn}::date)
        RETURNING id::text AS id`,
  );
  const caseId = created!.id;
  await query(tx, sql`INSERT INTO case_child (case_id, person_id) SELECT ${caseId}::bigint, unnest(${childIds}::bigint[])`);
  if (programIds.length) await query(tx, sql`INSERT INTO case_program (case_id, program_id) SELECT ${caseId}::bigint, unnest(${programIds}::bigint[])`);
  await query(
    tx,
    sql`INSERT INTO case_access_grant (case_id, agency_id, kind, source, granted_by_subject)
        VALUES (${caseId}::bigint, ${leadAgencyId}::bigint, ${GrantKind.LEAD}::grant_kind, 'OPEN_CASE', ${viewer.subject})`,
  );
  await recordStatusChange(ctx, tx, caseId, null, CaseStatus.REFERRED, null);
  ctx.audit.write('Case', caseScope(caseId), ['opened', 'children', 'riskLevel', 'source', 'leadAgency', ...(caseManagerId ? ['caseManager'] : []), ...(programIds.length ? ['programs'] : [])]);
  return caseId;
}

/** Moves a case along STATUS_TRANSITIONS; only its manager or its region's coordinator may. */
export async function changeCaseStatus(ctx: Context, tx: EntityManager, input: ChangeCaseStatusInput): Promise<string> {
  const caseId = expectGlobalId(input.case, 'Case', 'input.case');
  await visibleCase(ctx, tx, caseId);
  await assertCaseAuthority(ctx, caseScope(caseId), 'cases.changeStatus');
  if (input.status === CaseStatus.CLOSED) throw invalidTransition('A case is closed with closeCase, which records its outcome.');
  await bumpVersion(tx, 'case', caseId, input.expectedVersion, 'Case');
  // Read after the version bump: the row is locked, so the status is the one this change moves from.
  const current = (await queryOne<{ status: CaseStatus }>(tx, sql`SELECT status FROM "case" WHERE id = ${caseId}::bigint`))!.status;
  if (!STATUS_TRANSITIONS[current].includes(input.status)) {
    const allowed = STATUS_TRANSITIONS[current];
    throw invalidTransition(`A case cannot move from ${current} to ${input.status}${allowed.length ? `; from ${current} it may move to ${allowed.join(' or ')}` : ''}.`);
  }
  await query(tx, sql`UPDATE "case" SET status = ${input.status}::case_status WHERE id = ${caseId}::bigint`);
  await recordStatusChange(ctx, tx, caseId, current, input.status, input.comment?.trim() ?? null);
  ctx.audit.write('Case', caseScope(caseId), ['status']);
  return caseId;
}

/** Closes a case with an outcome (from ASSESSMENT, ACTIVE or MONITORING). */
export async function closeCase(ctx: Context, tx: EntityManager, input: CloseCaseInput): Promise<string> {
  const caseId = expectGlobalId(input.case, 'Case', 'input.case');
  await visibleCase(ctx, tx, caseId);
  await assertCaseAuthority(ctx, caseScope(caseId), 'cases.changeStatus');
  await bumpVersion(tx, 'case', caseId, input.expectedVersion, 'Case');
  const current = (await queryOne<{ status: CaseStatus; opened_on: string }>(tx, sql`SELECT status, opened_on FROM "case" WHERE id = ${caseId}::bigint`))!;
  if (!CLOSABLE_STATUSES.includes(current.status)) {
    throw invalidTransition(current.status === CaseStatus.CLOSED ? 'The case is already closed.' : `A case in ${current.status} cannot be closed; it is closed from ${CLOSABLE_STATUSES.join(', ')}.`);
  }
  const closedOn = input.closedOn ?? registryToday();
  if (closedOn < current.opened_on) throw badField('input.closedOn', 'must not be before the case was opened');
  await query(
    tx,
    sql`UPDATE "case" SET status = ${CaseStatus.CLOSED}::case_status, closed_on = ${closedOn}::date,
                          closure_outcome = ${input.outcome}::case_closure_outcome, closure_note = ${input.note?.trim() ?? null}
         WHERE id = ${caseId}::bigint`,
  );
  await recordStatusChange(ctx, tx, caseId, current.status, CaseStatus.CLOSED, null);
  ctx.audit.write('Case', caseScope(caseId), ['status', 'closedOn', 'closureOutcome', ...(input.note ? ['closureNote'] : [])]);
  return caseId;
}

/** Gives a case a new manager (the coordinator of its region). */
export async function assignCaseManager(ctx: Context, tx: EntityManager, input: AssignCaseManagerInput): Promise<string> {
  const caseId = expectGlobalId(input.case, 'Case', 'input.case');
  const row = await visibleCase(ctx, tx, caseId);
  await assertCaseAuthority(ctx, caseScope(caseId), 'cases.assignManager');
  const staffId = await activeStaff(tx, input.caseManager);
  if (!staffId) throw badField('input.caseManager', 'is not an active staff member');
  if (row.status === CaseStatus.CLOSED) throw invalidTransition('The case is closed; a closed case gets no new manager.');
  await bumpVersion(tx, 'case', caseId, input.expectedVersion, 'Case');
  await query(tx, sql`UPDATE "case" SET case_manager_id = ${staffId}::bigint WHERE id = ${caseId}::bigint`);
  ctx.audit.write('Case', caseScope(caseId), ['caseManager']);
  return caseId;
}

/** Adds an agency or one staff member to a case's team (TEAM grant, optionally expiring); returns the grant id. */
export async function addCaseParticipant(ctx: Context, tx: EntityManager, input: AddCaseParticipantInput): Promise<string> {
  const viewer = requireViewer(ctx);
  const caseId = expectGlobalId(input.case, 'Case', 'input.case');
  const row = await visibleCase(ctx, tx, caseId);
  await assertCaseAuthority(ctx, caseScope(caseId), 'cases.plan');
  if (Boolean(input.agency) === Boolean(input.staff)) throw badInput([{ field: 'input.agency', message: 'give either an agency or a staff member' }, { field: 'input.staff', message: 'give either an agency or a staff member' }]);
  const violations: FieldViolation[] = [];
  let agencyId: string | null = null;
  let staffId: string | null = null;
  if (input.agency) {
    agencyId = await activeAgency(tx, input.agency);
    if (!agencyId) violations.push({ field: 'input.agency', message: 'is not an active agency of the registry' });
  } else {
    staffId = await activeStaff(tx, input.staff!);
    if (!staffId) violations.push({ field: 'input.staff', message: 'is not an active staff member' });
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) violations.push({ field: 'input.expiresAt', message: 'must be in the future' });
  if (violations.length) throw badInput(violations);
  const already = await queryOne(
    tx,
    sql`SELECT 1 FROM case_access_grant g WHERE g.case_id = ${caseId}::bigint AND g.kind = ANY(${[GrantKind.LEAD, GrantKind.TEAM]}::grant_kind[])
          AND (g.agency_id = ${agencyId}::bigint OR g.staff_id = ${staffId}::bigint)
          AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > now())`,
  );
  if (already) throw badField(agencyId ? 'input.agency' : 'input.staff', 'is already on the team of the case');
  if (row.status === CaseStatus.CLOSED) throw invalidTransition('The case is closed; its team no longer changes.');
  await bumpVersion(tx, 'case', caseId, input.expectedVersion, 'Case');
  const grant = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO case_access_grant (case_id, agency_id, staff_id, kind, source, expires_at, granted_by_subject)
        VALUES (${caseId}::bigint, ${agencyId}::bigint, ${staffId}::bigint, ${GrantKind.TEAM}::grant_kind, 'MANUAL', ${input.expiresAt ?? null}::timestamptz, ${viewer.subject})
        RETURNING id::text AS id`,
  );
  const fields = ['kind', agencyId ? 'agency' : 'staff', ...(input.expiresAt ? ['expiresAt'] : [])];
  ctx.audit.write('CaseParticipant', { ...caseScope(caseId), recordId: grant!.id }, fields);
  return grant!.id;
}

/** Revokes a participant's grant (never deletes it); returns the grant id. */
export async function removeCaseParticipant(ctx: Context, tx: EntityManager, input: RemoveCaseParticipantInput): Promise<string> {
  const grantId = expectGlobalId(input.participant, 'CaseParticipant', 'input.participant');
  const grant = await queryOne<GrantRow>(
    tx,
    sql`SELECT g.* FROM case_access_grant g JOIN "case" c ON c.id = g.case_id WHERE g.id = ${grantId}::bigint AND ${visibleCaseCondition(ctx)} FOR UPDATE OF g`,
  );
  if (!grant) throw notFound('CaseParticipant');
  const caseId = String(grant.case_id);
  await assertCaseAuthority(ctx, caseScope(caseId), 'cases.plan');
  if (grant.kind === GrantKind.LEAD) throw badField('input.participant', 'is the lead agency of the case; it cannot be removed');
  if (grant.kind === GrantKind.REFERRAL) throw badField('input.participant', 'came with an accepted referral; it ends with the referral');
  if (grant.revoked_at) throw badField('input.participant', 'was already removed');
  await bumpVersion(tx, 'case', caseId, input.expectedVersion, 'Case');
  await query(tx, sql`UPDATE case_access_grant SET revoked_at = now() WHERE id = ${grantId}::bigint`);
  ctx.audit.write('CaseParticipant', { ...caseScope(caseId), recordId: grantId }, ['revokedAt']);
  return grantId;
}

/**
 * Break-the-glass: a case worker of the case's region who is not on its team opens it for 24 hours with a reason.
 * The case is invisible to the caller until then, so it is found directly, limited to the caller's regions:
 * a case elsewhere is NOT_FOUND, the same as one that does not exist.
 */
export async function requestEmergencyAccess(ctx: Context, tx: EntityManager, input: RequestEmergencyAccessInput): Promise<string> {
  const viewer = requireViewer(ctx);
  if (Boolean(input.case) === Boolean(input.number)) throw badInput([{ field: 'input.case', message: 'give either the id or the number of the case' }, { field: 'input.number', message: 'give either the id or the number of the case' }]);
  const reason = input.reason.trim();
  if (reason.length < 20) throw badField('input.reason', 'must be 20 to 1000 characters long');
  const key = input.case ? sql`c.id = ${expectGlobalId(input.case, 'Case', 'input.case')}::bigint` : sql`c.number = ${input.number!.trim()}`;
  const row = await queryOne<{ id: string }>(tx, sql`SELECT c.id::text AS id FROM "case" c WHERE ${key} AND c.region_code = ANY(${viewer.regions}::text[])`);
  if (!row) throw notFound('Case');
  const caseId = row.id;
  const relations = await relationsTo(ctx, caseScope(caseId));
  if (relations.has(Relation.TEAM) || relations.has(Relation.CASE_MANAGER)) throw badField(input.case ? 'input.case' : 'input.number', 'is a case you are already on the team of');
  if (relations.has(Relation.EMERGENCY)) throw badField(input.case ? 'input.case' : 'input.number', 'is a case you already have emergency access to');
  // The access is personal (the staff member who gave the reason); a partner system, having no person, gets it for its agency.
  const grant = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO case_access_grant (case_id, agency_id, staff_id, kind, source, reason, expires_at, granted_by_subject)
        VALUES (${caseId}::bigint, ${viewer.staffId ? null : viewer.agencyId}::bigint, ${viewer.staffId}::bigint, ${GrantKind.EMERGENCY}::grant_kind,
                'EMERGENCY', ${reason}, now() + make_interval(hours => ${EMERGENCY_ACCESS_HOURS}), ${viewer.subject})
        RETURNING id::text AS id`,
  );
  ctx.audit.write('Case', caseScope(caseId), ['emergencyAccess'], reason);
  return grant!.id;
}
