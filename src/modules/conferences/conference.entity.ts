import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { AgencyEntity, RegionEntity, StaffMemberEntity } from '../agencies/agency.entity';
import { CaseEntity, PlanStepEntity } from '../cases/case.entity';
import { ConferenceFormat, ConferenceItemOutcome, ConferenceStatus, DecisionStatus } from './conference.enums';

/** An inter-agency meeting that decides the hardest cases collegially. */
@Entity({ name: 'case_conference' })
@Index('case_conference_region_idx', ['regionCode', 'scheduledAt'])
export class CaseConferenceEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'region_code', type: 'text' })
  regionCode: string;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code' })
  region?: RegionEntity;

  @Column({ name: 'chair_agency_id', type: 'bigint' })
  chairAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'chair_agency_id' })
  chairAgency?: AgencyEntity;

  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'scheduled_at', type: 'timestamptz' })
  scheduledAt: Date;

  @Column({ type: 'enum', enum: ConferenceFormat, enumName: 'conference_format' })
  format: ConferenceFormat;

  @Column({ type: 'enum', enum: ConferenceStatus, enumName: 'conference_status', default: ConferenceStatus.SCHEDULED })
  status: ConferenceStatus;

  @Column({ name: 'held_at', type: 'timestamptz', nullable: true })
  heldAt: Date | null;

  /** Minutes of the meeting (NOTES class). */
  @Column({ type: 'text', nullable: true })
  minutes: string | null;

  /** Until when participants keep their CONFERENCE grants to the agenda's cases. */
  @Column({ name: 'follow_up_until', type: 'date' })
  followUpUntil: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}

/** An agency taking part in a conference. */
@Entity({ name: 'conference_agency' })
@Index('conference_agency_agency_idx', ['agencyId'])
export class ConferenceAgencyEntity {
  @PrimaryColumn({ name: 'conference_id', type: 'bigint' })
  conferenceId: string;

  @PrimaryColumn({ name: 'agency_id', type: 'bigint' })
  agencyId: string;

  @ManyToOne(() => CaseConferenceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conference_id' })
  conference?: CaseConferenceEntity;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: AgencyEntity;
}

/** A staff member taking part in a conference. */
@Entity({ name: 'conference_staff' })
export class ConferenceStaffEntity {
  @PrimaryColumn({ name: 'conference_id', type: 'bigint' })
  conferenceId: string;

  @PrimaryColumn({ name: 'staff_id', type: 'bigint' })
  staffId: string;

  @ManyToOne(() => CaseConferenceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conference_id' })
  conference?: CaseConferenceEntity;

  @ManyToOne(() => StaffMemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffMemberEntity;
}

/** A case on a conference's agenda and the question to decide. */
@Entity({ name: 'conference_item' })
@Index('conference_item_case_key', ['conferenceId', 'caseId'], { unique: true })
@Index('conference_item_case_idx', ['caseId'])
export class ConferenceItemEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'conference_id', type: 'bigint' })
  conferenceId: string;

  @ManyToOne(() => CaseConferenceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conference_id' })
  conference?: CaseConferenceEntity;

  @Column({ name: 'case_id', type: 'bigint' })
  caseId: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'text' })
  question: string;

  @Column({ type: 'enum', enum: ConferenceItemOutcome, enumName: 'conference_item_outcome', nullable: true })
  outcome: ConferenceItemOutcome | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}

/** A decision of a conference on an agenda item, to be carried out by a responsible agency. */
@Entity({ name: 'decision' })
@Index('decision_item_idx', ['itemId'])
@Index('decision_conference_idx', ['conferenceId'])
@Index('decision_responsible_idx', ['responsibleAgencyId', 'status', 'dueOn'])
// Outcome metrics: the decisions done in a period.
@Index('decision_done_idx', ['doneOn'], { where: `status = 'DONE'` })
export class DecisionEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'item_id', type: 'bigint' })
  itemId: string;

  @ManyToOne(() => ConferenceItemEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'item_id' })
  item?: ConferenceItemEntity;

  @Column({ name: 'conference_id', type: 'bigint' })
  conferenceId: string;

  @ManyToOne(() => CaseConferenceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conference_id' })
  conference?: CaseConferenceEntity;

  @Column({ name: 'case_id', type: 'bigint' })
  caseId: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  @Column({ type: 'text' })
  text: string;

  @Column({ name: 'responsible_agency_id', type: 'bigint' })
  responsibleAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'responsible_agency_id' })
  responsibleAgency?: AgencyEntity;

  @Column({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Column({ type: 'enum', enum: DecisionStatus, enumName: 'decision_status', default: DecisionStatus.OPEN })
  status: DecisionStatus;

  @Column({ name: 'done_on', type: 'date', nullable: true })
  doneOn: string | null;

  /** The plan step that carries the decision out, when it became one (linked both ways). */
  @Column({ name: 'plan_step_id', type: 'bigint', nullable: true })
  planStepId: string | null;

  @ManyToOne(() => PlanStepEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'plan_step_id' })
  planStep?: PlanStepEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}
