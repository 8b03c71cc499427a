import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEmail, IsEnum, IsOptional, Length, Matches } from 'class-validator';
import { MutationInput, VersionedMutationInput } from '../../core/graphql/mutation-input';
import { AgencyKind, Role } from '../../core/auth/roles';

const REGION_CODE = /^\d{2}$/;

@InputType({ description: 'A new agency, or a new unit of an agency.' })
export class CreateAgencyInput extends MutationInput {
  @Field({ description: 'The full name of the agency, unique within its region.' })
  @Length(1, 300)
  name: string;

  @Field(() => String, { nullable: true, description: 'The short name of the agency, e.g. "КЦСОН РК".' })
  @IsOptional()
  @Length(1, 100)
  shortName?: string | null;

  @Field(() => AgencyKind, { description: 'The kind of the agency, which decides what its staff may read.' })
  @IsEnum(AgencyKind)
  kind: AgencyKind;

  @Field({ description: 'The two-digit code of the region of the agency (a region of the registry).' })
  @Matches(REGION_CODE, { message: 'must be a two-digit region code' })
  region: string;

  @Field(() => ID, { nullable: true, description: 'The global id of the agency this one is a unit of (of the same region).' })
  parent?: string | null;

  @Field(() => String, { nullable: true, description: 'The settlement where the agency works.' })
  @IsOptional()
  @Length(1, 200)
  settlement?: string | null;
}

@InputType({ description: 'Changes to an agency; fields left out stay as they are.' })
export class UpdateAgencyInput extends VersionedMutationInput('The version of the agency the change is based on; a stale version is a CONFLICT.') {
  @Field(() => ID, { description: 'The global id of the agency.' })
  id: string;

  @Field(() => String, { nullable: true, description: 'The new full name, unique within the region.' })
  @IsOptional()
  @Length(1, 300)
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'The new short name (null clears it).' })
  @IsOptional()
  @Length(1, 100)
  shortName?: string | null;

  @Field(() => AgencyKind, { nullable: true, description: 'The new kind of the agency.' })
  @IsOptional()
  @IsEnum(AgencyKind)
  kind?: AgencyKind | null;

  @Field(() => String, { nullable: true, description: 'The new region code (only for an agency without units; a unit stays in its parent\'s region).' })
  @IsOptional()
  @Matches(REGION_CODE, { message: 'must be a two-digit region code' })
  region?: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the new parent agency (null makes the agency stand alone).' })
  parent?: string | null;

  @Field(() => String, { nullable: true, description: 'The new settlement (null clears it).' })
  @IsOptional()
  @Length(1, 200)
  settlement?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the agency is active; false also stops its staff\'s tokens from working.' })
  active?: boolean | null;
}

@InputType({ description: 'A new staff member of an agency.' })
export class CreateStaffMemberInput extends MutationInput {
  @Field(() => ID, { description: 'The global id of the agency the staff member works for.' })
  agency: string;

  @Field({ description: 'The full name of the staff member.' })
  @Length(1, 200)
  fullName: string;

  @Field({ description: 'The position of the staff member, e.g. "логопед" or "социальный агент".' })
  @Length(1, 200)
  position: string;

  @Field(() => String, { nullable: true, description: 'The work e-mail of the staff member.' })
  @IsOptional()
  @Length(3, 200)
  @IsEmail({}, { message: 'must be an e-mail address' })
  email?: string | null;

  @Field(() => [Role], { description: 'The roles the staff member holds (at least one).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  @ArrayUnique({ message: 'must not repeat a role' })
  @IsEnum(Role, { each: true })
  roles: Role[];
}

@InputType({ description: 'Changes to a staff member; fields left out stay as they are. A staff member never moves to another agency.' })
export class UpdateStaffMemberInput extends VersionedMutationInput('The version of the staff member the change is based on; a stale version is a CONFLICT.') {
  @Field(() => ID, { description: 'The global id of the staff member.' })
  id: string;

  @Field(() => String, { nullable: true, description: 'The new full name.' })
  @IsOptional()
  @Length(1, 200)
  fullName?: string | null;

  @Field(() => String, { nullable: true, description: 'The new position.' })
  @IsOptional()
  @Length(1, 200)
  position?: string | null;

  @Field(() => String, { nullable: true, description: 'The new work e-mail (null clears it).' })
  @IsOptional()
  @Length(3, 200)
  @IsEmail({}, { message: 'must be an e-mail address' })
  email?: string | null;

  @Field(() => [Role], { nullable: true, description: 'The new list of roles (at least one).' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  @ArrayUnique({ message: 'must not repeat a role' })
  @IsEnum(Role, { each: true })
  roles?: Role[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the staff member is active; false stops their token from working.' })
  active?: boolean | null;
}
