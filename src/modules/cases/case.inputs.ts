import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, Matches } from 'class-validator';
import { MutationInput, VersionedMutationInput } from '../../core/graphql/mutation-input';
import { IsCalendarDate, NotBlank, NotInFuture } from '../families/calendar';
import { CaseClosureOutcome, CaseOrderField, CaseSource, CaseStatus, OrderDirection, RiskLevel } from './case.enums';

const EXPECTED_VERSION_DESCRIPTION = 'The version of the case as last read; a stale version is a CONFLICT and changes nothing.';

@InputType({ description: 'Which cases to list; every condition given must hold.' })
export class CaseFilter {
  @Field(() => [CaseStatus], { nullable: true, description: 'Only cases in one of these statuses.' })
  status?: CaseStatus[] | null;

  @Field(() => [RiskLevel], { nullable: true, description: 'Only cases at one of these risk levels.' })
  riskLevel?: RiskLevel[] | null;

  @Field(() => [String], { nullable: true, description: 'Only cases of the regions with these codes.' })
  @IsOptional()
  @ArrayMaxSize(100, { message: 'must name at most 100 regions' })
  @Matches(/^\d{2}$/, { each: true, message: 'must hold two-digit region codes' })
  region?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'Only cases enrolled in this programme.' })
  program?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only cases where this agency is the lead agency or an active participant.' })
  agency?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only the cases the caller manages; false: only the others.' })
  assignedToMe?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Only cases opened on or after this date (YYYY-MM-DD).' })
  @IsOptional()
  @IsCalendarDate()
  openedFrom?: string | null;

  @Field(() => String, { nullable: true, description: 'Only cases opened on or before this date (YYYY-MM-DD).' })
  @IsOptional()
  @IsCalendarDate()
  openedTo?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only cases with a referral past its response deadline and still unanswered; false: only cases without one.' })
  hasOverdueReferrals?: boolean | null;
}

@InputType({ description: 'The order of a list of cases; ties are broken by the case id in the same direction.' })
export class CaseOrder {
  @Field(() => CaseOrderField, { description: 'The column to order by.' })
  field: CaseOrderField;

  @Field(() => OrderDirection, { nullable: true, description: 'The direction; DESC when not given.' })
  direction?: OrderDirection | null;
}

@InputType({ description: 'A case to open for a registered family.' })
export class OpenCaseInput extends MutationInput {
  @Field(() => ID, { description: 'The global id of the family.' })
  family: string;

  @Field(() => [ID], { description: 'The children in focus: members of the family with relation CHILD (1 to 20).' })
  @ArrayMinSize(1, { message: 'must name at least one child' })
  @ArrayMaxSize(20, { message: 'must name at most 20 children' })
  children: string[];

  @Field(() => CaseSource, { description: 'Where the case came from.' })
  source: CaseSource;

  @Field(() => RiskLevel, { description: 'The risk level of the case.' })
  riskLevel: RiskLevel;

  @Field(() => ID, { nullable: true, description: "The global id of the lead agency; the caller's agency when not given." })
  leadAgency?: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the case manager (an active staff member); the caller when not given and the caller is a case manager.' })
  caseManager?: string | null;

  @Field(() => [ID], { nullable: true, description: "The global ids of the programmes to enrol the case in; each must cover the family's region." })
  @IsOptional()
  @ArrayMaxSize(10, { message: 'must name at most 10 programmes' })
  programs?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The date the case was opened, YYYY-MM-DD, not in the future; today (Moscow time) when not given.' })
  @IsOptional()
  @IsCalendarDate()
  @NotInFuture()
  openedOn?: string | null;
}

@InputType({ description: 'A move of a case to another status (REFERRED → ASSESSMENT → ACTIVE ⇄ MONITORING); closing is closeCase.' })
export class ChangeCaseStatusInput extends VersionedMutationInput(EXPECTED_VERSION_DESCRIPTION) {
  @Field(() => ID, { description: 'The global id of the case.' })
  case: string;

  @Field(() => CaseStatus, { description: 'The status to move to.' })
  status: CaseStatus;

  @Field(() => String, { nullable: true, description: 'Why the status changes (CASE_META: read by the whole team; keep sensitive details out).' })
  @IsOptional()
  @Length(1, 2000, { message: 'must be 1 to 2000 characters long' })
  comment?: string | null;
}

@InputType({ description: 'The closing of a case (from ASSESSMENT, ACTIVE or MONITORING), with its outcome.' })
export class CloseCaseInput extends VersionedMutationInput(EXPECTED_VERSION_DESCRIPTION) {
  @Field(() => ID, { description: 'The global id of the case.' })
  case: string;

  @Field(() => CaseClosureOutcome, { description: 'The outcome the case is closed with.' })
  outcome: CaseClosureOutcome;

  @Field(() => String, { nullable: true, description: "The case manager's closing note (NOTES)." })
  @IsOptional()
  @Length(1, 4000, { message: 'must be 1 to 4000 characters long' })
  note?: string | null;

  @Field(() => String, { nullable: true, description: 'The date the case closed, YYYY-MM-DD, not in the future and not before it opened; today (Moscow time) when not given.' })
  @IsOptional()
  @IsCalendarDate()
  @NotInFuture()
  closedOn?: string | null;
}

@InputType({ description: 'A new case manager for a case (by the coordinator of its region).' })
export class AssignCaseManagerInput extends VersionedMutationInput(EXPECTED_VERSION_DESCRIPTION) {
  @Field(() => ID, { description: 'The global id of the case.' })
  case: string;

  @Field(() => ID, { description: 'The global id of the staff member to manage the case (must be active).' })
  caseManager: string;
}

@InputType({ description: "A new member of a case's team: an agency or one staff member (exactly one), optionally until a time." })
export class AddCaseParticipantInput extends VersionedMutationInput(EXPECTED_VERSION_DESCRIPTION) {
  @Field(() => ID, { description: 'The global id of the case.' })
  case: string;

  @Field(() => ID, { nullable: true, description: 'The global id of the agency to add (or give staff).' })
  agency?: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the staff member to add in person (or give agency).' })
  staff?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the participation ends; open-ended when not given. Must be in the future.' })
  expiresAt?: Date | null;
}

@InputType({ description: "The removal of a participant from a case's team: the grant is revoked (revokedAt set), never deleted." })
export class RemoveCaseParticipantInput extends VersionedMutationInput(EXPECTED_VERSION_DESCRIPTION) {
  @Field(() => ID, { description: 'The global id of the participant (CaseParticipant).' })
  participant: string;
}

@InputType({ description: "Break-the-glass access to a case of the caller's region for 24 hours, with a reason; name the case by id or number (exactly one)." })
export class RequestEmergencyAccessInput extends MutationInput {
  @Field(() => ID, { nullable: true, description: 'The global id of the case.' })
  case?: string | null;

  @Field(() => String, { nullable: true, description: 'The number of the case, e.g. 54-2024-000123.' })
  @IsOptional()
  @Length(1, 40, { message: 'must be 1 to 40 characters long' })
  number?: string | null;

  @Field({ description: 'Why access is needed now (20 to 1000 characters); shown to the coordinator of the region and kept in the audit log.' })
  @Length(20, 1000, { message: 'must be 20 to 1000 characters long' })
  @NotBlank()
  reason: string;
}
