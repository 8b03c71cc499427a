import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';

/** A project or pilot with a funder, regions, a period and a budget; cases are enrolled in programmes. */
@Entity({ name: 'program' })
@Index('program_code_key', ['code'], { unique: true })
export class ProgramEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  funder: string;

  @Column({ name: 'region_codes', type: 'text', array: true })
  regionCodes: string[];

  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({ name: 'ends_on', type: 'date', nullable: true })
  endsOn: string | null;

  @Column({ name: 'budget_rub', type: 'numeric', precision: 14, scale: 2, nullable: true })
  budgetRub: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}
