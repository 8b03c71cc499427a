import { Field, ID, InputType } from 'type-graphql';
import { IsOptional, Length } from 'class-validator';
import { VersionedInput, VersionedMutationInput } from '../../core/graphql/mutation-input';
import { DeclineReason, ReferralOutcome } from './referral.enums';

const REFERRAL_VERSION = 'The version of the referral the caller last read; a stale version is a CONFLICT.';

@InputType({ description: "A referral of a case to another agency, or to a provider's service offering." })
export class SendReferralInput extends VersionedMutationInput('The version of the case the caller last read; a stale version is a CONFLICT.') {
  @Field(() => ID, { description: 'The global id of the case.' })
  case: string;

  @Field(() => ID, { nullable: true, description: "The global id of the agency the family is referred to. Give it, or an offering (or both, when it is the offering's provider)." })
  toAgency?: string | null;

  @Field(() => ID, { nullable: true, description: "The global id of the service offering the family is referred to; it implies its provider and service type." })
  offering?: string | null;

  @Field(() => String, { nullable: true, description: "The service type asked for: its code or global id. Defaults to the offering's." })
  @IsOptional()
  @Length(1, 200, { message: 'must be a service type code or id' })
  serviceType?: string | null;

  @Field({ description: 'Why the family is referred, as the receiving agency needs to know it (1 to 2000 characters; visible to the case team and the addressee).' })
  @Length(1, 2000, { message: 'must be 1 to 2000 characters long' })
  reason: string;

  @Field(() => String, { nullable: true, description: "The sending agency's confidential notes (at most 4000 characters; NOTES: the sending agency and the case manager)." })
  @IsOptional()
  @Length(1, 4000, { message: 'must be 1 to 4000 characters long' })
  notes?: string | null;

  @Field(() => Date, { nullable: true, description: 'The deadline to answer; in the future. Defaults to 5 working days from now.' })
  respondBy?: Date | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the plan step of the case that the referral carries out.' })
  planStep?: string | null;
}

@InputType({ description: 'The answer of the receiving agency to a referral.' })
export class RespondToReferralInput extends VersionedInput(REFERRAL_VERSION) {
  @Field(() => ID, { description: 'The global id of the referral.' })
  referral: string;

  @Field({ description: 'True to accept (the agency joins the case team), false to decline.' })
  accept: boolean;

  @Field(() => DeclineReason, { nullable: true, description: 'Why the agency declines; required when declining.' })
  declineReason?: DeclineReason | null;

  @Field(() => String, { nullable: true, description: 'The answer to the sender, e.g. the first appointment (at most 2000 characters; CASE_META).' })
  @IsOptional()
  @Length(1, 2000, { message: 'must be 1 to 2000 characters long' })
  note?: string | null;
}

@InputType({ description: 'The end of an accepted referral.' })
export class CompleteReferralInput extends VersionedInput(REFERRAL_VERSION) {
  @Field(() => ID, { description: 'The global id of the referral.' })
  referral: string;

  @Field(() => ReferralOutcome, { description: 'How the referral ended.' })
  outcome: ReferralOutcome;
}

@InputType({ description: 'The withdrawal of a referral by its sender.' })
export class CancelReferralInput extends VersionedInput(REFERRAL_VERSION) {
  @Field(() => ID, { description: 'The global id of the referral.' })
  referral: string;
}
