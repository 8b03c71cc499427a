import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { requireViewer } from '../../context';
import { badField } from './errors';
import { fromGlobalId } from './global-id';
import { Node, nodeFetcher } from './node';
import { MAX_PAGE_SIZE } from './connection';

async function fetchNodes(ctx: Context, ids: string[]): Promise<Array<Node | null>> {
  requireViewer(ctx);
  const byType = new Map<string, Array<{ index: number; id: string }>>();
  ids.forEach((globalId, index) => {
    const parsed = fromGlobalId(globalId);
    if (!parsed || !nodeFetcher(parsed.type)) return;
    let list = byType.get(parsed.type);
    if (!list) byType.set(parsed.type, (list = []));
    list.push({ index, id: parsed.id });
  });
  const result: Array<Node | null> = ids.map(() => null);
  await Promise.all(
    [...byType.entries()].map(async ([type, entries]) => {
      const found = await nodeFetcher(type)!(ctx, entries.map((e) => e.id));
      entries.forEach((entry, i) => (result[entry.index] = found[i] ?? null));
    }),
  );
  return result;
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when it does not exist or the caller may not see it.' })
  async node(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'The global id of the object.' }) id: string): Promise<Node | null> {
    return (await fetchNodes(ctx, [id]))[0];
  }

  @Query(() => [Node], { nullable: 'items', description: 'Objects by their global ids, in the order asked; null for each that does not exist or is hidden.' })
  async nodes(@Ctx() ctx: Context, @Arg('ids', () => [ID], { description: `The global ids of the objects (at most ${MAX_PAGE_SIZE}).` }) ids: string[]): Promise<Array<Node | null>> {
    if (ids.length > MAX_PAGE_SIZE) throw badField('ids', `must hold at most ${MAX_PAGE_SIZE} ids`);
    return fetchNodes(ctx, ids);
  }
}
