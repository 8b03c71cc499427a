import { Field, ID, InputType, Int } from 'type-graphql';
import { IsOptional, Length, Min } from 'class-validator';
import { ServiceDomain } from '../providers/provider.enums';
import { PlanStepStatus } from './case.enums';
import { IsCalendarDate } from './plan.rules';

const IDEMPOTENCY_KEY = 'A key of 8 to 100 characters that makes a retry of this call return the first result instead of writing twice.';

@InputType({ description: 'A need of the family found on a case.' })
export class AddNeedInput {
  @Field(() => ID, { description: 'The global id of the case.' })
  case: string;

  @Field(() => ServiceDomain, { description: 'The domain of the need.' })
  domain: ServiceDomain;

  @Field({ description: 'What the family needs, in plain words (1 to 2000 characters).' })
  @Length(1, 2000, { message: 'must be 1 to 2000 characters long' })
  description: string;

  @Field(() => Int, { description: 'The version of the case the caller last read; a stale version is a CONFLICT.' })
  @Min(1, { message: 'must be a version of the case (1 or more)' })
  expectedVersion: number;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY_KEY })
  @IsOptional()
  @Length(8, 100, { message: 'must be 8 to 100 characters long' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'A new step of the route of help of a case.' })
export class AddPlanStepInput {
  @Field(() => ID, { description: 'The global id of the case.' })
  case: string;

  @Field(() => ID, { nullable: true, description: 'The global id of the need of the case that the step serves.' })
  need?: string | null;

  @Field({ description: 'The title of the step (1 to 300 characters).' })
  @Length(1, 300, { message: 'must be 1 to 300 characters long' })
  title: string;

  @Field(() => String, { nullable: true, description: 'The service type of the step: its code (e.g. "LEKOTEKA_SESSION") or its global id. Defaults to the offering\'s.' })
  @IsOptional()
  @Length(1, 200, { message: 'must be a service type code or id' })
  serviceType?: string | null;

  @Field(() => ID, { nullable: true, description: "The global id of the agency responsible for the step. Defaults to the offering's provider; required without an offering." })
  responsibleAgency?: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the service offering that will carry out the step.' })
  offering?: string | null;

  @Field(() => String, { nullable: true, description: 'The date the step is due, YYYY-MM-DD; not before the case was opened.' })
  @IsOptional()
  @IsCalendarDate()
  dueOn?: string | null;

  @Field(() => Int, { description: 'The version of the case the caller last read; a stale version is a CONFLICT.' })
  @Min(1, { message: 'must be a version of the case (1 or more)' })
  expectedVersion: number;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY_KEY })
  @IsOptional()
  @Length(8, 100, { message: 'must be 8 to 100 characters long' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Progress or a change of one step of the route of help. Fields left out stay as they are.' })
export class UpdatePlanStepInput {
  @Field(() => ID, { description: 'The global id of the plan step.' })
  step: string;

  @Field(() => PlanStepStatus, { nullable: true, description: 'The new status: PLANNED → IN_PROGRESS → DONE, or PLANNED/IN_PROGRESS → CANCELLED.' })
  status?: PlanStepStatus | null;

  @Field(() => String, { nullable: true, description: 'The date the step was done, YYYY-MM-DD: required with status DONE, not in the future.' })
  @IsOptional()
  @IsCalendarDate()
  completedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'A new due date, YYYY-MM-DD, not before the case was opened (the case manager or coordinator only).' })
  @IsOptional()
  @IsCalendarDate()
  dueOn?: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of a new responsible agency (the case manager or coordinator only).' })
  responsibleAgency?: string | null;

  @Field(() => Int, { description: "The version of the step the caller last read (the step's, not the case's); a stale version is a CONFLICT." })
  @Min(1, { message: 'must be a version of the step (1 or more)' })
  expectedVersion: number;
}
