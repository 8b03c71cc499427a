import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Guard } from '../../core/auth/guard';
import type { Guarded, RecordScope } from '../../core/auth/access';
import { FieldClass } from '../../core/auth/roles';
import { Node } from '../../core/graphql/node';
import { toGlobalId } from '../../core/graphql/global-id';
import { ConnectionType } from '../../core/graphql/connection';
import { CaseClosureOutcome, CaseSource, CaseStatus, GrantKind, RiskLevel } from './case.enums';

export interface CaseRow {
  id: string;
  number: string;
  region_code: string;
  family_id: string;
  status: CaseStatus;
  risk_level: RiskLevel;
  source: CaseSource;
  lead_agency_id: string;
  case_manager_id: string | null;
  opened_on: string;
  closed_on: string | null;
  closure_outcome: CaseClosureOutcome | null;
  closure_note: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/**
 * A case as the API shows it. Only cases the caller may see are ever built (finders scope rows in SQL);
 * every field still declares its class so that the policy table, not the resolver, decides.
 */
@ObjectType({ implements: Node, description: "The registry's unit of work for one family: status, team, route of help, referrals, services." })
export class Case extends Node implements Guarded {
  localId: string;
  familyId: string;
  regionCode: string;
  leadAgencyId: string;
  caseManagerId: string | null;
  scope: RecordScope;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The human-readable number of the case: region-year-sequence, e.g. 54-2024-000123 (CASE_META, stable key).' })
  number: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => CaseStatus, { nullable: true, description: 'The lifecycle status of the case (CASE_META).' })
  status: CaseStatus | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => RiskLevel, { nullable: true, description: 'The risk level of the case (CASE_META).' })
  riskLevel: RiskLevel | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => CaseSource, { nullable: true, description: 'Where the case came from (CASE_META).' })
  source: CaseSource | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The date the case was opened, YYYY-MM-DD (CASE_META).' })
  openedOn: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The date the case was closed, YYYY-MM-DD (CASE_META).' })
  closedOn: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => CaseClosureOutcome, { nullable: true, description: 'The outcome the case was closed with (CASE_META).' })
  closureOutcome: CaseClosureOutcome | null;

  @Guard(FieldClass.NOTES)
  @Field(() => String, { nullable: true, description: 'The closing note of the case manager (NOTES).' })
  closureNote: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Int, { nullable: true, description: 'The version of the case; send it as `expectedVersion` with a write (CASE_META).' })
  version: number | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the case was last changed (CASE_META).' })
  updatedAt: Date | null;

  static from(row: CaseRow): Case {
    const id = String(row.id);
    return Object.assign(new Case(), {
      id: toGlobalId('Case', id),
      localId: id,
      familyId: String(row.family_id),
      regionCode: row.region_code,
      leadAgencyId: String(row.lead_agency_id),
      caseManagerId: row.case_manager_id === null ? null : String(row.case_manager_id),
      // The case manager is the author of the closing note.
      scope: { kind: 'case', id } satisfies RecordScope,
      number: row.number,
      status: row.status,
      riskLevel: row.risk_level,
      source: row.source,
      openedOn: row.opened_on,
      closedOn: row.closed_on,
      closureOutcome: row.closure_outcome,
      closureNote: row.closure_note,
      version: row.version,
      updatedAt: row.updated_at,
    });
  }
}

export const CaseConnection = ConnectionType(Case, 'Case', 'cases');

export interface GrantRow {
  id: string;
  case_id: string;
  agency_id: string | null;
  staff_id: string | null;
  kind: GrantKind;
  source: string;
  source_id: string | null;
  reason: string | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

@ObjectType({ implements: Node, description: "A member of a case's team: an agency (or one staff member) and why it may see the case (a CaseAccessGrant)." })
export class CaseParticipant extends Node implements Guarded {
  localId: string;
  caseId: string;
  agencyId: string | null;
  staffId: string | null;
  scope: RecordScope;

  @Guard(FieldClass.CASE_META)
  @Field(() => GrantKind, { nullable: true, description: 'Why the participant may see the case (CASE_META).' })
  kind: GrantKind | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'What created the grant: OPEN_CASE, MANUAL, REFERRAL, CONFERENCE or EMERGENCY (CASE_META).' })
  source: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => ID, { nullable: true, description: 'The global id of the referral or conference that created the grant (CASE_META).' })
  sourceId: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The reason given for emergency access (CASE_META).' })
  reason: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the access ends, if it does (CASE_META).' })
  expiresAt: Date | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the access was revoked (CASE_META).' })
  revokedAt: Date | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Boolean, { nullable: true, description: 'Whether the access is in force now (not revoked, not expired) (CASE_META).' })
  active: boolean | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the access was granted (CASE_META).' })
  grantedAt: Date | null;

  static from(row: GrantRow): CaseParticipant {
    const id = String(row.id);
    const sourceType = row.source === 'REFERRAL' ? 'Referral' : row.source === 'CONFERENCE' ? 'CaseConference' : null;
    return Object.assign(new CaseParticipant(), {
      id: toGlobalId('CaseParticipant', id),
      localId: id,
      caseId: String(row.case_id),
      agencyId: row.agency_id === null ? null : String(row.agency_id),
      staffId: row.staff_id === null ? null : String(row.staff_id),
      scope: { kind: 'case', id: String(row.case_id), recordId: id } satisfies RecordScope,
      kind: row.kind,
      source: row.source,
      sourceId: sourceType && row.source_id ? toGlobalId(sourceType, String(row.source_id)) : null,
      reason: row.reason,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      active: !row.revoked_at && (!row.expires_at || row.expires_at.getTime() > Date.now()),
      grantedAt: row.created_at,
    });
  }
}

export interface StatusChangeRow {
  id: string;
  case_id: string;
  from_status: CaseStatus | null;
  to_status: CaseStatus;
  changed_by_subject: string;
  changed_by_staff_id: string | null;
  comment: string | null;
  changed_at: Date;
}

@ObjectType({ description: 'One move of a case through its lifecycle: from which status to which, by whom, when and why.' })
export class CaseStatusChange implements Guarded {
  localId: string;
  changedBySubject: string;
  changedByStaffId: string | null;
  scope: RecordScope;

  @Guard(FieldClass.CASE_META)
  @Field(() => CaseStatus, { nullable: true, description: 'The status before the change; null for the opening of the case (CASE_META).' })
  fromStatus: CaseStatus | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => CaseStatus, { nullable: true, description: 'The status after the change (CASE_META).' })
  toStatus: CaseStatus | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the status changed (CASE_META).' })
  changedAt: Date | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'Why the status changed, as the mover wrote it: a procedural reason, read by the whole team (CASE_META).' })
  comment: string | null;

  static from(row: StatusChangeRow): CaseStatusChange {
    return Object.assign(new CaseStatusChange(), {
      localId: String(row.id),
      changedBySubject: row.changed_by_subject,
      changedByStaffId: row.changed_by_staff_id === null ? null : String(row.changed_by_staff_id),
      scope: { kind: 'case', id: String(row.case_id), recordId: String(row.id) } satisfies RecordScope,
      fromStatus: row.from_status,
      toStatus: row.to_status,
      changedAt: row.changed_at,
      comment: row.comment,
    });
  }
}

@ObjectType({ description: 'The result of openCase.' })
export class OpenCasePayload {
  @Field(() => Case, { nullable: true, description: 'The opened case; null if the caller may not see it (a case opened for another lead agency and manager).' })
  case: Case | null;
}

@ObjectType({ description: 'The result of changeCaseStatus.' })
export class ChangeCaseStatusPayload {
  @Field(() => Case, { nullable: true, description: 'The case in its new status.' })
  case: Case | null;
}

@ObjectType({ description: 'The result of closeCase.' })
export class CloseCasePayload {
  @Field(() => Case, { nullable: true, description: 'The closed case.' })
  case: Case | null;
}

@ObjectType({ description: 'The result of assignCaseManager.' })
export class AssignCaseManagerPayload {
  @Field(() => Case, { nullable: true, description: 'The case with its new manager.' })
  case: Case | null;
}

@ObjectType({ description: 'The result of addCaseParticipant.' })
export class AddCaseParticipantPayload {
  @Field(() => Case, { nullable: true, description: 'The case whose access changed.' })
  case: Case | null;

  @Field(() => CaseParticipant, { nullable: true, description: 'The participant (access grant) added to the team.' })
  participant: CaseParticipant | null;
}

@ObjectType({ description: 'The result of removeCaseParticipant.' })
export class RemoveCaseParticipantPayload {
  @Field(() => Case, { nullable: true, description: 'The case whose access changed.' })
  case: Case | null;

  @Field(() => CaseParticipant, { nullable: true, description: 'The participant (access grant) removed from the team (with revokedAt set).' })
  participant: CaseParticipant | null;
}

@ObjectType({ description: 'The result of requestEmergencyAccess.' })
export class RequestEmergencyAccessPayload {
  @Field(() => Case, { nullable: true, description: 'The case whose access changed.' })
  case: Case | null;

  @Field(() => CaseParticipant, { nullable: true, description: 'The participant (access grant) granted for 24 hours.' })
  participant: CaseParticipant | null;
}
