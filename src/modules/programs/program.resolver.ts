import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Allow } from '../../core/auth/guard';
import { PageArgs, toConnection } from '../../core/graphql/connection';
import { registerNodeType } from '../../core/graphql/node';
import { Region } from '../agencies/agency.type';
import { regionByCode } from '../agencies/agency.loaders';
import { Program, ProgramConnection } from './program.type';
import { ProgramFilter } from './program.inputs';
import { programById } from './program.loaders';
import { findPrograms } from './program.finder';

registerNodeType('Program', async (ctx, ids) => (await programById(ctx).loadMany(ids)).map((p) => (p instanceof Error ? null : p)));

@Resolver(() => Program)
export class ProgramResolver {
  @Query(() => ProgramConnection, { description: 'The programmes (projects and pilots) of the registry, by code.' })
  @Allow('reference.read')
  async programs(
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('filter', () => ProgramFilter, { nullable: true, description: 'Which programmes to list.' }) filter?: ProgramFilter,
  ) {
    return toConnection(ProgramConnection, await findPrograms(ctx, filter, page));
  }

  @FieldResolver(() => [Region], { description: 'The regions where the programme runs, by code.' })
  async regions(@Root() program: Program, @Ctx() ctx: Context): Promise<Region[]> {
    const regions = await regionByCode(ctx).loadMany([...program.regionCodes].sort());
    return regions.filter((r): r is Region => r !== null && !(r instanceof Error));
  }
}
