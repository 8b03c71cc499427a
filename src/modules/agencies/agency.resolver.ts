import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import type { Resolved } from '../../core/loaders';
import { requireViewer } from '../../context';
import { Allow } from '../../core/auth/guard';
import { PageArgs, toConnection } from '../../core/graphql/connection';
import { toGlobalId, expectGlobalId } from '../../core/graphql/global-id';
import { registerNodeType } from '../../core/graphql/node';
import { query } from '../../core/db';
import { sql } from '../../core/sql';
import { Agency, AgencyConnection, Region, StaffMember, StaffMemberConnection, Viewer } from './agency.type';
import { AgencyFilter } from './agency.inputs';
import { agencyById, regionByCode, staffById, unitsByAgencyId } from './agency.loaders';
import { findAgencies, findStaff } from './agency.finder';

registerNodeType('Agency', (ctx, ids) => agencyById(ctx).loadMany(ids).then((r) => r.map((a) => (a instanceof Error ? null : a))));
registerNodeType('StaffMember', (ctx, ids) => staffById(ctx).loadMany(ids).then((r) => r.map((a) => (a instanceof Error ? null : a))));
registerNodeType('Region', (ctx, ids) => regionByCode(ctx).loadMany(ids).then((r) => r.map((a) => (a instanceof Error ? null : a))));

@Resolver(() => Region)
export class RegionResolver {
  @Query(() => [Region], { description: 'The regions of the registry, by code.' })
  @Allow('reference.read')
  async regions(@Ctx() ctx: Context): Promise<Region[]> {
    const rows = await query<{ code: string; name: string }>(ctx.db, sql`SELECT code, name FROM region ORDER BY code`);
    return rows.map(Region.from);
  }
}

@Resolver(() => Agency)
export class AgencyResolver {
  @Query(() => AgencyConnection, { description: 'The agencies of the registry, filtered, by name.' })
  @Allow('reference.read')
  async agencies(
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('filter', () => AgencyFilter, { nullable: true, description: 'Which agencies to list.' }) filter?: AgencyFilter,
  ) {
    return toConnection(AgencyConnection, await findAgencies(ctx, filter, page));
  }

  @Query(() => Agency, { nullable: true, description: 'One agency by its global id.' })
  @Allow('reference.read')
  agency(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'The global id of the agency.' }) id: string): Resolved<Agency | null> {
    return agencyById(ctx).get(expectGlobalId(id, 'Agency', 'id'));
  }

  @FieldResolver(() => Region, { description: 'The region of the agency.' })
  region(@Root() agency: Agency, @Ctx() ctx: Context): Resolved<Region> {
    return regionByCode(ctx).get(agency.regionCode) as Resolved<Region>;
  }

  @FieldResolver(() => Agency, { nullable: true, description: 'The agency this one is a unit of.' })
  parent(@Root() agency: Agency, @Ctx() ctx: Context): Resolved<Agency | null> | null {
    return agency.parentId ? agencyById(ctx).get(agency.parentId) : null;
  }

  @FieldResolver(() => [Agency], { description: 'The units (departments, branches) of the agency.' })
  units(@Root() agency: Agency, @Ctx() ctx: Context): Resolved<Agency[]> {
    return unitsByAgencyId(ctx).get(agency.localId);
  }

  @FieldResolver(() => StaffMemberConnection, { description: 'The staff members of the agency, by name.' })
  async staff(@Root() agency: Agency, @Ctx() ctx: Context, @Args() page: PageArgs) {
    return toConnection(StaffMemberConnection, await findStaff(ctx, agency.localId, page));
  }
}

@Resolver(() => StaffMember)
export class StaffMemberResolver {
  @FieldResolver(() => Agency, { description: 'The agency the staff member works for.' })
  agency(@Root() staff: StaffMember, @Ctx() ctx: Context): Resolved<Agency> {
    return agencyById(ctx).get(staff.agencyId) as Resolved<Agency>;
  }
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'The caller of the request: the token\'s subject, agency, roles and regions.' })
  viewer(@Ctx() ctx: Context): Viewer {
    const viewer = requireViewer(ctx);
    return Object.assign(new Viewer(), {
      subject: viewer.subject,
      roles: viewer.roles,
      regionCodes: viewer.regions,
      agencyId: viewer.agencyId,
      staffId: viewer.staffId,
      agencyGlobalId: toGlobalId('Agency', viewer.agencyId),
    });
  }

  @FieldResolver(() => Agency, { description: 'The agency of the caller.' })
  agency(@Root() viewer: Viewer, @Ctx() ctx: Context): Resolved<Agency> {
    return agencyById(ctx).get(viewer.agencyId) as Resolved<Agency>;
  }

  @FieldResolver(() => StaffMember, { nullable: true, description: 'The staff record of the caller (null for a partner system).' })
  staffMember(@Root() viewer: Viewer, @Ctx() ctx: Context): Resolved<StaffMember | null> | null {
    return viewer.staffId ? staffById(ctx).get(viewer.staffId) : null;
  }
}
