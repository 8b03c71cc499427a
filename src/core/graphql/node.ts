import { Field, ID, InterfaceType } from 'type-graphql';
import type { Context } from '../../context';

/** The Relay node interface: every entity has an opaque global id. */
@InterfaceType('Node', { description: 'An object with an opaque global id, fetchable with `node(id:)`.' })
export abstract class Node {
  @Field(() => ID, { description: 'The opaque global id of the object.' })
  id: string;
}

type NodeFetcher = (ctx: Context, localIds: string[]) => Promise<Array<Node | null>>;
const fetchers = new Map<string, NodeFetcher>();

/**
 * Registers how `node(id:)` loads a type. The fetcher must scope rows to the caller,
 * so that a record the caller may not see is simply absent.
 */
export function registerNodeType(typeName: string, fetcher: NodeFetcher): void {
  fetchers.set(typeName, fetcher);
}

export function nodeFetcher(typeName: string): NodeFetcher | undefined {
  return fetchers.get(typeName);
}
