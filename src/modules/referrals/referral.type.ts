import { Extensions, Field, ID, Int, ObjectType } from 'type-graphql';
import { Guard } from '../../core/auth/guard';
import type { Guarded, RecordScope } from '../../core/auth/access';
import { FieldClass } from '../../core/auth/roles';
import { Node } from '../../core/graphql/node';
import { toGlobalId } from '../../core/graphql/global-id';
import { ConnectionType } from '../../core/graphql/connection';
import { Case } from '../cases/case.type';
import { DeclineReason, ReferralOutcome, ReferralStatus } from './referral.enums';

export interface ReferralRow {
  id: string;
  case_id: string;
  from_agency_id: string;
  to_agency_id: string;
  offering_id: string | null;
  service_type_id: string | null;
  plan_step_id: string | null;
  status: ReferralStatus;
  reason: string | null;
  notes: string | null;
  sent_by_staff_id: string | null;
  sent_at: Date;
  respond_by: Date;
  responded_at: Date | null;
  decline_reason: DeclineReason | null;
  response_note: string | null;
  completed_at: Date | null;
  outcome: ReferralOutcome | null;
  updated_at: Date;
  version: number;
  /** Computed in SQL: SENT and the deadline has passed. */
  overdue: boolean;
}

/** Fields both views of a referral carry (the team's `Referral`, the addressee's `IncomingReferral`). */
interface ReferralLinks {
  localId: string;
  caseId: string;
  fromAgencyId: string;
  toAgencyId: string;
  offeringId: string | null;
  serviceTypeId: string | null;
  planStepId: string | null;
  sentByStaffId: string | null;
}

function links(row: ReferralRow): ReferralLinks {
  const optional = (value: string | null) => (value === null ? null : String(value));
  return {
    localId: String(row.id),
    caseId: String(row.case_id),
    fromAgencyId: String(row.from_agency_id),
    toAgencyId: String(row.to_agency_id),
    offeringId: optional(row.offering_id),
    serviceTypeId: optional(row.service_type_id),
    planStepId: optional(row.plan_step_id),
    sentByStaffId: optional(row.sent_by_staff_id),
  };
}

/**
 * A referral as the case team sees it. Its notes are the sending agency's (NOTES: the sender and the case manager);
 * everything else is CASE_META. The response note is CASE_META too: it is the receiving agency's answer to the sender,
 * which the sender must read to close the loop (confidential detail belongs in service-delivery notes).
 */
@ObjectType({ implements: Node, description: 'A closed-loop referral of a case from one agency to another (or to a provider\'s offering): SENT → ACCEPTED | DECLINED → COMPLETED, or CANCELLED by the sender.' })
export class Referral extends Node implements Guarded, ReferralLinks {
  localId: string;
  caseId: string;
  fromAgencyId: string;
  toAgencyId: string;
  offeringId: string | null;
  serviceTypeId: string | null;
  planStepId: string | null;
  sentByStaffId: string | null;
  scope: RecordScope;

  @Guard(FieldClass.CASE_META)
  @Field(() => ReferralStatus, { nullable: true, description: 'The state of the referral loop (CASE_META).' })
  status: ReferralStatus | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'Why the family is referred, as the receiving agency needs to know it (CASE_META).' })
  reason: string | null;

  @Guard(FieldClass.NOTES)
  @Field(() => String, { nullable: true, description: "The sending agency's confidential notes (NOTES: the sending agency and the case manager)." })
  notes: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the referral was sent (CASE_META).' })
  sentAt: Date | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'The deadline for the receiving agency to answer (CASE_META).' })
  respondBy: Date | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the receiving agency accepted or declined (CASE_META).' })
  respondedAt: Date | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => DeclineReason, { nullable: true, description: 'Why the referral was declined (CASE_META).' })
  declineReason: DeclineReason | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: "The receiving agency's answer to the sender, e.g. the first appointment (CASE_META)." })
  responseNote: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the referral was completed (CASE_META).' })
  completedAt: Date | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => ReferralOutcome, { nullable: true, description: 'How the completed referral ended (CASE_META).' })
  outcome: ReferralOutcome | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Boolean, { nullable: true, description: 'Whether the referral is still unanswered after its deadline (CASE_META).' })
  overdue: boolean | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Int, { nullable: true, description: 'The version of the referral; send it as `expectedVersion` to answer, complete or cancel it (CASE_META).' })
  version: number | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the referral was last changed (CASE_META).' })
  updatedAt: Date | null;

  static from(row: ReferralRow): Referral {
    const ids = links(row);
    return Object.assign(new Referral(), {
      ...ids,
      id: toGlobalId('Referral', ids.localId),
      scope: { kind: 'case', id: ids.caseId, ownerAgencyId: ids.fromAgencyId, recordId: ids.localId } satisfies RecordScope,
      status: row.status,
      reason: row.reason,
      notes: row.notes,
      sentAt: row.sent_at,
      respondBy: row.respond_by,
      respondedAt: row.responded_at,
      declineReason: row.decline_reason,
      responseNote: row.response_note,
      completedAt: row.completed_at,
      outcome: row.outcome,
      overdue: Boolean(row.overdue),
      version: row.version,
      updatedAt: row.updated_at,
    });
  }
}

export interface IncomingReferralRow extends ReferralRow {
  case_number: string;
}

/**
 * A referral as the agency it is addressed to sees it in its inbox, before it is on the case team: the referral's own
 * CASE_META facts and the case number, never the sender's notes nor anything else of the case. The rows are scoped in SQL
 * to referrals addressed to the caller's agency (nobody else gets one); once the agency accepts, `referral` and `case`
 * resolve through the case policy like for any team member. The type declares its class as a whole (CASE_META of the
 * referral), because the operation that returns it decides access for the whole object.
 */
@Extensions({ fieldClass: FieldClass.CASE_META })
@ObjectType({ description: "A referral addressed to the caller's agency, as its inbox shows it: the referral's own facts and the case number, without the sender's notes." })
export class IncomingReferral implements ReferralLinks {
  localId: string;
  caseId: string;
  fromAgencyId: string;
  toAgencyId: string;
  offeringId: string | null;
  serviceTypeId: string | null;
  planStepId: string | null;
  sentByStaffId: string | null;

  @Field(() => ID, { description: 'The global id of the referral; give it to `respondToReferral` and `completeReferral`.' })
  id: string;

  @Field({ description: 'The number of the referred case, e.g. 54-2024-000123.' })
  caseNumber: string;

  @Field(() => ReferralStatus, { description: 'The state of the referral loop.' })
  status: ReferralStatus;

  @Field(() => String, { nullable: true, description: 'Why the family is referred.' })
  reason: string | null;

  @Field(() => Date, { description: 'When the referral was sent.' })
  sentAt: Date;

  @Field(() => Date, { description: 'The deadline to answer.' })
  respondBy: Date;

  @Field(() => Boolean, { description: 'Whether the referral is still unanswered after its deadline.' })
  overdue: boolean;

  @Field(() => Date, { nullable: true, description: 'When the agency accepted or declined.' })
  respondedAt: Date | null;

  @Field(() => DeclineReason, { nullable: true, description: 'Why the agency declined.' })
  declineReason: DeclineReason | null;

  @Field(() => String, { nullable: true, description: "The agency's answer to the sender." })
  responseNote: string | null;

  @Field(() => Date, { nullable: true, description: 'When the referral was completed.' })
  completedAt: Date | null;

  @Field(() => ReferralOutcome, { nullable: true, description: 'How the completed referral ended.' })
  outcome: ReferralOutcome | null;

  @Field(() => Int, { description: 'The version of the referral; send it as `expectedVersion` to answer or complete it.' })
  version: number;

  static from(row: IncomingReferralRow): IncomingReferral {
    const ids = links(row);
    return Object.assign(new IncomingReferral(), {
      ...ids,
      id: toGlobalId('Referral', ids.localId),
      caseNumber: row.case_number,
      status: row.status,
      reason: row.reason,
      sentAt: row.sent_at,
      respondBy: row.respond_by,
      overdue: Boolean(row.overdue),
      respondedAt: row.responded_at,
      declineReason: row.decline_reason,
      responseNote: row.response_note,
      completedAt: row.completed_at,
      outcome: row.outcome,
      version: row.version,
    });
  }
}

export const IncomingReferralConnection = ConnectionType(IncomingReferral, 'IncomingReferral', 'incoming referrals');

@ObjectType({ description: 'The result of `sendReferral`.' })
export class SendReferralPayload {
  @Field(() => Referral, { nullable: true, description: 'The referral that was sent.' })
  referral: Referral | null;

  /** The local id of the case; `case` is read from it only when selected (`payloadCaseResolver`). */
  caseId: string | null;

  @Field(() => Case, { nullable: true, description: 'The case, with its new version.' })
  case: Case | null;
}

@ObjectType({ description: 'The result of `respondToReferral`.' })
export class RespondToReferralPayload {
  @Field(() => IncomingReferral, { nullable: true, description: "The referral as the receiving agency's inbox shows it." })
  incomingReferral: IncomingReferral | null;

  /** The local id of the referral; `referral` is read from it only when selected. */
  referralId: string;

  @Field(() => Referral, { nullable: true, description: 'The referral as the case team sees it (null when the caller is not on the team, e.g. after declining).' })
  referral: Referral | null;

  /** The local id of the case; `case` is read from it only when selected (`payloadCaseResolver`). */
  caseId: string | null;

  @Field(() => Case, { nullable: true, description: 'The case (null when the caller may not see it, e.g. after declining).' })
  case: Case | null;
}

@ObjectType({ description: 'The result of `completeReferral`.' })
export class CompleteReferralPayload {
  @Field(() => Referral, { nullable: true, description: 'The completed referral (null when the caller does not see the case).' })
  referral: Referral | null;

  /** The local id of the case; `case` is read from it only when selected (`payloadCaseResolver`). */
  caseId: string | null;

  @Field(() => Case, { nullable: true, description: 'The case of the referral (null when the caller does not see it).' })
  case: Case | null;
}

@ObjectType({ description: 'The result of `cancelReferral`.' })
export class CancelReferralPayload {
  @Field(() => Referral, { nullable: true, description: 'The cancelled referral.' })
  referral: Referral | null;

  /** The local id of the case; `case` is read from it only when selected (`payloadCaseResolver`). */
  caseId: string | null;

  @Field(() => Case, { nullable: true, description: 'The case of the referral.' })
  case: Case | null;
}
