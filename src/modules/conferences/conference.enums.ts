import { registerEnumType } from 'type-graphql';

export enum ConferenceStatus {
  SCHEDULED = 'SCHEDULED',
  HELD = 'HELD',
  CANCELLED = 'CANCELLED',
}

export enum ConferenceFormat {
  IN_PERSON = 'IN_PERSON',
  REMOTE = 'REMOTE',
}

export enum ConferenceItemOutcome {
  CONTINUE = 'CONTINUE',
  CHANGE_PLAN = 'CHANGE_PLAN',
  CLOSE_CASE = 'CLOSE_CASE',
  ESCALATE = 'ESCALATE',
}

export enum DecisionStatus {
  OPEN = 'OPEN',
  DONE = 'DONE',
}

registerEnumType(ConferenceStatus, {
  name: 'ConferenceStatus',
  description: 'The status of an inter-agency case conference: SCHEDULED → HELD | CANCELLED.',
  valuesConfig: { SCHEDULED: { description: 'Scheduled.' }, HELD: { description: 'Held.' }, CANCELLED: { description: 'Cancelled.' } },
});
registerEnumType(ConferenceFormat, {
  name: 'ConferenceFormat',
  description: 'How a conference meets.',
  valuesConfig: { IN_PERSON: { description: 'Face to face.' }, REMOTE: { description: 'Remotely.' } },
});
registerEnumType(ConferenceItemOutcome, {
  name: 'ConferenceItemOutcome',
  description: 'What a conference decided about a case on its agenda.',
  valuesConfig: {
    CONTINUE: { description: 'Continue the current route of help.' },
    CHANGE_PLAN: { description: 'Change the route of help.' },
    CLOSE_CASE: { description: 'Close the case.' },
    ESCALATE: { description: 'Escalate to a higher level.' },
  },
});
registerEnumType(DecisionStatus, {
  name: 'DecisionStatus',
  description: 'The status of a conference decision (overdue is computed from the due date).',
  valuesConfig: { OPEN: { description: 'Not yet carried out.' }, DONE: { description: 'Carried out.' } },
});
