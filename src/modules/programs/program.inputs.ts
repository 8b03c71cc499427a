import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsOptional, Length, Matches, ValidateBy, type ValidationOptions } from 'class-validator';
import { MutationInput, VersionedMutationInput } from '../../core/graphql/mutation-input';

const REGION_CODE = /^\d{2}$/;
export const PROGRAM_CODE = /^[A-Z0-9][A-Z0-9_-]{1,63}$/;
/** numeric(14,2): at most 12 digits before the point and 2 after. */
const RUBLES = /^\d{1,12}(\.\d{1,2})?$/;

/** Whether a text is a real calendar date written as YYYY-MM-DD. */
export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isLocalDate', validator: { validate: isLocalDate, defaultMessage: () => 'must be a calendar date written as YYYY-MM-DD' } }, options);
}

@InputType({ description: 'Which programmes to list.' })
export class ProgramFilter {
  @Field(() => String, { nullable: true, description: 'Only programmes running in the region with this two-digit code.' })
  @IsOptional()
  @Matches(REGION_CODE, { message: 'must be a two-digit region code' })
  region?: string;

  @Field(() => String, { nullable: true, description: 'Only programmes running on this date (YYYY-MM-DD): started, and not yet ended.' })
  @IsOptional()
  @IsLocalDate()
  activeOn?: string;

  @Field(() => String, { nullable: true, description: 'Only programmes whose name, code or funder contains this text (case-insensitive).' })
  @IsOptional()
  @Length(1, 100)
  search?: string;
}

@InputType({ description: 'A new programme (project or pilot).' })
export class CreateProgramInput extends MutationInput {
  @Field({ description: 'The code of the programme: 2 to 64 capital letters, digits, "-" or "_", unique.' })
  @Matches(PROGRAM_CODE, { message: 'must be 2 to 64 capital letters, digits, "-" or "_"' })
  code: string;

  @Field({ description: 'The name of the programme.' })
  @Length(1, 300)
  name: string;

  @Field({ description: 'The funder (or initiator) of the programme.' })
  @Length(1, 300)
  funder: string;

  @Field(() => [String], { description: 'The two-digit codes of the regions where the programme runs (at least one, each a region of the registry).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'must not repeat a region' })
  @Matches(REGION_CODE, { each: true, message: 'must be two-digit region codes' })
  regions: string[];

  @Field({ description: 'The first day of the programme (YYYY-MM-DD).' })
  @IsLocalDate()
  startsOn: string;

  @Field(() => String, { nullable: true, description: 'The last day of the programme (YYYY-MM-DD), not before `startsOn`; null when open-ended.' })
  @IsOptional()
  @IsLocalDate()
  endsOn?: string | null;

  @Field(() => String, { nullable: true, description: 'The budget in roubles as a decimal string, e.g. "1390700.00" (at most 12 digits and 2 decimals).' })
  @IsOptional()
  @Matches(RUBLES, { message: 'must be an amount of roubles such as "1390700" or "1390700.50"' })
  budgetRub?: string | null;

  @Field(() => String, { nullable: true, description: 'The description of the programme.' })
  @IsOptional()
  @Length(1, 4000)
  description?: string | null;
}

@InputType({ description: 'Changes to a programme; fields left out stay as they are. The code never changes.' })
export class UpdateProgramInput extends VersionedMutationInput('The version of the programme the change is based on; a stale version is a CONFLICT.') {
  @Field(() => ID, { description: 'The global id of the programme.' })
  id: string;

  @Field(() => String, { nullable: true, description: 'The new name of the programme.' })
  @IsOptional()
  @Length(1, 300)
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'The new funder of the programme.' })
  @IsOptional()
  @Length(1, 300)
  funder?: string | null;

  @Field(() => [String], { nullable: true, description: 'The new two-digit codes of the regions where the programme runs (at least one).' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'must not repeat a region' })
  @Matches(REGION_CODE, { each: true, message: 'must be two-digit region codes' })
  regions?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The new first day (YYYY-MM-DD).' })
  @IsOptional()
  @IsLocalDate()
  startsOn?: string | null;

  @Field(() => String, { nullable: true, description: 'The new last day (YYYY-MM-DD), not before the first; null makes the programme open-ended.' })
  @IsOptional()
  @IsLocalDate()
  endsOn?: string | null;

  @Field(() => String, { nullable: true, description: 'The new budget in roubles as a decimal string (null clears it).' })
  @IsOptional()
  @Matches(RUBLES, { message: 'must be an amount of roubles such as "1390700" or "1390700.50"' })
  budgetRub?: string | null;

  @Field(() => String, { nullable: true, description: 'The new description (null clears it).' })
  @IsOptional()
  @Length(1, 4000)
  description?: string | null;
}
