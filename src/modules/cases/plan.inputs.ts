import { Field, ID, InputType } from 'type-graphql';
import { IsOptional, Length } from 'class-validator';
import { VersionedInput, VersionedMutationInput } from '../../core/graphql/mutation-input';
import { ServiceDomain } from '../providers/provider.enums';
import { PlanStepStatus } from './case.enums';
import { IsCalendarDate } from './plan.rules';

const CASE_VERSION = 'The version of the case the caller last read; a stale version is a CONFLICT.';

@InputType({ description: 'A need of the family found on a case.' })
export class AddNeedInput extends VersionedMutationInput(CASE_VERSION) {
  @Field(() => ID, { description: 'The global id of the case.' })
  case: string;

  @Field(() => ServiceDomain, { description: 'The domain of the need.' })
  domain: ServiceDomain;

  @Field({ description: 'What the family needs, in plain words (1 to 2000 characters).' })
  @Length(1, 2000, { message: 'must be 1 to 2000 characters long' })
  description: string;
}

@InputType({ description: 'A new step of the route of help of a case.' })
export class AddPlanStepInput extends VersionedMutationInput(CASE_VERSION) {
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
}

@InputType({ description: 'Progress or a change of one step of the route of help. Fields left out stay as they are.' })
export class UpdatePlanStepInput extends VersionedInput("The version of the step the caller last read (the step's, not the case's); a stale version is a CONFLICT.") {
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
}
