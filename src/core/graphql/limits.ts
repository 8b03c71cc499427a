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

/** The number of items a list argument (e.g. `nodes(ids:)`) holds, literal or from a variable. */
function argumentLength(value: ValueNode | undefined, variables: Record<string, unknown>): number | null {
  if (!value) return null;
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    return Array.isArray(v) ? v.length : null;
  }
  return null;
}

/** Aliases anywhere below a selection set (fragments expanded once per spread), for subtrees that are not costed. */
function countAliases(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, visiting: Set<string>): number {
  let aliases = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) aliases += 1;
      if (selection.selectionSet) aliases += countAliases(selection.selectionSet, fragments, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      aliases += countAliases(selection.selectionSet, fragments, visiting);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || visiting.has(fragment.name.value)) continue;
      visiting.add(fragment.name.value);
      aliases += countAliases(fragment.selectionSet, fragments, visiting);
      visiting.delete(fragment.name.value);
    }
  }
  return aliases;
}

/**
 * Measures an operation: depth of fields, number of aliases, and cost, where every field costs 1
 * and a connection (or a list with a `first`/`last` argument) multiplies its selection by the page size asked for.
 * Introspection subtrees are not costed (the IDE's own introspection must always pass; graphql-js bounds their depth),
 * but their aliases count. A list argument `ids` multiplies like a page of that many items.
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
        if (selection.alias) aliases += 1;
        if (name.startsWith('__')) {
          // Introspection is bounded by graphql-js's MaxIntrospectionDepthRule; only its aliases count here.
          if (selection.selectionSet) aliases += countAliases(selection.selectionSet, fragments, visiting);
          continue;
        }
        maxDepth = Math.max(maxDepth, depth);
        const field = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
        const fieldType: GraphQLOutputType | undefined = field?.type;
        const named = fieldType ? getNamedType(fieldType) : undefined;
        let childCost = 0;
        if (selection.selectionSet) childCost = walk(selection.selectionSet, named as GraphQLCompositeType | undefined, depth + 1, visiting);
        const args = new Map(selection.arguments?.map((a) => [a.name.value, a.value]) ?? []);
        const pageArg = argumentNumber(args.get('first'), variables) ?? argumentNumber(args.get('last'), variables);
        const isConnection = named?.name.endsWith('Connection') ?? false;
        // A negative page size is refused by the resolver, but must never lower the cost of the rest of the document.
        let multiplier = isConnection || args.has('first') || args.has('last') ? Math.max(0, pageArg ?? DEFAULT_PAGE_SIZE) : 1;
        const ids = argumentLength(args.get('ids'), variables);
        if (ids !== null) multiplier = Math.max(multiplier, ids);
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
