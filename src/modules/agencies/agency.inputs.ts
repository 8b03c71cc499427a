import { Field, ID, InputType } from 'type-graphql';
import { IsOptional, Length, Matches } from 'class-validator';
import { AgencyKind } from '../../core/auth/roles';

@InputType({ description: 'Which agencies to list.' })
export class AgencyFilter {
  @Field(() => AgencyKind, { nullable: true, description: 'Only agencies of this kind.' })
  kind?: AgencyKind;

  @Field(() => String, { nullable: true, description: 'Only agencies of the region with this code.' })
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'must be a two-digit region code' })
  region?: string;

  @Field(() => ID, { nullable: true, description: 'Only the units of this agency.' })
  parent?: string;

  @Field(() => String, { nullable: true, description: 'Only agencies whose name contains this text (case-insensitive).' })
  @IsOptional()
  @Length(1, 100)
  search?: string;
}
