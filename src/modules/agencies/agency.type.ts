import { Field, ID, Int, ObjectType } from 'type-graphql';
import { AgencyKind, Role } from '../../core/auth/roles';
import { Node } from '../../core/graphql/node';
import { toGlobalId } from '../../core/graphql/global-id';
import { ConnectionType } from '../../core/graphql/connection';

/** A federal subject of Russia where families, agencies and cases are. */
@ObjectType({ implements: Node, description: 'A region (federal subject) of Russia.' })
export class Region extends Node {
  @Field({ description: 'The two-digit code of the region, e.g. "54" for Novosibirsk (stable key).' })
  code: string;

  @Field({ description: 'The name of the region.' })
  name: string;

  static from(row: { code: string; name: string }): Region {
    return Object.assign(new Region(), { id: toGlobalId('Region', row.code.padStart(2, '0')), code: row.code, name: row.name });
  }
}

export interface AgencyRow {
  id: string;
  name: string;
  short_name: string | null;
  kind: AgencyKind;
  region_code: string;
  parent_id: string | null;
  settlement: string | null;
  active: boolean;
  version: number;
}

@ObjectType({ implements: Node, description: 'An organisation taking part in the registry, or one of its units.' })
export class Agency extends Node {
  localId: string;
  regionCode: string;
  parentId: string | null;

  @Field({ description: 'The full name of the agency.' })
  name: string;

  @Field(() => String, { nullable: true, description: 'The short name of the agency, e.g. "КЦСОН РК".' })
  shortName: string | null;

  @Field(() => AgencyKind, { description: 'The kind of the agency, which decides what its staff may read.' })
  kind: AgencyKind;

  @Field(() => String, { nullable: true, description: 'The settlement where the agency (or unit) works.' })
  settlement: string | null;

  @Field({ description: 'Whether the agency is active in the registry.' })
  active: boolean;

  @Field(() => Int, { description: 'The version of the agency record, for optimistic concurrency.' })
  version: number;

  static from(row: AgencyRow): Agency {
    return Object.assign(new Agency(), {
      id: toGlobalId('Agency', row.id),
      localId: String(row.id),
      regionCode: row.region_code,
      parentId: row.parent_id === null ? null : String(row.parent_id),
      name: row.name,
      shortName: row.short_name,
      kind: row.kind,
      settlement: row.settlement,
      active: row.active,
      version: row.version,
    });
  }
}

export const AgencyConnection = ConnectionType(Agency, 'Agency', 'agencies');

export interface StaffRow {
  id: string;
  agency_id: string;
  full_name: string;
  position: string;
  email: string | null;
  roles: string[];
  active: boolean;
  version: number;
}

@ObjectType({ implements: Node, description: 'A person working for an agency: social worker, psychologist, paediatrician...' })
export class StaffMember extends Node {
  localId: string;
  agencyId: string;

  @Field({ description: 'The full name of the staff member.' })
  fullName: string;

  @Field({ description: 'The position of the staff member, e.g. "логопед".' })
  position: string;

  @Field(() => String, { nullable: true, description: 'The work e-mail of the staff member.' })
  email: string | null;

  @Field(() => [Role], { description: 'The roles the staff member holds in the registry.' })
  roles: Role[];

  @Field({ description: 'Whether the staff member is active.' })
  active: boolean;

  @Field(() => Int, { description: 'The version of the staff member record, for optimistic concurrency.' })
  version: number;

  static from(row: StaffRow): StaffMember {
    return Object.assign(new StaffMember(), {
      id: toGlobalId('StaffMember', row.id),
      localId: String(row.id),
      agencyId: String(row.agency_id),
      fullName: row.full_name,
      position: row.position,
      email: row.email,
      roles: row.roles as Role[],
      active: row.active,
      version: row.version,
    });
  }
}

export const StaffMemberConnection = ConnectionType(StaffMember, 'StaffMember', 'staff members');

@ObjectType({ description: 'The caller of the request, as the token and the registry know them.' })
export class Viewer {
  agencyId: string;
  staffId: string | null;

  @Field({ description: 'The subject of the token: a staff member id or a partner system client id.' })
  subject: string;

  @Field(() => [Role], { description: 'The roles of the caller.' })
  roles: Role[];

  @Field(() => [String], { description: 'The codes of the regions the caller works in.' })
  regionCodes: string[];

  @Field(() => ID, { description: 'The global id of the caller\'s agency.' })
  agencyGlobalId: string;
}
