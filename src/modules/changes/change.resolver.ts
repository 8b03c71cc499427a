import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import type { Resolved } from '../../core/loaders';
import { Allow, Guard } from '../../core/auth/guard';
import { FieldClass } from '../../core/auth/roles';
import { PageArgs, toConnection } from '../../core/graphql/connection';
import { or, sql } from '../../core/sql';
import { Agency } from '../agencies/agency.type';
import { agencyById } from '../agencies/agency.loaders';
import { Case } from '../cases/case.type';
import { caseById } from '../cases/case.loaders';
import { visibleCaseCondition, visibleFamilyCondition } from '../cases/case.scope';
import { Family } from '../families/family.type';
import { familyById } from '../families/family.loaders';
import { Change, ChangeConnection } from './change.type';
import { changePage } from './change.feed';

@Resolver(() => Change)
export class ChangeResolver {
  @Query(() => ChangeConnection, {
    description:
      'The change feed: committed writes to the cases and families the caller may see, oldest first. ' +
      'Partner systems poll it with `after` set to the last `endCursor` they processed, then re-read the records that changed. ' +
      'Resuming from a cursor never skips a write: a write appears only once every transaction that began writing before it has finished, ' +
      'so no write can later turn up before an `endCursor` already returned. The price is a delay: while a write is in progress, ' +
      'the writes that began after it wait for it to finish (usually a fraction of a second; at most the database\'s transaction time limits).',
  })
  @Allow('cases.read')
  async changes(@Ctx() ctx: Context, @Args() page: PageArgs) {
    const visible = or([
      sql`EXISTS (SELECT 1 FROM "case" c WHERE c.id = e.case_id AND ${visibleCaseCondition(ctx)})`,
      sql`(e.case_id IS NULL AND EXISTS (SELECT 1 FROM family f WHERE f.id = e.family_id AND ${visibleFamilyCondition(ctx)}))`,
    ]);
    return toConnection(ChangeConnection, await changePage(ctx.db, visible, page));
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Case, { nullable: true, description: 'The case that changed (or whose record changed); null for a family without a case (CASE_META).' })
  case(@Root() change: Change, @Ctx() ctx: Context): Resolved<Case | null> | null {
    return change.caseId ? caseById(ctx).get(change.caseId) : null;
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Family, { nullable: true, description: 'The family that changed, for changes not tied to a case (CASE_META).' })
  family(@Root() change: Change, @Ctx() ctx: Context): Resolved<Family | null> | null {
    return change.familyId ? familyById(ctx).get(change.familyId) : null;
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Agency, { nullable: true, description: 'The agency whose staff or system made the change (CASE_META).' })
  changedBy(@Root() change: Change, @Ctx() ctx: Context): Resolved<Agency | null> {
    return agencyById(ctx).get(change.changedByAgencyId);
  }
}
