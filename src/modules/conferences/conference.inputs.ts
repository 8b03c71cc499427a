import { ArgsType, Field, ID, InputType, Int, ObjectType, type ClassType } from 'type-graphql';
import { ArrayMaxSize, IsInt, IsOptional, Length, Matches, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { PageArgs } from '../../core/graphql/connection';
import { MutationInput, VersionedMutationInput } from '../../core/graphql/mutation-input';
import { ConferenceFormat, ConferenceItemOutcome, ConferenceStatus, DecisionStatus } from './conference.enums';
import { CaseConference, ConferenceItem, Decision } from './conference.type';

/** Whether a text is a real calendar day written YYYY-MM-DD (2024-02-30 is not). */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function IsCalendarDay(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isCalendarDay', validator: { validate: isCalendarDay, defaultMessage: () => 'must be a calendar day written YYYY-MM-DD' } }, options);
}

const CONFERENCE_VERSION = 'The version of the conference you read.';
const MAX_PARTICIPANTS = 50;

@InputType({ description: 'Which conferences to list.' })
export class ConferenceFilter {
  @Field(() => String, { nullable: true, description: 'Only conferences of the region with this code.' })
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'must be a two-digit region code' })
  region?: string;

  @Field(() => ConferenceStatus, { nullable: true, description: 'Only conferences with this status.' })
  status?: ConferenceStatus;

  @Field(() => Date, { nullable: true, description: 'Only conferences scheduled at or after this time.' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Only conferences scheduled before this time.' })
  to?: Date;

  @Field(() => ID, { nullable: true, description: 'Only conferences that have this case (that you may see) on their agenda.' })
  case?: string;

  @Field(() => Boolean, { nullable: true, description: 'Only conferences that have (true) or have no (false) overdue decisions.' })
  hasOverdueDecisions?: boolean;
}

@ArgsType()
export class OpenDecisionsArgs extends PageArgs {
  @Field(() => ID, { description: 'The global id of the agency responsible for the decisions.' })
  agency: string;

  @Field(() => Boolean, { nullable: true, description: 'Only overdue decisions (true) or only those still within their due day (false).' })
  overdue?: boolean;
}

@InputType({ description: 'A conference to schedule.' })
export class ScheduleConferenceInput extends MutationInput {
  @Field({ description: 'The code of the region the conference serves; you must coordinate it.' })
  @Matches(/^\d{2}$/, { message: 'must be a two-digit region code' })
  region: string;

  @Field(() => ID, { description: 'The global id of the agency that chairs the conference (an agency of the region); it takes part and writes the minutes.' })
  chairAgency: string;

  @Field({ description: 'The title of the conference.' })
  @Length(1, 300)
  title: string;

  @Field(() => Date, { description: 'When the conference is to meet.' })
  scheduledAt: Date;

  @Field(() => ConferenceFormat, { description: 'How the conference meets: face to face or remotely.' })
  format: ConferenceFormat;

  @Field(() => [ID], { description: `The global ids of the agencies taking part besides the chair (at most ${MAX_PARTICIPANTS}).` })
  @ArrayMaxSize(MAX_PARTICIPANTS)
  participatingAgencies: string[];

  @Field(() => [ID], { nullable: true, description: `The global ids of the staff members taking part; each works for a participating agency (at most ${MAX_PARTICIPANTS}).` })
  @IsOptional()
  @ArrayMaxSize(MAX_PARTICIPANTS)
  participatingStaff?: string[];

  @Field(() => Int, { defaultValue: 90, description: "The number of days after the meeting during which participants keep access to the agenda's cases (1 to 365, default 90)." })
  @IsInt()
  @Min(1)
  @Max(365)
  followUpDays: number;
}

@InputType({ description: 'Agencies and staff members to add to a scheduled conference.' })
export class AddConferenceParticipantsInput extends VersionedMutationInput(CONFERENCE_VERSION) {
  @Field(() => ID, { description: 'The global id of the conference.' })
  conference: string;

  @Field(() => [ID], { nullable: true, description: `The global ids of the agencies to add (at most ${MAX_PARTICIPANTS}); they get access to the cases already on the agenda.` })
  @IsOptional()
  @ArrayMaxSize(MAX_PARTICIPANTS)
  agencies?: string[];

  @Field(() => [ID], { nullable: true, description: `The global ids of the staff members to add, each of a participating agency (at most ${MAX_PARTICIPANTS}).` })
  @IsOptional()
  @ArrayMaxSize(MAX_PARTICIPANTS)
  staff?: string[];
}

@InputType({ description: 'A scheduled conference that met.' })
export class HoldConferenceInput extends VersionedMutationInput(CONFERENCE_VERSION) {
  @Field(() => ID, { description: 'The global id of the conference.' })
  conference: string;

  @Field(() => Date, { description: "When the conference met: not in the future, and not before the day it was scheduled for." })
  heldAt: Date;

  @Field({ description: 'The minutes of the meeting (NOTES: read by the chair agency and the region\'s coordinator).' })
  @Length(1, 20000)
  minutes: string;
}

@InputType({ description: 'A scheduled conference that will not meet.' })
export class CancelConferenceInput extends VersionedMutationInput(CONFERENCE_VERSION) {
  @Field(() => ID, { description: "The global id of the conference; its participants' access to the agenda's cases is revoked." })
  conference: string;
}

@InputType({ description: "A case to put on a scheduled conference's agenda." })
export class AddConferenceItemInput extends MutationInput {
  @Field(() => ID, { description: 'The global id of the conference (SCHEDULED).' })
  conference: string;

  @Field(() => ID, { description: "The global id of the case: a case of the conference's region, not yet on this agenda." })
  case: string;

  @Field({ description: 'The question the conference is to decide about the case.' })
  @Length(1, 2000)
  question: string;
}

@InputType({ description: 'What a conference decided about a case on its agenda.' })
export class SetItemOutcomeInput extends VersionedMutationInput('The version of the item you read.') {
  @Field(() => ID, { description: 'The global id of the agenda item.' })
  item: string;

  @Field(() => ConferenceItemOutcome, { description: 'The outcome for the case.' })
  outcome: ConferenceItemOutcome;
}

@InputType({ description: 'A decision of a conference on an agenda item.' })
export class RecordDecisionInput extends MutationInput {
  @Field(() => ID, { description: 'The global id of the agenda item the decision is about.' })
  item: string;

  @Field({ description: 'What was decided.' })
  @Length(1, 2000)
  text: string;

  @Field(() => ID, { description: 'The global id of the agency that is to carry the decision out: an agency taking part in the conference.' })
  responsibleAgency: string;

  @Field({ description: 'The day by which the decision is to be carried out, YYYY-MM-DD (not before the meeting).' })
  @IsCalendarDay()
  dueOn: string;

  @Field(() => Boolean, {
    defaultValue: false,
    description: "Whether the decision also becomes a step of the case's route of help (title, responsible agency and due day of the decision), linked both ways.",
  })
  createPlanStep: boolean;
}

@InputType({ description: 'Progress on a conference decision.' })
export class UpdateDecisionInput extends VersionedMutationInput('The version of the decision you read.') {
  @Field(() => ID, { description: 'The global id of the decision.' })
  decision: string;

  @Field(() => DecisionStatus, { description: 'DONE when carried out (its plan step, if any, is done too), OPEN to reopen it.' })
  status: DecisionStatus;

  @Field(() => String, { nullable: true, description: 'The day the decision was carried out, YYYY-MM-DD, not in the future (default today); only with DONE.' })
  @IsOptional()
  @IsCalendarDay()
  doneOn?: string;
}

/** Builds the payload type of one mutation: the changed object under one field. */
function payloadType<T extends object>(name: string, field: string, type: ClassType<T>, what: string): ClassType<Record<string, T | null>> {
  @ObjectType(name, { description: `The result of \`${name.replace(/Payload$/, '').replace(/^./, (c) => c.toLowerCase())}\`.` })
  class Payload {}
  Field(() => type, { nullable: true, description: `The ${what} as it is after the write.` })(Payload.prototype, field);
  return Payload as ClassType<Record<string, T | null>>;
}

export const ScheduleConferencePayload = payloadType('ScheduleConferencePayload', 'conference', CaseConference, 'conference');
export const AddConferenceParticipantsPayload = payloadType('AddConferenceParticipantsPayload', 'conference', CaseConference, 'conference');
export const HoldConferencePayload = payloadType('HoldConferencePayload', 'conference', CaseConference, 'conference');
export const CancelConferencePayload = payloadType('CancelConferencePayload', 'conference', CaseConference, 'conference');
export const AddConferenceItemPayload = payloadType('AddConferenceItemPayload', 'item', ConferenceItem, 'agenda item');
export const SetItemOutcomePayload = payloadType('SetItemOutcomePayload', 'item', ConferenceItem, 'agenda item');
export const RecordDecisionPayload = payloadType('RecordDecisionPayload', 'decision', Decision, 'decision');
export const UpdateDecisionPayload = payloadType('UpdateDecisionPayload', 'decision', Decision, 'decision');
