import { Field, ObjectType } from 'type-graphql';
import { Agency, StaffMember } from './agency.type';

@ObjectType({ description: 'The result of `createAgency`.' })
export class CreateAgencyPayload {
  @Field(() => Agency, { description: 'The agency created.' })
  agency: Agency;
}

@ObjectType({ description: 'The result of `updateAgency`.' })
export class UpdateAgencyPayload {
  @Field(() => Agency, { description: 'The agency as changed.' })
  agency: Agency;
}

@ObjectType({ description: 'The result of `createStaffMember`.' })
export class CreateStaffMemberPayload {
  @Field(() => StaffMember, { description: 'The staff member created.' })
  staffMember: StaffMember;
}

@ObjectType({ description: 'The result of `updateStaffMember`.' })
export class UpdateStaffMemberPayload {
  @Field(() => StaffMember, { description: 'The staff member as changed.' })
  staffMember: StaffMember;
}
