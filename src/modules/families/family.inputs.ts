import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { MutationInput, VersionedMutationInput } from '../../core/graphql/mutation-input';
import { DisabilityStatus, FamilyRelation, FamilySituation, Placement, PlacementEventKind, Sex } from './family.enums';
import { IsCalendarDate, NotBlank, NotInFuture } from './calendar';

const PHONE = /^\+?[0-9 ()-]{5,30}$/;
const SYSTEM = /^[\p{L}\p{N}._-]+$/u;

@InputType({ description: "A partner system's own key for a family or a person; unique per system." })
export class ExternalIdInput {
  @Field({ description: 'The partner system that issues the key, e.g. "EGISSO" (letters, digits, dot, dash, underscore).' })
  @Length(1, 50, { message: 'must be 1 to 50 characters long' })
  @Matches(SYSTEM, { message: 'may hold only letters, digits, dot, dash and underscore' })
  system: string;

  @Field({ description: 'The key in that system.' })
  @Length(1, 100, { message: 'must be 1 to 100 characters long' })
  @NotBlank()
  value: string;
}

@InputType({ description: 'A member of a family to register: names, birth date, relation, and what is known of health and education.' })
export class PersonInput {
  @Field({ description: 'The last name of the person (IDENTITY).' })
  @Length(1, 100, { message: 'must be 1 to 100 characters long' })
  @NotBlank()
  lastName: string;

  @Field({ description: 'The first name of the person (IDENTITY).' })
  @Length(1, 100, { message: 'must be 1 to 100 characters long' })
  @NotBlank()
  firstName: string;

  @Field(() => String, { nullable: true, description: 'The patronymic of the person, if any (IDENTITY).' })
  @IsOptional()
  @Length(1, 100, { message: 'must be 1 to 100 characters long' })
  middleName?: string | null;

  @Field({ description: 'The birth date of the person, YYYY-MM-DD; not in the future (IDENTITY).' })
  @IsCalendarDate()
  @NotInFuture()
  birthDate: string;

  @Field(() => Sex, { description: 'The sex of the person (CASE_META).' })
  sex: Sex;

  @Field(() => FamilyRelation, { description: "The person's relation to the family (CASE_META)." })
  relation: FamilyRelation;

  @Field(() => String, { nullable: true, description: 'The number of the identity document or birth certificate (IDENTITY).' })
  @IsOptional()
  @Length(1, 50, { message: 'must be 1 to 50 characters long' })
  documentNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'The phone of the person (IDENTITY).' })
  @IsOptional()
  @Matches(PHONE, { message: 'must be a phone number: digits, spaces, brackets, dashes and an optional leading +' })
  phone?: string | null;

  @Field(() => DisabilityStatus, { nullable: true, description: 'The disability status; NONE when not given (CASE_META).' })
  disabilityStatus?: DisabilityStatus | null;

  @Field(() => String, { nullable: true, description: 'The diagnosis (HEALTH: only callers who may read health data may write it).' })
  @IsOptional()
  @Length(1, 1000, { message: 'must be 1 to 1000 characters long' })
  diagnosis?: string | null;

  @Field(() => String, { nullable: true, description: 'The kindergarten or school the child attends (EDUCATION).' })
  @IsOptional()
  @Length(1, 300, { message: 'must be 1 to 300 characters long' })
  educationInstitution?: string | null;

  @Field(() => String, { nullable: true, description: 'The conclusion of the PMPK commission (EDUCATION).' })
  @IsOptional()
  @Length(1, 2000, { message: 'must be 1 to 2000 characters long' })
  pmpkConclusion?: string | null;

  @Field(() => Placement, { nullable: true, description: 'Where the person lives at registration; WITH_BIRTH_FAMILY when not given. Later changes are placement events (CASE_META).' })
  placement?: Placement | null;

  @Field(() => [ExternalIdInput], { nullable: true, description: "The partner systems' keys of the person (IDENTITY)." })
  @IsOptional()
  @ArrayMaxSize(10, { message: 'must hold at most 10 keys' })
  @ValidateNested({ each: true })
  externalIds?: ExternalIdInput[] | null;
}

@InputType({ description: 'A family to register: where it lives, its difficult situations and its members.' })
export class RegisterFamilyInput extends MutationInput {
  @Field({ description: 'The code of the region the family lives in, e.g. "54"; one of the caller\'s regions.' })
  @Matches(/^\d{2}$/, { message: 'must be a two-digit region code' })
  region: string;

  @Field({ description: 'The settlement (town, village) the family lives in (CASE_META).' })
  @Length(1, 200, { message: 'must be 1 to 200 characters long' })
  @NotBlank()
  settlement: string;

  @Field(() => Boolean, { nullable: true, description: 'Whether the settlement is remote, hard to reach; false when not given (CASE_META).' })
  remote?: boolean | null;

  @Field(() => String, { nullable: true, description: 'The address of the family (IDENTITY).' })
  @IsOptional()
  @Length(1, 500, { message: 'must be 1 to 500 characters long' })
  address?: string | null;

  @Field(() => String, { nullable: true, description: 'The contact phone of the family (IDENTITY).' })
  @IsOptional()
  @Matches(PHONE, { message: 'must be a phone number: digits, spaces, brackets, dashes and an optional leading +' })
  phone?: string | null;

  @Field(() => [FamilySituation], { nullable: true, description: 'The difficult life situations of the family (SOCIAL_RISK).' })
  @IsOptional()
  @ArrayUnique({ message: 'must not name a situation twice' })
  situations?: FamilySituation[] | null;

  @Field(() => [PersonInput], { description: 'The members of the family (1 to 30).' })
  @ArrayMinSize(1, { message: 'must name at least one member' })
  @ArrayMaxSize(30, { message: 'must name at most 30 members' })
  @ValidateNested({ each: true })
  members: PersonInput[];

  @Field(() => [ExternalIdInput], { nullable: true, description: "The partner systems' keys of the family (IDENTITY)." })
  @IsOptional()
  @ArrayMaxSize(10, { message: 'must hold at most 10 keys' })
  @ValidateNested({ each: true })
  externalIds?: ExternalIdInput[] | null;
}

@InputType({ description: 'A new member of a registered family.' })
export class AddFamilyMemberInput extends MutationInput {
  @Field(() => ID, { description: 'The global id of the family.' })
  family: string;

  @Field(() => PersonInput, { description: 'The member to add.' })
  @ValidateNested()
  member: PersonInput;
}

/** A field given as null clears it; a field not given is left as it is. Required fields cannot be cleared. */
const given = (field: string) => (object: Record<string, unknown>) => object[field] !== undefined;

@InputType({ description: 'Changes to a person: only the fields given are changed; null clears an optional field. Each field needs the right to read its class.' })
export class UpdatePersonInput extends VersionedMutationInput('The version of the person as last read; a stale version is a CONFLICT.') {
  @Field(() => ID, { description: 'The global id of the person.' })
  person: string;

  @Field(() => String, { nullable: true, description: 'The new last name (IDENTITY); cannot be cleared.' })
  @ValidateIf(given('lastName'))
  @IsString({ message: 'cannot be cleared' })
  @Length(1, 100, { message: 'must be 1 to 100 characters long' })
  @NotBlank()
  lastName?: string | null;

  @Field(() => String, { nullable: true, description: 'The new first name (IDENTITY); cannot be cleared.' })
  @ValidateIf(given('firstName'))
  @IsString({ message: 'cannot be cleared' })
  @Length(1, 100, { message: 'must be 1 to 100 characters long' })
  @NotBlank()
  firstName?: string | null;

  @Field(() => String, { nullable: true, description: 'The new patronymic (IDENTITY); null clears it.' })
  @IsOptional()
  @Length(1, 100, { message: 'must be 1 to 100 characters long' })
  middleName?: string | null;

  @Field(() => String, { nullable: true, description: 'The corrected birth date, YYYY-MM-DD (IDENTITY); cannot be cleared.' })
  @ValidateIf(given('birthDate'))
  @IsCalendarDate()
  @NotInFuture()
  birthDate?: string | null;

  @Field(() => String, { nullable: true, description: 'The new document number (IDENTITY); null clears it.' })
  @IsOptional()
  @Length(1, 50, { message: 'must be 1 to 50 characters long' })
  documentNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'The new phone (IDENTITY); null clears it.' })
  @IsOptional()
  @Matches(PHONE, { message: 'must be a phone number: digits, spaces, brackets, dashes and an optional leading +' })
  phone?: string | null;

  @Field(() => DisabilityStatus, { nullable: true, description: 'The new disability status (CASE_META); cannot be cleared (send NONE).' })
  @ValidateIf(given('disabilityStatus'))
  @IsString({ message: 'cannot be cleared; send NONE' })
  disabilityStatus?: DisabilityStatus | null;

  @Field(() => String, { nullable: true, description: 'The new diagnosis (HEALTH); null clears it.' })
  @IsOptional()
  @Length(1, 1000, { message: 'must be 1 to 1000 characters long' })
  diagnosis?: string | null;

  @Field(() => String, { nullable: true, description: 'The new kindergarten or school (EDUCATION); null clears it.' })
  @IsOptional()
  @Length(1, 300, { message: 'must be 1 to 300 characters long' })
  educationInstitution?: string | null;

  @Field(() => String, { nullable: true, description: 'The new PMPK conclusion (EDUCATION); null clears it.' })
  @IsOptional()
  @Length(1, 2000, { message: 'must be 1 to 2000 characters long' })
  pmpkConclusion?: string | null;
}

@InputType({ description: "A dated change of a child's placement: placed in an institution, returned to the birth family, guardianship..." })
export class RecordPlacementEventInput extends MutationInput {
  @Field(() => ID, { description: 'The global id of the child (a family member with relation CHILD).' })
  person: string;

  @Field(() => PlacementEventKind, { description: 'What happened.' })
  kind: PlacementEventKind;

  @Field({ description: 'The date of the change, YYYY-MM-DD; not in the future, not before the last recorded change.' })
  @IsCalendarDate()
  @NotInFuture()
  occurredOn: string;

  @Field(() => ID, { nullable: true, description: 'The global id of the institution or authority involved, when known.' })
  agency?: string | null;

  @Field(() => String, { nullable: true, description: 'Notes on the change (NOTES: read by the recording agency and the case manager).' })
  @IsOptional()
  @Length(1, 2000, { message: 'must be 1 to 2000 characters long' })
  notes?: string | null;
}
