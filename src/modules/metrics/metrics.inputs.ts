import { Field, Float, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { MutationInput } from '../../core/graphql/mutation-input';
import { IsLocalDate, PROGRAM_CODE } from '../programs/program.inputs';
import { ReportedIndicatorKind } from './metrics.enums';

const REGION_CODE = /^\d{2}$/;

@InputType({ description: 'Which records outcome metrics are computed from: regions, programmes, a period and the dates of the stock counts.' })
export class OutcomeMetricsFilter {
  @Field(() => [String], {
    nullable: true,
    description:
      "Only records of the regions with these two-digit codes. Left out: every region for an administrator or analyst, the caller's own regions for a coordinator (a coordinator naming another region is refused).",
  })
  @IsOptional()
  @ArrayMinSize(1, { message: 'must name at least one region (leave it out for every region)' })
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'must not repeat a region' })
  @Matches(REGION_CODE, { each: true, message: 'must be two-digit region codes' })
  regions?: string[];

  @Field(() => [String], {
    nullable: true,
    description:
      "Only records of the programmes with these codes: records of cases enrolled in one of them, in one of the programme's regions, dated within the programme's period (see docs/METRICS.md for children's placements).",
  })
  @IsOptional()
  @ArrayMinSize(1, { message: 'must name at least one programme (leave it out for no programme filter)' })
  @ArrayMaxSize(50)
  @ArrayUnique({ message: 'must not repeat a programme' })
  @Matches(PROGRAM_CODE, { each: true, message: 'must be programme codes' })
  programs?: string[];

  @Field(() => String, { nullable: true, description: 'The first day of the period (YYYY-MM-DD, inclusive); left out: no lower bound.' })
  @IsOptional()
  @IsLocalDate()
  from?: string;

  @Field(() => String, { nullable: true, description: 'The last day of the period (YYYY-MM-DD, inclusive), not before `from`; left out: no upper bound.' })
  @IsOptional()
  @IsLocalDate()
  to?: string;

  @Field(() => String, {
    nullable: true,
    description: 'The date of the stock counts (children in institutions), taken at the beginning of that day (YYYY-MM-DD). Left out: the day after `to`, else today.',
  })
  @IsOptional()
  @IsLocalDate()
  asOf?: string;

  @Field(() => String, {
    nullable: true,
    description: 'The baseline date that the change of institutionalised children is measured against (YYYY-MM-DD, at the beginning of the day). Left out: no change is computed.',
  })
  @IsOptional()
  @IsLocalDate()
  baselineDate?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'The target group of the placement indicators: children younger than this many years at the date (1 to 18; default 4, the pilot «0–4»).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(18)
  targetAgeUnder?: number;
}

@InputType({ description: 'A figure a programme reports for one region and period because records cannot yield it.' })
export class ReportIndicatorInput extends MutationInput {
  @Field({ description: 'The code of the programme the figure belongs to.' })
  @Matches(PROGRAM_CODE, { message: 'must be a programme code' })
  program: string;

  @Field({ description: "The two-digit code of the region the figure belongs to (one of the programme's regions)." })
  @Matches(REGION_CODE, { message: 'must be a two-digit region code' })
  region: string;

  @Field(() => ReportedIndicatorKind, { description: 'What the figure measures.' })
  indicator: ReportedIndicatorKind;

  @Field({ description: "The first day of the period the figure covers (YYYY-MM-DD), within the programme's period." })
  @IsLocalDate()
  periodStart: string;

  @Field({ description: "The last day of the period the figure covers (YYYY-MM-DD), not before `periodStart`, within the programme's period." })
  @IsLocalDate()
  periodEnd: string;

  @Field(() => Float, { description: 'The figure: roubles with at most two decimals for money, a whole number otherwise; 0 to 1 000 000 000 000.' })
  @Min(0)
  @Max(1_000_000_000_000)
  value: number;

  @Field(() => String, { nullable: true, description: 'A note on the figure: its source document or how it was counted (at most 2000 characters).' })
  @IsOptional()
  @Length(1, 2000)
  note?: string | null;
}
