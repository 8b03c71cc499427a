import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { andThen, type Resolved } from '../../core/loaders';
import { Allow, Guard } from '../../core/auth/guard';
import { FieldClass } from '../../core/auth/roles';
import { PageArgs, toConnection } from '../../core/graphql/connection';
import { registerNodeType } from '../../core/graphql/node';
import { runMutation } from '../../core/mutation';
import { Agency, Region, StaffMember } from '../agencies/agency.type';
import { agencyById, regionByCode, staffById } from '../agencies/agency.loaders';
import { Case } from '../cases/case.type';
import { caseById } from '../cases/case.loaders';
import { payloadCaseResolver } from '../cases/case-payload';
import { PlanStep } from '../cases/plan.type';
import { planStepById } from '../cases/plan.loaders';
import { Person } from '../families/family.type';
import { personById } from '../families/family.loaders';
import { Referral } from '../referrals/referral.type';
import { referralById } from '../referrals/referral.loaders';
import { ServiceType } from '../providers/provider.type';
import { serviceTypeById } from '../providers/provider.loaders';
import { RecordBrigadeTripInput, RecordServiceDeliveryInput, UpdateServiceDeliveryInput } from './service-delivery.inputs';
import { brigadeTripById, serviceDeliveryById, servicesPageByCaseId, servicesPageKey } from './service-delivery.loaders';
import { recordBrigadeTrip, recordServiceDelivery, updateServiceDelivery } from './service-delivery.service';
import {
  BrigadeTrip,
  RecordBrigadeTripPayload,
  RecordServiceDeliveryPayload,
  ServiceDelivery,
  ServiceDeliveryConnection,
  UpdateServiceDeliveryPayload,
  type ServiceDeliveryRow,
} from './service-delivery.type';

const orNull = <T>(list: Array<T | Error | null>) => list.map((x) => (x instanceof Error ? null : x));
registerNodeType('ServiceDelivery', (ctx, ids) => serviceDeliveryById(ctx).loadMany(ids).then(orNull));
registerNodeType('BrigadeTrip', (ctx, ids) => brigadeTripById(ctx).loadMany(ids).then(orNull));

/** The payloads' `case`: read only when selected. */
export const RecordServiceDeliveryPayloadResolver = payloadCaseResolver(RecordServiceDeliveryPayload);
export const UpdateServiceDeliveryPayloadResolver = payloadCaseResolver(UpdateServiceDeliveryPayload);

/**
 * The service a payload carries: as the mutation wrote it (its case was visible to the caller in the same transaction),
 * or read back by id (an idempotent replay), scoped like every read.
 */
async function deliveryOf(ctx: Context, id: string, written: ServiceDeliveryRow | undefined): Promise<ServiceDelivery | null> {
  return written ? ServiceDelivery.from(written) : serviceDeliveryById(ctx).load(id);
}

/** The services of a case (the case is visible, or it would not have been built). */
@Resolver(() => Case)
export class CaseServicesResolver {
  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => ServiceDeliveryConnection, {
    nullable: true,
    description: 'The services given on the case, newest first (by date, then entry): `first: 5` are the five most recent (CASE_META; notes are NOTES).',
  })
  services(@Root() c: Case, @Ctx() ctx: Context, @Args() page: PageArgs) {
    return andThen(servicesPageByCaseId(ctx).get(servicesPageKey(c.localId, page)), (result) => toConnection(ServiceDeliveryConnection, result));
  }
}

@Resolver(() => ServiceDelivery)
export class ServiceDeliveryResolver {
  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Case, { nullable: true, description: 'The case the service was given on (CASE_META).' })
  case(@Root() delivery: ServiceDelivery, @Ctx() ctx: Context): Resolved<Case | null> {
    return caseById(ctx).get(delivery.caseId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Person, { nullable: true, description: "The member of the case's family who received the service; the person's own fields keep their classes (CASE_META)." })
  recipient(@Root() delivery: ServiceDelivery, @Ctx() ctx: Context): Resolved<Person | null> {
    return personById(ctx).get(delivery.recipientId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => ServiceType, { nullable: true, description: 'The service type (CASE_META).' })
  serviceType(@Root() delivery: ServiceDelivery, @Ctx() ctx: Context): Resolved<ServiceType | null> {
    return serviceTypeById(ctx).get(delivery.serviceTypeId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Agency, { nullable: true, description: 'The agency (or unit) that gave the service (CASE_META).' })
  provider(@Root() delivery: ServiceDelivery, @Ctx() ctx: Context): Resolved<Agency | null> {
    return agencyById(ctx).get(delivery.providerId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => StaffMember, { nullable: true, description: 'The staff member who gave the service (CASE_META).' })
  specialist(@Root() delivery: ServiceDelivery, @Ctx() ctx: Context): Resolved<StaffMember | null> | null {
    return delivery.specialistId ? staffById(ctx).get(delivery.specialistId) : null;
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => PlanStep, { nullable: true, description: 'The plan step the service carries out, if any (CASE_META).' })
  planStep(@Root() delivery: ServiceDelivery, @Ctx() ctx: Context): Resolved<PlanStep | null> | null {
    return delivery.planStepId ? planStepById(ctx).get(delivery.planStepId) : null;
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Referral, { nullable: true, description: 'The referral the service answers, if any (CASE_META).' })
  referral(@Root() delivery: ServiceDelivery, @Ctx() ctx: Context): Resolved<Referral | null> | null {
    return delivery.referralId ? referralById(ctx).get(delivery.referralId) : null;
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => BrigadeTrip, { nullable: true, description: 'The mobile-brigade trip on which the service was given, if any (CASE_META).' })
  brigadeTrip(@Root() delivery: ServiceDelivery, @Ctx() ctx: Context): Resolved<BrigadeTrip | null> | null {
    return delivery.brigadeTripId ? brigadeTripById(ctx).get(delivery.brigadeTripId) : null;
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Agency, { nullable: true, description: 'The agency that recorded the service and owns the entry (CASE_META).' })
  recordedBy(@Root() delivery: ServiceDelivery, @Ctx() ctx: Context): Resolved<Agency | null> {
    return agencyById(ctx).get(delivery.recordedByAgencyId);
  }
}

@Resolver(() => BrigadeTrip)
export class BrigadeTripResolver {
  @FieldResolver(() => Agency, { description: 'The agency whose brigade travelled.' })
  agency(@Root() trip: BrigadeTrip, @Ctx() ctx: Context): Resolved<Agency> {
    return agencyById(ctx).get(trip.agencyId) as Resolved<Agency>;
  }

  @FieldResolver(() => Region, { description: 'The region of the trip.' })
  region(@Root() trip: BrigadeTrip, @Ctx() ctx: Context): Resolved<Region> {
    return regionByCode(ctx).get(trip.regionCode) as Resolved<Region>;
  }
}

@Resolver()
export class ServiceDeliveryMutationResolver {
  @Mutation(() => RecordServiceDeliveryPayload, {
    description:
      "Records a service given to a person of a case. The caller's agency must be on the case team (or the caller is the case manager); a specialist records only for its own agency, which owns the entry.",
  })
  @Allow('cases.work')
  recordServiceDelivery(
    @Ctx() ctx: Context,
    @Arg('input', () => RecordServiceDeliveryInput, { description: 'The service.' }) input: RecordServiceDeliveryInput,
  ): Promise<RecordServiceDeliveryPayload> {
    return runMutation(
      ctx,
      {
        operation: 'recordServiceDelivery',
        idempotencyKey: input.idempotencyKey,
        input,
        resultType: 'ServiceDelivery',
        load: async (id, written?: ServiceDeliveryRow) => {
          const serviceDelivery = await deliveryOf(ctx, id, written);
          return Object.assign(new RecordServiceDeliveryPayload(), { serviceDelivery, caseId: serviceDelivery?.caseId ?? null });
        },
      },
      (tx) => recordServiceDelivery(ctx, tx, input),
    );
  }

  @Mutation(() => UpdateServiceDeliveryPayload, { description: 'Corrects a recorded service (the agency that recorded it, or the case manager). Bumps the entry version.' })
  @Allow('cases.work')
  updateServiceDelivery(
    @Ctx() ctx: Context,
    @Arg('input', () => UpdateServiceDeliveryInput, { description: 'The correction.' }) input: UpdateServiceDeliveryInput,
  ): Promise<UpdateServiceDeliveryPayload> {
    return runMutation(
      ctx,
      {
        operation: 'updateServiceDelivery',
        input,
        resultType: 'ServiceDelivery',
        load: async (id, written?: ServiceDeliveryRow) => {
          const serviceDelivery = await deliveryOf(ctx, id, written);
          return Object.assign(new UpdateServiceDeliveryPayload(), { serviceDelivery, caseId: serviceDelivery?.caseId ?? null });
        },
      },
      (tx) => updateServiceDelivery(ctx, tx, input),
    );
  }

  @Mutation(() => RecordBrigadeTripPayload, { description: "Records a trip of a mobile brigade of the caller's agency (or one of its units); services given on it point to it." })
  @Allow('cases.work')
  recordBrigadeTrip(@Ctx() ctx: Context, @Arg('input', () => RecordBrigadeTripInput, { description: 'The trip.' }) input: RecordBrigadeTripInput): Promise<RecordBrigadeTripPayload> {
    return runMutation(
      ctx,
      {
        operation: 'recordBrigadeTrip',
        idempotencyKey: input.idempotencyKey,
        input,
        resultType: 'BrigadeTrip',
        load: async (id) => Object.assign(new RecordBrigadeTripPayload(), { brigadeTrip: await brigadeTripById(ctx).load(id) }),
      },
      (tx) => recordBrigadeTrip(ctx, tx, input),
    );
  }
}
