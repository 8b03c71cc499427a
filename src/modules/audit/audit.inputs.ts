import { Field, ID, InputType } from 'type-graphql';
import { AuditAction } from './audit.type';

@InputType({ description: 'Which audit events to list; every condition given must hold.' })
export class AuditEventFilter {
  @Field(() => ID, { nullable: true, description: 'Only events about this case or its family.' })
  case?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only events of this staff member (global id of a StaffMember).' })
  actor?: string | null;

  @Field(() => AuditAction, { nullable: true, description: 'Only reads or only writes.' })
  action?: AuditAction | null;

  @Field(() => Date, { nullable: true, description: 'Only events at or after this time.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only events before this time.' })
  to?: Date | null;
}
