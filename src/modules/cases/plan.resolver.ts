import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import type { Resolved } from '../../core/loaders';
import { Allow, Guard } from '../../core/auth/guard';
import { FieldClass } from '../../core/auth/roles';
import { registerNodeType } from '../../core/graphql/node';
import { runMutation } from '../../core/mutation';
import { Agency } from '../agencies/agency.type';
import { agencyById } from '../agencies/agency.loaders';
import { ServiceOffering, ServiceType } from '../providers/provider.type';
import { serviceOfferingById, serviceTypeById } from '../providers/provider.loaders';
import { Case } from './case.type';
import { caseById } from './case.loaders';
import { payloadCaseResolver } from './case-payload';
import { AddNeedInput, AddPlanStepInput, UpdatePlanStepInput } from './plan.inputs';
import { needById, needsByCaseId, planStepById, planStepsByCaseId } from './plan.loaders';
import { addNeed, addPlanStep, updatePlanStep } from './plan.service';
import { AddNeedPayload, AddPlanStepPayload, Need, PlanStep, UpdatePlanStepPayload, type PlanStepRow } from './plan.type';

/** The payloads' `case`: read only when selected. */
export const AddNeedPayloadResolver = payloadCaseResolver(AddNeedPayload);
export const AddPlanStepPayloadResolver = payloadCaseResolver(AddPlanStepPayload);
export const UpdatePlanStepPayloadResolver = payloadCaseResolver(UpdatePlanStepPayload);

const orNull = <T>(list: Array<T | Error | null>) => list.map((x) => (x instanceof Error ? null : x));
registerNodeType('Need', (ctx, ids) => needById(ctx).loadMany(ids).then(orNull));
registerNodeType('PlanStep', (ctx, ids) => planStepById(ctx).loadMany(ids).then(orNull));

/** The needs and the route of help of a case (the case is visible, or it would not have been built). */
@Resolver(() => Case)
export class CaseRouteResolver {
  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [Need], { nullable: true, description: 'The needs of the family found on the case, oldest first (CASE_META).' })
  needs(@Root() c: Case, @Ctx() ctx: Context): Resolved<Need[]> {
    return needsByCaseId(ctx).get(c.localId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [PlanStep], { nullable: true, description: 'The route of help of the case: its plan steps by position (CASE_META).' })
  plan(@Root() c: Case, @Ctx() ctx: Context): Resolved<PlanStep[]> {
    return planStepsByCaseId(ctx).get(c.localId);
  }
}

@Resolver(() => Need)
export class NeedResolver {
  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Case, { nullable: true, description: 'The case the need was found on (CASE_META).' })
  case(@Root() need: Need, @Ctx() ctx: Context): Resolved<Case | null> {
    return caseById(ctx).get(need.caseId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Agency, { nullable: true, description: 'The agency that found the need (CASE_META).' })
  identifiedBy(@Root() need: Need, @Ctx() ctx: Context): Resolved<Agency | null> {
    return agencyById(ctx).get(need.identifiedByAgencyId);
  }
}

@Resolver(() => PlanStep)
export class PlanStepResolver {
  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Case, { nullable: true, description: 'The case whose route of help the step belongs to (CASE_META).' })
  case(@Root() step: PlanStep, @Ctx() ctx: Context): Resolved<Case | null> {
    return caseById(ctx).get(step.caseId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Need, { nullable: true, description: 'The need the step serves (CASE_META).' })
  need(@Root() step: PlanStep, @Ctx() ctx: Context): Resolved<Need | null> | null {
    return step.needId ? needById(ctx).get(step.needId) : null;
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => ServiceType, { nullable: true, description: 'The service type of the step (CASE_META).' })
  serviceType(@Root() step: PlanStep, @Ctx() ctx: Context): Resolved<ServiceType | null> | null {
    return step.serviceTypeId ? serviceTypeById(ctx).get(step.serviceTypeId) : null;
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Agency, { nullable: true, description: 'The agency responsible for the step; its staff on the team report its progress (CASE_META).' })
  responsibleAgency(@Root() step: PlanStep, @Ctx() ctx: Context): Resolved<Agency | null> {
    return agencyById(ctx).get(step.responsibleAgencyId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => ServiceOffering, { nullable: true, description: 'The service offering that carries out the step (CASE_META).' })
  offering(@Root() step: PlanStep, @Ctx() ctx: Context): Resolved<ServiceOffering | null> | null {
    return step.offeringId ? serviceOfferingById(ctx).get(step.offeringId) : null;
  }
}

@Resolver()
export class PlanMutationResolver {
  @Mutation(() => AddNeedPayload, { description: 'Records a need of the family on a case (the case manager, the coordinator or an agency on the team). Bumps the case version.' })
  @Allow('cases.work')
  addNeed(@Ctx() ctx: Context, @Arg('input', () => AddNeedInput, { description: 'The need.' }) input: AddNeedInput): Promise<AddNeedPayload> {
    return runMutation(
      ctx,
      {
        operation: 'addNeed',
        idempotencyKey: input.idempotencyKey,
        input,
        resultType: 'Need',
        load: async (id) => {
          const need = await needById(ctx).load(id);
          return Object.assign(new AddNeedPayload(), { need, caseId: need?.caseId ?? null });
        },
      },
      (tx) => addNeed(ctx, tx, input),
    );
  }

  @Mutation(() => AddPlanStepPayload, { description: "Adds a step at the end of a case's route of help (the case manager or a coordinator of the region). Bumps the case version." })
  @Allow('cases.plan')
  addPlanStep(@Ctx() ctx: Context, @Arg('input', () => AddPlanStepInput, { description: 'The step.' }) input: AddPlanStepInput): Promise<AddPlanStepPayload> {
    return runMutation(
      ctx,
      {
        operation: 'addPlanStep',
        idempotencyKey: input.idempotencyKey,
        input,
        resultType: 'PlanStep',
        load: async (id) => {
          const planStep = await planStepById(ctx).load(id);
          return Object.assign(new AddPlanStepPayload(), { planStep, caseId: planStep?.caseId ?? null });
        },
      },
      (tx) => addPlanStep(ctx, tx, input),
    );
  }

  @Mutation(() => UpdatePlanStepPayload, {
    description:
      "Moves a plan step along PLANNED → IN_PROGRESS → DONE (or to CANCELLED) or re-plans it. The case manager and the coordinator change anything; the responsible agency's staff on the team report progress of their own steps. Bumps the step version.",
  })
  @Allow('cases.work')
  updatePlanStep(@Ctx() ctx: Context, @Arg('input', () => UpdatePlanStepInput, { description: 'The change.' }) input: UpdatePlanStepInput): Promise<UpdatePlanStepPayload> {
    return runMutation(
      ctx,
      {
        operation: 'updatePlanStep',
        input,
        resultType: 'PlanStep',
        // The step as the UPDATE answered it (the caller saw it in the same transaction), or read back by id.
        load: async (id, written?: PlanStepRow) => {
          const planStep = written ? PlanStep.from(written) : await planStepById(ctx).load(id);
          return Object.assign(new UpdatePlanStepPayload(), { planStep, caseId: planStep?.caseId ?? null });
        },
      },
      (tx) => updatePlanStep(ctx, tx, input),
    );
  }
}
