import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Guard } from '../../core/auth/guard';
import type { Guarded, RecordScope } from '../../core/auth/access';
import { FieldClass } from '../../core/auth/roles';
import { Node } from '../../core/graphql/node';
import { toGlobalId } from '../../core/graphql/global-id';
import { ConnectionType } from '../../core/graphql/connection';
import { ConferenceFormat, ConferenceItemOutcome, ConferenceStatus, DecisionStatus } from './conference.enums';

/**
 * Every object of a conference is scoped to the conference: the policy table decides its fields from the caller's
 * relations to the conference (REGION for the region's coordinator, CONFERENCE for a participating agency), and the
 * chair agency is the author of the minutes (AUTHOR_AGENCY gives its staff NOTES).
 */
export function conferenceScope(conferenceId: string, chairAgencyId: string | null = null): RecordScope {
  return { kind: 'conference', id: conferenceId, ownerAgencyId: chairAgencyId };
}

/** Today's calendar day (UTC), the day against which due dates are judged. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export interface ConferenceRow {
  id: string;
  region_code: string;
  chair_agency_id: string;
  title: string;
  scheduled_at: Date;
  format: ConferenceFormat;
  status: ConferenceStatus;
  held_at: Date | null;
  minutes: string | null;
  follow_up_until: string;
  version: number;
  updated_at: Date;
}

@ObjectType({ implements: Node, description: 'An inter-agency case conference: a meeting of the agencies around families that decides the hardest cases collegially.' })
export class CaseConference extends Node implements Guarded {
  localId: string;
  regionCode: string;
  chairAgencyId: string;
  scope: RecordScope;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The title of the conference (CASE_META).' })
  title: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the conference is scheduled to meet (CASE_META).' })
  scheduledAt: Date | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => ConferenceFormat, { nullable: true, description: 'How the conference meets: face to face or remotely (CASE_META).' })
  format: ConferenceFormat | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => ConferenceStatus, { nullable: true, description: 'The status of the conference: SCHEDULED, HELD or CANCELLED (CASE_META).' })
  status: ConferenceStatus | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the conference was held (CASE_META).' })
  heldAt: Date | null;

  @Guard(FieldClass.NOTES)
  @Field(() => String, { nullable: true, description: "The minutes of the conference (NOTES: the chair agency and the region's coordinator)." })
  minutes: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, {
    nullable: true,
    description: "The last day of the follow-up period, YYYY-MM-DD: participants keep access to the agenda's cases until its end (CASE_META).",
  })
  followUpUntil: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Int, { nullable: true, description: 'The version of the conference; send it as `expectedVersion` with a write (CASE_META).' })
  version: number | null;

  static from(row: ConferenceRow): CaseConference {
    const id = String(row.id);
    return Object.assign(new CaseConference(), {
      id: toGlobalId('CaseConference', id),
      localId: id,
      regionCode: row.region_code,
      chairAgencyId: String(row.chair_agency_id),
      scope: conferenceScope(id, String(row.chair_agency_id)),
      title: row.title,
      scheduledAt: row.scheduled_at,
      format: row.format,
      status: row.status,
      heldAt: row.held_at,
      minutes: row.minutes,
      followUpUntil: row.follow_up_until,
      version: row.version,
    });
  }
}

export const CaseConferenceConnection = ConnectionType(CaseConference, 'CaseConference', 'case conferences');

@ObjectType({ description: 'Who takes part in a conference: the agencies and their staff members.' })
export class ConferenceParticipants implements Guarded {
  conferenceId: string;
  scope: RecordScope;
}

export interface ConferenceItemRow {
  id: string;
  conference_id: string;
  case_id: string;
  position: number;
  question: string;
  outcome: ConferenceItemOutcome | null;
  version: number;
}

@ObjectType({ implements: Node, description: "An item of a conference's agenda: a case and the question to decide about it, with the outcome." })
export class ConferenceItem extends Node implements Guarded {
  localId: string;
  conferenceId: string;
  caseId: string;
  scope: RecordScope;

  @Guard(FieldClass.CASE_META)
  @Field(() => Int, { nullable: true, description: 'The position of the item on the agenda, from 1 (CASE_META).' })
  position: number | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The question the conference is to decide about the case (CASE_META).' })
  question: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => ConferenceItemOutcome, { nullable: true, description: 'What the conference decided about the case; null until decided (CASE_META).' })
  outcome: ConferenceItemOutcome | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Int, { nullable: true, description: 'The version of the item; send it as `expectedVersion` with a write (CASE_META).' })
  version: number | null;

  static from(row: ConferenceItemRow): ConferenceItem {
    const id = String(row.id);
    return Object.assign(new ConferenceItem(), {
      id: toGlobalId('ConferenceItem', id),
      localId: id,
      conferenceId: String(row.conference_id),
      caseId: String(row.case_id),
      scope: conferenceScope(String(row.conference_id)),
      position: row.position,
      question: row.question,
      outcome: row.outcome,
      version: row.version,
    });
  }
}

export interface DecisionRow {
  id: string;
  item_id: string;
  conference_id: string;
  case_id: string;
  text: string;
  responsible_agency_id: string;
  due_on: string;
  status: DecisionStatus;
  done_on: string | null;
  plan_step_id: string | null;
  version: number;
  updated_at: Date;
}

@ObjectType({ implements: Node, description: 'A decision of a conference on an agenda item, to be carried out by a responsible agency by a due date.' })
export class Decision extends Node implements Guarded {
  localId: string;
  itemId: string;
  conferenceId: string;
  caseId: string;
  responsibleAgencyId: string;
  scope: RecordScope;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'What was decided (CASE_META).' })
  text: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The day by which the decision is to be carried out, YYYY-MM-DD (CASE_META).' })
  dueOn: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => DecisionStatus, { nullable: true, description: 'The status of the decision: OPEN or DONE (CASE_META).' })
  status: DecisionStatus | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The day the decision was carried out, YYYY-MM-DD (CASE_META).' })
  doneOn: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Boolean, { nullable: true, description: 'Whether the decision is overdue: still OPEN and its due day has passed (CASE_META).' })
  overdue: boolean | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Boolean, { nullable: true, description: 'Whether the decision was carried out by its due day (null while OPEN) (CASE_META).' })
  doneOnTime: boolean | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => ID, {
    nullable: true,
    description: "The global id of the plan step (route of help) that carries the decision out, when it became one; the step links back to the decision (CASE_META).",
  })
  planStepId: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Int, { nullable: true, description: 'The version of the decision; send it as `expectedVersion` with a write (CASE_META).' })
  version: number | null;

  static from(row: DecisionRow): Decision {
    const id = String(row.id);
    const open = row.status === DecisionStatus.OPEN;
    return Object.assign(new Decision(), {
      id: toGlobalId('Decision', id),
      localId: id,
      itemId: String(row.item_id),
      conferenceId: String(row.conference_id),
      caseId: String(row.case_id),
      responsibleAgencyId: String(row.responsible_agency_id),
      scope: conferenceScope(String(row.conference_id)),
      text: row.text,
      dueOn: row.due_on,
      status: row.status,
      doneOn: row.done_on,
      overdue: open && row.due_on < today(),
      doneOnTime: open ? null : row.done_on !== null && row.done_on <= row.due_on,
      planStepId: row.plan_step_id === null ? null : toGlobalId('PlanStep', String(row.plan_step_id)),
      version: row.version,
    });
  }
}

export const DecisionConnection = ConnectionType(Decision, 'Decision', 'conference decisions');
