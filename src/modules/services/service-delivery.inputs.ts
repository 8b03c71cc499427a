import { Field, ID, InputType, Int } from 'type-graphql';
import { IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { MutationInput, VersionedInput } from '../../core/graphql/mutation-input';
import { DeliveryMode } from '../providers/provider.enums';
import { IsCalendarDate } from '../cases/plan.rules';

@InputType({ description: 'A service given to a person of a case.' })
export class RecordServiceDeliveryInput extends MutationInput {
  @Field(() => ID, { description: 'The global id of the case.' })
  case: string;

  @Field(() => ID, { description: "The global id of the person who received the service: a member of the case's family." })
  recipient: string;

  @Field({ description: 'The service type: its code (e.g. "LEKOTEKA_SESSION") or its global id.' })
  @Length(1, 200, { message: 'must be a service type code or id' })
  serviceType: string;

  @Field(() => ID, { nullable: true, description: "The global id of the agency (or unit) that gave the service: the caller's agency or one of its units (the case manager may name any). Defaults to the caller's agency." })
  provider?: string | null;

  @Field(() => ID, { nullable: true, description: "The global id of the staff member of the provider who gave the service. Defaults to the caller when the caller works for the provider." })
  specialist?: string | null;

  @Field({ description: 'The date the service was given, YYYY-MM-DD: not in the future, not before the case was opened.' })
  @IsCalendarDate()
  deliveredOn: string;

  @Field(() => Int, { nullable: true, description: 'How long the service took, in minutes (1 to 1440).' })
  @IsOptional()
  @Min(1, { message: 'must be 1 to 1440 minutes' })
  @Max(1440, { message: 'must be 1 to 1440 minutes' })
  durationMinutes?: number | null;

  @Field(() => DeliveryMode, { description: 'How the service reached the family.' })
  deliveryMode: DeliveryMode;

  @Field(() => String, { nullable: true, description: "Confidential notes (at most 4000 characters; NOTES: the recording agency and the case manager)." })
  @IsOptional()
  @Length(1, 4000, { message: 'must be 1 to 4000 characters long' })
  notes?: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the plan step of the case that the service carries out.' })
  planStep?: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the referral of the case that the service answers.' })
  referral?: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the mobile-brigade trip on which the service was given (delivery mode MOBILE_BRIGADE, same date).' })
  brigadeTrip?: string | null;
}

@InputType({ description: 'A correction of a recorded service. Fields left out stay as they are; null clears an optional one.' })
export class UpdateServiceDeliveryInput extends VersionedInput('The version of the entry the caller last read; a stale version is a CONFLICT.') {
  @Field(() => ID, { description: 'The global id of the service delivery.' })
  delivery: string;

  @Field(() => ID, { nullable: true, description: "The global id of the person who received the service: a member of the case's family." })
  recipient?: string | null;

  @Field(() => String, { nullable: true, description: 'The service type: its code or its global id.' })
  @IsOptional()
  @Length(1, 200, { message: 'must be a service type code or id' })
  serviceType?: string | null;

  @Field(() => ID, { nullable: true, description: "The global id of the agency that gave the service: the caller's agency or one of its units (the case manager may name any)." })
  provider?: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the staff member of the provider who gave the service.' })
  specialist?: string | null;

  @Field(() => String, { nullable: true, description: 'The date the service was given, YYYY-MM-DD.' })
  @IsOptional()
  @IsCalendarDate()
  deliveredOn?: string | null;

  @Field(() => Int, { nullable: true, description: 'How long the service took, in minutes (1 to 1440).' })
  @IsOptional()
  @Min(1, { message: 'must be 1 to 1440 minutes' })
  @Max(1440, { message: 'must be 1 to 1440 minutes' })
  durationMinutes?: number | null;

  @Field(() => DeliveryMode, { nullable: true, description: 'How the service reached the family.' })
  deliveryMode?: DeliveryMode | null;

  @Field(() => String, { nullable: true, description: 'Confidential notes (at most 4000 characters; NOTES).' })
  @IsOptional()
  @Length(1, 4000, { message: 'must be 1 to 4000 characters long' })
  notes?: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the plan step of the case that the service carries out.' })
  planStep?: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the referral of the case that the service answers.' })
  referral?: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the mobile-brigade trip on which the service was given.' })
  brigadeTrip?: string | null;
}

@InputType({ description: 'A trip of a mobile brigade of an agency.' })
export class RecordBrigadeTripInput extends MutationInput {
  @Field(() => ID, { nullable: true, description: "The global id of the agency whose brigade travelled: the caller's agency or one of its units. Defaults to the caller's agency." })
  agency?: string | null;

  @Field(() => String, { nullable: true, description: "The two-digit code of the region of the trip. Defaults to the agency's region." })
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'must be a two-digit region code' })
  region?: string | null;

  @Field({ description: 'The date of the trip, YYYY-MM-DD.' })
  @IsCalendarDate()
  tripDate: string;

  @Field({ description: 'Where the brigade went: settlements or district (1 to 300 characters).' })
  @Length(1, 300, { message: 'must be 1 to 300 characters long' })
  destination: string;
}
