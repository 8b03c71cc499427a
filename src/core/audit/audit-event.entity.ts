import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One audited read or write: who, as what, which record and fields, in which request, and why. */
@Entity({ name: 'audit_event' })
@Index('audit_event_occurred_at_idx', ['occurredAt'])
@Index('audit_event_case_idx', ['caseId', 'occurredAt'])
@Index('audit_event_actor_idx', ['actorSubject', 'occurredAt'])
@Index('audit_event_feed_idx', ['xactId', 'id'], { where: `action = 'WRITE'` })
export class AuditEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column({ name: 'request_id', type: 'text' })
  requestId: string;

  @Column({ name: 'actor_subject', type: 'text' })
  actorSubject: string;

  @Column({ name: 'actor_staff_id', type: 'bigint', nullable: true })
  actorStaffId: string | null;

  @Column({ name: 'agency_id', type: 'bigint' })
  agencyId: string;

  @Column({ type: 'text', array: true })
  roles: string[];

  /** READ or WRITE. */
  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'record_type', type: 'text' })
  recordType: string;

  @Column({ name: 'record_id', type: 'bigint' })
  recordId: string;

  @Column({ name: 'case_id', type: 'bigint', nullable: true })
  caseId: string | null;

  @Column({ name: 'family_id', type: 'bigint', nullable: true })
  familyId: string | null;

  @Column({ type: 'text', array: true })
  fields: string[];

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /**
   * The transaction that wrote the row (`pg_current_xact_id()` as a bigint; 0 for rows older than the column): the
   * change feed's order (src/modules/changes/change.feed.ts). Always the database's default, never written by the code.
   * The default is `((pg_current_xact_id())::text)::bigint` (see the migration); TypeORM strips `::` casts from the
   * defaults it reads back, so the entity names it as TypeORM sees it, for the schema comparison.
   */
  @Column({ name: 'xact_id', type: 'bigint', nullable: true, default: () => '((pg_current_xact_id()))', insert: false, update: false, select: false })
  xactId: string | null;
}
