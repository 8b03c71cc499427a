import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Guard } from '../../core/auth/guard';
import { FieldClass } from '../../core/auth/roles';
import { query } from '../../core/db';
import { PageArgs, toConnection } from '../../core/graphql/connection';
import { registerNodeType } from '../../core/graphql/node';
import { type Resolved, byKey } from '../../core/loaders';
import { sql } from '../../core/sql';
import { Agency, StaffMember } from '../agencies/agency.type';
import { agencyById, staffById } from '../agencies/agency.loaders';
import { Case } from '../cases/case.type';
import { assertCaseAuthority } from '../cases/case.policy';
import { AuditEvent, AuditEventConnection, type AuditEventRow } from './audit.type';
import { AuditEventFilter } from './audit.inputs';
import { aboutCase, auditFilterConditions, findAuditEvents, readableAuditCondition } from './audit.finder';

registerNodeType('AuditEvent', async (ctx, ids) => {
  const rows = await query<AuditEventRow>(ctx.db, sql`SELECT e.* FROM audit_event e WHERE e.id = ANY(${ids}::bigint[]) AND ${readableAuditCondition(ctx, false)}`);
  return byKey(ids, rows, (r) => String(r.id)).map((r) => (r ? AuditEvent.from(r) : null));
});

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @Query(() => AuditEventConnection, {
    description:
      "Audit events, latest first: the whole log with audit.read (ADMIN); with audit.readCases, those about the cases one manages or, for a coordinator, the cases of the own regions (and their families).",
  })
  async auditEvents(
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('filter', () => AuditEventFilter, { nullable: true, description: 'Which events to list.' }) filter?: AuditEventFilter,
  ) {
    const scope = readableAuditCondition(ctx, true);
    return toConnection(AuditEventConnection, await findAuditEvents(ctx, [scope, ...auditFilterConditions(filter)], page));
  }

  @FieldResolver(() => StaffMember, { nullable: true, description: 'The staff member who acted; null for a partner system.' })
  actor(@Root() event: AuditEvent, @Ctx() ctx: Context): Resolved<StaffMember | null> | null {
    return event.actorStaffId ? staffById(ctx).get(event.actorStaffId) : null;
  }

  @FieldResolver(() => Agency, { nullable: true, description: 'The agency of the actor.' })
  agency(@Root() event: AuditEvent, @Ctx() ctx: Context): Resolved<Agency | null> {
    return agencyById(ctx).get(event.agencyId);
  }
}

@Resolver(() => Case)
export class CaseAccessLogResolver {
  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => AuditEventConnection, {
    nullable: true,
    description:
      "Who read or changed this case and its family, latest first: actor, agency, roles, fields, time, reason. Only the case's manager and the region's coordinator (action audit.readCases); others get FORBIDDEN (CASE_META).",
  })
  async accessLog(@Root() item: Case, @Ctx() ctx: Context, @Args() page: PageArgs) {
    await assertCaseAuthority(ctx, item.scope, 'audit.readCases');
    return toConnection(AuditEventConnection, await findAuditEvents(ctx, [aboutCase(item.localId)], page));
  }
}
