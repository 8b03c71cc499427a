import {
  Kind,
  getNamedType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type GraphQLOutputType,
  type GraphQLCompositeType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from './connection';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxDocumentBytes: number;
}

export interface QueryMeasure {
  depth: number;
  cost: number;
  aliases: number;
}

function argumentNumber(value: ValueNode | undefined, variables: Record<string, unknown>): number | null {
  if (!value) return null;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    return typeof v === 'number' ? v : null;
  }
  return null;
}

/**
 * Measures an operation: depth of fields, number of aliases, and cost, where every field costs 1
 * and a connection (or a list with a `first`/`last` argument) multiplies its selection by the page size asked for.
 * Introspection subtrees are not counted: the IDE's own introspection must always pass.
 */
export function measureOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): QueryMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  let aliases = 0;
  let maxDepth = 0;

  const rootType = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();

  function walk(selectionSet: SelectionSetNode, parent: GraphQLCompositeType | null | undefined, depth: number, visiting: Set<string>): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        if (selection.alias) aliases += 1;
        maxDepth = Math.max(maxDepth, depth);
        const field = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
        const fieldType: GraphQLOutputType | undefined = field?.type;
        const named = fieldType ? getNamedType(fieldType) : undefined;
        let childCost = 0;
        if (selection.selectionSet) childCost = walk(selection.selectionSet, named as GraphQLCompositeType | undefined, depth + 1, visiting);
        const args = new Map(selection.arguments?.map((a) => [a.name.value, a.value]) ?? []);
        const pageArg = argumentNumber(args.get('first'), variables) ?? argumentNumber(args.get('last'), variables);
        const isConnection = named?.name.endsWith('Connection') ?? false;
        const multiplier = isConnection || args.has('first') || args.has('last') ? pageArg ?? DEFAULT_PAGE_SIZE : 1;
        cost += 1 + multiplier * childCost;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        const type = typeName ? (schema.getType(typeName) as GraphQLCompositeType | undefined) : parent;
        cost += walk(selection.selectionSet, type, depth, visiting);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visiting.has(name)) continue;
        visiting.add(name);
        cost += walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined, depth, visiting);
        visiting.delete(name);
      }
    }
    return cost;
  }

  const cost = walk(operation.selectionSet, rootType, 1, new Set());
  return { depth: maxDepth, cost, aliases };
}
