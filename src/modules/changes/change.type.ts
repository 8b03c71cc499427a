import { Field, ObjectType } from 'type-graphql';
import { Guard } from '../../core/auth/guard';
import type { Guarded, RecordScope } from '../../core/auth/access';
import { FieldClass } from '../../core/auth/roles';
import { Node } from '../../core/graphql/node';
import { toGlobalId } from '../../core/graphql/global-id';
import { ConnectionType } from '../../core/graphql/connection';

export interface ChangeRow {
  id: string;
  occurred_at: Date;
  record_type: string;
  case_id: string | null;
  family_id: string | null;
  fields: string[];
  agency_id: string;
}

/**
 * One write to a case or a family, as partner systems follow them. The feed is the audit log's writes,
 * so a change is never published unless it was committed (the audit row is written in the same transaction).
 */
@ObjectType({ implements: Node, description: 'A committed write to a case or a family, in the change feed for partner systems.' })
export class Change extends Node implements Guarded {
  localId: string;
  caseId: string | null;
  familyId: string | null;
  changedByAgencyId: string;
  scope: RecordScope;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the change was committed (CASE_META).' })
  occurredAt: Date | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The type of the record that changed, e.g. "Case", "Referral", "ServiceDelivery" (CASE_META).' })
  recordType: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => [String], { nullable: true, description: 'The names of the fields that were written (CASE_META; never their values).' })
  fields: string[] | null;

  static from(row: ChangeRow): Change {
    const id = String(row.id);
    const scope: RecordScope = row.case_id ? { kind: 'case', id: String(row.case_id) } : { kind: 'family', id: String(row.family_id) };
    return Object.assign(new Change(), {
      id: toGlobalId('Change', id),
      localId: id,
      caseId: row.case_id === null ? null : String(row.case_id),
      familyId: row.family_id === null ? null : String(row.family_id),
      changedByAgencyId: String(row.agency_id),
      scope,
      occurredAt: row.occurred_at,
      recordType: row.record_type,
      fields: row.fields,
    });
  }
}

export const ChangeConnection = ConnectionType(Change, 'Change', 'changes');
