import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import type { Resolved } from '../../core/loaders';
import { Allow, Guard } from '../../core/auth/guard';
import { FieldClass } from '../../core/auth/roles';
import { PageArgs, toConnection } from '../../core/graphql/connection';
import { registerNodeType } from '../../core/graphql/node';
import { runMutation } from '../../core/mutation';
import { Agency, StaffMember } from '../agencies/agency.type';
import { agencyById, staffById } from '../agencies/agency.loaders';
import { Case } from '../cases/case.type';
import { caseById } from '../cases/case.loaders';
import { payloadCaseResolver } from '../cases/case-payload';
import { PlanStep } from '../cases/plan.type';
import { planStepById } from '../cases/plan.loaders';
import { ServiceOffering, ServiceType } from '../providers/provider.type';
import { serviceOfferingById, serviceTypeById } from '../providers/provider.loaders';
import { ReferralStatus } from './referral.enums';
import { findIncomingReferrals } from './referral.finder';
import { CancelReferralInput, CompleteReferralInput, RespondToReferralInput, SendReferralInput } from './referral.inputs';
import { incomingReferralById, OPEN_REFERRAL_STATUSES, referralById, referralsByCaseId } from './referral.loaders';
import { cancelReferral, completeReferral, respondToReferral, sendReferral } from './referral.service';
import {
  CancelReferralPayload,
  CompleteReferralPayload,
  IncomingReferral,
  IncomingReferralConnection,
  Referral,
  RespondToReferralPayload,
  SendReferralPayload,
  type IncomingReferralRow,
} from './referral.type';

registerNodeType('Referral', (ctx, ids) => referralById(ctx).loadMany(ids).then((list) => list.map((x) => (x instanceof Error ? null : x))));

/** The payloads' `case`: read only when selected. */
export const SendReferralPayloadResolver = payloadCaseResolver(SendReferralPayload);
export const RespondToReferralPayloadCaseResolver = payloadCaseResolver(RespondToReferralPayload);
export const CompleteReferralPayloadResolver = payloadCaseResolver(CompleteReferralPayload);
export const CancelReferralPayloadResolver = payloadCaseResolver(CancelReferralPayload);

/** The answered referral as the case team sees it: read only when selected (null when the caller is not on the team). */
@Resolver(() => RespondToReferralPayload)
export class RespondToReferralPayloadResolver {
  @FieldResolver(() => Referral, { nullable: true })
  referral(@Root() payload: RespondToReferralPayload, @Ctx() ctx: Context): Resolved<Referral | null> {
    return referralById(ctx).get(payload.referralId);
  }
}

/** The referrals of a case (the case is visible, or it would not have been built). */
@Resolver(() => Case)
export class CaseReferralsResolver {
  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [Referral], { nullable: true, description: 'The referrals of the case, newest first (CASE_META; their notes are NOTES).' })
  referrals(
    @Root() c: Case,
    @Ctx() ctx: Context,
    @Arg('status', () => [ReferralStatus], { nullable: true, description: 'Only referrals in these statuses.' }) status?: ReferralStatus[] | null,
    @Arg('openOnly', () => Boolean, { nullable: true, description: 'Only referrals whose loop is still open (SENT or ACCEPTED).' }) openOnly?: boolean | null,
  ): Resolved<Referral[]> {
    let statuses: ReferralStatus[] | null = status?.length ? [...new Set(status)] : null;
    if (openOnly) statuses = (statuses ?? OPEN_REFERRAL_STATUSES).filter((s) => OPEN_REFERRAL_STATUSES.includes(s));
    return referralsByCaseId(ctx).get({ caseId: c.localId, statuses });
  }
}

/** The relations of a referral, shared by the team's view and the addressee's view. */
interface ReferralRelations {
  caseId: string;
  fromAgencyId: string;
  toAgencyId: string;
  offeringId: string | null;
  serviceTypeId: string | null;
}

const loadFromAgency = (r: ReferralRelations, ctx: Context) => agencyById(ctx).load(r.fromAgencyId);
const loadToAgency = (r: ReferralRelations, ctx: Context) => agencyById(ctx).load(r.toAgencyId);
const loadOffering = (r: ReferralRelations, ctx: Context) => (r.offeringId ? serviceOfferingById(ctx).load(r.offeringId) : null);
const loadServiceType = (r: ReferralRelations, ctx: Context) => (r.serviceTypeId ? serviceTypeById(ctx).load(r.serviceTypeId) : null);

@Resolver(() => Referral)
export class ReferralResolver {
  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Case, { nullable: true, description: 'The referred case (CASE_META).' })
  case(@Root() referral: Referral, @Ctx() ctx: Context): Resolved<Case | null> {
    return caseById(ctx).get(referral.caseId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Agency, { nullable: true, description: 'The agency that sent the referral (CASE_META).' })
  fromAgency(@Root() referral: Referral, @Ctx() ctx: Context): Promise<Agency | null> {
    return loadFromAgency(referral, ctx);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Agency, { nullable: true, description: 'The agency the referral is addressed to (CASE_META).' })
  toAgency(@Root() referral: Referral, @Ctx() ctx: Context): Promise<Agency | null> {
    return loadToAgency(referral, ctx);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => ServiceOffering, { nullable: true, description: 'The service offering the family is referred to, if any (CASE_META).' })
  offering(@Root() referral: Referral, @Ctx() ctx: Context): Promise<ServiceOffering | null> | null {
    return loadOffering(referral, ctx);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => ServiceType, { nullable: true, description: 'The service type asked for (CASE_META).' })
  serviceType(@Root() referral: Referral, @Ctx() ctx: Context): Promise<ServiceType | null> | null {
    return loadServiceType(referral, ctx);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => PlanStep, { nullable: true, description: 'The plan step the referral carries out, if any (CASE_META).' })
  planStep(@Root() referral: Referral, @Ctx() ctx: Context): Resolved<PlanStep | null> | null {
    return referral.planStepId ? planStepById(ctx).get(referral.planStepId) : null;
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => StaffMember, { nullable: true, description: 'The staff member who sent the referral (CASE_META).' })
  sentBy(@Root() referral: Referral, @Ctx() ctx: Context): Resolved<StaffMember | null> | null {
    return referral.sentByStaffId ? staffById(ctx).get(referral.sentByStaffId) : null;
  }
}

@Resolver(() => IncomingReferral)
export class IncomingReferralResolver {
  @FieldResolver(() => Agency, { description: 'The agency that sent the referral.' })
  async fromAgency(@Root() referral: IncomingReferral, @Ctx() ctx: Context): Promise<Agency> {
    return (await loadFromAgency(referral, ctx))!;
  }

  @FieldResolver(() => ServiceOffering, { nullable: true, description: 'The service offering of the caller\'s agency the family is referred to, if any.' })
  offering(@Root() referral: IncomingReferral, @Ctx() ctx: Context): Promise<ServiceOffering | null> | null {
    return loadOffering(referral, ctx);
  }

  @FieldResolver(() => ServiceType, { nullable: true, description: 'The service type asked for.' })
  serviceType(@Root() referral: IncomingReferral, @Ctx() ctx: Context): Promise<ServiceType | null> | null {
    return loadServiceType(referral, ctx);
  }

  @FieldResolver(() => Referral, { nullable: true, description: "The referral as the case team sees it: null until the caller's agency is on the team (it accepts)." })
  referral(@Root() referral: IncomingReferral, @Ctx() ctx: Context): Resolved<Referral | null> {
    return referralById(ctx).get(referral.localId);
  }

  @FieldResolver(() => Case, { nullable: true, description: "The referred case: null until the caller's agency is on the team (it accepts)." })
  case(@Root() referral: IncomingReferral, @Ctx() ctx: Context): Resolved<Case | null> {
    return caseById(ctx).get(referral.caseId);
  }
}

@Resolver()
export class ReferralOperationsResolver {
  @Query(() => IncomingReferralConnection, {
    description:
      "The inbox of the caller's agency: referrals addressed to it, newest first. It sees each referral's own facts and the case number before it is on the team; the case itself only once it accepts.",
  })
  @Allow('cases.read')
  async referralsToMyAgency(
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('status', () => [ReferralStatus], { nullable: true, description: 'Only referrals in these statuses.' }) status?: ReferralStatus[] | null,
    @Arg('overdue', () => Boolean, { nullable: true, description: 'Only referrals that are (true) or are not (false) unanswered after their deadline.' }) overdue?: boolean | null,
  ) {
    return toConnection(IncomingReferralConnection, await findIncomingReferrals(ctx, { status, overdue }, page));
  }

  @Mutation(() => SendReferralPayload, {
    description:
      'Sends a referral of a case to an agency or a service offering (the case manager or a coordinator of the region). The deadline defaults to 5 working days. Bumps the case version.',
  })
  @Allow('cases.plan')
  sendReferral(@Ctx() ctx: Context, @Arg('input', () => SendReferralInput, { description: 'The referral.' }) input: SendReferralInput): Promise<SendReferralPayload> {
    return runMutation(
      ctx,
      {
        operation: 'sendReferral',
        idempotencyKey: input.idempotencyKey,
        input,
        resultType: 'Referral',
        load: async (id) => {
          const referral = await referralById(ctx).load(id);
          return Object.assign(new SendReferralPayload(), { referral, caseId: referral?.caseId ?? null });
        },
      },
      (tx) => sendReferral(ctx, tx, input),
    );
  }

  @Mutation(() => RespondToReferralPayload, {
    description:
      'Accepts or declines a referral (the staff of the agency it is addressed to). Accepting adds the agency to the case team; declining needs a reason. Bumps the referral version.',
  })
  @Allow('cases.work')
  respondToReferral(@Ctx() ctx: Context, @Arg('input', () => RespondToReferralInput, { description: 'The answer.' }) input: RespondToReferralInput): Promise<RespondToReferralPayload> {
    return runMutation(
      ctx,
      {
        operation: 'respondToReferral',
        input,
        resultType: 'Referral',
        // The inbox view as the UPDATE answered it (the caller is the addressee), or read back by id; the team's view of
        // the referral and the case are read only when selected.
        load: async (id, written?: IncomingReferralRow) => {
          const incomingReferral = written ? IncomingReferral.from(written) : await incomingReferralById(ctx).load(id);
          const caseId = incomingReferral?.caseId ?? (await referralById(ctx).load(id))?.caseId ?? null;
          return Object.assign(new RespondToReferralPayload(), { incomingReferral, referralId: id, caseId });
        },
      },
      (tx) => respondToReferral(ctx, tx, input),
    );
  }

  @Mutation(() => CompleteReferralPayload, { description: 'Completes an accepted referral with its outcome (the receiving agency or the case manager). Bumps the referral version.' })
  @Allow('cases.work')
  completeReferral(@Ctx() ctx: Context, @Arg('input', () => CompleteReferralInput, { description: 'The outcome.' }) input: CompleteReferralInput): Promise<CompleteReferralPayload> {
    return runMutation(
      ctx,
      {
        operation: 'completeReferral',
        input,
        resultType: 'Referral',
        load: async (id) => {
          const referral = await referralById(ctx).load(id);
          return Object.assign(new CompleteReferralPayload(), { referral, caseId: referral?.caseId ?? null });
        },
      },
      (tx) => completeReferral(ctx, tx, input),
    );
  }

  @Mutation(() => CancelReferralPayload, {
    description: 'Withdraws a SENT or ACCEPTED referral (its sender, the case manager or a coordinator of the region); a team access it gave is revoked. Bumps the referral version.',
  })
  @Allow('cases.work')
  cancelReferral(@Ctx() ctx: Context, @Arg('input', () => CancelReferralInput, { description: 'The referral to cancel.' }) input: CancelReferralInput): Promise<CancelReferralPayload> {
    return runMutation(
      ctx,
      {
        operation: 'cancelReferral',
        input,
        resultType: 'Referral',
        load: async (id) => {
          const referral = await referralById(ctx).load(id);
          return Object.assign(new CancelReferralPayload(), { referral, caseId: referral?.caseId ?? null });
        },
      },
      (tx) => cancelReferral(ctx, tx, input),
    );
  }
}
