import type { EntityManager, DataSource } from 'typeorm';
import type { Viewer } from '../auth/viewer';
import type { RecordScope } from '../auth/access';
import { query } from '../db';
import { sql } from '../sql';

interface Entry {
  action: 'READ' | 'WRITE';
  recordType: string;
  recordId: string;
  caseId: string | null;
  familyId: string | null;
  fields: Set<string>;
  reason: string | null;
}

/**
 * Collects a request's audited reads and writes and writes them with one INSERT:
 * reads when the response is about to be sent (the response waits for it), writes inside the mutation's transaction.
 */
export class AuditBuffer {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly requestId: string,
    private readonly viewer: () => Viewer | null,
    private readonly enabled: boolean,
  ) {}

  /** The read entries of each scope object, so that the many fields of one record find theirs without a key. */
  private readsByScope = new WeakMap<RecordScope, Map<string, Entry>>();

  /** Notes a read of one field of a record. */
  read(scope: RecordScope, recordType: string, field: string): void {
    if (!this.enabled) return;
    let reads = this.readsByScope.get(scope);
    if (!reads) this.readsByScope.set(scope, (reads = new Map()));
    const entry = reads.get(recordType);
    if (entry) entry.fields.add(field);
    else reads.set(recordType, this.add('READ', recordType, scope, [field], null));
  }

  /** Notes a write of fields of a record. */
  write(recordType: string, scope: RecordScope, fields: string[], reason: string | null = null): void {
    if (this.enabled) this.add('WRITE', recordType, scope, fields, reason);
  }

  /**
   * The entry of one record: the record itself when its scope names it (a person read on a family, a referral on a
   * case), else the case, family or conference of the scope (writes note the record they were made on).
   */
  private add(action: Entry['action'], recordType: string, scope: RecordScope, fields: string[], reason: string | null): Entry {
    const recordId = scope.recordId ?? scope.id;
    const key = `${action}:${recordType}:${recordId}:${reason ?? ''}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        action,
        recordType,
        recordId,
        caseId: scope.kind === 'case' ? scope.id : null,
        familyId: scope.kind === 'family' ? scope.id : null,
        fields: new Set(),
        reason,
      };
      this.entries.set(key, entry);
    }
    for (const field of fields) entry.fields.add(field);
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Writes what was collected in one statement (on the given transaction for writes) and empties the buffer. */
  async flush(db: DataSource | EntityManager, only?: Entry['action']): Promise<number> {
    const viewer = this.viewer();
    if (!viewer) return 0;
    const entries = [...this.entries.entries()].filter(([, e]) => !only || e.action === only);
    if (entries.length === 0) return 0;
    for (const [key] of entries) this.entries.delete(key);
    if (only !== 'WRITE') this.readsByScope = new WeakMap();
    const list = entries.map(([, e]) => e);
    await query(
      db,
      sql`INSERT INTO audit_event (request_id, actor_subject, actor_staff_id, agency_id, roles, action, record_type, record_id, case_id, family_id, fields, reason)
          SELECT ${this.requestId}, ${viewer.subject}, ${viewer.staffId}::bigint, ${viewer.agencyId}::bigint, ${viewer.roles}::text[],
                 e.action, e.record_type, e.record_id::bigint, e.case_id::bigint, e.family_id::bigint,
                 string_to_array(e.fields, ','), e.reason
            FROM unnest(${list.map((e) => e.action)}::text[], ${list.map((e) => e.recordType)}::text[], ${list.map((e) => e.recordId)}::text[],
                        ${list.map((e) => e.caseId)}::text[], ${list.map((e) => e.familyId)}::text[],
                        ${list.map((e) => [...e.fields].sort().join(','))}::text[], ${list.map((e) => e.reason)}::text[])
                 AS e(action, record_type, record_id, case_id, family_id, fields, reason)`,
    );
    return list.length;
  }
}
