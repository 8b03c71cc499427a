import { Field, Int, ObjectType } from 'type-graphql';
import { Guard } from '../../core/auth/guard';
import type { Guarded, RecordScope } from '../../core/auth/access';
import { FieldClass } from '../../core/auth/roles';
import { Node } from '../../core/graphql/node';
import { toGlobalId } from '../../core/graphql/global-id';
import { ConnectionType } from '../../core/graphql/connection';
import { Case } from '../cases/case.type';
import { DeliveryMode } from '../providers/provider.enums';

export interface ServiceDeliveryRow {
  id: string;
  case_id: string;
  recipient_id: string;
  service_type_id: string;
  provider_id: string;
  specialist_id: string | null;
  delivered_on: string;
  duration_minutes: number | null;
  delivery_mode: DeliveryMode;
  notes: string | null;
  plan_step_id: string | null;
  referral_id: string | null;
  brigade_trip_id: string | null;
  recorded_by_agency_id: string;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/**
 * One service given to a person of a case. The agency that recorded it owns it: its notes are NOTES of that agency
 * (and the case manager); the rest is CASE_META for the team.
 */
@ObjectType({ implements: Node, description: 'One service given to a person of a case: what, by whom, when, how long and how it reached the family.' })
export class ServiceDelivery extends Node implements Guarded {
  localId: string;
  caseId: string;
  recipientId: string;
  serviceTypeId: string;
  providerId: string;
  specialistId: string | null;
  planStepId: string | null;
  referralId: string | null;
  brigadeTripId: string | null;
  recordedByAgencyId: string;
  scope: RecordScope;

  @Guard(FieldClass.CASE_META)
  @Field(() => String, { nullable: true, description: 'The date the service was given, YYYY-MM-DD (CASE_META).' })
  deliveredOn: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Int, { nullable: true, description: 'How long the service took, in minutes (CASE_META).' })
  durationMinutes: number | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => DeliveryMode, { nullable: true, description: 'How the service reached the family (CASE_META).' })
  deliveryMode: DeliveryMode | null;

  @Guard(FieldClass.NOTES)
  @Field(() => String, { nullable: true, description: 'Confidential notes of the service (NOTES: the agency that recorded it and the case manager).' })
  notes: string | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Date, { nullable: true, description: 'When the service was recorded (CASE_META).' })
  recordedAt: Date | null;

  @Guard(FieldClass.CASE_META)
  @Field(() => Int, { nullable: true, description: 'The version of the entry; send it as `expectedVersion` with `updateServiceDelivery` (CASE_META).' })
  version: number | null;

  static from(row: ServiceDeliveryRow): ServiceDelivery {
    const id = String(row.id);
    const caseId = String(row.case_id);
    const optional = (value: string | null) => (value === null ? null : String(value));
    return Object.assign(new ServiceDelivery(), {
      id: toGlobalId('ServiceDelivery', id),
      localId: id,
      caseId,
      recipientId: String(row.recipient_id),
      serviceTypeId: String(row.service_type_id),
      providerId: String(row.provider_id),
      specialistId: optional(row.specialist_id),
      planStepId: optional(row.plan_step_id),
      referralId: optional(row.referral_id),
      brigadeTripId: optional(row.brigade_trip_id),
      recordedByAgencyId: String(row.recorded_by_agency_id),
      scope: { kind: 'case', id: caseId, ownerAgencyId: String(row.recorded_by_agency_id), recordId: id } satisfies RecordScope,
      deliveredOn: row.delivered_on,
      durationMinutes: row.duration_minutes,
      deliveryMode: row.delivery_mode,
      notes: row.notes,
      recordedAt: row.created_at,
      version: row.version,
    });
  }
}

export const ServiceDeliveryConnection = ConnectionType(ServiceDelivery, 'ServiceDelivery', 'delivered services');

export interface BrigadeTripRow {
  id: string;
  agency_id: string;
  region_code: string;
  trip_date: string;
  destination: string;
}

/** Operational data of an agency (where and when its brigade went), not case data: any authenticated caller reads it. */
@ObjectType({ implements: Node, description: 'A trip of a (social or inter-agency) mobile brigade; services given on it point to it.' })
export class BrigadeTrip extends Node {
  localId: string;
  agencyId: string;
  regionCode: string;

  @Field({ description: 'The date of the trip, YYYY-MM-DD.' })
  tripDate: string;

  @Field({ description: 'Where the brigade went: settlements or district.' })
  destination: string;

  static from(row: BrigadeTripRow): BrigadeTrip {
    return Object.assign(new BrigadeTrip(), {
      id: toGlobalId('BrigadeTrip', String(row.id)),
      localId: String(row.id),
      agencyId: String(row.agency_id),
      regionCode: row.region_code,
      tripDate: row.trip_date,
      destination: row.destination,
    });
  }
}

@ObjectType({ description: 'The result of `recordServiceDelivery`.' })
export class RecordServiceDeliveryPayload {
  @Field(() => ServiceDelivery, { nullable: true, description: 'The service that was recorded.' })
  serviceDelivery: ServiceDelivery | null;

  /** The local id of the case; `case` is read from it only when selected (`payloadCaseResolver`). */
  caseId: string | null;

  @Field(() => Case, { nullable: true, description: 'The case of the service.' })
  case: Case | null;
}

@ObjectType({ description: 'The result of `updateServiceDelivery`.' })
export class UpdateServiceDeliveryPayload {
  @Field(() => ServiceDelivery, { nullable: true, description: 'The service as it is now.' })
  serviceDelivery: ServiceDelivery | null;

  /** The local id of the case; `case` is read from it only when selected (`payloadCaseResolver`). */
  caseId: string | null;

  @Field(() => Case, { nullable: true, description: 'The case of the service.' })
  case: Case | null;
}

@ObjectType({ description: 'The result of `recordBrigadeTrip`.' })
export class RecordBrigadeTripPayload {
  @Field(() => BrigadeTrip, { nullable: true, description: 'The trip that was recorded.' })
  brigadeTrip: BrigadeTrip | null;
}
