import 'reflect-metadata';
import { Max } from 'class-validator';
import { graphql, isObjectType, type GraphQLSchema } from 'graphql';
import { Arg, Args, ArgsType, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root, UseMiddleware, buildSchema } from 'type-graphql';
import { applyDirectResolvers } from '../src/core/graphql/direct-resolvers';
import { validateArgument } from '../src/core/graphql/validation';
import { NO_ARGUMENTS, shareEmptyArguments, sharesEmptyArguments } from '../src/core/graphql/argument-values';

/**
 * The direct resolver path (src/core/graphql/direct-resolvers.ts) skips type-graphql's per-call handler. It must hand a
 * resolver exactly the arguments type-graphql would, and leave every argument that has something to validate to it.
 */

@ObjectType()
class Box {
  @Field()
  name: string;

  @Field({ nullable: true })
  @UseMiddleware(async (_data, next) => String(await next()).toUpperCase())
  shout?: string;
}

@ArgsType()
class PlainArgs {
  @Field(() => Int, { nullable: true })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;
}

@ArgsType()
class CheckedArgs {
  @Field(() => Int)
  @Max(10)
  n: number;
}

const describe_ = (args: object) => JSON.stringify({ isPlainArgs: args instanceof PlainArgs, keys: Object.keys(args).sort(), args });

@Resolver(() => Box)
class BoxResolver {
  @Query(() => Box)
  box(): Box {
    return Object.assign(new Box(), { name: 'b', shout: 'quiet' });
  }

  @FieldResolver(() => String)
  plain(@Root() _box: Box, @Args() args: PlainArgs): string {
    return describe_(args);
  }

  @FieldResolver(() => String)
  flag(@Root() _box: Box, @Arg('on', () => Boolean, { nullable: true }) on?: boolean): string {
    return String(on);
  }

  @FieldResolver(() => String, { nullable: true })
  checked(@Root() _box: Box, @Args() args: CheckedArgs): string {
    return String(args.n);
  }
}

const build = () => buildSchema({ resolvers: [BoxResolver], validate: false, validateFn: validateArgument });

let typeGraphql: GraphQLSchema;
let direct: GraphQLSchema;
beforeAll(async () => {
  typeGraphql = await build();
  direct = applyDirectResolvers(await build());
});

const run = (schema: GraphQLSchema, source: string) => graphql({ schema, source, contextValue: {} });
const boxField = (schema: GraphQLSchema, name: string) => {
  const type = schema.getType('Box');
  if (!isObjectType(type)) throw new Error('no Box');
  return type.getFields()[name];
};

test('plain arguments reach the resolver as type-graphql builds them, without a promise', async () => {
  const source = '{ box { a: plain b: plain(first: 5) c: plain(first: 0, after: "x") on: flag(on: true) off: flag } }';
  const expected = await run(typeGraphql, source);
  expect(expected.errors).toBeUndefined();
  expect(await run(direct, source)).toEqual(expected);
  expect(JSON.parse((expected.data as { box: { c: string } }).box.c)).toEqual({ isPlainArgs: true, keys: ['after', 'first'], args: { first: 0, after: 'x' } });
  // type-graphql's handler validates asynchronously (a promise per call); the direct path answers at once.
  const info = {} as never;
  expect(boxField(typeGraphql, 'plain').resolve!(new Box(), { first: 5 }, {}, info)).toBeInstanceOf(Promise);
  expect(typeof boxField(direct, 'plain').resolve!(new Box(), { first: 5 }, {}, info)).toBe('string');
  expect(boxField(direct, 'flag').resolve!(new Box(), { on: false }, {}, info)).toBe('false');
});

test('an argument class with validation rules keeps type-graphql handler, and its rules', async () => {
  const ok = await run(direct, '{ box { checked(n: 7) } }');
  expect(ok.data).toEqual({ box: { checked: '7' } });
  const refused = await run(direct, '{ box { checked(n: 11) } }');
  expect(refused.data).toEqual({ box: { checked: null } });
  expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(refused.errors?.[0].extensions?.fields).toEqual([{ field: 'n', message: 'must not be greater than 10' }]);
  expect(boxField(direct, 'checked').resolve!(new Box(), { n: 7 }, {}, {} as never)).toBeInstanceOf(Promise);
});

test('a plain field is read from its object; a field with a middleware keeps type-graphql handler and its middleware', async () => {
  const source = '{ box { name shout } }';
  const expected = await run(typeGraphql, source);
  expect(expected).toEqual({ data: { box: { name: 'b', shout: 'QUIET' } } });
  expect(await run(direct, source)).toEqual(expected);
  expect(boxField(direct, 'name').resolve).not.toBe(boxField(typeGraphql, 'name').resolve);
  expect(boxField(direct, 'name').resolve!(Object.assign(new Box(), { name: 'n' }), {}, {}, {} as never)).toBe('n');
});

test('a field that takes no arguments gets the one frozen empty object; a field with arguments gets its own', async () => {
  shareEmptyArguments();
  expect(sharesEmptyArguments()).toBe(true);
  const schema = applyDirectResolvers(await build());
  const seen: Array<[string, unknown]> = [];
  for (const name of ['name', 'flag']) {
    const field = boxField(schema, name);
    const resolve = field.resolve!;
    field.resolve = (root, args, context, info) => {
      seen.push([name, args]);
      return resolve(root, args, context, info);
    };
  }
  const result = await run(schema, '{ box { name flag(on: true) } }');
  expect(result).toEqual({ data: { box: { name: 'b', flag: 'true' } } });
  expect(seen).toHaveLength(2);
  expect(seen[0][1]).toBe(NO_ARGUMENTS);
  expect(Object.isFrozen(seen[0][1])).toBe(true);
  expect(Object.keys(seen[0][1] as object)).toEqual([]);
  expect(seen[1][1]).not.toBe(NO_ARGUMENTS);
  expect({ ...(seen[1][1] as object) }).toEqual({ on: true });
});
