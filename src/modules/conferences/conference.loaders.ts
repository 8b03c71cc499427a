import { defineLoader, byKey, groupByKey } from '../../core/loaders';
import { query } from '../../core/db';
import { sql } from '../../core/sql';
import { Agency, StaffMember, type AgencyRow, type StaffRow } from '../agencies/agency.type';
import { CaseConference, ConferenceItem, Decision, type ConferenceItemRow, type ConferenceRow, type DecisionRow } from './conference.type';
import { visibleConferenceCondition } from './conference.scope';

/** A conference by its local id, or null when it does not exist or the caller may not see it. */
export const conferenceById = defineLoader<string, CaseConference | null>('conferenceById', async (ctx, ids) => {
  const rows = await query<ConferenceRow>(
    ctx.db,
    sql`SELECT cc.* FROM case_conference cc WHERE cc.id = ANY(${ids as string[]}::bigint[]) AND ${visibleConferenceCondition(ctx)}`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? CaseConference.from(r) : null));
});

/** An agenda item by its local id, or null when its conference is hidden from the caller. */
export const conferenceItemById = defineLoader<string, ConferenceItem | null>('conferenceItemById', async (ctx, ids) => {
  const rows = await query<ConferenceItemRow>(
    ctx.db,
    sql`SELECT i.* FROM conference_item i JOIN case_conference cc ON cc.id = i.conference_id
         WHERE i.id = ANY(${ids as string[]}::bigint[]) AND ${visibleConferenceCondition(ctx)}`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? ConferenceItem.from(r) : null));
});

/** A decision by its local id, or null when its conference is hidden from the caller. */
export const decisionById = defineLoader<string, Decision | null>('decisionById', async (ctx, ids) => {
  const rows = await query<DecisionRow>(
    ctx.db,
    sql`SELECT d.* FROM decision d JOIN case_conference cc ON cc.id = d.conference_id
         WHERE d.id = ANY(${ids as string[]}::bigint[]) AND ${visibleConferenceCondition(ctx)}`,
  );
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? Decision.from(r) : null));
});

/** The agenda of each conference, in agenda order (reached only through a visible conference). */
export const itemsByConferenceId = defineLoader<string, ConferenceItem[]>('itemsByConferenceId', async (ctx, ids) => {
  const rows = await query<ConferenceItemRow>(
    ctx.db,
    sql`SELECT i.* FROM conference_item i WHERE i.conference_id = ANY(${ids as string[]}::bigint[]) ORDER BY i.conference_id, i.position, i.id`,
  );
  return groupByKey(ids, rows, (r) => String(r.conference_id)).map((list) => list.map(ConferenceItem.from));
});

/** The decisions of each conference, by agenda item and then in the order recorded. */
export const decisionsByConferenceId = defineLoader<string, Decision[]>('decisionsByConferenceId', async (ctx, ids) => {
  const rows = await query<DecisionRow>(
    ctx.db,
    sql`SELECT d.* FROM decision d JOIN conference_item i ON i.id = d.item_id
         WHERE d.conference_id = ANY(${ids as string[]}::bigint[]) ORDER BY d.conference_id, i.position, d.id`,
  );
  return groupByKey(ids, rows, (r) => String(r.conference_id)).map((list) => list.map(Decision.from));
});

/** The decisions on each agenda item, in the order recorded. */
export const decisionsByItemId = defineLoader<string, Decision[]>('decisionsByItemId', async (ctx, ids) => {
  const rows = await query<DecisionRow>(ctx.db, sql`SELECT d.* FROM decision d WHERE d.item_id = ANY(${ids as string[]}::bigint[]) ORDER BY d.item_id, d.id`);
  return groupByKey(ids, rows, (r) => String(r.item_id)).map((list) => list.map(Decision.from));
});

/** The agencies taking part in each conference, by name. */
export const agenciesByConferenceId = defineLoader<string, Agency[]>('agenciesByConferenceId', async (ctx, ids) => {
  const rows = await query<AgencyRow & { conference_id: string }>(
    ctx.db,
    sql`SELECT a.*, ca.conference_id FROM conference_agency ca JOIN agency a ON a.id = ca.agency_id
         WHERE ca.conference_id = ANY(${ids as string[]}::bigint[]) ORDER BY ca.conference_id, a.name, a.id`,
  );
  return groupByKey(ids, rows, (r) => String(r.conference_id)).map((list) => list.map(Agency.from));
});

/** The staff members taking part in each conference, by name. */
export const staffByConferenceId = defineLoader<string, StaffMember[]>('staffByConferenceId', async (ctx, ids) => {
  const rows = await query<StaffRow & { conference_id: string }>(
    ctx.db,
    sql`SELECT s.*, cs.conference_id FROM conference_staff cs JOIN staff_member s ON s.id = cs.staff_id
         WHERE cs.conference_id = ANY(${ids as string[]}::bigint[]) ORDER BY cs.conference_id, s.full_name, s.id`,
  );
  return groupByKey(ids, rows, (r) => String(r.conference_id)).map((list) => list.map(StaffMember.from));
});

/** The conferences that have each case on their agenda and that the caller may see, latest first. */
export const conferencesByCaseId = defineLoader<string, CaseConference[]>('conferencesByCaseId', async (ctx, ids) => {
  const rows = await query<ConferenceRow & { item_case_id: string }>(
    ctx.db,
    sql`SELECT cc.*, i.case_id AS item_case_id FROM conference_item i JOIN case_conference cc ON cc.id = i.conference_id
         WHERE i.case_id = ANY(${ids as string[]}::bigint[]) AND ${visibleConferenceCondition(ctx)}
         ORDER BY i.case_id, cc.scheduled_at DESC, cc.id DESC`,
  );
  return groupByKey(ids, rows, (r) => String(r.item_case_id)).map((list) => list.map(CaseConference.from));
});
