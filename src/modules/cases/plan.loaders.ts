import { defineLoader, byKey, groupByKey } from '../../core/loaders';
import { query } from '../../core/db';
import { raw, sql } from '../../core/sql';
import { visibleCaseCondition } from './case.scope';
import { Need, PlanStep, type NeedRow, type PlanStepRow } from './plan.type';

/** The columns of a plan step, with `overdue` computed against the database's today. */
export const PLAN_STEP_COLUMNS = raw(
  `ps.*, coalesce(ps.status NOT IN ('DONE', 'CANCELLED') AND ps.due_on < current_date, false) AS overdue`,
);

/** The needs of each case, oldest first (callers reach them only through a visible case, so `needById` gets them too). */
export const needsByCaseId = defineLoader<string, Need[]>('needsByCaseId', async (ctx, ids) => {
  const rows = await query<NeedRow>(ctx.db, sql`SELECT n.* FROM need n WHERE n.case_id = ANY(${ids as string[]}::bigint[]) ORDER BY n.created_at, n.id`);
  const needs = groupByKey(ids, rows, (r) => String(r.case_id)).map((list) => list.map(Need.from));
  needById(ctx).primeEach(needs.flat(), (need) => need.localId);
  return needs;
});

/** A need by local id, or null when it does not exist or its case is hidden from the caller. */
export const needById = defineLoader<string, Need | null>('needById', async (ctx, ids) => {
  const rows = await query<NeedRow>(
    ctx.db,
    sql`SELECT n.* FROM need n JOIN "case" c ON c.id = n.case_id WHERE n.id = ANY(${ids as string[]}::bigint[]) AND ${visibleCaseCondition(ctx)}`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? Need.from(r) : null));
});

/** The route of help of each case: its plan steps by position (callers reach them only through a visible case, so `planStepById` gets them too). */
export const planStepsByCaseId = defineLoader<string, PlanStep[]>('planStepsByCaseId', async (ctx, ids) => {
  const rows = await query<PlanStepRow>(
    ctx.db,
    sql`SELECT ${PLAN_STEP_COLUMNS} FROM plan_step ps WHERE ps.case_id = ANY(${ids as string[]}::bigint[]) ORDER BY ps.case_id, ps.position, ps.id`,
  );
  const steps = groupByKey(ids, rows, (r) => String(r.case_id)).map((list) => list.map(PlanStep.from));
  planStepById(ctx).primeEach(steps.flat(), (step) => step.localId);
  return steps;
});

/** A plan step by local id, or null when it does not exist or its case is hidden from the caller. */
export const planStepById = defineLoader<string, PlanStep | null>('planStepById', async (ctx, ids) => {
  const rows = await query<PlanStepRow>(
    ctx.db,
    sql`SELECT ${PLAN_STEP_COLUMNS} FROM plan_step ps JOIN "case" c ON c.id = ps.case_id
         WHERE ps.id = ANY(${ids as string[]}::bigint[]) AND ${visibleCaseCondition(ctx)}`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? PlanStep.from(r) : null));
});
