import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import type { Resolved } from '../../core/loaders';
import { Allow, Guard } from '../../core/auth/guard';
import { FieldClass } from '../../core/auth/roles';
import { PageArgs, toConnection } from '../../core/graphql/connection';
import { expectGlobalId } from '../../core/graphql/global-id';
import { registerNodeType } from '../../core/graphql/node';
import { runMutation } from '../../core/mutation';
import { Agency, Region, StaffMember } from '../agencies/agency.type';
import { agencyById, regionByCode } from '../agencies/agency.loaders';
import { Case } from '../cases/case.type';
import { caseById } from '../cases/case.loaders';
import { CaseConference, CaseConferenceConnection, ConferenceItem, ConferenceParticipants, Decision, DecisionConnection } from './conference.type';
import {
  AddConferenceItemInput,
  AddConferenceItemPayload,
  AddConferenceParticipantsInput,
  AddConferenceParticipantsPayload,
  CancelConferenceInput,
  CancelConferencePayload,
  ConferenceFilter,
  HoldConferenceInput,
  HoldConferencePayload,
  OpenDecisionsArgs,
  RecordDecisionInput,
  RecordDecisionPayload,
  ScheduleConferenceInput,
  ScheduleConferencePayload,
  SetItemOutcomeInput,
  SetItemOutcomePayload,
  UpdateDecisionInput,
  UpdateDecisionPayload,
} from './conference.inputs';
import {
  agenciesByConferenceId,
  conferenceById,
  conferenceItemById,
  conferencesByCaseId,
  decisionById,
  decisionsByConferenceId,
  decisionsByItemId,
  itemsByConferenceId,
  staffByConferenceId,
} from './conference.loaders';
import { findConferences, findOpenDecisions } from './conference.finder';
import * as service from './conference.service';
import './conference.scope';

const settle = <T>(results: Array<T | Error>): Array<T | null> => results.map((r) => (r instanceof Error ? null : r));
registerNodeType('CaseConference', async (ctx, ids) => settle(await conferenceById(ctx).loadMany(ids)));
registerNodeType('ConferenceItem', async (ctx, ids) => settle(await conferenceItemById(ctx).loadMany(ids)));
registerNodeType('Decision', async (ctx, ids) => settle(await decisionById(ctx).loadMany(ids)));

/** Runs a conference mutation and wraps what it wrote in its payload. */
async function mutate<T extends object, P>(
  ctx: Context,
  operation: string,
  input: { idempotencyKey?: string | null },
  resultType: string,
  load: (ctx: Context) => { load(id: string): Promise<T | null> },
  wrap: (result: T) => P,
  work: Parameters<typeof runMutation>[2],
): Promise<P> {
  const result = await runMutation(ctx, { operation, idempotencyKey: input.idempotencyKey, input, resultType, load: (id) => load(ctx).load(id) }, work);
  return wrap(result);
}

@Resolver(() => CaseConference)
export class ConferenceResolver {
  @Query(() => CaseConferenceConnection, { description: 'The conferences you may see (of the regions you coordinate, or that your agency takes part in), latest first.' })
  @Allow('conferences.read')
  async conferences(
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('filter', () => ConferenceFilter, { nullable: true, description: 'Which conferences to list.' }) filter?: ConferenceFilter,
  ) {
    return toConnection(CaseConferenceConnection, await findConferences(ctx, filter, page));
  }

  @Query(() => CaseConference, { nullable: true, description: 'One conference by its global id; null when it does not exist or you may not see it.' })
  @Allow('conferences.read')
  conference(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'The global id of the conference.' }) id: string): Resolved<CaseConference | null> {
    return conferenceById(ctx).get(expectGlobalId(id, 'CaseConference', 'id'));
  }

  @Mutation(() => ScheduleConferencePayload, { description: "Schedules a conference of a region you coordinate; the chair agency takes part." })
  @Allow('conferences.manage')
  scheduleConference(@Ctx() ctx: Context, @Arg('input', () => ScheduleConferenceInput, { description: 'The conference to schedule.' }) input: ScheduleConferenceInput) {
    return mutate(ctx, 'scheduleConference', input, 'CaseConference', conferenceById, (conference) => ({ conference }), (tx) => service.scheduleConference(ctx, tx, input));
  }

  @Mutation(() => AddConferenceParticipantsPayload, { description: "Adds agencies and staff to a scheduled conference; new agencies get access to the agenda's cases." })
  @Allow('conferences.manage')
  addConferenceParticipants(
    @Ctx() ctx: Context,
    @Arg('input', () => AddConferenceParticipantsInput, { description: 'The participants to add.' }) input: AddConferenceParticipantsInput,
  ) {
    return mutate(ctx, 'addConferenceParticipants', input, 'CaseConference', conferenceById, (conference) => ({ conference }), (tx) => service.addConferenceParticipants(ctx, tx, input));
  }

  @Mutation(() => HoldConferencePayload, { description: 'Records that a scheduled conference met, with its minutes: SCHEDULED → HELD.' })
  @Allow('conferences.manage')
  holdConference(@Ctx() ctx: Context, @Arg('input', () => HoldConferenceInput, { description: 'When the conference met and its minutes.' }) input: HoldConferenceInput) {
    return mutate(ctx, 'holdConference', input, 'CaseConference', conferenceById, (conference) => ({ conference }), (tx) => service.holdConference(ctx, tx, input));
  }

  @Mutation(() => CancelConferencePayload, { description: "Cancels a scheduled conference (SCHEDULED → CANCELLED) and revokes its participants' access to the agenda's cases." })
  @Allow('conferences.manage')
  cancelConference(@Ctx() ctx: Context, @Arg('input', () => CancelConferenceInput, { description: 'The conference to cancel.' }) input: CancelConferenceInput) {
    return mutate(ctx, 'cancelConference', input, 'CaseConference', conferenceById, (conference) => ({ conference }), (tx) => service.cancelConference(ctx, tx, input));
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Region, { nullable: true, description: 'The region the conference serves (CASE_META).' })
  region(@Root() conference: CaseConference, @Ctx() ctx: Context): Resolved<Region | null> {
    return regionByCode(ctx).get(conference.regionCode);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Agency, { nullable: true, description: 'The agency that chairs the conference and writes its minutes (CASE_META).' })
  chairAgency(@Root() conference: CaseConference, @Ctx() ctx: Context): Resolved<Agency | null> {
    return agencyById(ctx).get(conference.chairAgencyId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => ConferenceParticipants, { nullable: true, description: 'The agencies and staff members taking part in the conference (CASE_META).' })
  participants(@Root() conference: CaseConference): ConferenceParticipants {
    return Object.assign(new ConferenceParticipants(), { conferenceId: conference.localId, scope: conference.scope });
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [ConferenceItem], { nullable: true, description: 'The agenda of the conference: the cases and the questions to decide, in order (CASE_META).' })
  items(@Root() conference: CaseConference, @Ctx() ctx: Context): Resolved<ConferenceItem[]> {
    return itemsByConferenceId(ctx).get(conference.localId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [Decision], { nullable: true, description: 'The decisions of the conference, by agenda item (CASE_META).' })
  decisions(@Root() conference: CaseConference, @Ctx() ctx: Context): Resolved<Decision[]> {
    return decisionsByConferenceId(ctx).get(conference.localId);
  }
}

@Resolver(() => ConferenceParticipants)
export class ConferenceParticipantsResolver {
  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [Agency], { nullable: true, description: 'The agencies taking part in the conference, the chair included, by name (CASE_META).' })
  agencies(@Root() participants: ConferenceParticipants, @Ctx() ctx: Context): Resolved<Agency[]> {
    return agenciesByConferenceId(ctx).get(participants.conferenceId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [StaffMember], { nullable: true, description: 'The staff members taking part in the conference, by name (CASE_META).' })
  staff(@Root() participants: ConferenceParticipants, @Ctx() ctx: Context): Resolved<StaffMember[]> {
    return staffByConferenceId(ctx).get(participants.conferenceId);
  }
}

@Resolver(() => ConferenceItem)
export class ConferenceItemResolver {
  @Mutation(() => AddConferenceItemPayload, {
    description: "Puts a case of the conference's region on the agenda of a scheduled conference; participating agencies get access to it until the end of the follow-up period.",
  })
  @Allow('conferences.manage')
  addConferenceItem(@Ctx() ctx: Context, @Arg('input', () => AddConferenceItemInput, { description: 'The case and the question.' }) input: AddConferenceItemInput) {
    return mutate(ctx, 'addConferenceItem', input, 'ConferenceItem', conferenceItemById, (item) => ({ item }), (tx) => service.addConferenceItem(ctx, tx, input));
  }

  @Mutation(() => SetItemOutcomePayload, { description: 'Records what the conference decided about a case on its agenda.' })
  @Allow('conferences.manage')
  setItemOutcome(@Ctx() ctx: Context, @Arg('input', () => SetItemOutcomeInput, { description: 'The item and its outcome.' }) input: SetItemOutcomeInput) {
    return mutate(ctx, 'setItemOutcome', input, 'ConferenceItem', conferenceItemById, (item) => ({ item }), (tx) => service.setItemOutcome(ctx, tx, input));
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => CaseConference, { nullable: true, description: 'The conference whose agenda holds the item (CASE_META).' })
  conference(@Root() item: ConferenceItem, @Ctx() ctx: Context): Resolved<CaseConference | null> {
    return conferenceById(ctx).get(item.conferenceId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Case, { nullable: true, description: 'The case on the agenda; null when you may not see it (e.g. after the follow-up period) (CASE_META).' })
  case(@Root() item: ConferenceItem, @Ctx() ctx: Context): Resolved<Case | null> {
    return caseById(ctx).get(item.caseId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [Decision], { nullable: true, description: 'The decisions on the item, in the order recorded (CASE_META).' })
  decisions(@Root() item: ConferenceItem, @Ctx() ctx: Context): Resolved<Decision[]> {
    return decisionsByItemId(ctx).get(item.localId);
  }
}

@Resolver(() => Decision)
export class DecisionResolver {
  @Query(() => DecisionConnection, {
    description: 'The OPEN decisions an agency is responsible for, in conferences you may see (its own staff and the coordinator of its region see them all), by due day.',
  })
  @Allow('conferences.read')
  async openDecisions(@Ctx() ctx: Context, @Args() args: OpenDecisionsArgs) {
    const agencyId = expectGlobalId(args.agency, 'Agency', 'agency');
    return toConnection(DecisionConnection, await findOpenDecisions(ctx, agencyId, args.overdue, args));
  }

  @Mutation(() => RecordDecisionPayload, { description: "Records a conference's decision on an agenda item; optionally it becomes a step of the case's route of help." })
  @Allow('conferences.manage')
  recordDecision(@Ctx() ctx: Context, @Arg('input', () => RecordDecisionInput, { description: 'The decision.' }) input: RecordDecisionInput) {
    return mutate(ctx, 'recordDecision', input, 'Decision', decisionById, (decision) => ({ decision }), (tx) => service.recordDecision(ctx, tx, input));
  }

  @Mutation(() => UpdateDecisionPayload, {
    description: "Reports a decision carried out (its plan step is done too) or reopens it; by the responsible agency or the region's coordinator.",
  })
  @Allow('conferences.carryOut')
  updateDecision(@Ctx() ctx: Context, @Arg('input', () => UpdateDecisionInput, { description: 'The decision and its new status.' }) input: UpdateDecisionInput) {
    return mutate(ctx, 'updateDecision', input, 'Decision', decisionById, (decision) => ({ decision }), (tx) => service.updateDecision(ctx, tx, input));
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => ConferenceItem, { nullable: true, description: 'The agenda item the decision is about (CASE_META).' })
  item(@Root() decision: Decision, @Ctx() ctx: Context): Resolved<ConferenceItem | null> {
    return conferenceItemById(ctx).get(decision.itemId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => CaseConference, { nullable: true, description: 'The conference that took the decision (CASE_META).' })
  conference(@Root() decision: Decision, @Ctx() ctx: Context): Resolved<CaseConference | null> {
    return conferenceById(ctx).get(decision.conferenceId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Case, { nullable: true, description: 'The case the decision is about; null when you may not see it (CASE_META).' })
  case(@Root() decision: Decision, @Ctx() ctx: Context): Resolved<Case | null> {
    return caseById(ctx).get(decision.caseId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Agency, { nullable: true, description: 'The agency that is to carry the decision out (CASE_META).' })
  responsibleAgency(@Root() decision: Decision, @Ctx() ctx: Context): Resolved<Agency | null> {
    return agencyById(ctx).get(decision.responsibleAgencyId);
  }
}

@Resolver(() => Case)
export class CaseConferencesResolver {
  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [CaseConference], {
    nullable: true,
    description: 'The conferences that have the case on their agenda and that you may see, latest first (CASE_META).',
  })
  conferences(@Root() kase: Case, @Ctx() ctx: Context): Resolved<CaseConference[]> {
    return conferencesByCaseId(ctx).get(kase.localId);
  }
}
