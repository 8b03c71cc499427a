import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The first result of a mutation sent with an idempotency key, returned again on a retry. */
@Entity({ name: 'idempotency_key' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'subject', type: 'text' })
  subject: string;

  @PrimaryColumn({ name: 'key', type: 'text' })
  key: string;

  @Column({ type: 'text' })
  operation: string;

  /** A hash of the input, so that a key reused with another input is refused. */
  @Column({ name: 'input_hash', type: 'text' })
  inputHash: string;

  /** The entity the first call returned: its type and local id. */
  @Column({ name: 'result_type', type: 'text' })
  resultType: string;

  @Column({ name: 'result_id', type: 'bigint' })
  resultId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
