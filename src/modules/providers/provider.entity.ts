import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { DeliveryMode, ServiceDomain } from './provider.enums';

/** A catalogue entry of the services families receive. */
@Entity({ name: 'service_type' })
@Index('service_type_code_key', ['code'], { unique: true })
export class ServiceTypeEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'enum', enum: ServiceDomain, enumName: 'service_domain' })
  domain: ServiceDomain;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @VersionColumn({ default: 1 })
  version: number;
}

/** A service type an agency (or unit) offers: modes, ages, regions and monthly capacity. */
@Entity({ name: 'service_offering' })
@Index('service_offering_provider_idx', ['providerId'])
@Index('service_offering_type_idx', ['serviceTypeId'])
export class ServiceOfferingEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'provider_id', type: 'bigint' })
  providerId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'provider_id' })
  provider?: AgencyEntity;

  @Column({ name: 'service_type_id', type: 'bigint' })
  serviceTypeId: string;

  @ManyToOne(() => ServiceTypeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'service_type_id' })
  serviceType?: ServiceTypeEntity;

  @Column({ name: 'delivery_modes', type: 'enum', enum: DeliveryMode, enumName: 'delivery_mode', array: true })
  deliveryModes: DeliveryMode[];

  @Column({ name: 'min_age_months', type: 'integer', default: 0 })
  minAgeMonths: number;

  @Column({ name: 'max_age_months', type: 'integer', default: 216 })
  maxAgeMonths: number;

  @Column({ name: 'region_codes', type: 'text', array: true })
  regionCodes: string[];

  @Column({ name: 'monthly_capacity', type: 'integer', nullable: true })
  monthlyCapacity: number | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}
