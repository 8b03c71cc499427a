import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../core/graphql/node';
import { toGlobalId } from '../../core/graphql/global-id';
import { ConnectionType } from '../../core/graphql/connection';
import { raw } from '../../core/sql';

export interface ProgramRow {
  id: string;
  code: string;
  name: string;
  funder: string;
  region_codes: string[];
  starts_on: string;
  ends_on: string | null;
  budget_rub: string | null;
  description: string | null;
  version: number;
}

/** The columns of a program row as `ProgramRow` expects them: dates and money as text, so no time zone or float creeps in. */
export const PROGRAM_COLUMNS = raw(
  'p.id, p.code, p.name, p.funder, p.region_codes, p.starts_on::text AS starts_on, p.ends_on::text AS ends_on, p.budget_rub::text AS budget_rub, p.description, p.version',
);

@ObjectType({ implements: Node, description: 'A project or pilot that cases are enrolled in, with its funder, regions, period and budget.' })
export class Program extends Node {
  localId: string;
  regionCodes: string[];

  @Field({ description: 'The code of the programme, e.g. "PILOT-0-4" (stable key for partners and metrics).' })
  code: string;

  @Field({ description: 'The name of the programme, as its documents give it.' })
  name: string;

  @Field({ description: 'The funder (or initiator) of the programme, e.g. "Фонд президентских грантов".' })
  funder: string;

  @Field({ description: 'The first day of the programme (ISO date, YYYY-MM-DD).' })
  startsOn: string;

  @Field(() => String, { nullable: true, description: 'The last day of the programme (ISO date, YYYY-MM-DD); null while it has no end date.' })
  endsOn: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The budget of the programme in roubles, as a decimal string with two decimals (e.g. "1390700.00") so that no precision is lost; null when not known.',
  })
  budgetRub: string | null;

  @Field(() => String, { nullable: true, description: 'The description of the programme: aims, partners, reported spending.' })
  description: string | null;

  @Field(() => Int, { description: 'The version of the programme record, for optimistic concurrency.' })
  version: number;

  static from(row: ProgramRow): Program {
    return Object.assign(new Program(), {
      id: toGlobalId('Program', row.id),
      localId: String(row.id),
      regionCodes: row.region_codes,
      code: row.code,
      name: row.name,
      funder: row.funder,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
      budgetRub: row.budget_rub,
      description: row.description,
      version: row.version,
    });
  }
}

export const ProgramConnection = ConnectionType(Program, 'Program', 'programmes');
