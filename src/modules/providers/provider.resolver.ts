import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import type { Resolved } from '../../core/loaders';
import { Allow } from '../../core/auth/guard';
import { PageArgs, toConnection } from '../../core/graphql/connection';
import { registerNodeType } from '../../core/graphql/node';
import { Agency, Region } from '../agencies/agency.type';
import { agencyById, regionByCode } from '../agencies/agency.loaders';
import { ServiceDomain } from './provider.enums';
import { ServiceOffering, ServiceProvider, ServiceProviderConnection, ServiceType } from './provider.type';
import { OfferingFilter, ProviderFilter } from './provider.inputs';
import { offeringById, offeringsByProviderId, providerById, serviceTypeById } from './provider.loaders';
import { findProviders, listServiceTypes, offeringCriteria } from './provider.finder';
import { mergeCriteria } from './provider.criteria';

const found = <T>(results: Array<T | Error | null>): Array<T | null> => results.map((r) => (r instanceof Error ? null : r));

registerNodeType('ServiceType', async (ctx, ids) => found(await serviceTypeById(ctx).loadMany(ids)));
registerNodeType('ServiceOffering', async (ctx, ids) => found(await offeringById(ctx).loadMany(ids)));
registerNodeType('ServiceProvider', async (ctx, ids) => found(await providerById(ctx).loadMany(ids)));

async function regionsOf(ctx: Context, codes: string[]): Promise<Region[]> {
  return found(await regionByCode(ctx).loadMany(codes)).filter((r): r is Region => r !== null);
}

@Resolver(() => ServiceType)
export class ServiceTypeResolver {
  @Query(() => [ServiceType], { description: 'The service catalogue, by code (a small list, not paginated).' })
  @Allow('reference.read')
  serviceTypes(
    @Ctx() ctx: Context,
    @Arg('domain', () => ServiceDomain, { nullable: true, description: 'Only service types of this domain.' }) domain?: ServiceDomain,
  ): Promise<ServiceType[]> {
    return listServiceTypes(ctx, domain);
  }
}

@Resolver(() => ServiceProvider)
export class ServiceProviderResolver {
  @Query(() => ServiceProviderConnection, {
    description: 'Service providers having at least one active offering that matches the filter, by name. Each provider\'s `offerings` then lists only the offerings that matched.',
  })
  @Allow('reference.read')
  async providers(
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('filter', () => ProviderFilter, { nullable: true, description: 'Which providers (and offerings) to find.' }) filter?: ProviderFilter,
  ) {
    return toConnection(ServiceProviderConnection, await findProviders(ctx, filter, page));
  }

  @FieldResolver(() => Agency, { description: 'The provider as an agency: kind, units, staff.' })
  agency(@Root() provider: ServiceProvider, @Ctx() ctx: Context): Resolved<Agency> {
    return agencyById(ctx).get(provider.agencyId) as Resolved<Agency>;
  }

  @FieldResolver(() => Region, { description: 'The region of the provider\'s agency.' })
  region(@Root() provider: ServiceProvider, @Ctx() ctx: Context): Resolved<Region> {
    return regionByCode(ctx).get(provider.regionCode) as Resolved<Region>;
  }

  @FieldResolver(() => [ServiceOffering], {
    description: 'The offerings of the provider, by service type code: under `providers(filter)` only those that matched that filter, and of those only the ones matching `filter` here too.',
  })
  offerings(
    @Root() provider: ServiceProvider,
    @Ctx() ctx: Context,
    @Arg('filter', () => OfferingFilter, { nullable: true, description: 'Which of the offerings to list.' }) filter?: OfferingFilter,
  ): Resolved<ServiceOffering[]> {
    return offeringsByProviderId(ctx).get({ providerId: provider.agencyId, criteria: mergeCriteria(provider.criteria, offeringCriteria(filter)) });
  }
}

@Resolver(() => ServiceOffering)
export class ServiceOfferingResolver {
  @FieldResolver(() => ServiceProvider, { description: 'The provider giving the offering.' })
  provider(@Root() offering: ServiceOffering, @Ctx() ctx: Context): Resolved<ServiceProvider> {
    return providerById(ctx).get(offering.providerId) as Resolved<ServiceProvider>;
  }

  @FieldResolver(() => ServiceType, { description: 'The service type offered.' })
  serviceType(@Root() offering: ServiceOffering, @Ctx() ctx: Context): Resolved<ServiceType> {
    return serviceTypeById(ctx).get(offering.serviceTypeId) as Resolved<ServiceType>;
  }

  @FieldResolver(() => [Region], { description: 'The regions the offering serves, by code.' })
  regions(@Root() offering: ServiceOffering, @Ctx() ctx: Context): Promise<Region[]> {
    return regionsOf(ctx, [...offering.regionCodes].sort());
  }
}

/** The offerings of an agency, declared here so that the agencies module does not depend on providers. */
@Resolver(() => Agency)
export class AgencyOfferingsResolver {
  @FieldResolver(() => [ServiceOffering], { description: 'The services the agency offers, by service type code (active ones unless `filter.includeInactive`).' })
  offerings(
    @Root() agency: Agency,
    @Ctx() ctx: Context,
    @Arg('filter', () => OfferingFilter, { nullable: true, description: 'Which of the offerings to list.' }) filter?: OfferingFilter,
  ): Resolved<ServiceOffering[]> {
    return offeringsByProviderId(ctx).get({ providerId: agency.localId, criteria: offeringCriteria(filter) });
  }
}
