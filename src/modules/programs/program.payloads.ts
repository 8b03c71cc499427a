import { Field, ObjectType } from 'type-graphql';
import { Program } from './program.type';

@ObjectType({ description: 'The result of `createProgram`.' })
export class CreateProgramPayload {
  @Field(() => Program, { description: 'The programme created.' })
  program: Program;
}

@ObjectType({ description: 'The result of `updateProgram`.' })
export class UpdateProgramPayload {
  @Field(() => Program, { description: 'The programme as changed.' })
  program: Program;
}
