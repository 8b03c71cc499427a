import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import type { Resolved } from '../../core/loaders';
import { Allow, Guard } from '../../core/auth/guard';
import { FieldClass } from '../../core/auth/roles';
import { queryOne } from '../../core/db';
import { badField } from '../../core/graphql/errors';
import { registerNodeType } from '../../core/graphql/node';
import { runMutation } from '../../core/mutation';
import { sql } from '../../core/sql';
import { Agency, Region } from '../agencies/agency.type';
import { agencyById, regionByCode } from '../agencies/agency.loaders';
import { ExternalId, Family, Person, PlacementEvent } from './family.type';
import { AddFamilyMemberInput, RecordPlacementEventInput, RegisterFamilyInput, UpdatePersonInput } from './family.inputs';
import { AddFamilyMemberPayload, RecordPlacementEventPayload, RegisterFamilyPayload, UpdatePersonPayload } from './family.payloads';
import {
  externalIdsByFamilyId,
  externalIdsByPersonId,
  familyById,
  membersByFamilyId,
  personById,
  placementEventById,
  placementEventsByPersonId,
} from './family.loaders';
import { addFamilyMember, recordPlacementEvent, registerFamily, updatePerson } from './family.service';

const settled = <T>(results: Array<T | Error | null>): Array<T | null> => results.map((r) => (r instanceof Error ? null : r));

registerNodeType('Family', (ctx, ids) => familyById(ctx).loadMany(ids).then(settled));
registerNodeType('Person', (ctx, ids) => personById(ctx).loadMany(ids).then(settled));
registerNodeType('PlacementEvent', (ctx, ids) => placementEventById(ctx).loadMany(ids).then(settled));

function checkExternalKey(system: string, value: string): void {
  if (system.length < 1 || system.length > 50) throw badField('system', 'must be 1 to 50 characters long');
  if (value.length < 1 || value.length > 100) throw badField('value', 'must be 1 to 100 characters long');
}

/** The local id of the record a partner key names, or null when no record holds it. */
async function externalIdOwner(ctx: Context, subjectType: 'FAMILY' | 'PERSON', system: string, value: string): Promise<string | null> {
  const row = await queryOne<{ owner: string }>(
    ctx.db,
    sql`SELECT coalesce(family_id, person_id)::text AS owner FROM external_id WHERE subject_type = ${subjectType} AND system = ${system} AND value = ${value}`,
  );
  return row?.owner ?? null;
}

@Resolver(() => Family)
export class FamilyResolver {
  @Query(() => Family, {
    nullable: true,
    description: "The family a partner system knows by its own key; null when no family has the key or the caller may not see it (the same answer, so existence is not revealed).",
  })
  @Allow('cases.read')
  async familyByExternalId(
    @Ctx() ctx: Context,
    @Arg('system', { description: 'The partner system that issued the key.' }) system: string,
    @Arg('value', { description: 'The key in that system.' }) value: string,
  ): Promise<Family | null> {
    checkExternalKey(system, value);
    const owner = await externalIdOwner(ctx, 'FAMILY', system, value);
    return owner ? familyById(ctx).get(owner) : null;
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Region, { nullable: true, description: 'The region of the family (CASE_META).' })
  region(@Root() family: Family, @Ctx() ctx: Context): Resolved<Region | null> {
    return regionByCode(ctx).get(family.regionCode);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Agency, { nullable: true, description: 'The agency that registered the family (CASE_META).' })
  registeredBy(@Root() family: Family, @Ctx() ctx: Context): Resolved<Agency | null> {
    return agencyById(ctx).get(family.registeredByAgencyId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [Person], { nullable: true, description: 'The members of the family, oldest first; their fields carry their own classes (CASE_META).' })
  members(@Root() family: Family, @Ctx() ctx: Context): Resolved<Person[]> {
    return membersByFamilyId(ctx).get(family.localId);
  }

  @Guard(FieldClass.IDENTITY)
  @FieldResolver(() => [ExternalId], { nullable: true, description: "The partner systems' keys of the family (IDENTITY)." })
  externalIds(@Root() family: Family, @Ctx() ctx: Context): Resolved<ExternalId[]> {
    return externalIdsByFamilyId(ctx).get(family.localId);
  }

  @Mutation(() => RegisterFamilyPayload, { description: 'Registers a family in difficulty with its members and partner keys (needs cases.open).' })
  @Allow('cases.open')
  registerFamily(@Ctx() ctx: Context, @Arg('input', () => RegisterFamilyInput, { description: 'The family to register.' }) input: RegisterFamilyInput): Promise<RegisterFamilyPayload> {
    return runMutation(
      ctx,
      { operation: 'registerFamily', idempotencyKey: input.idempotencyKey, input, resultType: 'Family', load: async (id) => Object.assign(new RegisterFamilyPayload(), { family: await familyById(ctx).load(id) }) },
      (tx) => registerFamily(ctx, tx, input),
    );
  }

  @Mutation(() => AddFamilyMemberPayload, { description: 'Adds a member to a family; the caller must be able to read every class of data it writes.' })
  @Allow('cases.work')
  addFamilyMember(@Ctx() ctx: Context, @Arg('input', () => AddFamilyMemberInput, { description: 'The family and the new member.' }) input: AddFamilyMemberInput): Promise<AddFamilyMemberPayload> {
    return runMutation(
      ctx,
      {
        operation: 'addFamilyMember',
        idempotencyKey: input.idempotencyKey,
        input,
        resultType: 'Person',
        load: async (id) => {
          const person = await personById(ctx).load(id);
          return Object.assign(new AddFamilyMemberPayload(), { person, family: person ? await familyById(ctx).load(person.familyId) : null });
        },
      },
      (tx) => addFamilyMember(ctx, tx, input),
    );
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => Person, {
    nullable: true,
    description: "The person a partner system knows by its own key; null when no person has the key or the caller may not see it (the same answer, so existence is not revealed).",
  })
  @Allow('cases.read')
  async personByExternalId(
    @Ctx() ctx: Context,
    @Arg('system', { description: 'The partner system that issued the key.' }) system: string,
    @Arg('value', { description: 'The key in that system.' }) value: string,
  ): Promise<Person | null> {
    checkExternalKey(system, value);
    const owner = await externalIdOwner(ctx, 'PERSON', system, value);
    return owner ? personById(ctx).get(owner) : null;
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Family, { nullable: true, description: 'The family of the person (CASE_META).' })
  family(@Root() person: Person, @Ctx() ctx: Context): Resolved<Family | null> {
    return familyById(ctx).get(person.familyId);
  }

  @Guard(FieldClass.IDENTITY)
  @FieldResolver(() => [ExternalId], { nullable: true, description: "The partner systems' keys of the person (IDENTITY)." })
  externalIds(@Root() person: Person, @Ctx() ctx: Context): Resolved<ExternalId[]> {
    return externalIdsByPersonId(ctx).get(person.localId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [PlacementEvent], { nullable: true, description: 'The changes of the placement of the person, oldest first (CASE_META).' })
  placementHistory(@Root() person: Person, @Ctx() ctx: Context): Resolved<PlacementEvent[]> {
    return placementEventsByPersonId(ctx).get(person.localId);
  }

  @Mutation(() => UpdatePersonPayload, { description: 'Changes fields of a person (with expectedVersion); each field needs the right to read its class (a diagnosis needs HEALTH).' })
  @Allow('cases.work')
  updatePerson(@Ctx() ctx: Context, @Arg('input', () => UpdatePersonInput, { description: 'The person, its version and the fields to change.' }) input: UpdatePersonInput): Promise<UpdatePersonPayload> {
    return runMutation(
      ctx,
      { operation: 'updatePerson', idempotencyKey: input.idempotencyKey, input, resultType: 'Person', load: async (id) => Object.assign(new UpdatePersonPayload(), { person: await personById(ctx).load(id) }) },
      (tx) => updatePerson(ctx, tx, input),
    );
  }

  @Mutation(() => RecordPlacementEventPayload, {
    description: "Records a dated change of a child's placement and updates the child's placement; a change to the placement the child already has is INVALID_TRANSITION.",
  })
  @Allow('cases.work')
  recordPlacementEvent(
    @Ctx() ctx: Context,
    @Arg('input', () => RecordPlacementEventInput, { description: 'The child, what happened and when.' }) input: RecordPlacementEventInput,
  ): Promise<RecordPlacementEventPayload> {
    return runMutation(
      ctx,
      {
        operation: 'recordPlacementEvent',
        idempotencyKey: input.idempotencyKey,
        input,
        resultType: 'PlacementEvent',
        load: async (id) => {
          const placementEvent = await placementEventById(ctx).load(id);
          return Object.assign(new RecordPlacementEventPayload(), { placementEvent, person: placementEvent ? await personById(ctx).load(placementEvent.personId) : null });
        },
      },
      (tx) => recordPlacementEvent(ctx, tx, input),
    );
  }
}

@Resolver(() => PlacementEvent)
export class PlacementEventResolver {
  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Person, { nullable: true, description: 'The child whose placement changed (CASE_META).' })
  person(@Root() event: PlacementEvent, @Ctx() ctx: Context): Resolved<Person | null> {
    return personById(ctx).get(event.personId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Agency, { nullable: true, description: 'The institution or authority involved, when known (CASE_META).' })
  agency(@Root() event: PlacementEvent, @Ctx() ctx: Context): Resolved<Agency | null> | null {
    return event.agencyId ? agencyById(ctx).get(event.agencyId) : null;
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Agency, { nullable: true, description: 'The agency that recorded the change (CASE_META).' })
  recordedBy(@Root() event: PlacementEvent, @Ctx() ctx: Context): Resolved<Agency | null> {
    return agencyById(ctx).get(event.scope.ownerAgencyId!);
  }
}
