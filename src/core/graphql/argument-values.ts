import type { FieldNode, GraphQLField } from 'graphql';

type GetArgumentValues = (def: Pick<GraphQLField<unknown, unknown>, 'args'>, node: Pick<FieldNode, 'arguments'>, variableValues?: unknown) => Record<string, unknown>;

// graphql-js's own module object, as its executor reads it (`(0, _values.getArgumentValues)(…)` on every field):
// an ES import would give a copy of its exports, which the executor never reads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const values = require('graphql/execution/values') as { getArgumentValues: GetArgumentValues };

/** The arguments of every field that takes none: one object, frozen, so that no resolver can write into another's. */
export const NO_ARGUMENTS: Readonly<Record<string, unknown>> = Object.freeze(Object.create(null) as Record<string, unknown>);

const original = values.getArgumentValues;

/**
 * graphql-js computes each field's arguments anew for every object it resolves the field on, even for a field that takes
 * none: two dictionary-mode objects per field and object (`Object.create(null)` and a map of the argument nodes). A
 * page of cases resolves ~3 800 fields, nearly all without arguments; these objects were 15 % of all the bytes W1
 * allocated (sampling heap profile, docs/performance.md). A field that declares no argument and is given none gets
 * `NO_ARGUMENTS` instead, which is what graphql-js would compute (an empty object); every other field is computed by
 * graphql-js as before. Installed once, for the process, when the schema is built.
 */
function argumentValues(def: Pick<GraphQLField<unknown, unknown>, 'args'>, node: Pick<FieldNode, 'arguments'>, variableValues?: unknown): Record<string, unknown> {
  if (def.args.length === 0 && !node.arguments?.length) return NO_ARGUMENTS as Record<string, unknown>;
  return original(def, node, variableValues);
}

export function shareEmptyArguments(): void {
  values.getArgumentValues = argumentValues;
}

/** Whether graphql-js computes arguments through `argumentValues` (for the tests). */
export const sharesEmptyArguments = (): boolean => values.getArgumentValues === argumentValues;
