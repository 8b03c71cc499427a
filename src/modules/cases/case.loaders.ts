import { defineLoader, byKey, groupByKey } from '../../core/loaders';
import { query } from '../../core/db';
import { sql } from '../../core/sql';
import { Person, type PersonRow } from '../families/family.type';
import { PROGRAM_COLUMNS, Program, type ProgramRow } from '../programs/program.type';
import { Case, CaseParticipant, CaseStatusChange, type CaseRow, type GrantRow, type StatusChangeRow } from './case.type';
import { visibleCaseCondition } from './case.scope';

/** A case by its local id, or null when it does not exist or the caller may not see it. */
export const caseById = defineLoader<string, Case | null>('caseById', async (ctx, ids) => {
  const rows = await query<CaseRow>(ctx.db, sql`SELECT c.* FROM "case" c WHERE c.id = ANY(${ids as string[]}::bigint[]) AND ${visibleCaseCondition(ctx)}`);
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? Case.from(r) : null));
});

/** The cases of each family that the caller may see, latest opened first. */
export const casesByFamilyId = defineLoader<string, Case[]>('casesByFamilyId', async (ctx, ids) => {
  const rows = await query<CaseRow>(
    ctx.db,
    sql`SELECT c.* FROM "case" c WHERE c.family_id = ANY(${ids as string[]}::bigint[]) AND ${visibleCaseCondition(ctx)} ORDER BY c.opened_on DESC, c.id DESC`,
  );
  return groupByKey(ids, rows, (r) => String(r.family_id)).map((list) => list.map(Case.from));
});

/** The children in focus of each case (reached only through a visible case), oldest first. */
export const childrenByCaseId = defineLoader<string, Person[]>('childrenByCaseId', async (ctx, ids) => {
  const rows = await query<PersonRow & { case_id: string }>(
    ctx.db,
    sql`SELECT cc.case_id, p.* FROM case_child cc JOIN person p ON p.id = cc.person_id
         WHERE cc.case_id = ANY(${ids as string[]}::bigint[]) ORDER BY p.birth_date, p.id`,
  );
  return groupByKey(ids, rows, (r) => String(r.case_id)).map((list) => list.map(Person.from));
});

/** Every access grant of each case, active or not, in the order granted (reached only through a visible case). */
export const participantsByCaseId = defineLoader<string, CaseParticipant[]>('participantsByCaseId', async (ctx, ids) => {
  const rows = await query<GrantRow>(ctx.db, sql`SELECT g.* FROM case_access_grant g WHERE g.case_id = ANY(${ids as string[]}::bigint[]) ORDER BY g.created_at, g.id`);
  return groupByKey(ids, rows, (r) => String(r.case_id)).map((list) => list.map(CaseParticipant.from));
});

/** A participant (access grant) by local id, or null when its case is hidden from the caller. */
export const participantById = defineLoader<string, CaseParticipant | null>('participantById', async (ctx, ids) => {
  const rows = await query<GrantRow>(
    ctx.db,
    sql`SELECT g.* FROM case_access_grant g JOIN "case" c ON c.id = g.case_id WHERE g.id = ANY(${ids as string[]}::bigint[]) AND ${visibleCaseCondition(ctx)}`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? CaseParticipant.from(r) : null));
});

/** The programmes each case is enrolled in, by name (reached only through a visible case). */
export const programsByCaseId = defineLoader<string, Program[]>('programsByCaseId', async (ctx, ids) => {
  const rows = await query<ProgramRow & { case_id: string }>(
    ctx.db,
    sql`SELECT cp.case_id, ${PROGRAM_COLUMNS} FROM case_program cp JOIN program p ON p.id = cp.program_id
         WHERE cp.case_id = ANY(${ids as string[]}::bigint[]) ORDER BY p.name, p.id`,
  );
  return groupByKey(ids, rows, (r) => String(r.case_id)).map((list) => list.map(Program.from));
});

/** The status history of each case, oldest first (reached only through a visible case). */
export const statusChangesByCaseId = defineLoader<string, CaseStatusChange[]>('statusChangesByCaseId', async (ctx, ids) => {
  const rows = await query<StatusChangeRow>(
    ctx.db,
    sql`SELECT s.* FROM case_status_change s WHERE s.case_id = ANY(${ids as string[]}::bigint[]) ORDER BY s.changed_at, s.id`,
  );
  return groupByKey(ids, rows, (r) => String(r.case_id)).map((list) => list.map(CaseStatusChange.from));
});
