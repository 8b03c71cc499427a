import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { andThen, type Resolved } from '../../core/loaders';
import { Allow, Guard } from '../../core/auth/guard';
import { FieldClass } from '../../core/auth/roles';
import { PageArgs, toConnection } from '../../core/graphql/connection';
import { badField } from '../../core/graphql/errors';
import { expectGlobalId } from '../../core/graphql/global-id';
import { registerNodeType } from '../../core/graphql/node';
import { Agency, Region, StaffMember } from '../agencies/agency.type';
import { agencyById, regionByCode, staffById } from '../agencies/agency.loaders';
import { Family, Person } from '../families/family.type';
import { familyById } from '../families/family.loaders';
import { Program } from '../programs/program.type';
import { Case, CaseConnection, CaseParticipant, CaseStatusChange } from './case.type';
import { CaseFilter, CaseOrder } from './case.inputs';
import { findCaseByNumber, findCases } from './case.finder';
import { caseById, casesByFamilyId, childrenByCaseId, participantById, participantsByCaseId, programsByCaseId, statusChangesByCaseId } from './case.loaders';

const settled = <T>(results: Array<T | Error | null>): Array<T | null> => results.map((r) => (r instanceof Error ? null : r));

registerNodeType('Case', (ctx, ids) => caseById(ctx).loadMany(ids).then(settled));
registerNodeType('CaseParticipant', (ctx, ids) => participantById(ctx).loadMany(ids).then(settled));

@Resolver(() => Case)
export class CaseResolver {
  @Query(() => CaseConnection, { description: 'The cases the caller may see, filtered and ordered, keyset-paginated; hidden cases are not counted.' })
  @Allow('cases.read')
  async cases(
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('filter', () => CaseFilter, { nullable: true, description: 'Which cases to list.' }) filter?: CaseFilter,
    @Arg('orderBy', () => CaseOrder, { nullable: true, description: 'The order of the list; latest opened first when not given.' }) orderBy?: CaseOrder,
  ) {
    return toConnection(CaseConnection, await findCases(ctx, filter, orderBy, page));
  }

  @Query(() => Case, { nullable: true, description: 'One case by its global id or its number (exactly one); null when there is none or the caller may not see it.' })
  @Allow('cases.read')
  async case(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { nullable: true, description: 'The global id of the case.' }) id?: string,
    @Arg('number', () => String, { nullable: true, description: 'The number of the case, e.g. 54-2024-000123.' }) number?: string,
  ): Promise<Case | null> {
    if ((id == null) === (number == null)) throw badField(id == null ? 'id' : 'number', 'give exactly one of id and number');
    if (id != null) return caseById(ctx).load(expectGlobalId(id, 'Case', 'id'));
    if (number!.length > 40) throw badField('number', 'must be at most 40 characters long');
    return findCaseByNumber(ctx, number!);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Family, { nullable: true, description: 'The family of the case (CASE_META).' })
  family(@Root() item: Case, @Ctx() ctx: Context): Resolved<Family | null> {
    return familyById(ctx).get(item.familyId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [Person], { nullable: true, description: 'The children in focus of the case, oldest first; their fields carry their own classes (CASE_META).' })
  children(@Root() item: Case, @Ctx() ctx: Context): Resolved<Person[]> {
    return childrenByCaseId(ctx).get(item.localId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => StaffMember, { nullable: true, description: 'The case manager (social agent) of the case; null while none is assigned (CASE_META).' })
  caseManager(@Root() item: Case, @Ctx() ctx: Context): Resolved<StaffMember | null> | null {
    return item.caseManagerId ? staffById(ctx).get(item.caseManagerId) : null;
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Agency, { nullable: true, description: 'The lead agency of the case (CASE_META).' })
  leadAgency(@Root() item: Case, @Ctx() ctx: Context): Resolved<Agency | null> {
    return agencyById(ctx).get(item.leadAgencyId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Region, { nullable: true, description: 'The region of the case (CASE_META).' })
  region(@Root() item: Case, @Ctx() ctx: Context): Resolved<Region | null> {
    return regionByCode(ctx).get(item.regionCode);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [Program], { nullable: true, description: 'The programmes the case is enrolled in, by name (CASE_META).' })
  programs(@Root() item: Case, @Ctx() ctx: Context): Resolved<Program[]> {
    return programsByCaseId(ctx).get(item.localId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [CaseParticipant], {
    nullable: true,
    description: 'The team of the case: who may see it and why (lead, team, referral, conference, emergency), in the order granted (CASE_META).',
  })
  participants(
    @Root() item: Case,
    @Ctx() ctx: Context,
    @Arg('includeInactive', () => Boolean, { nullable: true, description: 'Also list revoked and expired grants (default false).' }) includeInactive?: boolean,
  ): Resolved<CaseParticipant[]> {
    return andThen(participantsByCaseId(ctx).get(item.localId), (all) => (includeInactive ? all : all.filter((p) => p.active)));
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [CaseStatusChange], { nullable: true, description: 'The status history of the case, oldest first (CASE_META).' })
  statusHistory(@Root() item: Case, @Ctx() ctx: Context): Resolved<CaseStatusChange[]> {
    return statusChangesByCaseId(ctx).get(item.localId);
  }
}

@Resolver(() => Family)
export class FamilyCasesResolver {
  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => [Case], { nullable: true, description: 'The cases of the family that the caller may see, latest opened first (CASE_META).' })
  cases(@Root() family: Family, @Ctx() ctx: Context): Resolved<Case[]> {
    return casesByFamilyId(ctx).get(family.localId);
  }
}

@Resolver(() => CaseParticipant)
export class CaseParticipantResolver {
  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Case, { nullable: true, description: 'The case the participant takes part in (CASE_META).' })
  case(@Root() participant: CaseParticipant, @Ctx() ctx: Context): Resolved<Case | null> {
    return caseById(ctx).get(participant.caseId);
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => Agency, { nullable: true, description: 'The participating agency; null when the grant is to one staff member (CASE_META).' })
  agency(@Root() participant: CaseParticipant, @Ctx() ctx: Context): Resolved<Agency | null> | null {
    return participant.agencyId ? agencyById(ctx).get(participant.agencyId) : null;
  }

  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => StaffMember, { nullable: true, description: 'The participating staff member, when the grant is personal (CASE_META).' })
  staff(@Root() participant: CaseParticipant, @Ctx() ctx: Context): Resolved<StaffMember | null> | null {
    return participant.staffId ? staffById(ctx).get(participant.staffId) : null;
  }
}

@Resolver(() => CaseStatusChange)
export class CaseStatusChangeResolver {
  @Guard(FieldClass.CASE_META)
  @FieldResolver(() => StaffMember, { nullable: true, description: 'The staff member who moved the case; null for a partner system (CASE_META).' })
  changedBy(@Root() change: CaseStatusChange, @Ctx() ctx: Context): Resolved<StaffMember | null> | null {
    return change.changedByStaffId ? staffById(ctx).get(change.changedByStaffId) : null;
  }
}
