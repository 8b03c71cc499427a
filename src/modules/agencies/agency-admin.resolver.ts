import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { Allow } from '../../core/auth/guard';
import { runMutation } from '../../core/mutation';
import { CreateAgencyInput, CreateStaffMemberInput, UpdateAgencyInput, UpdateStaffMemberInput } from './agency-admin.inputs';
import { CreateAgencyPayload, CreateStaffMemberPayload, UpdateAgencyPayload, UpdateStaffMemberPayload } from './agency-admin.payloads';
import { agencyById, staffById } from './agency.loaders';
import * as service from './agency.service';

/** ADMIN mutations of agencies and their staff (reference data). */
@Resolver()
export class AgencyAdminResolver {
  @Mutation(() => CreateAgencyPayload, { description: 'Creates an agency, or a unit of one (ADMIN).' })
  @Allow('reference.manage')
  async createAgency(@Ctx() ctx: Context, @Arg('input', () => CreateAgencyInput, { description: 'The new agency.' }) input: CreateAgencyInput): Promise<CreateAgencyPayload> {
    const agency = await runMutation(
      ctx,
      { operation: 'createAgency', idempotencyKey: input.idempotencyKey, input, resultType: 'Agency', load: (id) => agencyById(ctx).load(id) },
      (tx) => service.createAgency(tx, input),
    );
    return Object.assign(new CreateAgencyPayload(), { agency });
  }

  @Mutation(() => UpdateAgencyPayload, { description: 'Changes an agency (ADMIN); `expectedVersion` guards against lost updates.' })
  @Allow('reference.manage')
  async updateAgency(@Ctx() ctx: Context, @Arg('input', () => UpdateAgencyInput, { description: 'The changes.' }) input: UpdateAgencyInput): Promise<UpdateAgencyPayload> {
    const agency = await runMutation(
      ctx,
      { operation: 'updateAgency', idempotencyKey: input.idempotencyKey, input, resultType: 'Agency', load: (id) => agencyById(ctx).load(id) },
      (tx) => service.updateAgency(tx, input),
    );
    return Object.assign(new UpdateAgencyPayload(), { agency });
  }

  @Mutation(() => CreateStaffMemberPayload, { description: 'Creates a staff member of an agency (ADMIN).' })
  @Allow('reference.manage')
  async createStaffMember(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateStaffMemberInput, { description: 'The new staff member.' }) input: CreateStaffMemberInput,
  ): Promise<CreateStaffMemberPayload> {
    const staffMember = await runMutation(
      ctx,
      { operation: 'createStaffMember', idempotencyKey: input.idempotencyKey, input, resultType: 'StaffMember', load: (id) => staffById(ctx).load(id) },
      (tx) => service.createStaffMember(tx, input),
    );
    return Object.assign(new CreateStaffMemberPayload(), { staffMember });
  }

  @Mutation(() => UpdateStaffMemberPayload, { description: 'Changes a staff member: name, position, e-mail, roles, active (ADMIN).' })
  @Allow('reference.manage')
  async updateStaffMember(
    @Ctx() ctx: Context,
    @Arg('input', () => UpdateStaffMemberInput, { description: 'The changes.' }) input: UpdateStaffMemberInput,
  ): Promise<UpdateStaffMemberPayload> {
    const staffMember = await runMutation(
      ctx,
      { operation: 'updateStaffMember', idempotencyKey: input.idempotencyKey, input, resultType: 'StaffMember', load: (id) => staffById(ctx).load(id) },
      (tx) => service.updateStaffMember(tx, input),
    );
    return Object.assign(new UpdateStaffMemberPayload(), { staffMember });
  }
}
