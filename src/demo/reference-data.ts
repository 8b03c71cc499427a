import type { DataSource, EntityManager } from 'typeorm';
import { AgencyKind, Role } from '../core/auth/roles';
import { AgencyEntity, RegionEntity, StaffMemberEntity } from '../modules/agencies/agency.entity';
import { ServiceOfferingEntity, ServiceTypeEntity } from '../modules/providers/provider.entity';
import { DeliveryMode, ServiceDomain } from '../modules/providers/provider.enums';
import { ProgramEntity } from '../modules/programs/program.entity';

/*
 * The demo registry's reference data, drawn from the five seed texts (shared/seeds): the organisations they
 * name, in Russian as the seeds write them, their units, staff, the service catalogue, offerings and programmes.
 * Organisations and facts the seeds name are kept as given. Staff names, kindergarten/hospital names where the
 * seeds give none, capacities and age ranges are invented for the demo (no real person is named).
 * Other demo steps find rows by the stable keys below (`findDemoAgency(db, 'kcson-rk')` etc.).
 */

const { SOCIAL_PROTECTION, HEALTH, EDUCATION, GUARDIANSHIP, NGO } = AgencyKind;
const { ON_SITE, HOME, REMOTE, MOBILE_BRIGADE } = DeliveryMode;
const { ADMIN, COORDINATOR, CASE_MANAGER, SPECIALIST, ANALYST } = Role;

/** The five regions of the seeds. */
export const DEMO_REGIONS = [
  { code: '10', name: 'Республика Карелия' },
  { code: '23', name: 'Краснодарский край' },
  { code: '51', name: 'Мурманская область' },
  { code: '54', name: 'Новосибирская область' },
  { code: '63', name: 'Самарская область' },
];

interface DemoAgencySpec {
  key: string;
  name: string;
  shortName?: string;
  kind: AgencyKind;
  region: string;
  settlement?: string;
  /** The key of the agency this one is a unit of (listed before it). */
  parent?: string;
}

const KCSON_RK = 'ГБУ СО «КЦСОН РК»';

export const DEMO_AGENCIES = [
  // Karelia (seed 000): the state social-service centre, its rehabilitation departments and mobile brigade, and its NGO partner.
  { key: 'kcson-rk', name: 'ГБУ СО «Комплексный центр социального обслуживания населения Республики Карелия»', shortName: KCSON_RK, kind: SOCIAL_PROTECTION, region: '10', settlement: 'Петрозаводск' },
  { key: 'kcson-rk-petrozavodsk', name: `Петрозаводское отделение социальной реабилитации ${KCSON_RK}`, shortName: 'Петрозаводское ОСР', kind: SOCIAL_PROTECTION, region: '10', settlement: 'Петрозаводск', parent: 'kcson-rk' },
  { key: 'kcson-rk-olonets', name: `Олонецкое отделение социальной реабилитации ${KCSON_RK}`, shortName: 'Олонецкое ОСР', kind: SOCIAL_PROTECTION, region: '10', settlement: 'Олонец', parent: 'kcson-rk' },
  { key: 'kcson-rk-kostomuksha', name: `Костомукшское отделение социальной реабилитации ${KCSON_RK}`, shortName: 'Костомукшское ОСР', kind: SOCIAL_PROTECTION, region: '10', settlement: 'Костомукша', parent: 'kcson-rk' },
  { key: 'kcson-rk-mobile-brigade', name: `Социальная мобильная бригада ${KCSON_RK}`, shortName: 'Социальная мобильная бригада', kind: SOCIAL_PROTECTION, region: '10', settlement: 'Петрозаводск', parent: 'kcson-rk' },
  { key: 'save-the-children', name: 'Российское представительство объединения «Спасем Детей» (Норвегия)', shortName: 'РПО «Спасем детей»', kind: NGO, region: '10' },

  // Murmansk (seed 001): SOS Murmansk and the three districts' social-service centres, education departments and partners.
  { key: 'sos-murmansk', name: 'Социальный центр – SOS Мурманск', shortName: 'SOS Мурманск', kind: NGO, region: '51', settlement: 'Мурманск' },
  { key: 'kcson-kovdor', name: 'Комплексный центр социального обслуживания населения Ковдорского района', shortName: 'КЦСОН Ковдорского района', kind: SOCIAL_PROTECTION, region: '51', settlement: 'Ковдор' },
  { key: 'kcson-kandalaksha', name: 'Комплексный центр социального обслуживания населения Кандалакшского района', shortName: 'КЦСОН Кандалакшского района', kind: SOCIAL_PROTECTION, region: '51', settlement: 'Кандалакша' },
  { key: 'kcson-lovozero', name: 'Комплексный центр социального обслуживания населения Ловозерского района', shortName: 'КЦСОН Ловозерского района', kind: SOCIAL_PROTECTION, region: '51', settlement: 'Ловозеро' },
  { key: 'education-kovdor', name: 'Управление образования администрации Ковдорского района', kind: EDUCATION, region: '51', settlement: 'Ковдор' },
  { key: 'education-kandalaksha', name: 'Управление образования администрации Кандалакшского района', kind: EDUCATION, region: '51', settlement: 'Кандалакша' },
  { key: 'education-lovozero', name: 'Управление образования администрации Ловозерского района', kind: EDUCATION, region: '51', settlement: 'Ловозеро' },
  { key: 'polyclinic-kandalaksha', name: 'Детская поликлиника Кандалакшской центральной районной больницы', shortName: 'Детская поликлиника Кандалакшской ЦРБ', kind: HEALTH, region: '51', settlement: 'Кандалакша' },
  { key: 'guardianship-kandalaksha', name: 'Отдел опеки и попечительства администрации Кандалакшского района', kind: GUARDIANSHIP, region: '51', settlement: 'Кандалакша' },

  // Krasnodar (seed 002): the ministry leading the regional working group, the methodological centre,
  // territorial "Children in the family" services, a parent club, and partners in education, health and guardianship.
  { key: 'mintrud-krasnodar', name: 'Министерство труда и социального развития Краснодарского края', shortName: 'Минтруд Краснодарского края', kind: SOCIAL_PROTECTION, region: '23', settlement: 'Краснодар' },
  { key: 'methodical-centre-krasnodar', name: 'Краевой методический центр министерства труда и социального развития Краснодарского края', shortName: 'Краевой методический центр', kind: SOCIAL_PROTECTION, region: '23', settlement: 'Краснодар' },
  { key: 'children-in-family-krasnodar', name: 'Территориальная служба «Дети в семье» г. Краснодара', shortName: 'Служба «Дети в семье» (Краснодар)', kind: SOCIAL_PROTECTION, region: '23', settlement: 'Краснодар' },
  { key: 'children-in-family-sochi', name: 'Территориальная служба «Дети в семье» г. Сочи', shortName: 'Служба «Дети в семье» (Сочи)', kind: SOCIAL_PROTECTION, region: '23', settlement: 'Сочи' },
  { key: 'children-in-family-armavir', name: 'Территориальная служба «Дети в семье» г. Армавира', shortName: 'Служба «Дети в семье» (Армавир)', kind: SOCIAL_PROTECTION, region: '23', settlement: 'Армавир' },
  { key: 'parent-club-krasnodar', name: 'Родительский клуб «Устойчивая семья» (Краснодар)', shortName: 'Клуб «Устойчивая семья»', kind: SOCIAL_PROTECTION, region: '23', settlement: 'Краснодар', parent: 'children-in-family-krasnodar' },
  { key: 'inclusive-kindergarten-krasnodar', name: 'Инклюзивный детский сад № 12 г. Краснодара', shortName: 'Инклюзивный детский сад № 12', kind: EDUCATION, region: '23', settlement: 'Краснодар' },
  { key: 'childrens-hospital-krasnodar', name: 'Детская краевая клиническая больница (Краснодар)', shortName: 'ДККБ', kind: HEALTH, region: '23', settlement: 'Краснодар' },
  { key: 'guardianship-krasnodar', name: 'Управление по вопросам семьи и детства администрации г. Краснодара', shortName: 'Орган опеки г. Краснодара', kind: GUARDIANSHIP, region: '23', settlement: 'Краснодар' },

  // Samara (seed 003): "Circle of care" in Tolyatti: the trainers, the district's social protection, the KCSON with
  // its social agents, and the rehabilitation centre "Viktoria"; the regional ministry for metrics.
  { key: 'ministry-samara', name: 'Министерство социально-демографической и семейной политики Самарской области', shortName: 'Минсоцдемографии Самарской области', kind: SOCIAL_PROTECTION, region: '63', settlement: 'Самара' },
  { key: 'family-centre-samara', name: 'Областной центр социальной помощи семье и детям', shortName: 'Областной центр помощи семье и детям', kind: SOCIAL_PROTECTION, region: '63', settlement: 'Самара' },
  { key: 'guszn-central', name: 'Главное управление социальной защиты населения Центрального округа', shortName: 'ГУСЗН Центрального округа', kind: SOCIAL_PROTECTION, region: '63', settlement: 'Тольятти' },
  { key: 'kcson-central', name: 'Комплексный центр социального обслуживания населения Центрального округа', shortName: 'КЦСОН Центрального округа', kind: SOCIAL_PROTECTION, region: '63', settlement: 'Тольятти' },
  { key: 'viktoria', name: 'Реабилитационный центр для детей и подростков с ограниченными возможностями «Виктория»', shortName: 'РЦ «Виктория»', kind: HEALTH, region: '63', settlement: 'Тольятти' },

  // Novosibirsk (seed 004): the ministry, the regional "Children in the family" service, its two NGO partners,
  // and an institution, guardianship and a hospital around the children of the target group.
  { key: 'mintrud-novosibirsk', name: 'Министерство труда и социального развития Новосибирской области', shortName: 'Минтруд НСО', kind: SOCIAL_PROTECTION, region: '54', settlement: 'Новосибирск' },
  { key: 'children-in-family-novosibirsk', name: 'Региональная служба «Дети в семье» Новосибирской области', shortName: 'Служба «Дети в семье» (НСО)', kind: SOCIAL_PROTECTION, region: '54', settlement: 'Новосибирск' },
  { key: 'vmeste', name: 'Негосударственный центр помощи семье и детям «Вместе»', shortName: 'Центр «Вместе»', kind: NGO, region: '54', settlement: 'Новосибирск' },
  { key: 'solnechny-gorod', name: 'Благотворительный фонд «Солнечный город»', shortName: 'БФ «Солнечный город»', kind: NGO, region: '54', settlement: 'Новосибирск' },
  { key: 'childrens-home-novosibirsk', name: 'Дом ребёнка Новосибирской области (социальное учреждение для детей раннего возраста)', shortName: 'Дом ребёнка НСО', kind: SOCIAL_PROTECTION, region: '54', settlement: 'Новосибирск' },
  { key: 'guardianship-novosibirsk', name: 'Отдел опеки и попечительства администрации Ленинского района г. Новосибирска', shortName: 'Опека Ленинского района', kind: GUARDIANSHIP, region: '54', settlement: 'Новосибирск' },
  { key: 'childrens-hospital-novosibirsk', name: 'Детская городская клиническая больница (Новосибирск)', shortName: 'ДГКБ (Новосибирск)', kind: HEALTH, region: '54', settlement: 'Новосибирск' },
] as const satisfies readonly DemoAgencySpec[];

export type DemoAgencyKey = (typeof DEMO_AGENCIES)[number]['key'];

interface DemoStaffSpec {
  key: string;
  agency: DemoAgencyKey;
  fullName: string;
  position: string;
  roles: readonly Role[];
}

/**
 * Staff (invented names). The first CASE_MANAGER is a social agent of "Circle of care": the development token
 * printed at start goes to them.
 */
export const DEMO_STAFF = [
  // Samara: social agents first.
  { key: 'samara-social-agent', agency: 'kcson-central', fullName: 'Соколова Анна Викторовна', position: 'социальный агент проекта «Круг заботы» (специалист по социальной работе)', roles: [CASE_MANAGER] },
  { key: 'samara-social-agent-2', agency: 'kcson-central', fullName: 'Гришин Павел Андреевич', position: 'социальный агент проекта «Круг заботы»', roles: [CASE_MANAGER] },
  { key: 'samara-psychologist', agency: 'kcson-central', fullName: 'Мельникова Ольга Сергеевна', position: 'психолог', roles: [SPECIALIST] },
  { key: 'samara-play-room-carer', agency: 'kcson-central', fullName: 'Тарасова Елена Николаевна', position: 'воспитатель игровой комнаты кратковременного пребывания', roles: [SPECIALIST] },
  { key: 'samara-coordinator', agency: 'family-centre-samara', fullName: 'Белова Ирина Александровна', position: 'координатор проекта «Круг заботы»', roles: [COORDINATOR] },
  { key: 'samara-centre-psychologist', agency: 'family-centre-samara', fullName: 'Кузнецова Мария Дмитриевна', position: 'психолог', roles: [SPECIALIST] },
  { key: 'samara-lawyer', agency: 'family-centre-samara', fullName: 'Орлов Денис Игоревич', position: 'юрист', roles: [SPECIALIST] },
  { key: 'samara-analyst', agency: 'ministry-samara', fullName: 'Фролова Наталья Петровна', position: 'консультант отдела мониторинга и анализа', roles: [ANALYST] },
  { key: 'samara-guszn-specialist', agency: 'guszn-central', fullName: 'Захарова Светлана Юрьевна', position: 'главный специалист отдела по делам семьи и детей', roles: [SPECIALIST] },
  { key: 'samara-neurologist', agency: 'viktoria', fullName: 'Лебедев Андрей Николаевич', position: 'врач-невролог', roles: [SPECIALIST] },
  { key: 'samara-speech-therapist', agency: 'viktoria', fullName: 'Сорокина Татьяна Ивановна', position: 'логопед', roles: [SPECIALIST] },

  // Karelia.
  { key: 'karelia-admin', agency: 'kcson-rk', fullName: 'Петрова Наталья Владимировна', position: 'администратор информационной системы', roles: [ADMIN] },
  { key: 'karelia-coordinator', agency: 'kcson-rk', fullName: 'Васильева Галина Михайловна', position: 'заместитель директора, координатор проекта «Детство под защитой»', roles: [COORDINATOR] },
  { key: 'karelia-case-manager', agency: 'kcson-rk-petrozavodsk', fullName: 'Иванова Мария Петровна', position: 'специалист по социальной работе (куратор семьи)', roles: [CASE_MANAGER] },
  { key: 'karelia-lekoteka-psychologist', agency: 'kcson-rk-petrozavodsk', fullName: 'Никитина Светлана Олеговна', position: 'психолог, специалист Лекотеки', roles: [SPECIALIST] },
  { key: 'karelia-speech-therapist', agency: 'kcson-rk-petrozavodsk', fullName: 'Козлова Анастасия Игоревна', position: 'логопед', roles: [SPECIALIST] },
  { key: 'karelia-olonets-case-manager', agency: 'kcson-rk-olonets', fullName: 'Федорова Оксана Юрьевна', position: 'специалист по социальной работе (куратор семьи)', roles: [CASE_MANAGER] },
  { key: 'karelia-olonets-rehabilitation', agency: 'kcson-rk-olonets', fullName: 'Ахо Людмила Викторовна', position: 'специалист по социальной реабилитации', roles: [SPECIALIST] },
  { key: 'karelia-kostomuksha-psychologist', agency: 'kcson-rk-kostomuksha', fullName: 'Смирнова Юлия Андреевна', position: 'психолог', roles: [SPECIALIST] },
  { key: 'karelia-brigade-lead', agency: 'kcson-rk-mobile-brigade', fullName: 'Морозов Алексей Сергеевич', position: 'руководитель социальной мобильной бригады', roles: [SPECIALIST] },
  { key: 'karelia-brigade-rehabilitation', agency: 'kcson-rk-mobile-brigade', fullName: 'Егорова Вера Павловна', position: 'специалист по социальной реабилитации', roles: [SPECIALIST] },
  { key: 'karelia-save-the-children', agency: 'save-the-children', fullName: 'Лаптева Ксения Андреевна', position: 'менеджер программ', roles: [SPECIALIST] },

  // Murmansk.
  { key: 'murmansk-coordinator', agency: 'sos-murmansk', fullName: 'Голубева Евгения Владимировна', position: 'руководитель проекта «От равных прав к равным возможностям»', roles: [COORDINATOR] },
  { key: 'murmansk-case-manager', agency: 'sos-murmansk', fullName: 'Яковлева Дарья Сергеевна', position: 'куратор семьи', roles: [CASE_MANAGER] },
  { key: 'murmansk-neurologist', agency: 'sos-murmansk', fullName: 'Романов Игорь Валентинович', position: 'врач-невролог мобильной бригады SOS-помощи', roles: [SPECIALIST] },
  { key: 'murmansk-psychologist', agency: 'sos-murmansk', fullName: 'Киселева Алина Романовна', position: 'психолог', roles: [SPECIALIST] },
  { key: 'murmansk-speech-therapist', agency: 'sos-murmansk', fullName: 'Павлова Людмила Геннадьевна', position: 'логопед', roles: [SPECIALIST] },
  { key: 'murmansk-lawyer', agency: 'sos-murmansk', fullName: 'Волков Сергей Анатольевич', position: 'юрист', roles: [SPECIALIST] },
  { key: 'murmansk-kovdor-social-worker', agency: 'kcson-kovdor', fullName: 'Богданова Наталья Ивановна', position: 'социальный работник', roles: [SPECIALIST] },
  { key: 'murmansk-kandalaksha-social-worker', agency: 'kcson-kandalaksha', fullName: 'Филиппова Ольга Викторовна', position: 'специалист по социальной работе', roles: [SPECIALIST] },
  { key: 'murmansk-lovozero-social-worker', agency: 'kcson-lovozero', fullName: 'Канева Мария Степановна', position: 'специалист по социальной работе', roles: [SPECIALIST] },
  { key: 'murmansk-education-specialist', agency: 'education-kandalaksha', fullName: 'Николаева Анна Борисовна', position: 'ведущий специалист по инклюзивному образованию', roles: [SPECIALIST] },
  { key: 'murmansk-kovdor-education-specialist', agency: 'education-kovdor', fullName: 'Антонова Елена Васильевна', position: 'методист по специальному образованию', roles: [SPECIALIST] },
  { key: 'murmansk-paediatrician', agency: 'polyclinic-kandalaksha', fullName: 'Зайцев Михаил Олегович', position: 'врач-педиатр', roles: [SPECIALIST] },
  { key: 'murmansk-guardianship', agency: 'guardianship-kandalaksha', fullName: 'Медведева Ирина Алексеевна', position: 'специалист по опеке и попечительству', roles: [SPECIALIST] },

  // Krasnodar.
  { key: 'krasnodar-coordinator', agency: 'mintrud-krasnodar', fullName: 'Ковалева Елена Александровна', position: 'региональный куратор проекта «0–4» по работе с семьями', roles: [COORDINATOR] },
  { key: 'krasnodar-analyst', agency: 'mintrud-krasnodar', fullName: 'Гончаров Артём Викторович', position: 'консультант отдела мониторинга', roles: [ANALYST] },
  { key: 'krasnodar-methodologist', agency: 'methodical-centre-krasnodar', fullName: 'Шевченко Оксана Николаевна', position: 'методист, супервизор', roles: [SPECIALIST] },
  { key: 'krasnodar-case-manager', agency: 'children-in-family-krasnodar', fullName: 'Кравченко Юлия Сергеевна', position: 'специалист по социальной работе (куратор случая) службы «Дети в семье»', roles: [CASE_MANAGER] },
  { key: 'krasnodar-psychologist', agency: 'children-in-family-krasnodar', fullName: 'Литвинова Марина Петровна', position: 'психолог', roles: [SPECIALIST] },
  { key: 'krasnodar-social-nanny', agency: 'children-in-family-krasnodar', fullName: 'Бондаренко Галина Ивановна', position: 'социальная няня', roles: [SPECIALIST] },
  { key: 'sochi-case-manager', agency: 'children-in-family-sochi', fullName: 'Акопян Карина Ашотовна', position: 'специалист по социальной работе (куратор случая)', roles: [CASE_MANAGER] },
  { key: 'armavir-psychologist', agency: 'children-in-family-armavir', fullName: 'Ткаченко Виктория Игоревна', position: 'психолог', roles: [SPECIALIST] },
  { key: 'krasnodar-parent-club-lead', agency: 'parent-club-krasnodar', fullName: 'Савченко Ирина Владимировна', position: 'ведущая родительского клуба', roles: [SPECIALIST] },
  { key: 'krasnodar-kindergarten-speech-therapist', agency: 'inclusive-kindergarten-krasnodar', fullName: 'Руденко Светлана Михайловна', position: 'учитель-логопед', roles: [SPECIALIST] },
  { key: 'krasnodar-kindergarten-defectologist', agency: 'inclusive-kindergarten-krasnodar', fullName: 'Мирошниченко Анна Валерьевна', position: 'учитель-дефектолог', roles: [SPECIALIST] },
  { key: 'krasnodar-neurologist', agency: 'childrens-hospital-krasnodar', fullName: 'Демченко Олег Павлович', position: 'врач-невролог', roles: [SPECIALIST] },
  { key: 'krasnodar-paediatrician', agency: 'childrens-hospital-krasnodar', fullName: 'Лысенко Татьяна Андреевна', position: 'врач-педиатр', roles: [SPECIALIST] },
  { key: 'krasnodar-guardianship', agency: 'guardianship-krasnodar', fullName: 'Гриценко Наталья Олеговна', position: 'специалист по опеке и попечительству', roles: [SPECIALIST] },

  // Novosibirsk.
  { key: 'novosibirsk-coordinator', agency: 'mintrud-novosibirsk', fullName: 'Ершова Валентина Николаевна', position: 'консультант, региональный координатор проекта «0–4»', roles: [COORDINATOR] },
  { key: 'novosibirsk-analyst', agency: 'mintrud-novosibirsk', fullName: 'Климов Роман Евгеньевич', position: 'аналитик отдела мониторинга', roles: [ANALYST] },
  { key: 'novosibirsk-case-manager', agency: 'children-in-family-novosibirsk', fullName: 'Панова Ксения Игоревна', position: 'куратор случая службы «Дети в семье»', roles: [CASE_MANAGER] },
  { key: 'novosibirsk-case-manager-2', agency: 'children-in-family-novosibirsk', fullName: 'Широков Максим Андреевич', position: 'куратор случая службы «Дети в семье»', roles: [CASE_MANAGER] },
  { key: 'novosibirsk-psychologist', agency: 'children-in-family-novosibirsk', fullName: 'Воронина Елизавета Сергеевна', position: 'психолог', roles: [SPECIALIST] },
  { key: 'novosibirsk-vmeste-lawyer', agency: 'vmeste', fullName: 'Комарова Анна Юрьевна', position: 'юрист', roles: [SPECIALIST] },
  { key: 'novosibirsk-vmeste-psychologist', agency: 'vmeste', fullName: 'Зуева Ольга Викторовна', position: 'психолог', roles: [SPECIALIST] },
  { key: 'novosibirsk-fund-coordinator', agency: 'solnechny-gorod', fullName: 'Данилова Евгения Олеговна', position: 'координатор программы помощи семьям', roles: [SPECIALIST] },
  { key: 'novosibirsk-childrens-home-social-worker', agency: 'childrens-home-novosibirsk', fullName: 'Ефимова Людмила Анатольевна', position: 'специалист по социальной работе', roles: [SPECIALIST] },
  { key: 'novosibirsk-guardianship', agency: 'guardianship-novosibirsk', fullName: 'Носова Алла Викторовна', position: 'специалист по опеке и попечительству', roles: [SPECIALIST] },
  { key: 'novosibirsk-neurologist', agency: 'childrens-hospital-novosibirsk', fullName: 'Герасимов Илья Олегович', position: 'врач-невролог', roles: [SPECIALIST] },
  { key: 'novosibirsk-paediatrician', agency: 'childrens-hospital-novosibirsk', fullName: 'Семенова Дарья Алексеевна', position: 'врач-педиатр', roles: [SPECIALIST] },
] as const satisfies readonly DemoStaffSpec[];

export type DemoStaffKey = (typeof DEMO_STAFF)[number]['key'];

/** The staff member the development token is issued for: the first case manager, a social agent. */
export const DEMO_DEV_STAFF: DemoStaffKey = 'samara-social-agent';

interface DemoServiceTypeSpec {
  code: string;
  name: string;
  domain: ServiceDomain;
  description: string;
}

/** The service catalogue: every service the seeds name. */
export const DEMO_SERVICE_TYPES = [
  { code: 'HOME_SOCIAL_CARE', name: 'Социальное обслуживание на дому', domain: ServiceDomain.SOCIAL, description: 'Социальные услуги в форме социального обслуживания на дому, в том числе для детей с инвалидностью.' },
  { code: 'CONSULTATION_NEUROLOGIST', name: 'Консультация невролога', domain: ServiceDomain.MEDICAL, description: 'Консультация врача-невролога, в том числе в составе выездной мобильной бригады.' },
  { code: 'CONSULTATION_PSYCHOLOGIST', name: 'Консультация психолога', domain: ServiceDomain.PSYCHOLOGICAL, description: 'Консультация психолога для ребёнка или родителей.' },
  { code: 'CONSULTATION_SPEECH_THERAPIST', name: 'Консультация логопеда', domain: ServiceDomain.PEDAGOGICAL, description: 'Консультация и занятие с логопедом.' },
  { code: 'CONSULTATION_LAWYER', name: 'Консультация юриста', domain: ServiceDomain.LEGAL, description: 'Правовая консультация семьи: льготы, меры поддержки, опека, жильё.' },
  { code: 'CONSULTATION_PAEDIATRICIAN', name: 'Консультация педиатра', domain: ServiceDomain.MEDICAL, description: 'Приём или патронаж врача-педиатра.' },
  { code: 'INDIVIDUAL_CONSULTATION', name: 'Индивидуальная консультация семьи', domain: ServiceDomain.SOCIAL, description: 'Индивидуальная консультация специалиста по вопросам семьи, воспитывающей ребёнка с инвалидностью.' },
  { code: 'LEKOTEKA_SESSION', name: 'Занятие в Лекотеке', domain: ServiceDomain.PEDAGOGICAL, description: 'Индивидуальные игровые занятия, занятия в малых подгруппах и игровые сеансы «мама и ребёнок» для детей дошкольного возраста с нарушениями развития.' },
  { code: 'SOCIAL_REHABILITATION_SESSION', name: 'Социально-реабилитационное занятие', domain: ServiceDomain.SOCIAL, description: 'Социально-реабилитационные занятия с детьми-инвалидами и детьми с ограничениями жизнедеятельности.' },
  { code: 'PARENT_TRAINING', name: 'Тренинг для родителей', domain: ServiceDomain.PARENTING, description: 'Тренинговые занятия для родителей, в том числе по ответственному родительству.' },
  { code: 'SUPPORT_GROUP', name: 'Группа психологической поддержки', domain: ServiceDomain.PARENTING, description: 'Группа психологической поддержки родителей.' },
  { code: 'PARENT_CLUB', name: 'Родительский клуб', domain: ServiceDomain.PARENTING, description: 'Встречи родительского клуба (например, «Устойчивая семья»).' },
  { code: 'LEISURE_EVENT', name: 'Досуговое мероприятие', domain: ServiceDomain.LEISURE, description: 'Досуговые мероприятия для детей из биологических и приёмных семей.' },
  { code: 'SOCIAL_NANNY', name: 'Социальная няня', domain: ServiceDomain.RESPITE, description: 'Присмотр за ребёнком на дому на время, когда родителю нужно решить насущные дела.' },
  { code: 'RESPITE_PLAY_ROOM', name: 'Игровая комната кратковременного пребывания', domain: ServiceDomain.RESPITE, description: 'Специализированная детская игровая комната, где можно ненадолго оставить ребёнка с особенностями здоровья под присмотром специалистов.' },
  { code: 'INCLUSIVE_KINDERGARTEN_PLACE', name: 'Место в инклюзивном детском саду', domain: ServiceDomain.PEDAGOGICAL, description: 'Место в группе инклюзивного детского сада.' },
  { code: 'PMP_SUPPORT', name: 'Психолого-медико-педагогическое сопровождение семьи', domain: ServiceDomain.PSYCHOLOGICAL, description: 'Сопровождение семьи специалистами службы психолого-медико-педагогического сопровождения.' },
  { code: 'MATERIAL_AID', name: 'Материальная помощь', domain: ServiceDomain.MATERIAL, description: 'Материальная помощь семье: деньги, продукты, вещи, техника.' },
  { code: 'URGENT_TARGETED_AID', name: 'Оперативная адресная помощь семье', domain: ServiceDomain.MATERIAL, description: 'Срочная адресная помощь семье в кризисе через доверенную НКО.' },
  { code: 'REHABILITATION_COURSE', name: 'Курс реабилитации', domain: ServiceDomain.MEDICAL, description: 'Курс медицинской и социальной реабилитации ребёнка с ограниченными возможностями здоровья.' },
  { code: 'FAMILY_CASE_SUPPORT', name: 'Сопровождение семьи куратором случая (социальным агентом)', domain: ServiceDomain.SOCIAL, description: 'За семьёй закрепляется куратор (социальный агент), который строит маршрут помощи; служба «Дети в семье» отрабатывает каждый случай возможного помещения ребёнка в учреждение.' },
  { code: 'ADDICTION_FAMILY_REHABILITATION', name: 'Социальная реабилитация семьи с зависимостью', domain: ServiceDomain.SOCIAL, description: 'Социальная реабилитация семей с алкогольной и иной зависимостью (в том числе по квоте федеральной пилотной площадки).' },
] as const satisfies readonly DemoServiceTypeSpec[];

export type DemoServiceTypeCode = (typeof DEMO_SERVICE_TYPES)[number]['code'];

interface DemoOfferingSpec {
  provider: DemoAgencyKey;
  serviceType: DemoServiceTypeCode;
  modes: DeliveryMode[];
  ages: [number, number];
  regions: string[];
  monthlyCapacity: number | null;
  description?: string;
}

const UNDER_4: [number, number] = [0, 47];
const PRESCHOOL: [number, number] = [0, 84];
const CHILD: [number, number] = [0, 216];
const LEKOTEKA = 'Лекотека: индивидуальные игровые занятия, занятия в малых подгруппах, игровые сеансы «мама и ребёнок»; дистанционно — по планшетам, переданным семьям из отдалённых населённых пунктов.';
const SOS_BRIGADE = 'В составе выездной межведомственной мобильной бригады SOS-помощи (Ковдорский, Кандалакшский, Ловозерский районы).';

export const DEMO_OFFERINGS: readonly DemoOfferingSpec[] = [
  // Karelia: Lekoteka on site and remotely (tablets) in the three departments; the mobile brigade at home.
  { provider: 'kcson-rk-petrozavodsk', serviceType: 'LEKOTEKA_SESSION', modes: [ON_SITE, REMOTE], ages: PRESCHOOL, regions: ['10'], monthlyCapacity: 40, description: LEKOTEKA },
  { provider: 'kcson-rk-olonets', serviceType: 'LEKOTEKA_SESSION', modes: [ON_SITE, REMOTE], ages: PRESCHOOL, regions: ['10'], monthlyCapacity: 20, description: LEKOTEKA },
  { provider: 'kcson-rk-kostomuksha', serviceType: 'LEKOTEKA_SESSION', modes: [ON_SITE, REMOTE], ages: PRESCHOOL, regions: ['10'], monthlyCapacity: 20, description: LEKOTEKA },
  { provider: 'kcson-rk-petrozavodsk', serviceType: 'SOCIAL_REHABILITATION_SESSION', modes: [ON_SITE, REMOTE], ages: CHILD, regions: ['10'], monthlyCapacity: 60 },
  { provider: 'kcson-rk-olonets', serviceType: 'SOCIAL_REHABILITATION_SESSION', modes: [ON_SITE, REMOTE], ages: CHILD, regions: ['10'], monthlyCapacity: 30 },
  { provider: 'kcson-rk-kostomuksha', serviceType: 'SOCIAL_REHABILITATION_SESSION', modes: [ON_SITE, REMOTE], ages: CHILD, regions: ['10'], monthlyCapacity: 30 },
  { provider: 'kcson-rk-petrozavodsk', serviceType: 'CONSULTATION_PSYCHOLOGIST', modes: [ON_SITE, REMOTE], ages: CHILD, regions: ['10'], monthlyCapacity: 30 },
  { provider: 'kcson-rk-petrozavodsk', serviceType: 'CONSULTATION_SPEECH_THERAPIST', modes: [ON_SITE, REMOTE], ages: [24, 216], regions: ['10'], monthlyCapacity: 30 },
  { provider: 'kcson-rk-kostomuksha', serviceType: 'CONSULTATION_PSYCHOLOGIST', modes: [ON_SITE, REMOTE], ages: CHILD, regions: ['10'], monthlyCapacity: 15 },
  { provider: 'kcson-rk-mobile-brigade', serviceType: 'SOCIAL_REHABILITATION_SESSION', modes: [MOBILE_BRIGADE, HOME], ages: CHILD, regions: ['10'], monthlyCapacity: 25, description: 'Выезды к несовершеннолетним получателям социальных услуг, которые не могут сами обратиться в учреждение.' },
  { provider: 'kcson-rk-mobile-brigade', serviceType: 'CONSULTATION_PSYCHOLOGIST', modes: [MOBILE_BRIGADE, HOME], ages: CHILD, regions: ['10'], monthlyCapacity: 15 },
  { provider: 'kcson-rk', serviceType: 'HOME_SOCIAL_CARE', modes: [HOME], ages: CHILD, regions: ['10'], monthlyCapacity: 50 },
  { provider: 'kcson-rk', serviceType: 'PARENT_TRAINING', modes: [ON_SITE, REMOTE], ages: CHILD, regions: ['10'], monthlyCapacity: 20, description: 'Занятия по ответственному родительству для родителей детей с ОВЗ.' },

  // Murmansk: SOS Murmansk at home, by mobile brigade and on site; the districts' KCSONs at home.
  { provider: 'sos-murmansk', serviceType: 'HOME_SOCIAL_CARE', modes: [HOME], ages: CHILD, regions: ['51'], monthlyCapacity: 10, description: 'Социальное обслуживание на дому для детей с инвалидностью.' },
  { provider: 'sos-murmansk', serviceType: 'CONSULTATION_NEUROLOGIST', modes: [MOBILE_BRIGADE], ages: CHILD, regions: ['51'], monthlyCapacity: 8, description: SOS_BRIGADE },
  { provider: 'sos-murmansk', serviceType: 'CONSULTATION_PSYCHOLOGIST', modes: [MOBILE_BRIGADE, ON_SITE], ages: CHILD, regions: ['51'], monthlyCapacity: 15, description: SOS_BRIGADE },
  { provider: 'sos-murmansk', serviceType: 'CONSULTATION_SPEECH_THERAPIST', modes: [MOBILE_BRIGADE], ages: [24, 216], regions: ['51'], monthlyCapacity: 8, description: SOS_BRIGADE },
  { provider: 'sos-murmansk', serviceType: 'CONSULTATION_LAWYER', modes: [MOBILE_BRIGADE, REMOTE], ages: CHILD, regions: ['51'], monthlyCapacity: 8, description: SOS_BRIGADE },
  { provider: 'sos-murmansk', serviceType: 'INDIVIDUAL_CONSULTATION', modes: [ON_SITE, REMOTE], ages: CHILD, regions: ['51'], monthlyCapacity: 10 },
  { provider: 'sos-murmansk', serviceType: 'LEISURE_EVENT', modes: [ON_SITE], ages: [36, 216], regions: ['51'], monthlyCapacity: 60, description: 'Досуговые мероприятия для детей из биологических и приёмных семей.' },
  { provider: 'sos-murmansk', serviceType: 'PARENT_TRAINING', modes: [ON_SITE], ages: CHILD, regions: ['51'], monthlyCapacity: 15 },
  { provider: 'sos-murmansk', serviceType: 'SUPPORT_GROUP', modes: [ON_SITE, REMOTE], ages: CHILD, regions: ['51'], monthlyCapacity: 12 },
  { provider: 'kcson-kovdor', serviceType: 'HOME_SOCIAL_CARE', modes: [HOME], ages: CHILD, regions: ['51'], monthlyCapacity: 15 },
  { provider: 'kcson-kandalaksha', serviceType: 'HOME_SOCIAL_CARE', modes: [HOME], ages: CHILD, regions: ['51'], monthlyCapacity: 20 },
  { provider: 'kcson-lovozero', serviceType: 'HOME_SOCIAL_CARE', modes: [HOME], ages: CHILD, regions: ['51'], monthlyCapacity: 10 },
  { provider: 'education-kandalaksha', serviceType: 'PMP_SUPPORT', modes: [ON_SITE], ages: CHILD, regions: ['51'], monthlyCapacity: 10 },
  { provider: 'polyclinic-kandalaksha', serviceType: 'CONSULTATION_PAEDIATRICIAN', modes: [ON_SITE, HOME], ages: CHILD, regions: ['51'], monthlyCapacity: 200 },
  { provider: 'polyclinic-kandalaksha', serviceType: 'CONSULTATION_NEUROLOGIST', modes: [ON_SITE], ages: CHILD, regions: ['51'], monthlyCapacity: 40 },

  // Krasnodar: "Children in the family" services for children under 4, social nanny at home, parent club, inclusive kindergarten.
  { provider: 'children-in-family-krasnodar', serviceType: 'FAMILY_CASE_SUPPORT', modes: [ON_SITE, HOME], ages: UNDER_4, regions: ['23'], monthlyCapacity: 15 },
  { provider: 'children-in-family-krasnodar', serviceType: 'SOCIAL_NANNY', modes: [HOME], ages: UNDER_4, regions: ['23'], monthlyCapacity: 10, description: 'Технология «Социальная няня»: присмотр за малышом на дому.' },
  { provider: 'children-in-family-krasnodar', serviceType: 'PMP_SUPPORT', modes: [ON_SITE, HOME], ages: UNDER_4, regions: ['23'], monthlyCapacity: 12 },
  { provider: 'children-in-family-sochi', serviceType: 'FAMILY_CASE_SUPPORT', modes: [ON_SITE, HOME], ages: UNDER_4, regions: ['23'], monthlyCapacity: 10 },
  { provider: 'children-in-family-sochi', serviceType: 'SOCIAL_NANNY', modes: [HOME], ages: UNDER_4, regions: ['23'], monthlyCapacity: 6 },
  { provider: 'children-in-family-armavir', serviceType: 'FAMILY_CASE_SUPPORT', modes: [ON_SITE, HOME], ages: UNDER_4, regions: ['23'], monthlyCapacity: 8 },
  { provider: 'children-in-family-armavir', serviceType: 'CONSULTATION_PSYCHOLOGIST', modes: [ON_SITE, REMOTE], ages: UNDER_4, regions: ['23'], monthlyCapacity: 20 },
  { provider: 'parent-club-krasnodar', serviceType: 'PARENT_CLUB', modes: [ON_SITE], ages: UNDER_4, regions: ['23'], monthlyCapacity: 25 },
  { provider: 'parent-club-krasnodar', serviceType: 'SUPPORT_GROUP', modes: [ON_SITE], ages: UNDER_4, regions: ['23'], monthlyCapacity: 12 },
  { provider: 'inclusive-kindergarten-krasnodar', serviceType: 'INCLUSIVE_KINDERGARTEN_PLACE', modes: [ON_SITE], ages: [12, 84], regions: ['23'], monthlyCapacity: 5, description: 'Технология «Инклюзивный детский сад».' },
  { provider: 'inclusive-kindergarten-krasnodar', serviceType: 'CONSULTATION_SPEECH_THERAPIST', modes: [ON_SITE], ages: [24, 84], regions: ['23'], monthlyCapacity: 20 },
  { provider: 'childrens-hospital-krasnodar', serviceType: 'CONSULTATION_NEUROLOGIST', modes: [ON_SITE, REMOTE], ages: CHILD, regions: ['23'], monthlyCapacity: 60, description: 'Очно и в форме телемедицинской консультации.' },
  { provider: 'childrens-hospital-krasnodar', serviceType: 'REHABILITATION_COURSE', modes: [ON_SITE], ages: CHILD, regions: ['23'], monthlyCapacity: 20 },

  // Samara: the social agent's support, respite play rooms, consultations, rehabilitation at "Viktoria".
  { provider: 'kcson-central', serviceType: 'FAMILY_CASE_SUPPORT', modes: [ON_SITE, HOME], ages: CHILD, regions: ['63'], monthlyCapacity: 30, description: 'Закреплённый социальный агент проактивно выявляет потребности семьи и строит маршрут помощи.' },
  { provider: 'kcson-central', serviceType: 'RESPITE_PLAY_ROOM', modes: [ON_SITE], ages: [36, 216], regions: ['63'], monthlyCapacity: 40 },
  { provider: 'kcson-central', serviceType: 'HOME_SOCIAL_CARE', modes: [HOME], ages: CHILD, regions: ['63'], monthlyCapacity: 25 },
  { provider: 'kcson-central', serviceType: 'CONSULTATION_PSYCHOLOGIST', modes: [ON_SITE, REMOTE], ages: CHILD, regions: ['63'], monthlyCapacity: 30 },
  { provider: 'family-centre-samara', serviceType: 'CONSULTATION_PSYCHOLOGIST', modes: [ON_SITE, REMOTE], ages: CHILD, regions: ['63'], monthlyCapacity: 40 },
  { provider: 'family-centre-samara', serviceType: 'RESPITE_PLAY_ROOM', modes: [ON_SITE], ages: [36, 144], regions: ['63'], monthlyCapacity: 20 },
  { provider: 'family-centre-samara', serviceType: 'CONSULTATION_LAWYER', modes: [ON_SITE, REMOTE], ages: CHILD, regions: ['63'], monthlyCapacity: 20 },
  { provider: 'family-centre-samara', serviceType: 'PARENT_TRAINING', modes: [ON_SITE], ages: CHILD, regions: ['63'], monthlyCapacity: 20 },
  { provider: 'viktoria', serviceType: 'REHABILITATION_COURSE', modes: [ON_SITE], ages: [36, 216], regions: ['63'], monthlyCapacity: 25, description: 'Курс реабилитации для детей и подростков с ограниченными возможностями.' },
  { provider: 'viktoria', serviceType: 'CONSULTATION_NEUROLOGIST', modes: [ON_SITE], ages: CHILD, regions: ['63'], monthlyCapacity: 30 },
  { provider: 'viktoria', serviceType: 'CONSULTATION_SPEECH_THERAPIST', modes: [ON_SITE], ages: [36, 216], regions: ['63'], monthlyCapacity: 25 },
  { provider: 'guszn-central', serviceType: 'MATERIAL_AID', modes: [ON_SITE], ages: CHILD, regions: ['63'], monthlyCapacity: 100, description: 'Меры социальной поддержки семей с детьми.' },

  // Novosibirsk: "Children in the family" for the under-4s, the NGO partners' help, hospital care.
  { provider: 'children-in-family-novosibirsk', serviceType: 'FAMILY_CASE_SUPPORT', modes: [ON_SITE, HOME, MOBILE_BRIGADE], ages: UNDER_4, regions: ['54'], monthlyCapacity: 40, description: 'Отработка каждого случая возможного помещения ребёнка до 4 лет в социальное учреждение.' },
  { provider: 'children-in-family-novosibirsk', serviceType: 'CONSULTATION_PSYCHOLOGIST', modes: [ON_SITE, HOME], ages: UNDER_4, regions: ['54'], monthlyCapacity: 30 },
  { provider: 'vmeste', serviceType: 'CONSULTATION_PSYCHOLOGIST', modes: [ON_SITE, REMOTE], ages: CHILD, regions: ['54'], monthlyCapacity: 30 },
  { provider: 'vmeste', serviceType: 'CONSULTATION_LAWYER', modes: [ON_SITE, REMOTE], ages: CHILD, regions: ['54'], monthlyCapacity: 20 },
  { provider: 'vmeste', serviceType: 'PARENT_TRAINING', modes: [ON_SITE], ages: UNDER_4, regions: ['54'], monthlyCapacity: 15 },
  { provider: 'vmeste', serviceType: 'SUPPORT_GROUP', modes: [ON_SITE, REMOTE], ages: UNDER_4, regions: ['54'], monthlyCapacity: 15 },
  { provider: 'solnechny-gorod', serviceType: 'MATERIAL_AID', modes: [ON_SITE, HOME], ages: CHILD, regions: ['54'], monthlyCapacity: 50 },
  { provider: 'solnechny-gorod', serviceType: 'URGENT_TARGETED_AID', modes: [HOME], ages: UNDER_4, regions: ['54'], monthlyCapacity: 20 },
  { provider: 'solnechny-gorod', serviceType: 'LEISURE_EVENT', modes: [ON_SITE], ages: [36, 216], regions: ['54'], monthlyCapacity: 80 },
  { provider: 'childrens-hospital-novosibirsk', serviceType: 'CONSULTATION_NEUROLOGIST', modes: [ON_SITE], ages: CHILD, regions: ['54'], monthlyCapacity: 80 },
  { provider: 'childrens-hospital-novosibirsk', serviceType: 'CONSULTATION_PAEDIATRICIAN', modes: [ON_SITE], ages: CHILD, regions: ['54'], monthlyCapacity: 200 },
  { provider: 'childrens-hospital-novosibirsk', serviceType: 'REHABILITATION_COURSE', modes: [ON_SITE], ages: CHILD, regions: ['54'], monthlyCapacity: 20 },
];

interface DemoProgramSpec {
  code: string;
  name: string;
  funder: string;
  regions: string[];
  startsOn: string;
  endsOn: string | null;
  budgetRub: string | null;
  description: string;
}

/**
 * The programmes of the seeds. The federal pilot "0–4" is one programme with both of its pilot regions
 * (Krasnodar, seed 002; Novosibirsk, seed 004): it is one project of one initiator with one methodology, and
 * metrics cut it by region; two rows would split its totals and let a case be enrolled in the "wrong" copy.
 * The seeds give spending, not budgets: budgets stay null and the spending is in the description
 * (it belongs in reported indicators).
 */
export const DEMO_PROGRAMS = [
  {
    code: 'CHILDHOOD-UNDER-PROTECTION',
    name: 'Детство под защитой – ответственное родительство в Республике Карелия',
    funder: 'РПО «Спасем детей» (Норвегия)',
    regions: ['10'],
    startsOn: '2020-01-01',
    endsOn: null,
    budgetRub: null,
    description:
      'Реализуется ГБУ СО «КЦСОН РК» с 2020 года по соглашению о сотрудничестве с РПО «Спасем детей» (Норвегия): обучение специалистов, оборудование, служба «Лекотека» в Петрозаводском, Олонецком и Костомукшском отделениях социальной реабилитации, планшеты для дистанционных услуг, социальная мобильная бригада. Израсходовано: 1 390 700 руб. в 2020 году, 3 282 233 руб. в 2021 году.',
  },
  {
    code: 'EQUAL-RIGHTS-EQUAL-OPPORTUNITIES',
    name: 'От равных прав к равным возможностям',
    funder: 'Фонд президентских грантов',
    regions: ['51'],
    startsOn: '2019-09-01',
    endsOn: '2020-12-30',
    budgetRub: null,
    description:
      'Проект Социального центра – SOS Мурманск в Ковдорском, Кандалакшском и Ловозерском районах для семей, воспитывающих детей с инвалидностью: социальное обслуживание на дому, выездные межведомственные мобильные бригады SOS-помощи, досуговые мероприятия, индивидуальные консультации, тренинги и группы поддержки родителей, обучение и супервизия специалистов.',
  },
  {
    code: 'PILOT-0-4',
    name: 'Профилактика социального сиротства среди детей в возрасте до 4 лет',
    funder: 'Уполномоченный при Президенте РФ по правам ребёнка',
    regions: ['23', '54'],
    startsOn: '2023-06-01',
    endsOn: null,
    budgetRub: null,
    description:
      'Федеральный пилотный проект «0–4» (14 пилотных субъектов). Краснодарский край: региональная межведомственная рабочая группа, службы «Дети в семье» (9 зональных стажировочных площадок, 50 территориальных служб), родительские клубы «Устойчивая семья», межведомственные заседания по сложным случаям, «Социальная няня», «Инклюзивный детский сад». Новосибирская область: с июня 2023 года, государственно-частное партнёрство с центром «Вместе» и фондом «Солнечный город», региональная служба «Дети в семье». Дата начала — старт в Новосибирской области; дата старта в Краснодарском крае в источниках не указана.',
  },
  {
    code: 'CIRCLE-OF-CARE',
    name: 'Круг заботы',
    funder: 'Министерство социально-демографической и семейной политики Самарской области',
    regions: ['63'],
    startsOn: '2023-01-01',
    endsOn: null,
    budgetRub: null,
    description:
      'Пилотный проект Самарской области: за семьёй в трудной жизненной ситуации закрепляется социальный агент, который строит маршрут помощи и проактивно выявляет потребности семьи. Апробирован в Самаре и Сызрани, затем подключился Тольятти (Центральный округ). Финансирующий орган и дата начала в источнике не указаны: это условные значения демо-данных.',
  },
] as const satisfies readonly DemoProgramSpec[];

export type DemoProgramCode = (typeof DEMO_PROGRAMS)[number]['code'];

export async function seedReferenceData(db: EntityManager): Promise<void> {
  // The regions may already be there (a test database, a region table loaded by hand).
  await db.createQueryBuilder().insert().into(RegionEntity).values(DEMO_REGIONS).orIgnore().execute();

  const agencies = db.getRepository(AgencyEntity);
  const agencyIds = new Map<string, string>();
  for (const spec of DEMO_AGENCIES as readonly DemoAgencySpec[]) {
    const parentId = spec.parent ? agencyIds.get(spec.parent) : null;
    if (parentId === undefined) throw new Error(`demo agency ${spec.key}: parent ${spec.parent} must be listed before it`);
    const saved = await agencies.save(
      agencies.create({ name: spec.name, shortName: spec.shortName ?? null, kind: spec.kind, regionCode: spec.region, settlement: spec.settlement ?? null, parentId }),
    );
    agencyIds.set(spec.key, saved.id);
  }

  const staff = db.getRepository(StaffMemberEntity);
  for (const spec of DEMO_STAFF as readonly DemoStaffSpec[]) {
    await staff.save(staff.create({ agencyId: agencyIds.get(spec.agency)!, fullName: spec.fullName, position: spec.position, roles: [...spec.roles] }));
  }

  const types = db.getRepository(ServiceTypeEntity);
  const typeIds = new Map<string, string>();
  for (const spec of DEMO_SERVICE_TYPES as readonly DemoServiceTypeSpec[]) {
    const saved = await types.save(types.create({ code: spec.code, name: spec.name, domain: spec.domain, description: spec.description }));
    typeIds.set(spec.code, saved.id);
  }

  const offerings = db.getRepository(ServiceOfferingEntity);
  await offerings.insert(
    DEMO_OFFERINGS.map((spec) =>
      offerings.create({
        providerId: agencyIds.get(spec.provider)!,
        serviceTypeId: typeIds.get(spec.serviceType)!,
        deliveryModes: spec.modes,
        minAgeMonths: spec.ages[0],
        maxAgeMonths: spec.ages[1],
        regionCodes: spec.regions,
        monthlyCapacity: spec.monthlyCapacity,
        description: spec.description ?? null,
      }),
    ),
  );

  const programs = db.getRepository(ProgramEntity);
  await programs.insert(
    (DEMO_PROGRAMS as readonly DemoProgramSpec[]).map((spec) =>
      programs.create({
        code: spec.code,
        name: spec.name,
        funder: spec.funder,
        regionCodes: spec.regions,
        startsOn: spec.startsOn,
        endsOn: spec.endsOn,
        budgetRub: spec.budgetRub,
        description: spec.description,
      }),
    ),
  );
}

type Db = DataSource | EntityManager;

function specOf<T extends { key: string }>(list: readonly T[], key: string, what: string): T {
  const spec = list.find((s) => s.key === key);
  if (!spec) throw new Error(`unknown demo ${what} ${key}`);
  return spec;
}

/** A demo agency by its stable key, e.g. `findDemoAgency(db, 'kcson-rk-petrozavodsk')`. */
export async function findDemoAgency(db: Db, key: DemoAgencyKey): Promise<AgencyEntity> {
  const spec = specOf(DEMO_AGENCIES, key, 'agency');
  return db.getRepository(AgencyEntity).findOneByOrFail({ name: spec.name, regionCode: spec.region });
}

/** A demo staff member by its stable key, e.g. `findDemoStaff(db, 'samara-social-agent')`. */
export async function findDemoStaff(db: Db, key: DemoStaffKey): Promise<StaffMemberEntity> {
  const spec = specOf(DEMO_STAFF, key, 'staff member');
  const agency = await findDemoAgency(db, spec.agency);
  return db.getRepository(StaffMemberEntity).findOneByOrFail({ agencyId: agency.id, fullName: spec.fullName });
}

/** A demo service type by its code, e.g. `findDemoServiceType(db, 'LEKOTEKA_SESSION')`. */
export function findDemoServiceType(db: Db, code: DemoServiceTypeCode): Promise<ServiceTypeEntity> {
  return db.getRepository(ServiceTypeEntity).findOneByOrFail({ code });
}

/** A demo programme by its code, e.g. `findDemoProgram(db, 'PILOT-0-4')`. */
export function findDemoProgram(db: Db, code: DemoProgramCode): Promise<ProgramEntity> {
  return db.getRepository(ProgramEntity).findOneByOrFail({ code });
}

/** A demo offering: the first offering of a service type by an agency. */
export async function findDemoOffering(db: Db, provider: DemoAgencyKey, serviceType: DemoServiceTypeCode): Promise<ServiceOfferingEntity> {
  const agency = await findDemoAgency(db, provider);
  const type = await findDemoServiceType(db, serviceType);
  return db.getRepository(ServiceOfferingEntity).findOneOrFail({ where: { providerId: agency.id, serviceTypeId: type.id }, order: { id: 'ASC' } });
}
