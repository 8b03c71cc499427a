import { registerEnumType } from 'type-graphql';

/** How a service reaches the family. */
export enum DeliveryMode {
  ON_SITE = 'ON_SITE',
  HOME = 'HOME',
  REMOTE = 'REMOTE',
  MOBILE_BRIGADE = 'MOBILE_BRIGADE',
}

/** The domain of a service type. */
export enum ServiceDomain {
  SOCIAL = 'SOCIAL',
  MEDICAL = 'MEDICAL',
  PSYCHOLOGICAL = 'PSYCHOLOGICAL',
  PEDAGOGICAL = 'PEDAGOGICAL',
  LEGAL = 'LEGAL',
  LEISURE = 'LEISURE',
  PARENTING = 'PARENTING',
  RESPITE = 'RESPITE',
  MATERIAL = 'MATERIAL',
}

registerEnumType(DeliveryMode, {
  name: 'DeliveryMode',
  description: 'How a service reaches the family.',
  valuesConfig: {
    ON_SITE: { description: "At the provider's premises." },
    HOME: { description: "At the family's home." },
    REMOTE: { description: 'Remotely, for example with tablets given to families in remote settlements.' },
    MOBILE_BRIGADE: { description: 'By a (social or inter-agency) mobile brigade visiting the family.' },
  },
});

registerEnumType(ServiceDomain, {
  name: 'ServiceDomain',
  description: 'The domain of a service type (and of a need).',
  valuesConfig: {
    SOCIAL: { description: 'Social care and social support.' },
    MEDICAL: { description: 'Medical care and rehabilitation.' },
    PSYCHOLOGICAL: { description: 'Psychological help.' },
    PEDAGOGICAL: { description: 'Pedagogical and developmental help.' },
    LEGAL: { description: 'Legal help.' },
    LEISURE: { description: 'Leisure and inclusion events.' },
    PARENTING: { description: 'Parent trainings, clubs and support groups.' },
    RESPITE: { description: 'Respite care: play rooms, social nanny.' },
    MATERIAL: { description: 'Material aid.' },
  },
});
