import { registerEnumType } from 'type-graphql';

export enum CaseStatus {
  REFERRED = 'REFERRED',
  ASSESSMENT = 'ASSESSMENT',
  ACTIVE = 'ACTIVE',
  MONITORING = 'MONITORING',
  CLOSED = 'CLOSED',
}

export enum RiskLevel {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}

export enum CaseSource {
  EARLY_DETECTION = 'EARLY_DETECTION',
  SELF_REFERRAL = 'SELF_REFERRAL',
  SCHOOL = 'SCHOOL',
  KINDERGARTEN = 'KINDERGARTEN',
  HOSPITAL = 'HOSPITAL',
  POLICE = 'POLICE',
  NGO = 'NGO',
  GUARDIANSHIP = 'GUARDIANSHIP',
  SOCIAL_SERVICE = 'SOCIAL_SERVICE',
  OTHER = 'OTHER',
}

export enum CaseClosureOutcome {
  GOALS_ACHIEVED = 'GOALS_ACHIEVED',
  FAMILY_STABILISED = 'FAMILY_STABILISED',
  CHILD_RETURNED_TO_FAMILY = 'CHILD_RETURNED_TO_FAMILY',
  CHILD_PLACED_IN_FAMILY_CARE = 'CHILD_PLACED_IN_FAMILY_CARE',
  CHILD_PLACED_IN_INSTITUTION = 'CHILD_PLACED_IN_INSTITUTION',
  FAMILY_MOVED = 'FAMILY_MOVED',
  FAMILY_REFUSED = 'FAMILY_REFUSED',
  OTHER = 'OTHER',
}

/** Why an agency or a person may see a case. */
export enum GrantKind {
  LEAD = 'LEAD',
  TEAM = 'TEAM',
  REFERRAL = 'REFERRAL',
  CONFERENCE = 'CONFERENCE',
  EMERGENCY = 'EMERGENCY',
}

export enum NeedStatus {
  IDENTIFIED = 'IDENTIFIED',
  BEING_MET = 'BEING_MET',
  MET = 'MET',
  NOT_MET = 'NOT_MET',
}

export enum PlanStepStatus {
  PLANNED = 'PLANNED',
  IN_PROGRESS = 'IN_PROGRESS',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
}

registerEnumType(CaseStatus, {
  name: 'CaseStatus',
  description: 'The lifecycle status of a case: REFERRED → ASSESSMENT → ACTIVE → MONITORING → CLOSED.',
  valuesConfig: {
    REFERRED: { description: 'Reported to the registry; not yet assessed.' },
    ASSESSMENT: { description: "The family's needs are being assessed." },
    ACTIVE: { description: 'The route of help is being carried out.' },
    MONITORING: { description: 'Help is done; the family is being monitored.' },
    CLOSED: { description: 'Closed, with an outcome.' },
  },
});
registerEnumType(RiskLevel, {
  name: 'RiskLevel',
  description: 'The risk level of a case.',
  valuesConfig: { LOW: { description: 'Low risk.' }, MEDIUM: { description: 'Medium risk.' }, HIGH: { description: 'High risk.' }, CRITICAL: { description: 'Critical: a child may be placed in an institution.' } },
});
registerEnumType(CaseSource, {
  name: 'CaseSource',
  description: 'Where a case came from.',
  valuesConfig: {
    EARLY_DETECTION: { description: 'Early detection of family trouble.' },
    SELF_REFERRAL: { description: 'The family asked for help itself.' },
    SCHOOL: { description: 'Reported by a school.' },
    KINDERGARTEN: { description: 'Reported by a kindergarten.' },
    HOSPITAL: { description: 'Reported by a hospital or polyclinic.' },
    POLICE: { description: 'Reported by the police.' },
    NGO: { description: 'Reported by a non-profit organisation.' },
    GUARDIANSHIP: { description: 'Reported by the guardianship authority.' },
    SOCIAL_SERVICE: { description: 'Reported by a social service.' },
    OTHER: { description: 'Another source.' },
  },
});
registerEnumType(CaseClosureOutcome, {
  name: 'CaseClosureOutcome',
  description: 'The outcome with which a case was closed.',
  valuesConfig: {
    GOALS_ACHIEVED: { description: 'The goals of the route of help were achieved.' },
    FAMILY_STABILISED: { description: 'The family situation is stable.' },
    CHILD_RETURNED_TO_FAMILY: { description: 'The child returned to the birth family.' },
    CHILD_PLACED_IN_FAMILY_CARE: { description: 'The child was placed under guardianship or in a foster family.' },
    CHILD_PLACED_IN_INSTITUTION: { description: 'The child was placed in an institution.' },
    FAMILY_MOVED: { description: 'The family moved away.' },
    FAMILY_REFUSED: { description: 'The family refused help.' },
    OTHER: { description: 'Another outcome.' },
  },
});
registerEnumType(GrantKind, {
  name: 'GrantKind',
  description: 'Why an agency or a person may see a case.',
  valuesConfig: {
    LEAD: { description: 'The lead agency of the case.' },
    TEAM: { description: 'A member of the case team.' },
    REFERRAL: { description: 'An agency that accepted a referral.' },
    CONFERENCE: { description: 'A participant of a conference that has the case on its agenda (meta and identity only).' },
    EMERGENCY: { description: 'Break-the-glass access for 24 hours, with a reason; audited.' },
  },
});
registerEnumType(NeedStatus, {
  name: 'NeedStatus',
  description: 'The status of a need of a family.',
  valuesConfig: { IDENTIFIED: { description: 'Identified.' }, BEING_MET: { description: 'Being met.' }, MET: { description: 'Met.' }, NOT_MET: { description: 'Could not be met.' } },
});
registerEnumType(PlanStepStatus, {
  name: 'PlanStepStatus',
  description: 'The status of a step of the route of help.',
  valuesConfig: { PLANNED: { description: 'Planned.' }, IN_PROGRESS: { description: 'In progress.' }, DONE: { description: 'Done.' }, CANCELLED: { description: 'Cancelled.' } },
});

/** The columns a list of cases can be ordered by. */
export enum CaseOrderField {
  OPENED_ON = 'OPENED_ON',
  UPDATED_AT = 'UPDATED_AT',
  NUMBER = 'NUMBER',
  RISK_LEVEL = 'RISK_LEVEL',
}

/** The direction of an order. */
export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(CaseOrderField, {
  name: 'CaseOrderField',
  description: 'A column a list of cases can be ordered by (ties are broken by the case id).',
  valuesConfig: {
    OPENED_ON: { description: 'The date the case was opened.' },
    UPDATED_AT: { description: 'When the case was last changed.' },
    NUMBER: { description: 'The number of the case.' },
    RISK_LEVEL: { description: 'The risk level, LOW < MEDIUM < HIGH < CRITICAL.' },
  },
});
registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description: 'The direction of an order.',
  valuesConfig: { ASC: { description: 'Ascending: smallest, earliest or lowest first.' }, DESC: { description: 'Descending: largest, latest or highest first.' } },
});
