import { Field, InputType, Int } from 'type-graphql';
import { IsInt, IsOptional, Length, Min } from 'class-validator';

/*
 * The fields that mutation inputs share, declared once. The base classes are never in the schema (no field or
 * argument has their type); type-graphql copies their fields into each input class that extends them, and
 * class-validator applies their rules to it, so a violation still reads `input.idempotencyKey` or
 * `input.expectedVersion`.
 *
 * The fields are `declare`d: an instance gets no property for them from the base class, so that type-graphql puts
 * them after the input's own fields when it builds the argument. runMutation hashes the input as JSON, in that
 * order, to tell a retry from another request under the same idempotency key.
 */

const IDEMPOTENCY_KEY_DESCRIPTION = 'A key that makes a retry of this mutation return the first result instead of writing twice (8 to 100 characters).';

/** The base of a mutation input that takes an idempotency key (see runMutation in src/core/mutation.ts). */
@InputType()
export abstract class MutationInput {
  @Field(() => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION })
  @IsOptional()
  @Length(8, 100, { message: 'must be 8 to 100 characters long' })
  declare idempotencyKey?: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AbstractClass<T = object> = abstract new (...args: any[]) => T;

/** A base class without fields, for inputs with an expected version but no idempotency key. */
abstract class NoFields {}

function withExpectedVersion<TBase extends AbstractClass>(Base: TBase, description: string) {
  @InputType()
  abstract class Versioned extends Base {
    @Field(() => Int, { description })
    @IsInt()
    @Min(1, { message: 'must be a version (1 or more)' })
    declare expectedVersion: number;
  }
  return Versioned;
}

/**
 * The base of a mutation input that takes an idempotency key and the version of the record the caller last read
 * (optimistic concurrency: bumpVersion in src/core/mutation.ts answers a stale version with a CONFLICT).
 * `description` describes `expectedVersion` for this input: whose version it is (the case's, the step's...).
 */
export function VersionedMutationInput(description: string) {
  return withExpectedVersion(MutationInput, description);
}

/** The base of a mutation input that takes the version the caller last read but no idempotency key. */
export function VersionedInput(description: string) {
  return withExpectedVersion(NoFields, description);
}
