import { Field, ID, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum, IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { MutationInput, VersionedMutationInput } from '../../core/graphql/mutation-input';
import { DeliveryMode, ServiceDomain } from './provider.enums';

export const REGION_CODE = /^\d{2}$/;
export const SERVICE_TYPE_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
export const MAX_AGE_MONTHS = 216;

@InputType({ description: 'Which service providers to find: those with at least one active offering matching every criterion given.' })
export class ProviderFilter {
  @Field(() => String, { nullable: true, description: 'Only offerings of the service type with this code, e.g. "LEKOTEKA_SESSION".' })
  @IsOptional()
  @Matches(SERVICE_TYPE_CODE, { message: 'must be a service type code in UPPER_SNAKE_CASE' })
  serviceType?: string;

  @Field(() => String, { nullable: true, description: 'Only offerings serving the region with this two-digit code.' })
  @IsOptional()
  @Matches(REGION_CODE, { message: 'must be a two-digit region code' })
  region?: string;

  @Field(() => DeliveryMode, { nullable: true, description: 'Only offerings available in this delivery mode.' })
  @IsOptional()
  @IsEnum(DeliveryMode)
  deliveryMode?: DeliveryMode;

  @Field(() => Int, { nullable: true, description: 'Only offerings serving a child of this age, in months.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AGE_MONTHS)
  childAgeMonths?: number;

  @Field(() => String, { nullable: true, description: 'Only providers whose name or short name contains this text (case-insensitive).' })
  @IsOptional()
  @Length(1, 100)
  search?: string;
}

@InputType({ description: 'Which offerings of a provider to list.' })
export class OfferingFilter {
  @Field(() => String, { nullable: true, description: 'Only offerings of the service type with this code.' })
  @IsOptional()
  @Matches(SERVICE_TYPE_CODE, { message: 'must be a service type code in UPPER_SNAKE_CASE' })
  serviceType?: string;

  @Field(() => String, { nullable: true, description: 'Only offerings serving the region with this two-digit code.' })
  @IsOptional()
  @Matches(REGION_CODE, { message: 'must be a two-digit region code' })
  region?: string;

  @Field(() => DeliveryMode, { nullable: true, description: 'Only offerings available in this delivery mode.' })
  @IsOptional()
  @IsEnum(DeliveryMode)
  deliveryMode?: DeliveryMode;

  @Field(() => Int, { nullable: true, description: 'Only offerings serving a child of this age, in months.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AGE_MONTHS)
  childAgeMonths?: number;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Whether withdrawn (inactive) offerings are listed too (never under `providers(filter)`, which finds active offerings only).' })
  includeInactive?: boolean;
}

@InputType({ description: 'A new entry of the service catalogue.' })
export class CreateServiceTypeInput extends MutationInput {
  @Field({ description: 'The code of the service type, in UPPER_SNAKE_CASE, unique (stable key for partners).' })
  @Matches(SERVICE_TYPE_CODE, { message: 'must be 2 to 64 characters in UPPER_SNAKE_CASE, starting with a letter' })
  code: string;

  @Field({ description: 'The name of the service type.' })
  @Length(1, 200)
  name: string;

  @Field(() => ServiceDomain, { description: 'The domain of the service type.' })
  @IsEnum(ServiceDomain)
  domain: ServiceDomain;

  @Field(() => String, { nullable: true, description: 'The description of the service type.' })
  @IsOptional()
  @Length(1, 2000)
  description?: string | null;
}

@InputType({ description: 'Changes to a service type; fields left out stay as they are. The code never changes.' })
export class UpdateServiceTypeInput extends VersionedMutationInput('The version of the service type the change is based on; a stale version is a CONFLICT.') {
  @Field(() => ID, { description: 'The global id of the service type.' })
  id: string;

  @Field(() => String, { nullable: true, description: 'The new name of the service type.' })
  @IsOptional()
  @Length(1, 200)
  name?: string | null;

  @Field(() => ServiceDomain, { nullable: true, description: 'The new domain of the service type.' })
  @IsOptional()
  @IsEnum(ServiceDomain)
  domain?: ServiceDomain | null;

  @Field(() => String, { nullable: true, description: 'The new description of the service type (null clears it).' })
  @IsOptional()
  @Length(1, 2000)
  description?: string | null;
}

@InputType({ description: 'A service type that an agency (the provider) starts offering.' })
export class CreateServiceOfferingInput extends MutationInput {
  @Field(() => ID, { description: 'The global id of the providing agency (an Agency id, or the ServiceProvider id of the same agency).' })
  provider: string;

  @Field(() => String, { nullable: true, description: 'The code of the service type offered; give this or `serviceTypeId`.' })
  @IsOptional()
  @Matches(SERVICE_TYPE_CODE, { message: 'must be a service type code in UPPER_SNAKE_CASE' })
  serviceType?: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the service type offered; give this or `serviceType`.' })
  serviceTypeId?: string | null;

  @Field(() => [DeliveryMode], { description: 'The delivery modes in which the offering reaches families (at least one).' })
  @ArrayMinSize(1)
  @ArrayUnique({ message: 'must not repeat a delivery mode' })
  @IsEnum(DeliveryMode, { each: true })
  deliveryModes: DeliveryMode[];

  @Field(() => Int, { defaultValue: 0, description: 'The youngest child age (in months) the offering serves.' })
  @IsInt()
  @Min(0)
  @Max(MAX_AGE_MONTHS)
  minAgeMonths: number;

  @Field(() => Int, { defaultValue: MAX_AGE_MONTHS, description: 'The oldest child age (in months) the offering serves; not less than `minAgeMonths`.' })
  @IsInt()
  @Min(0)
  @Max(MAX_AGE_MONTHS)
  maxAgeMonths: number;

  @Field(() => [String], { description: 'The two-digit codes of the regions the offering serves (at least one, each a region of the registry).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'must not repeat a region' })
  @Matches(REGION_CODE, { each: true, message: 'must be two-digit region codes' })
  regions: string[];

  @Field(() => Int, { nullable: true, description: 'The number of services (or places) per month; zero or more, null when not stated.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  monthlyCapacity?: number | null;

  @Field(() => String, { nullable: true, description: 'The description of the offering.' })
  @IsOptional()
  @Length(1, 2000)
  description?: string | null;
}

@InputType({ description: 'Changes to an offering; fields left out stay as they are. Provider and service type never change.' })
export class UpdateServiceOfferingInput extends VersionedMutationInput('The version of the offering the change is based on; a stale version is a CONFLICT.') {
  @Field(() => ID, { description: 'The global id of the offering.' })
  id: string;

  @Field(() => [DeliveryMode], { nullable: true, description: 'The new delivery modes (at least one).' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayUnique({ message: 'must not repeat a delivery mode' })
  @IsEnum(DeliveryMode, { each: true })
  deliveryModes?: DeliveryMode[] | null;

  @Field(() => Int, { nullable: true, description: 'The new youngest child age in months (not more than the oldest).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AGE_MONTHS)
  minAgeMonths?: number | null;

  @Field(() => Int, { nullable: true, description: 'The new oldest child age in months (not less than the youngest).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AGE_MONTHS)
  maxAgeMonths?: number | null;

  @Field(() => [String], { nullable: true, description: 'The new two-digit codes of the regions served (at least one).' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'must not repeat a region' })
  @Matches(REGION_CODE, { each: true, message: 'must be two-digit region codes' })
  regions?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'The new monthly capacity, zero or more (null clears it).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  monthlyCapacity?: number | null;

  @Field(() => String, { nullable: true, description: 'The new description (null clears it).' })
  @IsOptional()
  @Length(1, 2000)
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the offering is available; false withdraws it.' })
  active?: boolean | null;
}
