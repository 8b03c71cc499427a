import { Field, Int, ObjectType } from 'type-graphql';
import { Guard } from '../../core/auth/guard';
import type { Guarded, RecordScope } from '../../core/auth/access';
import { FieldClass } from '../../core/auth/roles';
import { Node } from '../../core/graphql/node';
import { toGlobalId } from '../../core/graphql/global-id';
import { ServiceDomain } from '../providers/provider.enums';
import { Case } from './case.type';
import { NeedStatus, PlanStepStatus } from './case.enums';

export interface NeedRow {
  id: string;
  case_id: string;
  domain: ServiceDomain;
  description: string;
  status: NeedStatus;
  identified_by_agency_id: string;
  created_at: Date;
  version: number;
}

@ObjectType({ implements: Node, description: 'What a family needs, by domain, with a status; plan steps of the route of help serve it.' })
export class Need extends Node implements Guarded {
  localId: string;
  caseId: string;
  identifiedByAgencyId: string;
  scope: RecordScope;

  @Guard(FieldClass.CASE_META)
  @Field(() => ServiceDomain, { nullable: true, description: 'The domain of the need (CASE_META).' })
  domain: ServiceDomain | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'What the family needs, in plain words (CASE_META).' })
  description: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => NeedStatus, { nullable: true, description: 'The status of the need (CASE_META).' })
  status: NeedStatus | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the need was recorded (CASE_META).' })
  identifiedAt: Date | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Int, { nullable: true, description: 'The version of the need (CASE_META).' })
  version: number | null;

  static from(row: NeedRow): Need {
    const id = String(row.id);
    const caseId = String(row.case_id);
    return Object.assign(new Need(), {
      id: toGlobalId('Need', id),
      localId: id,
      caseId,
      identifiedByAgencyId: String(row.identified_by_agency_id),
      scope: { kind: 'case', id: caseId, ownerAgencyId: String(row.identified_by_agency_id), recordId: id } satisfies RecordScope,
      domain: row.domain,
      description: row.description,
      status: row.status,
      identifiedAt: row.created_at,
      version: row.version,
    });
  }
}

export interface PlanStepRow {
  id: string;
  case_id: string;
  position: number;
  need_id: string | null;
  title: string;
  service_type_id: string | null;
  responsible_agency_id: string;
  offering_id: string | null;
  due_on: string | null;
  status: PlanStepStatus;
  completed_on: string | null;
  decision_id: string | null;
  version: number;
  updated_at: Date;
  /** Computed in SQL against the database's today: not DONE/CANCELLED and due before today. */
  overdue: boolean;
}

@ObjectType({ implements: Node, description: 'One step of the route of help of a case: a service, the agency responsible for it, a due date and progress.' })
export class PlanStep extends Node implements Guarded {
  localId: string;
  caseId: string;
  needId: string | null;
  serviceTypeId: string | null;
  responsibleAgencyId: string;
  offeringId: string | null;
  decisionId: string | null;
  scope: RecordScope;

  @Guard(FieldClass.CASE_META)
  @Field(() => Int, { nullable: true, description: 'The position of the step in the route of help, from 1 (CASE_META).' })
  position: number | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The title of the step (CASE_META).' })
  title: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The date the step is due, YYYY-MM-DD (CASE_META).' })
  dueOn: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => PlanStepStatus, { nullable: true, description: 'The status of the step (CASE_META).' })
  status: PlanStepStatus | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The date the step was done, YYYY-MM-DD (CASE_META).' })
  completedOn: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Boolean, { nullable: true, description: 'Whether the step is late: neither done nor cancelled, and due before today (CASE_META).' })
  overdue: boolean | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Boolean, { nullable: true, description: 'Whether the step carries out a decision of a case conference (CASE_META).' })
  fromConferenceDecision: boolean | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Int, { nullable: true, description: 'The version of the step; send it as `expectedVersion` with `updatePlanStep` (CASE_META).' })
  version: number | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the step was last changed (CASE_META).' })
  updatedAt: Date | null;

  static from(row: PlanStepRow): PlanStep {
    const id = String(row.id);
    const caseId = String(row.case_id);
    const optional = (value: string | null) => (value === null ? null : String(value));
    return Object.assign(new PlanStep(), {
      id: toGlobalId('PlanStep', id),
      localId: id,
      caseId,
      needId: optional(row.need_id),
      serviceTypeId: optional(row.service_type_id),
      responsibleAgencyId: String(row.responsible_agency_id),
      offeringId: optional(row.offering_id),
      decisionId: optional(row.decision_id),
      scope: { kind: 'case', id: caseId, ownerAgencyId: String(row.responsible_agency_id), recordId: id } satisfies RecordScope,
      position: row.position,
      title: row.title,
      dueOn: row.due_on,
      status: row.status,
      completedOn: row.completed_on,
      overdue: Boolean(row.overdue),
      fromConferenceDecision: row.decision_id !== null,
      version: row.version,
      updatedAt: row.updated_at,
    });
  }
}

@ObjectType({ description: 'The result of `addNeed`.' })
export class AddNeedPayload {
  @Field(() => Need, { nullable: true, description: 'The need that was recorded.' })
  need: Need | null;

  /** The local id of the case; `case` is read from it only when selected (`payloadCaseResolver`). */
  caseId: string | null;

  @Field(() => Case, { nullable: true, description: 'The case, with its new version.' })
  case: Case | null;
}

@ObjectType({ description: 'The result of `addPlanStep`.' })
export class AddPlanStepPayload {
  @Field(() => PlanStep, { nullable: true, description: 'The step that was added to the route of help.' })
  planStep: PlanStep | null;

  /** The local id of the case; `case` is read from it only when selected (`payloadCaseResolver`). */
  caseId: string | null;

  @Field(() => Case, { nullable: true, description: 'The case, with its new version.' })
  case: Case | null;
}

@ObjectType({ description: 'The result of `updatePlanStep`.' })
export class UpdatePlanStepPayload {
  @Field(() => PlanStep, { nullable: true, description: 'The step as it is now.' })
  planStep: PlanStep | null;

  /** The local id of the case; `case` is read from it only when selected (`payloadCaseResolver`). */
  caseId: string | null;

  @Field(() => Case, { nullable: true, description: 'The case of the step.' })
  case: Case | null;
}
