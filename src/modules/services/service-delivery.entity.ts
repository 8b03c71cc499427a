import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { AgencyEntity, RegionEntity, StaffMemberEntity } from '../agencies/agency.entity';
import { CaseEntity, PlanStepEntity } from '../cases/case.entity';
import { PersonEntity } from '../families/family.entity';
import { FamilyRelation } from '../families/family.enums';
import { ServiceTypeEntity } from '../providers/provider.entity';
import { DeliveryMode } from '../providers/provider.enums';
import { ReferralEntity } from '../referrals/referral.entity';

/** A trip of a (social or inter-agency) mobile brigade; services given on it point to it. */
@Entity({ name: 'brigade_trip' })
@Index('brigade_trip_agency_idx', ['agencyId', 'tripDate'])
export class BrigadeTripEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'agency_id', type: 'bigint' })
  agencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: AgencyEntity;

  @Column({ name: 'region_code', type: 'text' })
  regionCode: string;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code' })
  region?: RegionEntity;

  @Column({ name: 'trip_date', type: 'date' })
  tripDate: string;

  @Column({ type: 'text' })
  destination: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** One service given to a person of a case; owned by the agency that recorded it. */
@Entity({ name: 'service_delivery' })
@Index('service_delivery_case_idx', ['caseId', 'deliveredOn', 'id'])
@Index('service_delivery_date_idx', ['deliveredOn'])
@Index('service_delivery_recipient_idx', ['recipientId'])
@Index('service_delivery_trip_idx', ['brigadeTripId'])
// The first service after a referral (outcome metrics: days from referral to first service) is found by referral.
@Index('service_delivery_referral_idx', ['referralId', 'deliveredOn'], { where: 'referral_id IS NOT NULL' })
// Outcome metrics of a region: its deliveries of a period, one range of this index, read from it alone (index-only scan).
@Index('service_delivery_region_idx', ['regionCode', 'deliveredOn', 'serviceTypeId', 'familyId', 'recipientId', 'recipientRelation', 'brigadeTripId', 'deliveryMode', 'providerId'])
@Check('service_delivery_duration_check', `duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 1440`)
export class ServiceDeliveryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'case_id', type: 'bigint' })
  caseId: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  @Column({ name: 'recipient_id', type: 'bigint' })
  recipientId: string;

  /**
   * Copies for outcome metrics, set by the database (migration ServiceDeliveryFacts): the case's region and family and
   * the recipient's relation to the family, kept exact by triggers whatever writes the rows. Never written by the app.
   */
  @Column({ name: 'region_code', type: 'text', insert: false, update: false })
  regionCode: string;

  @Column({ name: 'family_id', type: 'bigint', insert: false, update: false })
  familyId: string;

  @Column({ name: 'recipient_relation', type: 'enum', enum: FamilyRelation, enumName: 'family_relation', insert: false, update: false })
  recipientRelation: FamilyRelation;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recipient_id' })
  recipient?: PersonEntity;

  @Column({ name: 'service_type_id', type: 'bigint' })
  serviceTypeId: string;

  @ManyToOne(() => ServiceTypeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'service_type_id' })
  serviceType?: ServiceTypeEntity;

  /** The agency (or unit) that gave the service. */
  @Column({ name: 'provider_id', type: 'bigint' })
  providerId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'provider_id' })
  provider?: AgencyEntity;

  @Column({ name: 'specialist_id', type: 'bigint', nullable: true })
  specialistId: string | null;

  @ManyToOne(() => StaffMemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'specialist_id' })
  specialist?: StaffMemberEntity;

  @Column({ name: 'delivered_on', type: 'date' })
  deliveredOn: string;

  @Column({ name: 'duration_minutes', type: 'integer', nullable: true })
  durationMinutes: number | null;

  @Column({ name: 'delivery_mode', type: 'enum', enum: DeliveryMode, enumName: 'delivery_mode' })
  deliveryMode: DeliveryMode;

  /** Confidential notes (NOTES class). */
  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ name: 'plan_step_id', type: 'bigint', nullable: true })
  planStepId: string | null;

  @ManyToOne(() => PlanStepEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'plan_step_id' })
  planStep?: PlanStepEntity;

  @Column({ name: 'referral_id', type: 'bigint', nullable: true })
  referralId: string | null;

  @ManyToOne(() => ReferralEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'referral_id' })
  referral?: ReferralEntity;

  @Column({ name: 'brigade_trip_id', type: 'bigint', nullable: true })
  brigadeTripId: string | null;

  @ManyToOne(() => BrigadeTripEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'brigade_trip_id' })
  brigadeTrip?: BrigadeTripEntity;

  @Column({ name: 'recorded_by_agency_id', type: 'bigint' })
  recordedByAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by_agency_id' })
  recordedByAgency?: AgencyEntity;

  @Column({ name: 'recorded_by_subject', type: 'text' })
  recordedBySubject: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}
