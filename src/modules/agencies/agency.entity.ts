import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { AgencyKind } from '../../core/auth/roles';

/** A federal subject of Russia (region), keyed by its two-digit code. */
@Entity({ name: 'region' })
export class RegionEntity {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;
}

/** An organisation or one of its units (parent set), of a kind that decides what its staff may read. */
@Entity({ name: 'agency' })
@Index('agency_region_idx', ['regionCode'])
@Index('agency_parent_idx', ['parentId'])
@Index('agency_name_key', ['name', 'regionCode'], { unique: true })
export class AgencyEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'short_name', type: 'text', nullable: true })
  shortName: string | null;

  @Column({ type: 'enum', enum: AgencyKind, enumName: 'agency_kind' })
  kind: AgencyKind;

  @Column({ name: 'region_code', type: 'text' })
  regionCode: string;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code' })
  region?: RegionEntity;

  @Column({ name: 'parent_id', type: 'bigint', nullable: true })
  parentId: string | null;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: AgencyEntity;

  @Column({ type: 'text', nullable: true })
  settlement: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}

/** A person working for an agency; a person user's token subject is a staff member id. */
@Entity({ name: 'staff_member' })
@Index('staff_member_agency_idx', ['agencyId'])
@Check('staff_member_name_check', `length(full_name) BETWEEN 1 AND 200`)
export class StaffMemberEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'agency_id', type: 'bigint' })
  agencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: AgencyEntity;

  @Column({ name: 'full_name', type: 'text' })
  fullName: string;

  @Column({ type: 'text' })
  position: string;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles: string[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}
