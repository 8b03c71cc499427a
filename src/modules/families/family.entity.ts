import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { AgencyEntity, RegionEntity } from '../agencies/agency.entity';
import { DisabilityStatus, FamilyRelation, FamilySituation, Placement, PlacementEventKind, Sex } from './family.enums';

/** A household in a region and settlement. */
@Entity({ name: 'family' })
@Index('family_region_idx', ['regionCode'])
export class FamilyEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'region_code', type: 'text' })
  regionCode: string;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code' })
  region?: RegionEntity;

  @Column({ type: 'text' })
  settlement: string;

  /** Hard to reach (services go remote or by mobile brigade). */
  @Column({ type: 'boolean', default: false })
  remote: boolean;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'enum', enum: FamilySituation, enumName: 'family_situation', array: true, default: [] })
  situations: FamilySituation[];

  @Column({ name: 'registered_by_agency_id', type: 'bigint' })
  registeredByAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'registered_by_agency_id' })
  registeredByAgency?: AgencyEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}

/** A member of a family. */
@Entity({ name: 'person' })
@Index('person_family_idx', ['familyId'])
@Index('person_placement_idx', ['placement', 'birthDate'])
@Check('person_names_check', `length(last_name) BETWEEN 1 AND 100 AND length(first_name) BETWEEN 1 AND 100`)
export class PersonEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'family_id', type: 'bigint' })
  familyId: string;

  @ManyToOne(() => FamilyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'family_id' })
  family?: FamilyEntity;

  @Column({ name: 'last_name', type: 'text' })
  lastName: string;

  @Column({ name: 'first_name', type: 'text' })
  firstName: string;

  @Column({ name: 'middle_name', type: 'text', nullable: true })
  middleName: string | null;

  @Column({ name: 'birth_date', type: 'date' })
  birthDate: string;

  @Column({ type: 'enum', enum: Sex, enumName: 'sex' })
  sex: Sex;

  @Column({ type: 'enum', enum: FamilyRelation, enumName: 'family_relation' })
  relation: FamilyRelation;

  @Column({ name: 'document_number', type: 'text', nullable: true })
  documentNumber: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ name: 'disability_status', type: 'enum', enum: DisabilityStatus, enumName: 'disability_status', default: DisabilityStatus.NONE })
  disabilityStatus: DisabilityStatus;

  @Column({ type: 'text', nullable: true })
  diagnosis: string | null;

  @Column({ name: 'education_placement', type: 'text', nullable: true })
  educationPlacement: string | null;

  @Column({ name: 'pmpk_conclusion', type: 'text', nullable: true })
  pmpkConclusion: string | null;

  @Column({ type: 'enum', enum: Placement, enumName: 'placement', default: Placement.WITH_BIRTH_FAMILY })
  placement: Placement;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}

/** A dated change of a child's placement; outcome metrics are computed from these. */
@Entity({ name: 'placement_event' })
@Index('placement_event_person_idx', ['personId', 'occurredOn'])
@Index('placement_event_kind_idx', ['kind', 'occurredOn'])
export class PlacementEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'person_id', type: 'bigint' })
  personId: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: PersonEntity;

  @Column({ type: 'enum', enum: PlacementEventKind, enumName: 'placement_event_kind' })
  kind: PlacementEventKind;

  @Column({ name: 'occurred_on', type: 'date' })
  occurredOn: string;

  /** The placement before the event (for "in institutions at a date"). */
  @Column({ name: 'placement_before', type: 'enum', enum: Placement, enumName: 'placement' })
  placementBefore: Placement;

  @Column({ name: 'placement_after', type: 'enum', enum: Placement, enumName: 'placement' })
  placementAfter: Placement;

  /** The institution or authority involved, when known. */
  @Column({ name: 'agency_id', type: 'bigint', nullable: true })
  agencyId: string | null;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: AgencyEntity;

  @Column({ name: 'recorded_by_agency_id', type: 'bigint' })
  recordedByAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by_agency_id' })
  recordedByAgency?: AgencyEntity;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A partner system's own key for a family or a person (system + value). */
@Entity({ name: 'external_id' })
@Index('external_id_key', ['system', 'value', 'subjectType'], { unique: true })
@Index('external_id_family_idx', ['familyId'])
@Index('external_id_person_idx', ['personId'])
@Check('external_id_subject_check', `(family_id IS NULL) <> (person_id IS NULL) AND subject_type IN ('FAMILY', 'PERSON')`)
export class ExternalIdEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'subject_type', type: 'text' })
  subjectType: 'FAMILY' | 'PERSON';

  @Column({ name: 'family_id', type: 'bigint', nullable: true })
  familyId: string | null;

  @ManyToOne(() => FamilyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'family_id' })
  family?: FamilyEntity;

  @Column({ name: 'person_id', type: 'bigint', nullable: true })
  personId: string | null;

  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: PersonEntity;

  @Column({ type: 'text' })
  system: string;

  @Column({ type: 'text' })
  value: string;
}
