import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../../core/auth/roles';
import { ConnectionType } from '../../core/graphql/connection';
import { toGlobalId } from '../../core/graphql/global-id';
import { Node } from '../../core/graphql/node';

/** What an audited request did with a record. */
export enum AuditAction {
  READ = 'READ',
  WRITE = 'WRITE',
}

registerEnumType(AuditAction, {
  name: 'AuditAction',
  description: 'What an audited request did with a record.',
  valuesConfig: { READ: { description: 'Read sensitive fields of the record.' }, WRITE: { description: 'Changed the record.' } },
});

export interface AuditEventRow {
  id: string;
  occurred_at: Date;
  request_id: string;
  actor_subject: string;
  actor_staff_id: string | null;
  agency_id: string;
  roles: Role[] | string;
  action: AuditAction;
  record_type: string;
  record_id: string;
  case_id: string | null;
  family_id: string | null;
  fields: string[] | string;
  reason: string | null;
}

const textArray = (value: string[] | string): string[] => (Array.isArray(value) ? value : value.replace(/^\{|\}$/g, '').split(',').filter(Boolean));

/**
 * One audited read or write. Audit events are not case data: their visibility is decided by actions
 * (`audit.read` for the whole log, `audit.readCases` for the cases one holds authority over), row by row in SQL.
 */
@ObjectType({ implements: Node, description: 'One audited read or write: who (staff, agency, roles), which record and fields, when, in which request, and why.' })
export class AuditEvent extends Node {
  actorStaffId: string | null;
  agencyId: string;

  @Field({ description: 'When it happened.' })
  occurredAt: Date;

  @Field({ description: 'The id of the HTTP request it happened in (the x-request-id of the response and of the logs).' })
  requestId: string;

  @Field(() => AuditAction, { description: 'Whether the record was read or changed.' })
  action: AuditAction;

  @Field({ description: 'The token subject of the actor: a staff member id or a partner system client id.' })
  actorSubject: string;

  @Field(() => [Role], { description: 'The roles the actor held.' })
  roles: Role[];

  @Field({ description: 'The GraphQL type of the record read or changed, e.g. "Person" or "Case"; its case or family is given alongside.' })
  recordType: string;

  @Field(() => ID, { description: 'The global id of the record read or changed (a `recordType`): the person, the plan step, the service record, the case itself.' })
  recordId: string;

  @Field(() => [String], { description: 'The fields read or changed.' })
  fields: string[];

  @Field(() => String, { nullable: true, description: 'The reason given, e.g. for emergency access.' })
  reason: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the case the record belongs to, when it is case data.' })
  caseId: string | null;

  @Field(() => ID, { nullable: true, description: 'The global id of the family the record belongs to, when it is family data.' })
  familyId: string | null;

  static from(row: AuditEventRow): AuditEvent {
    return Object.assign(new AuditEvent(), {
      id: toGlobalId('AuditEvent', String(row.id)),
      actorStaffId: row.actor_staff_id === null ? null : String(row.actor_staff_id),
      agencyId: String(row.agency_id),
      occurredAt: row.occurred_at,
      requestId: row.request_id,
      action: row.action,
      actorSubject: row.actor_subject,
      roles: textArray(row.roles) as Role[],
      recordType: row.record_type,
      recordId: toGlobalId(row.record_type, String(row.record_id)),
      fields: textArray(row.fields),
      reason: row.reason,
      caseId: row.case_id === null ? null : toGlobalId('Case', String(row.case_id)),
      familyId: row.family_id === null ? null : toGlobalId('Family', String(row.family_id)),
    });
  }
}

export const AuditEventConnection = ConnectionType(AuditEvent, 'AuditEvent', 'audit events');
