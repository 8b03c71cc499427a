import { registerEnumType } from 'type-graphql';

export enum ReferralStatus {
  SENT = 'SENT',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

export enum DeclineReason {
  NO_CAPACITY = 'NO_CAPACITY',
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  OUT_OF_AREA = 'OUT_OF_AREA',
  OTHER = 'OTHER',
}

export enum ReferralOutcome {
  GOT_HELP = 'GOT_HELP',
  COULD_NOT_CONTACT = 'COULD_NOT_CONTACT',
  NO_LONGER_INTERESTED = 'NO_LONGER_INTERESTED',
  REFERRED_ELSEWHERE = 'REFERRED_ELSEWHERE',
  COULD_NOT_HELP = 'COULD_NOT_HELP',
}

registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description: 'The state of a referral loop: SENT → ACCEPTED | DECLINED → COMPLETED | CANCELLED.',
  valuesConfig: {
    SENT: { description: 'Sent, awaiting an answer.' },
    ACCEPTED: { description: 'Accepted by the receiving agency (which joined the case team).' },
    DECLINED: { description: 'Declined, with a reason.' },
    COMPLETED: { description: 'Completed, with an outcome.' },
    CANCELLED: { description: 'Cancelled by the sender; any grant it gave ended.' },
  },
});
registerEnumType(DeclineReason, {
  name: 'DeclineReason',
  description: 'Why a referral was declined.',
  valuesConfig: { NO_CAPACITY: { description: 'No capacity.' }, NOT_ELIGIBLE: { description: 'The family is not eligible.' }, OUT_OF_AREA: { description: 'Out of the service area.' }, OTHER: { description: 'Another reason.' } },
});
registerEnumType(ReferralOutcome, {
  name: 'ReferralOutcome',
  description: 'How a completed referral ended.',
  valuesConfig: {
    GOT_HELP: { description: 'The family got help.' },
    COULD_NOT_CONTACT: { description: 'The family could not be contacted.' },
    NO_LONGER_INTERESTED: { description: 'The family no longer wanted the service.' },
    REFERRED_ELSEWHERE: { description: 'Referred elsewhere.' },
    COULD_NOT_HELP: { description: 'The agency could not help.' },
  },
});
