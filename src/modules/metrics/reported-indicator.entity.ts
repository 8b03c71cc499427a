import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { RegionEntity } from '../agencies/agency.entity';
import { ProgramEntity } from '../programs/program.entity';

/** A figure a programme reports that records cannot yield (funds spent, specialists trained). */
@Entity({ name: 'reported_indicator' })
@Index('reported_indicator_key', ['programId', 'regionCode', 'indicator', 'periodStart', 'periodEnd'], { unique: true })
export class ReportedIndicatorEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'program_id', type: 'bigint' })
  programId: string;

  @ManyToOne(() => ProgramEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'program_id' })
  program?: ProgramEntity;

  @Column({ name: 'region_code', type: 'text' })
  regionCode: string;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code' })
  region?: RegionEntity;

  /** FUNDS_SPENT_RUB, SPECIALISTS_TRAINED, ... */
  @Column({ type: 'text' })
  indicator: string;

  @Column({ name: 'period_start', type: 'date' })
  periodStart: string;

  @Column({ name: 'period_end', type: 'date' })
  periodEnd: string;

  @Column({ type: 'numeric', precision: 16, scale: 2 })
  value: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'reported_by_subject', type: 'text' })
  reportedBySubject: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
