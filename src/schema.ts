import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'type-graphql';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { validateArgument } from './core/graphql/validation';
import { describeRootTypes } from './core/graphql/root-types';
import { applyFieldGuards, lookaheadGuards } from './core/auth/guard';
import { applyLookahead } from './core/graphql/lookahead';
import { applyDirectResolvers } from './core/graphql/direct-resolvers';
import { shareEmptyArguments } from './core/graphql/argument-values';

const extension = __filename.endsWith('.ts') ? '.ts' : '.js';

function resolverFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...resolverFiles(full));
    else if (entry.name.endsWith(`.resolver${extension}`)) files.push(full);
  }
  return files.sort();
}

/** Every resolver class of the modules, found by file name (`<thing>.resolver.ts`). */
export function loadResolvers(): Function[] {
  const classes: Function[] = [];
  for (const file of resolverFiles(__dirname)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(file) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exported)) if (typeof value === 'function' && name.endsWith('Resolver')) classes.push(value);
  }
  return classes;
}

let built: Promise<GraphQLSchema> | undefined;

/** Builds the GraphQL schema once per process. */
export function createSchema(): Promise<GraphQLSchema> {
  shareEmptyArguments();
  built ??= buildSchema({
    resolvers: loadResolvers() as [Function, ...Function[]],
    validate: false,
    validateFn: validateArgument,
  })
    .then(describeRootTypes)
    .then(applyDirectResolvers)
    .then(applyFieldGuards)
    .then((schema) => applyLookahead(schema, lookaheadGuards));
  return built;
}

/** The schema as checked in at `schema/schema.graphql`: sorted, so that a diff shows only real changes. */
export function printKrugSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}

export const SCHEMA_FILE = path.resolve(__dirname, '..', extension === '.ts' ? '' : '..', 'schema', 'schema.graphql');
