import type { GraphQLSchema } from 'graphql';

const ROOT_DESCRIPTIONS = {
  query: 'The entry points for reading the registry. Every field but schema introspection needs a bearer token.',
  mutation: 'The entry points for changing the registry. Each takes one input, runs in one transaction and returns a payload.',
  subscription: 'The entry points for following changes of the registry.',
} as const;

/**
 * Gives the root operation types their descriptions (type-graphql leaves them without one),
 * so that every type of the schema is described (API.md).
 */
export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const roots = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() };
  for (const [operation, type] of Object.entries(roots) as Array<[keyof typeof ROOT_DESCRIPTIONS, (typeof roots)[keyof typeof roots]]>) {
    if (type && !type.description) type.description = ROOT_DESCRIPTIONS[operation];
  }
  return schema;
}
