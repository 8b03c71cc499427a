import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { Allow } from '../../core/auth/guard';
import { runMutation } from '../../core/mutation';
import { CreateServiceOfferingInput, CreateServiceTypeInput, UpdateServiceOfferingInput, UpdateServiceTypeInput } from './provider.inputs';
import { CreateServiceOfferingPayload, CreateServiceTypePayload, UpdateServiceOfferingPayload, UpdateServiceTypePayload } from './provider.payloads';
import { offeringById, serviceTypeById } from './provider.loaders';
import * as service from './provider.service';

/** ADMIN mutations of the service catalogue and of providers' offerings (reference data). */
@Resolver()
export class ProviderAdminResolver {
  @Mutation(() => CreateServiceTypePayload, { description: 'Adds a service type to the catalogue (ADMIN).' })
  @Allow('reference.manage')
  async createServiceType(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateServiceTypeInput, { description: 'The new service type.' }) input: CreateServiceTypeInput,
  ): Promise<CreateServiceTypePayload> {
    const serviceType = await runMutation(
      ctx,
      { operation: 'createServiceType', idempotencyKey: input.idempotencyKey, input, resultType: 'ServiceType', load: (id) => serviceTypeById(ctx).load(id) },
      (tx) => service.createServiceType(tx, input),
    );
    return Object.assign(new CreateServiceTypePayload(), { serviceType });
  }

  @Mutation(() => UpdateServiceTypePayload, { description: 'Changes a service type: name, domain, description (ADMIN).' })
  @Allow('reference.manage')
  async updateServiceType(
    @Ctx() ctx: Context,
    @Arg('input', () => UpdateServiceTypeInput, { description: 'The changes.' }) input: UpdateServiceTypeInput,
  ): Promise<UpdateServiceTypePayload> {
    const serviceType = await runMutation(
      ctx,
      { operation: 'updateServiceType', idempotencyKey: input.idempotencyKey, input, resultType: 'ServiceType', load: (id) => serviceTypeById(ctx).load(id) },
      (tx) => service.updateServiceType(tx, input),
    );
    return Object.assign(new UpdateServiceTypePayload(), { serviceType });
  }

  @Mutation(() => CreateServiceOfferingPayload, { description: 'Records that an agency offers a service type: modes, ages, regions, capacity (ADMIN).' })
  @Allow('reference.manage')
  async createServiceOffering(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateServiceOfferingInput, { description: 'The new offering.' }) input: CreateServiceOfferingInput,
  ): Promise<CreateServiceOfferingPayload> {
    const serviceOffering = await runMutation(
      ctx,
      { operation: 'createServiceOffering', idempotencyKey: input.idempotencyKey, input, resultType: 'ServiceOffering', load: (id) => offeringById(ctx).load(id) },
      (tx) => service.createServiceOffering(tx, input),
    );
    return Object.assign(new CreateServiceOfferingPayload(), { serviceOffering });
  }

  @Mutation(() => UpdateServiceOfferingPayload, { description: 'Changes an offering, or withdraws it with `active: false` (ADMIN).' })
  @Allow('reference.manage')
  async updateServiceOffering(
    @Ctx() ctx: Context,
    @Arg('input', () => UpdateServiceOfferingInput, { description: 'The changes.' }) input: UpdateServiceOfferingInput,
  ): Promise<UpdateServiceOfferingPayload> {
    const serviceOffering = await runMutation(
      ctx,
      { operation: 'updateServiceOffering', idempotencyKey: input.idempotencyKey, input, resultType: 'ServiceOffering', load: (id) => offeringById(ctx).load(id) },
      (tx) => service.updateServiceOffering(tx, input),
    );
    return Object.assign(new UpdateServiceOfferingPayload(), { serviceOffering });
  }
}
