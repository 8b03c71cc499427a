import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { AgencyEntity, StaffMemberEntity } from '../agencies/agency.entity';
import { CaseEntity, PlanStepEntity } from '../cases/case.entity';
import { ServiceOfferingEntity, ServiceTypeEntity } from '../providers/provider.entity';
import { DeclineReason, ReferralOutcome, ReferralStatus } from './referral.enums';

/** A closed-loop referral of a case from one agency to another (or to a provider's offering). */
@Entity({ name: 'referral' })
@Index('referral_case_idx', ['caseId', 'sentAt'])
@Index('referral_to_agency_idx', ['toAgencyId', 'status'])
@Index('referral_open_deadline_idx', ['respondBy'], { where: `status = 'SENT'` })
// Outcome metrics: the referrals sent in a period (in the country; in a region).
@Index('referral_sent_idx', ['sentAt'])
@Index('referral_region_sent_idx', ['regionCode', 'sentAt'])
export class ReferralEntity {
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

  @Column({ name: 'from_agency_id', type: 'bigint' })
  fromAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'from_agency_id' })
  fromAgency?: AgencyEntity;

  @Column({ name: 'to_agency_id', type: 'bigint' })
  toAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'to_agency_id' })
  toAgency?: AgencyEntity;

  @Column({ name: 'offering_id', type: 'bigint', nullable: true })
  offeringId: string | null;

  @ManyToOne(() => ServiceOfferingEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'offering_id' })
  offering?: ServiceOfferingEntity;

  @Column({ name: 'service_type_id', type: 'bigint', nullable: true })
  serviceTypeId: string | null;

  @ManyToOne(() => ServiceTypeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'service_type_id' })
  serviceType?: ServiceTypeEntity;

  @Column({ name: 'plan_step_id', type: 'bigint', nullable: true })
  planStepId: string | null;

  @ManyToOne(() => PlanStepEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'plan_step_id' })
  planStep?: PlanStepEntity;

  @Column({ type: 'enum', enum: ReferralStatus, enumName: 'referral_status', default: ReferralStatus.SENT })
  status: ReferralStatus;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Notes of the sender (NOTES class). */
  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ name: 'sent_by_staff_id', type: 'bigint', nullable: true })
  sentByStaffId: string | null;

  @ManyToOne(() => StaffMemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sent_by_staff_id' })
  sentByStaff?: StaffMemberEntity;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt: Date;

  @Column({ name: 'respond_by', type: 'timestamptz' })
  respondBy: Date;

  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt: Date | null;

  @Column({ name: 'decline_reason', type: 'enum', enum: DeclineReason, enumName: 'decline_reason', nullable: true })
  declineReason: DeclineReason | null;

  @Column({ name: 'response_note', type: 'text', nullable: true })
  responseNote: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'enum', enum: ReferralOutcome, enumName: 'referral_outcome', nullable: true })
  outcome: ReferralOutcome | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}
