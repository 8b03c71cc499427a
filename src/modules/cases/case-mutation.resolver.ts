import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { Allow } from '../../core/auth/guard';
import { runMutation } from '../../core/mutation';
import {
  AddCaseParticipantPayload,
  AssignCaseManagerPayload,
  Case,
  ChangeCaseStatusPayload,
  CloseCasePayload,
  OpenCasePayload,
  RemoveCaseParticipantPayload,
  RequestEmergencyAccessPayload,
} from './case.type';
import {
  AddCaseParticipantInput,
  AssignCaseManagerInput,
  ChangeCaseStatusInput,
  CloseCaseInput,
  OpenCaseInput,
  RemoveCaseParticipantInput,
  RequestEmergencyAccessInput,
} from './case.inputs';
import { caseById, participantById } from './case.loaders';
import * as service from './case.service';

type CasePayload = { case: Case | null };

/** Runs a case mutation whose payload carries the case. */
function caseMutation<P extends CasePayload>(ctx: Context, operation: string, input: { idempotencyKey?: string | null }, payload: new () => P, work: Parameters<typeof runMutation>[2]): Promise<P> {
  return runMutation(
    ctx,
    { operation, idempotencyKey: input.idempotencyKey, input, resultType: 'Case', load: async (id) => Object.assign(new payload(), { case: await caseById(ctx).load(id) }) },
    work,
  );
}

type ParticipantPayload = CasePayload & { participant: unknown };

/** Runs a case mutation whose payload carries a participant (access grant) and its case. */
function participantMutation<P extends ParticipantPayload>(ctx: Context, operation: string, input: { idempotencyKey?: string | null }, payload: new () => P, work: Parameters<typeof runMutation>[2]): Promise<P> {
  return runMutation(
    ctx,
    {
      operation,
      idempotencyKey: input.idempotencyKey,
      input,
      resultType: 'CaseParticipant',
      load: async (id) => {
        const participant = await participantById(ctx).load(id);
        return Object.assign(new payload(), { participant, case: participant ? await caseById(ctx).load(participant.caseId) : null });
      },
    },
    work,
  );
}

@Resolver(() => Case)
export class CaseMutationResolver {
  @Mutation(() => OpenCasePayload, {
    description: "Opens a case for a family: children in focus, source, risk, lead agency (the caller's by default), case manager, programmes. Issues the number and the lead agency's grant.",
  })
  @Allow('cases.open')
  openCase(@Ctx() ctx: Context, @Arg('input', () => OpenCaseInput, { description: 'The case to open.' }) input: OpenCaseInput): Promise<OpenCasePayload> {
    return caseMutation(ctx, 'openCase', input, OpenCasePayload, (tx) => service.openCase(ctx, tx, input));
  }

  @Mutation(() => ChangeCaseStatusPayload, {
    description: "Moves a case to another status (REFERRED → ASSESSMENT → ACTIVE ⇄ MONITORING); an illegal move is INVALID_TRANSITION. Only the case's manager or the region's coordinator.",
  })
  @Allow('cases.changeStatus')
  changeCaseStatus(@Ctx() ctx: Context, @Arg('input', () => ChangeCaseStatusInput, { description: 'The case, its version and the new status.' }) input: ChangeCaseStatusInput): Promise<ChangeCaseStatusPayload> {
    return caseMutation(ctx, 'changeCaseStatus', input, ChangeCaseStatusPayload, (tx) => service.changeCaseStatus(ctx, tx, input));
  }

  @Mutation(() => CloseCasePayload, { description: "Closes a case (from ASSESSMENT, ACTIVE or MONITORING) with an outcome and a note. Only the case's manager or the region's coordinator." })
  @Allow('cases.changeStatus')
  closeCase(@Ctx() ctx: Context, @Arg('input', () => CloseCaseInput, { description: 'The case, its version and the outcome.' }) input: CloseCaseInput): Promise<CloseCasePayload> {
    return caseMutation(ctx, 'closeCase', input, CloseCasePayload, (tx) => service.closeCase(ctx, tx, input));
  }

  @Mutation(() => AssignCaseManagerPayload, { description: "Gives a case a new case manager (an active staff member). Only the coordinator of the case's region." })
  @Allow('cases.assignManager')
  assignCaseManager(@Ctx() ctx: Context, @Arg('input', () => AssignCaseManagerInput, { description: 'The case, its version and the new manager.' }) input: AssignCaseManagerInput): Promise<AssignCaseManagerPayload> {
    return caseMutation(ctx, 'assignCaseManager', input, AssignCaseManagerPayload, (tx) => service.assignCaseManager(ctx, tx, input));
  }

  @Mutation(() => AddCaseParticipantPayload, { description: "Adds an agency or one staff member to a case's team (TEAM), optionally until a time. Only the case's manager or the region's coordinator." })
  @Allow('cases.plan')
  addCaseParticipant(@Ctx() ctx: Context, @Arg('input', () => AddCaseParticipantInput, { description: 'The case, its version and the participant.' }) input: AddCaseParticipantInput): Promise<AddCaseParticipantPayload> {
    return participantMutation(ctx, 'addCaseParticipant', input, AddCaseParticipantPayload, (tx) => service.addCaseParticipant(ctx, tx, input));
  }

  @Mutation(() => RemoveCaseParticipantPayload, { description: "Removes a participant from a case's team: its grant is revoked, never deleted. Not the lead agency, not a referral's grant." })
  @Allow('cases.plan')
  removeCaseParticipant(
    @Ctx() ctx: Context,
    @Arg('input', () => RemoveCaseParticipantInput, { description: "The participant and its case's version." }) input: RemoveCaseParticipantInput,
  ): Promise<RemoveCaseParticipantPayload> {
    return participantMutation(ctx, 'removeCaseParticipant', input, RemoveCaseParticipantPayload, (tx) => service.removeCaseParticipant(ctx, tx, input));
  }

  @Mutation(() => RequestEmergencyAccessPayload, {
    description:
      "Break-the-glass: a case worker of the case's region who is not on its team opens it for 24 hours, giving a reason that is audited and shown to the region's coordinator. A case outside the caller's regions is NOT_FOUND.",
  })
  @Allow('cases.emergency')
  requestEmergencyAccess(
    @Ctx() ctx: Context,
    @Arg('input', () => RequestEmergencyAccessInput, { description: 'The case (by id or number) and the reason.' }) input: RequestEmergencyAccessInput,
  ): Promise<RequestEmergencyAccessPayload> {
    return participantMutation(ctx, 'requestEmergencyAccess', input, RequestEmergencyAccessPayload, (tx) => service.requestEmergencyAccess(ctx, tx, input));
  }
}
