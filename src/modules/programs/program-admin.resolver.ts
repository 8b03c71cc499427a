import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { Allow } from '../../core/auth/guard';
import { runMutation } from '../../core/mutation';
import { CreateProgramInput, UpdateProgramInput } from './program.inputs';
import { CreateProgramPayload, UpdateProgramPayload } from './program.payloads';
import { programById } from './program.loaders';
import * as service from './program.service';

/** ADMIN mutations of programmes (reference data). */
@Resolver()
export class ProgramAdminResolver {
  @Mutation(() => CreateProgramPayload, { description: 'Creates a programme: code, funder, regions, period, budget (ADMIN).' })
  @Allow('reference.manage')
  async createProgram(@Ctx() ctx: Context, @Arg('input', () => CreateProgramInput, { description: 'The new programme.' }) input: CreateProgramInput): Promise<CreateProgramPayload> {
    const program = await runMutation(
      ctx,
      { operation: 'createProgram', idempotencyKey: input.idempotencyKey, input, resultType: 'Program', load: (id) => programById(ctx).load(id) },
      (tx) => service.createProgram(tx, input),
    );
    return Object.assign(new CreateProgramPayload(), { program });
  }

  @Mutation(() => UpdateProgramPayload, { description: 'Changes a programme (ADMIN); `expectedVersion` guards against lost updates.' })
  @Allow('reference.manage')
  async updateProgram(@Ctx() ctx: Context, @Arg('input', () => UpdateProgramInput, { description: 'The changes.' }) input: UpdateProgramInput): Promise<UpdateProgramPayload> {
    const program = await runMutation(
      ctx,
      { operation: 'updateProgram', idempotencyKey: input.idempotencyKey, input, resultType: 'Program', load: (id) => programById(ctx).load(id) },
      (tx) => service.updateProgram(tx, input),
    );
    return Object.assign(new UpdateProgramPayload(), { program });
  }
}
