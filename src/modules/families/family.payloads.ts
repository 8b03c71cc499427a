import { Field, ObjectType } from 'type-graphql';
import { Family, Person, PlacementEvent } from './family.type';

@ObjectType({ description: 'The result of registerFamily.' })
export class RegisterFamilyPayload {
  @Field(() => Family, { nullable: true, description: 'The registered family.' })
  family: Family | null;
}

@ObjectType({ description: 'The result of addFamilyMember.' })
export class AddFamilyMemberPayload {
  @Field(() => Family, { nullable: true, description: 'The family the member was added to.' })
  family: Family | null;

  @Field(() => Person, { nullable: true, description: 'The new member.' })
  person: Person | null;
}

@ObjectType({ description: 'The result of updatePerson.' })
export class UpdatePersonPayload {
  @Field(() => Person, { nullable: true, description: 'The person as changed.' })
  person: Person | null;
}

@ObjectType({ description: 'The result of recordPlacementEvent.' })
export class RecordPlacementEventPayload {
  @Field(() => PlacementEvent, { nullable: true, description: 'The recorded placement event.' })
  placementEvent: PlacementEvent | null;

  @Field(() => Person, { nullable: true, description: 'The child, with the placement after the event.' })
  person: Person | null;
}
