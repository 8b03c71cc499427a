import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { AgencyEntity, RegionEntity, StaffMemberEntity } from '../agencies/agency.entity';
import { FamilyEntity, PersonEntity } from '../families/family.entity';
import { ProgramEntity } from '../programs/program.entity';
import { ServiceTypeEntity, ServiceOfferingEntity } from '../providers/provider.entity';
import { ServiceDomain } from '../providers/provider.enums';
import { CaseClosureOutcome, CaseSource, CaseStatus, GrantKind, NeedStatus, PlanStepStatus, RiskLevel } from './case.enums';

/** The registry's unit of work for one family. */
@Entity({ name: 'case' })
@Index('case_number_key', ['number'], { unique: true })
@Index('case_family_idx', ['familyId'])
@Index('case_region_status_idx', ['regionCode', 'status', 'openedOn'])
@Index('case_manager_idx', ['caseManagerId'])
@Index('case_lead_agency_idx', ['leadAgencyId'])
@Index('case_opened_idx', ['openedOn', 'id'])
export class CaseEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** Human-readable number: region-year-sequence, e.g. 54-2024-000123. */
  @Column({ type: 'text' })
  number: string;

  @Column({ name: 'region_code', type: 'text' })
  regionCode: string;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code' })
  region?: RegionEntity;

  @Column({ name: 'family_id', type: 'bigint' })
  familyId: string;

  @ManyToOne(() => FamilyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'family_id' })
  family?: FamilyEntity;

  @Column({ type: 'enum', enum: CaseStatus, enumName: 'case_status', default: CaseStatus.REFERRED })
  status: CaseStatus;

  @Column({ name: 'risk_level', type: 'enum', enum: RiskLevel, enumName: 'risk_level' })
  riskLevel: RiskLevel;

  @Column({ type: 'enum', enum: CaseSource, enumName: 'case_source' })
  source: CaseSource;

  @Column({ name: 'lead_agency_id', type: 'bigint' })
  leadAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'lead_agency_id' })
  leadAgency?: AgencyEntity;

  @Column({ name: 'case_manager_id', type: 'bigint', nullable: true })
  caseManagerId: string | null;

  @ManyToOne(() => StaffMemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_manager_id' })
  caseManager?: StaffMemberEntity;

  @Column({ name: 'opened_on', type: 'date' })
  openedOn: string;

  @Column({ name: 'closed_on', type: 'date', nullable: true })
  closedOn: string | null;

  @Column({ name: 'closure_outcome', type: 'enum', enum: CaseClosureOutcome, enumName: 'case_closure_outcome', nullable: true })
  closureOutcome: CaseClosureOutcome | null;

  @Column({ name: 'closure_note', type: 'text', nullable: true })
  closureNote: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}

/** The last case number issued per region and year. */
@Entity({ name: 'case_number_counter' })
export class CaseNumberCounterEntity {
  @PrimaryColumn({ name: 'region_code', type: 'text' })
  regionCode: string;

  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ name: 'last_value', type: 'integer' })
  lastValue: number;
}

/** A child in focus of a case. */
@Entity({ name: 'case_child' })
@Index('case_child_person_idx', ['personId'])
export class CaseChildEntity {
  @PrimaryColumn({ name: 'case_id', type: 'bigint' })
  caseId: string;

  @PrimaryColumn({ name: 'person_id', type: 'bigint' })
  personId: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: PersonEntity;
}

/** A programme a case is enrolled in. */
@Entity({ name: 'case_program' })
@Index('case_program_program_idx', ['programId'])
export class CaseProgramEntity {
  @PrimaryColumn({ name: 'case_id', type: 'bigint' })
  caseId: string;

  @PrimaryColumn({ name: 'program_id', type: 'bigint' })
  programId: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  @ManyToOne(() => ProgramEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'program_id' })
  program?: ProgramEntity;
}

/** Why an agency (or one staff member) may see a case: team, referral, conference, emergency; optional expiry. */
@Entity({ name: 'case_access_grant' })
@Index('case_access_grant_case_idx', ['caseId'])
@Index('case_access_grant_agency_idx', ['agencyId', 'caseId'])
@Index('case_access_grant_staff_idx', ['staffId', 'caseId'])
@Check('case_access_grant_holder_check', `agency_id IS NOT NULL OR staff_id IS NOT NULL`)
export class CaseAccessGrantEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'case_id', type: 'bigint' })
  caseId: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  @Column({ name: 'agency_id', type: 'bigint', nullable: true })
  agencyId: string | null;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: AgencyEntity;

  @Column({ name: 'staff_id', type: 'bigint', nullable: true })
  staffId: string | null;

  @ManyToOne(() => StaffMemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffMemberEntity;

  @Column({ type: 'enum', enum: GrantKind, enumName: 'grant_kind' })
  kind: GrantKind;

  /** What created the grant: MANUAL, REFERRAL, CONFERENCE, EMERGENCY, OPEN_CASE. */
  @Column({ type: 'text' })
  source: string;

  /** The id of the referral or conference that created the grant. */
  @Column({ name: 'source_id', type: 'bigint', nullable: true })
  sourceId: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'granted_by_subject', type: 'text' })
  grantedBySubject: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A status change of a case (history). */
@Entity({ name: 'case_status_change' })
@Index('case_status_change_case_idx', ['caseId', 'changedAt'])
export class CaseStatusChangeEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'case_id', type: 'bigint' })
  caseId: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  @Column({ name: 'from_status', type: 'enum', enum: CaseStatus, enumName: 'case_status', nullable: true })
  fromStatus: CaseStatus | null;

  @Column({ name: 'to_status', type: 'enum', enum: CaseStatus, enumName: 'case_status' })
  toStatus: CaseStatus;

  @Column({ name: 'changed_by_subject', type: 'text' })
  changedBySubject: string;

  /** The staff member behind the token that made the change, as verified then; null for a partner system. */
  @Column({ name: 'changed_by_staff_id', type: 'bigint', nullable: true })
  changedByStaffId: string | null;

  @ManyToOne(() => StaffMemberEntity)
  @JoinColumn({ name: 'changed_by_staff_id', foreignKeyConstraintName: 'case_status_change_changed_by_staff_id_fkey' })
  changedByStaff?: StaffMemberEntity;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @CreateDateColumn({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;
}

/** What the family needs, by domain. */
@Entity({ name: 'need' })
@Index('need_case_idx', ['caseId'])
export class NeedEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'case_id', type: 'bigint' })
  caseId: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  @Column({ type: 'enum', enum: ServiceDomain, enumName: 'service_domain' })
  domain: ServiceDomain;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'enum', enum: NeedStatus, enumName: 'need_status', default: NeedStatus.IDENTIFIED })
  status: NeedStatus;

  @Column({ name: 'identified_by_agency_id', type: 'bigint' })
  identifiedByAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'identified_by_agency_id' })
  identifiedByAgency?: AgencyEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}

/** One step of the route of help. */
@Entity({ name: 'plan_step' })
@Index('plan_step_case_idx', ['caseId', 'position'])
@Index('plan_step_responsible_idx', ['responsibleAgencyId', 'status'])
@Index('plan_step_due_idx', ['dueOn'])
// Outcome metrics: the steps done in a period (in the country; in a region).
@Index('plan_step_done_idx', ['completedOn'], { where: `status = 'DONE'` })
@Index('plan_step_region_done_idx', ['regionCode', 'completedOn'], { where: `status = 'DONE'` })
export class PlanStepEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'case_id', type: 'bigint' })
  caseId: string;

  /** A copy of the case's region for outcome metrics, set by the database (migration CaseRegionCopies); never written by the app. */
  @Column({ name: 'region_code', type: 'text', insert: false, update: false })
  regionCode: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  @Column({ type: 'integer' })
  position: number;

  @Column({ name: 'need_id', type: 'bigint', nullable: true })
  needId: string | null;

  @ManyToOne(() => NeedEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'need_id' })
  need?: NeedEntity;

  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'service_type_id', type: 'bigint', nullable: true })
  serviceTypeId: string | null;

  @ManyToOne(() => ServiceTypeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'service_type_id' })
  serviceType?: ServiceTypeEntity;

  @Column({ name: 'responsible_agency_id', type: 'bigint' })
  responsibleAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'responsible_agency_id' })
  responsibleAgency?: AgencyEntity;

  @Column({ name: 'offering_id', type: 'bigint', nullable: true })
  offeringId: string | null;

  @ManyToOne(() => ServiceOfferingEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'offering_id' })
  offering?: ServiceOfferingEntity;

  @Column({ name: 'due_on', type: 'date', nullable: true })
  dueOn: string | null;

  @Column({ type: 'enum', enum: PlanStepStatus, enumName: 'plan_step_status', default: PlanStepStatus.PLANNED })
  status: PlanStepStatus;

  @Column({ name: 'completed_on', type: 'date', nullable: true })
  completedOn: string | null;

  /** The conference decision this step carries out, when it came from one. */
  @Column({ name: 'decision_id', type: 'bigint', nullable: true })
  decisionId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}
