import { Field, Int, ObjectType } from 'type-graphql';
import { AgencyKind } from '../../core/auth/roles';
import { Node } from '../../core/graphql/node';
import { toGlobalId } from '../../core/graphql/global-id';
import { ConnectionType } from '../../core/graphql/connection';
import { raw } from '../../core/sql';
import type { AgencyRow } from '../agencies/agency.type';
import { DeliveryMode, ServiceDomain } from './provider.enums';
import { ACTIVE_OFFERINGS, type OfferingCriteria } from './provider.criteria';

export interface ServiceTypeRow {
  id: string;
  code: string;
  name: string;
  domain: ServiceDomain;
  description: string | null;
  version: number;
}

@ObjectType({ implements: Node, description: 'A catalogue entry of the services families receive, e.g. a Lekoteka session or a social nanny.' })
export class ServiceType extends Node {
  localId: string;

  @Field({ description: 'The code of the service type, e.g. "LEKOTEKA_SESSION" (stable key for partners; never changes).' })
  code: string;

  @Field({ description: 'The name of the service type, e.g. "Занятие в Лекотеке".' })
  name: string;

  @Field(() => ServiceDomain, { description: 'The domain of the service type.' })
  domain: ServiceDomain;

  @Field(() => String, { nullable: true, description: 'The description of the service type: what the family receives.' })
  description: string | null;

  @Field(() => Int, { description: 'The version of the service type record, for optimistic concurrency.' })
  version: number;

  static from(row: ServiceTypeRow): ServiceType {
    return Object.assign(new ServiceType(), {
      id: toGlobalId('ServiceType', row.id),
      localId: String(row.id),
      code: row.code,
      name: row.name,
      domain: row.domain,
      description: row.description,
      version: row.version,
    });
  }
}

export interface OfferingRow {
  id: string;
  provider_id: string;
  service_type_id: string;
  delivery_modes: DeliveryMode[];
  min_age_months: number;
  max_age_months: number;
  region_codes: string[];
  monthly_capacity: number | null;
  description: string | null;
  active: boolean;
  version: number;
}

/** The columns of an offering row as `OfferingRow` expects them (enum arrays cast to text[] so the driver parses them). */
export const OFFERING_COLUMNS = raw(
  'o.id, o.provider_id, o.service_type_id, o.delivery_modes::text[] AS delivery_modes, o.min_age_months, o.max_age_months, o.region_codes, o.monthly_capacity, o.description, o.active, o.version',
);

@ObjectType({ implements: Node, description: 'A service type that a provider offers: in which delivery modes, for which child ages, in which regions and how many per month.' })
export class ServiceOffering extends Node {
  localId: string;
  providerId: string;
  serviceTypeId: string;
  regionCodes: string[];

  @Field(() => [DeliveryMode], { description: 'The delivery modes in which the offering reaches families.' })
  deliveryModes: DeliveryMode[];

  @Field(() => Int, { description: 'The youngest child age (in months) the offering serves.' })
  minAgeMonths: number;

  @Field(() => Int, { description: 'The oldest child age (in months) the offering serves (216 = 18 years).' })
  maxAgeMonths: number;

  @Field(() => Int, { nullable: true, description: 'The number of services (or places) the provider can give per month; null when not stated.' })
  monthlyCapacity: number | null;

  @Field(() => String, { nullable: true, description: 'The description of the offering: formats, conditions, where it takes place.' })
  description: string | null;

  @Field({ description: 'Whether the offering is currently available (inactive offerings are withdrawn and not found by `providers`).' })
  active: boolean;

  @Field(() => Int, { description: 'The version of the offering record, for optimistic concurrency.' })
  version: number;

  static from(row: OfferingRow): ServiceOffering {
    return Object.assign(new ServiceOffering(), {
      id: toGlobalId('ServiceOffering', row.id),
      localId: String(row.id),
      providerId: String(row.provider_id),
      serviceTypeId: String(row.service_type_id),
      regionCodes: row.region_codes,
      deliveryModes: row.delivery_modes,
      minAgeMonths: row.min_age_months,
      maxAgeMonths: row.max_age_months,
      monthlyCapacity: row.monthly_capacity,
      description: row.description,
      active: row.active,
      version: row.version,
    });
  }
}

@ObjectType({
  implements: Node,
  description: 'An agency (or unit) seen as a provider of services: the services it offers, where and to whom. Its global id is its own; `agency` is the same organisation as an Agency.',
})
export class ServiceProvider extends Node {
  agencyId: string;
  regionCode: string;
  /** Which offerings `offerings` lists: those that matched the `providers(filter)` that found this provider. */
  criteria: OfferingCriteria;

  @Field({ description: 'The name of the provider (its agency\'s full name).' })
  name: string;

  @Field(() => AgencyKind, { description: 'The kind of the provider\'s agency.' })
  kind: AgencyKind;

  static from(row: Pick<AgencyRow, 'id' | 'name' | 'kind' | 'region_code'>, criteria: OfferingCriteria = ACTIVE_OFFERINGS): ServiceProvider {
    return Object.assign(new ServiceProvider(), {
      id: toGlobalId('ServiceProvider', row.id),
      agencyId: String(row.id),
      regionCode: row.region_code,
      criteria,
      name: row.name,
      kind: row.kind,
    });
  }
}

export const ServiceProviderConnection = ConnectionType(ServiceProvider, 'ServiceProvider', 'service providers');
