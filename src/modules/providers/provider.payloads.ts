import { Field, ObjectType } from 'type-graphql';
import { ServiceOffering, ServiceType } from './provider.type';

@ObjectType({ description: 'The result of `createServiceType`.' })
export class CreateServiceTypePayload {
  @Field(() => ServiceType, { description: 'The service type created.' })
  serviceType: ServiceType;
}

@ObjectType({ description: 'The result of `updateServiceType`.' })
export class UpdateServiceTypePayload {
  @Field(() => ServiceType, { description: 'The service type as changed.' })
  serviceType: ServiceType;
}

@ObjectType({ description: 'The result of `createServiceOffering`.' })
export class CreateServiceOfferingPayload {
  @Field(() => ServiceOffering, { description: 'The offering created.' })
  serviceOffering: ServiceOffering;
}

@ObjectType({ description: 'The result of `updateServiceOffering`.' })
export class UpdateServiceOfferingPayload {
  @Field(() => ServiceOffering, { description: 'The offering as changed.' })
  serviceOffering: ServiceOffering;
}
