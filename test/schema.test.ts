import fs from 'node:fs';
import {
  buildSchema,
  GraphQLID,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isSpecifiedScalarType,
  isSpecifiedDirective,
  type GraphQLField,
} from 'graphql';
import { createSchema, printKrugSchema, SCHEMA_FILE } from '../src/schema';
import { FieldClass } from '../src/core/auth/roles';

let schema: GraphQLSchema;
/** The real schema, built in the tests that need it (so that the lints' own tests run even when it does not build). */
async function krugSchema(): Promise<GraphQLSchema> {
  schema ??= await createSchema();
  return schema;
}

/** Named types of the registry: no introspection types, no built-in scalars. */
function registryTypes(s: GraphQLSchema) {
  return Object.values(s.getTypeMap()).filter((type) => !type.name.startsWith('__') && !isSpecifiedScalarType(type));
}

const isBlank = (text: string | null | undefined) => !text || !text.trim();

describe('schema/schema.graphql', () => {
  test('is the schema the code builds', async () => {
    const printed = printKrugSchema(await krugSchema());
    const checkedIn = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
    if (printed !== checkedIn) {
      const a = checkedIn.split('\n');
      const b = printed.split('\n');
      const line = a.findIndex((text, i) => text !== b[i]);
      const at = line < 0 ? Math.min(a.length, b.length) : line;
      throw new Error(
        `schema/schema.graphql is out of date: run npm run schema and review the diff.\n` +
          `First difference at line ${at + 1}:\n  checked in: ${a[at] ?? '(end of file)'}\n  generated:  ${b[at] ?? '(end of file)'}`,
      );
    }
  });
});

describe('descriptions (API.md: every type, field, argument and enum value)', () => {
  test('every type, field, argument, enum value and input field has a description', async () => {
    const schema = await krugSchema();
    const missing: string[] = [];
    for (const type of registryTypes(schema)) {
      if (isBlank(type.description)) missing.push(`type ${type.name}`);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (isBlank(field.description)) missing.push(`field ${type.name}.${field.name}`);
          for (const arg of field.args) if (isBlank(arg.description)) missing.push(`argument ${type.name}.${field.name}(${arg.name})`);
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (isBlank(field.description)) missing.push(`input field ${type.name}.${field.name}`);
      } else if (isEnumType(type)) {
        for (const value of type.getValues()) if (isBlank(value.description)) missing.push(`enum value ${type.name}.${value.name}`);
      }
    }
    for (const directive of schema.getDirectives().filter((d) => !isSpecifiedDirective(d))) {
      if (isBlank(directive.description)) missing.push(`directive @${directive.name}`);
      for (const arg of directive.args) if (isBlank(arg.description)) missing.push(`argument @${directive.name}(${arg.name})`);
    }
    if (missing.length) throw new Error(`${missing.length} schema elements have no description:\n  ${missing.join('\n  ')}`);
  });

  test('the lint itself catches a missing description (checked on a schema made for the purpose)', () => {
    const bare = buildSchema('"""The root."""\ntype Query { "The answer." answer(of: String): Int }');
    const args = Object.values(bare.getQueryType()!.getFields()).flatMap((f) => f.args.filter((a) => isBlank(a.description)));
    expect(args.map((a) => a.name)).toEqual(['of']);
  });
});

/** Reference data (ACCESS.md class REFERENCE): names of agencies and staff are not personal data of families. */
const REFERENCE_TYPES = new Set(['Region', 'Agency', 'StaffMember', 'ServiceType', 'ServiceProvider', 'ServiceOffering', 'Program', 'Viewer', 'PageInfo']);
/** Field names that hold, or may hold, sensitive data of a family (ACCESS.md's IDENTITY, HEALTH, SOCIAL_RISK, EDUCATION, NOTES). */
const SENSITIVE_NAME = /name|birth|address|phone|document|diagnosis|notes|minutes|situation|pmpk|education|externalIds/i;

/** Object types whose fields the guard lint does not inspect: roots, the plumbing of connections, and mutation payloads. */
function isPlumbing(type: GraphQLObjectType, s: GraphQLSchema): boolean {
  if ([s.getQueryType(), s.getMutationType(), s.getSubscriptionType()].includes(type)) return true;
  return /(Connection|Edge|Payload)$/.test(type.name);
}

const fieldClassOf = (field: GraphQLField<unknown, unknown>): unknown => (field.extensions as { fieldClass?: unknown } | undefined)?.fieldClass;

/**
 * The guard lint (STYLE.md habit 1, GitLab's "every type declares its authorization"), generic over whatever types
 * the schema holds:
 * 1. a field whose name looks sensitive declares its class with @Guard, unless its type is reference data;
 * 2. in a type with any guarded field (case data), every field declares its class, except the Node `id`
 *    (a record's existence is decided by row scoping, not by a field guard);
 * 3. the class is one of FieldClass, and a guarded field of any class but REFERENCE is nullable,
 *    because a denied read is null plus FORBIDDEN (ACCESS.md).
 * A type may instead declare one class for all its fields, `@Extensions({ fieldClass: FieldClass.AGGREGATE })` on the
 * `@ObjectType`, when access is decided for the whole object by the operation that returns it (metrics rows).
 */
export function guardLint(s: GraphQLSchema): string[] {
  const offenders: string[] = [];
  const classes = new Set<string>(Object.values(FieldClass));
  for (const type of Object.values(s.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || isPlumbing(type, s)) continue;
    const typeClass = (type.extensions as { fieldClass?: unknown } | undefined)?.fieldClass;
    if (typeClass !== undefined && !classes.has(String(typeClass))) offenders.push(`${type.name}: unknown field class ${String(typeClass)}`);
    const fields = Object.values(type.getFields());
    const guarded = fields.filter((f) => fieldClassOf(f) !== undefined);
    for (const field of fields) {
      const fieldClass = fieldClassOf(field);
      const name = `${type.name}.${field.name}`;
      if (fieldClass === undefined && typeClass !== undefined) continue;
      if (fieldClass === undefined) {
        if (!REFERENCE_TYPES.has(type.name) && SENSITIVE_NAME.test(field.name)) offenders.push(`${name}: looks sensitive but has no @Guard(FieldClass.…) (nor a class for its whole type)`);
        else if (guarded.length && field.name !== 'id') offenders.push(`${name}: ${type.name} has guarded fields, so every field must declare its class with @Guard`);
        continue;
      }
      if (!classes.has(String(fieldClass))) offenders.push(`${name}: unknown field class ${String(fieldClass)}`);
      else if (fieldClass !== FieldClass.REFERENCE && isNonNullType(field.type)) offenders.push(`${name}: guarded (${String(fieldClass)}) but non-null; a denied read must be able to be null`);
    }
  }
  return offenders.sort();
}

describe('field guards (ACCESS.md)', () => {
  test('every sensitive field and every field of a case-data type declares its class; guarded fields are nullable', async () => {
    const offenders = guardLint(await krugSchema());
    if (offenders.length) throw new Error(`${offenders.length} fields fail the guard lint:\n  ${offenders.join('\n  ')}`);
  });

  test('the lint catches an unguarded sensitive field, a half-guarded type and a non-null guarded field, and honours a type-level class', () => {
    const ObjectType = GraphQLObjectType;
    const Schema = GraphQLSchema;
    const guardedString = (fieldClass: FieldClass, nonNull = false) => ({ type: nonNull ? new GraphQLNonNull(GraphQLString) : GraphQLString, extensions: { fieldClass } });
    const Person = new ObjectType({
      name: 'Person',
      fields: {
        id: { type: new GraphQLNonNull(GraphQLID) },
        birthDate: guardedString(FieldClass.IDENTITY, true),
        sex: { type: GraphQLString },
        diagnosis: guardedString(FieldClass.HEALTH),
      },
    });
    const Household = new ObjectType({ name: 'Household', fields: { address: { type: GraphQLString }, size: { type: GraphQLString } } });
    const Agency = new ObjectType({ name: 'Agency', fields: { name: { type: GraphQLString } } });
    const Metrics = new ObjectType({ name: 'MetricsRow', extensions: { fieldClass: FieldClass.AGGREGATE }, fields: { childrenReturnedToBirthFamily: { type: GraphQLString } } });
    const Unclassed = new ObjectType({ name: 'Figures', fields: { childrenReturnedToBirthFamily: { type: GraphQLString } } });
    const lintSchema = new Schema({
      query: new ObjectType({
        name: 'Query',
        fields: { person: { type: Person }, household: { type: Household }, agency: { type: Agency }, metrics: { type: Metrics }, figures: { type: Unclassed } },
      }),
    });
    expect(guardLint(lintSchema)).toEqual([
      'Figures.childrenReturnedToBirthFamily: looks sensitive but has no @Guard(FieldClass.…) (nor a class for its whole type)',
      'Household.address: looks sensitive but has no @Guard(FieldClass.…) (nor a class for its whole type)',
      'Person.birthDate: guarded (IDENTITY) but non-null; a denied read must be able to be null',
      'Person.sex: Person has guarded fields, so every field must declare its class with @Guard',
    ]);
  });
});
