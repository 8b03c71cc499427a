import type { EntityManager } from 'typeorm';
import { query, queryOne } from '../core/db';
import { sql } from '../core/sql';
import { CaseClosureOutcome, CaseSource, CaseStatus, GrantKind, RiskLevel } from '../modules/cases/case.enums';
import { issueCaseNumber } from '../modules/cases/case.service';
import { registryToday } from '../modules/families/calendar';
import { DisabilityStatus, FamilyRelation, FamilySituation, Placement, PlacementEventKind, Sex } from '../modules/families/family.enums';

/*
 * Demo families and cases: 30 families across the five regions of the seeds, each with a case in its region's
 * programme. Children of 0–4 (the "0–4" pilot), children with limited health (ОВЗ) or a disability (инвалидность),
 * children placed in a children's home and returned, a guardianship by a grandmother; cases in every status (one
 * back from monitoring after a relapse), social agents as case managers, team grants across agencies of different
 * kinds (one revoked), one active break-the-glass grant, and partner systems' external ids.
 *
 * Agencies and staff are looked up by SQL, by the names and short names of src/demo/reference-data.ts; a missing
 * team agency is skipped, a family whose case manager is missing is skipped. Deterministic: no randomness; dates are
 * whole days counted back from the seeding day, so that children stay 0–4 and "open" stays open whenever it runs.
 * Names of people, addresses and phone numbers are invented.
 */

const DEMO_SUBJECT = 'demo-seed';
/** The partner system that holds the demo families' keys (ЕГИССО); children carry their region's system's key. */
const FAMILY_SYSTEM = 'EGISSO';
const CHILD_SYSTEM: Record<string, string> = { '10': 'AIS-KCSON-RK', '51': 'SOS-MURMANSK-CRM', '23': 'AIS-DETI-V-SEMYE-KK', '54': 'MIS-NSO', '63': 'AIS-KRUG-ZABOTY' };
/**
 * The programme each region's demo cases are enrolled in. Murmansk's cases are SOS Murmansk's ordinary work, outside
 * «От равных прав к равным возможностям»: that programme's records are the dataset of src/demo/outcomes.ts, built so
 * that the registry computes exactly the figures the programme published.
 */
const PROGRAM_OF_REGION: Record<string, string | undefined> = { '10': 'CHILDHOOD-UNDER-PROTECTION', '23': 'PILOT-0-4', '54': 'PILOT-0-4', '63': 'CIRCLE-OF-CARE' };

/** A day: a fixed calendar date, or a number of days before the seeding day. */
type Day = string | { daysAgo: number };
/** A birth date: fixed, or a child's age in months on the seeding day. */
type Birth = string | { months: number };

interface DemoPlacement {
  kind: PlacementEventKind;
  on: Day;
  /** The institution or authority, by name or short name. */
  agency?: string;
  notes?: string;
}

interface DemoMember {
  name: [last: string, first: string, middle?: string];
  relation: FamilyRelation;
  sex: Sex;
  born: Birth;
  disability?: DisabilityStatus;
  diagnosis?: string;
  education?: string;
  pmpk?: string;
  /** The child's placement changes, oldest first; the current placement follows from the last one. */
  placements?: DemoPlacement[];
}

interface DemoFamily {
  region: string;
  settlement: string;
  remote?: boolean;
  address: string;
  phone: string;
  situations: FamilySituation[];
  members: DemoMember[];
  /** The social agent (case manager), by full name; the lead agency is theirs. */
  caseManager: string;
  /** Team agencies, by name or short name. */
  team: string[];
  status: CaseStatus;
  /** A relapse: back from MONITORING to ACTIVE. */
  relapse?: boolean;
  /** For a closed case: the status it was closed from (MONITORING when not given). */
  closedFrom?: CaseStatus;
  risk: RiskLevel;
  source: CaseSource;
  opened: Day;
  closed?: Day;
  outcome?: CaseClosureOutcome;
  note?: string;
  /** A team grant that was revoked (participation ended). */
  revoked?: { agency: string; daysAgo: number };
}

const { MOTHER, FATHER, CHILD, GUARDIAN, GRANDPARENT } = FamilyRelation;
const { FEMALE, MALE } = Sex;
const { LIMITED_HEALTH, DISABLED } = DisabilityStatus;
const S = FamilySituation;

const FAMILIES: DemoFamily[] = [
  // Karelia (seed 000): Lekoteka in the rehabilitation departments, tablets and the mobile brigade for remote villages.
  {
    region: '10', settlement: 'Петрозаводск', address: 'ул. Древлянка, д. 14, кв. 52', phone: '+7 921 450-11-23', situations: [S.SINGLE_PARENT, S.LOW_INCOME],
    members: [
      { name: ['Кудрявцева', 'Елена', 'Сергеевна'], relation: MOTHER, sex: FEMALE, born: '1991-05-17' },
      { name: ['Кудрявцев', 'Тимофей', 'Андреевич'], relation: CHILD, sex: MALE, born: { months: 36 }, disability: LIMITED_HEALTH, diagnosis: 'F80.1 Экспрессивное речевое расстройство', education: 'МДОУ «Детский сад № 45» г. Петрозаводска', pmpk: 'Обучение по адаптированной образовательной программе для детей с ТНР; занятия с логопедом' },
    ],
    caseManager: 'Иванова Мария Петровна', team: ['РПО «Спасем детей»'], status: CaseStatus.ACTIVE, risk: RiskLevel.MEDIUM, source: CaseSource.SELF_REFERRAL, opened: { daysAgo: 240 },
  },
  {
    region: '10', settlement: 'д. Видлица, Олонецкий район', remote: true, address: 'ул. Школьная, д. 3', phone: '+7 911 402-77-10', situations: [S.DISABILITY_IN_FAMILY, S.LOW_INCOME, S.UNEMPLOYMENT],
    members: [
      { name: ['Лукина', 'Наталья', 'Викторовна'], relation: MOTHER, sex: FEMALE, born: '1995-02-08' },
      { name: ['Лукин', 'Сергей', 'Петрович'], relation: FATHER, sex: MALE, born: '1990-11-30' },
      { name: ['Лукина', 'Варвара', 'Сергеевна'], relation: CHILD, sex: FEMALE, born: { months: 22 }, disability: DISABLED, diagnosis: 'Q90.0 Синдром Дауна, трисомия 21' },
    ],
    caseManager: 'Федорова Оксана Юрьевна', team: ['Социальная мобильная бригада', 'РПО «Спасем детей»'], status: CaseStatus.ACTIVE, risk: RiskLevel.HIGH, source: CaseSource.EARLY_DETECTION, opened: { daysAgo: 300 },
  },
  {
    region: '10', settlement: 'Костомукша', address: 'ул. Мира, д. 21, кв. 8', phone: '+7 921 226-40-05', situations: [S.LARGE_FAMILY, S.DISABILITY_IN_FAMILY],
    members: [
      { name: ['Хаккарайнен', 'Ирина', 'Андреевна'], relation: MOTHER, sex: FEMALE, born: '1988-09-14' },
      { name: ['Хаккарайнен', 'Алиса', 'Олеговна'], relation: CHILD, sex: FEMALE, born: { months: 40 }, disability: DISABLED, diagnosis: 'G80.1 Детский церебральный паралич, спастическая диплегия', education: 'МБДОУ «Детский сад № 7 "Солнышко"» г. Костомукши', pmpk: 'АОП для детей с нарушениями опорно-двигательного аппарата; сопровождение ассистента' },
      { name: ['Хаккарайнен', 'Матвей', 'Олегович'], relation: CHILD, sex: MALE, born: { months: 8 } },
    ],
    caseManager: 'Иванова Мария Петровна', team: ['Костомукшское ОСР', 'Социальная мобильная бригада'], status: CaseStatus.MONITORING, risk: RiskLevel.MEDIUM, source: CaseSource.HOSPITAL, opened: { daysAgo: 500 },
  },
  {
    region: '10', settlement: 'Олонец', address: 'ул. Полевая, д. 9', phone: '+7 911 050-36-91', situations: [S.ADDICTION, S.CONFLICT],
    members: [
      { name: ['Пахомова', 'Дарья', 'Олеговна'], relation: MOTHER, sex: FEMALE, born: '1999-12-01' },
      { name: ['Пахомов', 'Кирилл', 'Денисович'], relation: CHILD, sex: MALE, born: { months: 14 } },
    ],
    caseManager: 'Федорова Оксана Юрьевна', team: [], status: CaseStatus.REFERRED, risk: RiskLevel.HIGH, source: CaseSource.SOCIAL_SERVICE, opened: { daysAgo: 6 },
  },
  {
    region: '10', settlement: 'п. Ильинский, Олонецкий район', remote: true, address: 'ул. Набережная, д. 27', phone: '+7 921 118-02-44', situations: [S.LOW_INCOME, S.ADDICTION],
    members: [
      { name: ['Семёнова', 'Галина', 'Ивановна'], relation: GUARDIAN, sex: FEMALE, born: '1962-03-22' },
      {
        name: ['Семёнов', 'Егор', 'Артёмович'], relation: CHILD, sex: MALE, born: { months: 30 }, disability: LIMITED_HEALTH, diagnosis: 'F84.0 Детский аутизм',
        placements: [{ kind: PlacementEventKind.GUARDIANSHIP, on: { daysAgo: 400 }, notes: 'Опека установлена над внуком: мать лишена родительских прав' }],
      },
    ],
    caseManager: 'Федорова Оксана Юрьевна', team: ['Социальная мобильная бригада'], status: CaseStatus.CLOSED, risk: RiskLevel.MEDIUM, source: CaseSource.GUARDIANSHIP,
    opened: { daysAgo: 700 }, closed: { daysAgo: 120 }, outcome: CaseClosureOutcome.CHILD_PLACED_IN_FAMILY_CARE, note: 'Опека оформлена бабушкой; ребёнок занимается в Лекотеке дистанционно (планшет).',
  },
  {
    region: '10', settlement: 'с. Ведлозеро, Пряжинский район', remote: true, address: 'ул. Совхозная, д. 5, кв. 1', phone: '+7 911 433-25-60', situations: [S.LOW_INCOME, S.HOUSING],
    members: [
      { name: ['Пименова', 'Ольга', 'Николаевна'], relation: MOTHER, sex: FEMALE, born: '1993-07-19' },
      { name: ['Пименова', 'Софья', 'Алексеевна'], relation: CHILD, sex: FEMALE, born: { months: 11 }, disability: LIMITED_HEALTH, diagnosis: 'P07.3 Недоношенность; задержка психомоторного развития' },
    ],
    caseManager: 'Федорова Оксана Юрьевна', team: ['РПО «Спасем детей»'], status: CaseStatus.ASSESSMENT, risk: RiskLevel.MEDIUM, source: CaseSource.EARLY_DETECTION, opened: { daysAgo: 25 },
  },

  // Murmansk (seed 001): SOS Murmansk's project for families raising disabled children, 1 Sep 2019 – 30 Dec 2020.
  {
    region: '51', settlement: 'Кандалакша', address: 'ул. Первомайская, д. 40, кв. 17', phone: '+7 815 339-21-07', situations: [S.DISABILITY_IN_FAMILY, S.SINGLE_PARENT],
    members: [
      { name: ['Тихонова', 'Светлана', 'Игоревна'], relation: MOTHER, sex: FEMALE, born: '1985-04-03' },
      { name: ['Тихонов', 'Даниил', 'Олегович'], relation: CHILD, sex: MALE, born: '2015-03-11', disability: DISABLED, diagnosis: 'G80.0 Спастический тетрапарез (ДЦП)', education: 'МБОУ СОШ № 10 г. Кандалакши, обучение на дому', pmpk: 'АООП, вариант 6.3; обучение на дому с элементами дистанционного' },
    ],
    caseManager: 'Яковлева Дарья Сергеевна', team: ['КЦСОН Кандалакшского района', 'Детская поликлиника Кандалакшской ЦРБ', 'Управление образования администрации Кандалакшского района'],
    status: CaseStatus.CLOSED, risk: RiskLevel.MEDIUM, source: CaseSource.NGO, opened: '2019-10-14', closed: '2020-12-25', outcome: CaseClosureOutcome.GOALS_ACHIEVED,
    note: 'Социальное обслуживание на дому организовано, мать прошла тренинг и ходит в группу поддержки.',
  },
  {
    region: '51', settlement: 'Ковдор', address: 'ул. Кирова, д. 12, кв. 33', phone: '+7 815 357-48-12', situations: [S.DISABILITY_IN_FAMILY, S.LARGE_FAMILY],
    members: [
      { name: ['Абрамова', 'Юлия', 'Сергеевна'], relation: MOTHER, sex: FEMALE, born: '1989-08-25' },
      { name: ['Абрамов', 'Николай', 'Викторович'], relation: FATHER, sex: MALE, born: '1986-01-09' },
      { name: ['Абрамова', 'Полина', 'Николаевна'], relation: CHILD, sex: FEMALE, born: '2017-07-02', disability: DISABLED, diagnosis: 'Q05.7 Spina bifida поясничного отдела', education: 'МБДОУ № 3 г. Ковдора', pmpk: 'Сопровождение тьютора; адаптированная программа' },
    ],
    caseManager: 'Яковлева Дарья Сергеевна', team: ['КЦСОН Ковдорского района', 'Управление образования администрации Ковдорского района'],
    status: CaseStatus.CLOSED, risk: RiskLevel.LOW, source: CaseSource.NGO, opened: '2019-11-05', closed: '2020-12-18', outcome: CaseClosureOutcome.FAMILY_STABILISED,
    note: 'Семья справляется; выездная бригада провела консультации невролога и логопеда.',
  },
  {
    region: '51', settlement: 'с. Ловозеро', remote: true, address: 'ул. Советская, д. 8', phone: '+7 815 384-16-70', situations: [S.DISABILITY_IN_FAMILY, S.LOW_INCOME],
    members: [
      { name: ['Юрьева', 'Анастасия', 'Петровна'], relation: MOTHER, sex: FEMALE, born: '1992-06-13' },
      { name: ['Юрьев', 'Артур', 'Иванович'], relation: CHILD, sex: MALE, born: '2016-01-20', disability: DISABLED, diagnosis: 'H90.3 Двусторонняя нейросенсорная тугоухость', pmpk: 'АООП для слабослышащих обучающихся, вариант 2.2' },
    ],
    caseManager: 'Яковлева Дарья Сергеевна', team: ['КЦСОН Ловозерского района'], status: CaseStatus.MONITORING, risk: RiskLevel.LOW, source: CaseSource.NGO, opened: '2020-02-10',
  },
  {
    region: '51', settlement: 'Кандалакша', address: 'ул. Данилова, д. 2, кв. 44', phone: '+7 815 339-90-14', situations: [S.DISABILITY_IN_FAMILY, S.CONFLICT],
    members: [
      { name: ['Федотова', 'Марина', 'Алексеевна'], relation: MOTHER, sex: FEMALE, born: '1990-10-10' },
      { name: ['Федотов', 'Илья', 'Сергеевич'], relation: CHILD, sex: MALE, born: '2018-09-09', disability: DISABLED, diagnosis: 'F84.0 Детский аутизм', education: 'МБДОУ № 41 г. Кандалакши', pmpk: 'АОП для детей с РАС; занятия с дефектологом и психологом' },
    ],
    caseManager: 'Яковлева Дарья Сергеевна', team: ['Детская поликлиника Кандалакшской ЦРБ', 'Отдел опеки и попечительства администрации Кандалакшского района'],
    status: CaseStatus.ACTIVE, risk: RiskLevel.HIGH, source: CaseSource.HOSPITAL, opened: '2020-03-02',
  },
  {
    region: '51', settlement: 'Ковдор', address: 'ул. Слюдяная, д. 6, кв. 3', phone: '+7 815 357-02-61', situations: [S.DISABILITY_IN_FAMILY],
    members: [
      { name: ['Гусева', 'Елена', 'Павловна'], relation: MOTHER, sex: FEMALE, born: '1984-12-19' },
      { name: ['Гусева', 'Тамара', 'Ивановна'], relation: GRANDPARENT, sex: FEMALE, born: '1958-02-27' },
      { name: ['Гусев', 'Максим', 'Андреевич'], relation: CHILD, sex: MALE, born: '2014-05-30', disability: DISABLED, diagnosis: 'G40.3 Генерализованная идиопатическая эпилепсия' },
    ],
    caseManager: 'Яковлева Дарья Сергеевна', team: ['КЦСОН Ковдорского района'], status: CaseStatus.CLOSED, closedFrom: CaseStatus.ACTIVE, risk: RiskLevel.LOW, source: CaseSource.SELF_REFERRAL,
    opened: '2020-01-15', closed: '2020-09-01', outcome: CaseClosureOutcome.FAMILY_MOVED, note: 'Семья переехала в Мурманск; передана информация о службах города.',
  },
  {
    region: '51', settlement: 'Кандалакша', address: 'ул. Чкалова, д. 50, кв. 12', phone: '+7 815 339-55-38', situations: [S.SINGLE_PARENT, S.LOW_INCOME],
    members: [
      { name: ['Ларионова', 'Ксения', 'Денисовна'], relation: MOTHER, sex: FEMALE, born: '1996-03-05' },
      { name: ['Ларионова', 'Ева', 'Максимовна'], relation: CHILD, sex: FEMALE, born: '2019-02-14', disability: LIMITED_HEALTH, diagnosis: 'F83 Смешанные специфические расстройства психологического развития' },
    ],
    caseManager: 'Яковлева Дарья Сергеевна', team: ['КЦСОН Кандалакшского района'], status: CaseStatus.CLOSED, closedFrom: CaseStatus.ASSESSMENT, risk: RiskLevel.MEDIUM, source: CaseSource.KINDERGARTEN,
    opened: '2020-06-01', closed: '2020-08-15', outcome: CaseClosureOutcome.FAMILY_REFUSED, note: 'Мать отказалась от сопровождения после первичной оценки.',
  },

  // Krasnodar (seed 002): services "Children in the family", parent clubs, social nanny, inclusive kindergarten.
  {
    region: '23', settlement: 'Краснодар', address: 'ул. Ставропольская, д. 101, кв. 9', phone: '+7 918 310-44-52', situations: [S.SINGLE_PARENT, S.LOW_INCOME, S.HOUSING],
    members: [
      { name: ['Коваленко', 'Алина', 'Романовна'], relation: MOTHER, sex: FEMALE, born: '2001-06-21' },
      { name: ['Коваленко', 'Мирон', 'Алексеевич'], relation: CHILD, sex: MALE, born: { months: 5 } },
    ],
    caseManager: 'Кравченко Юлия Сергеевна', team: ['ДККБ', 'Клуб «Устойчивая семья»', 'Орган опеки г. Краснодара'], status: CaseStatus.ACTIVE, risk: RiskLevel.CRITICAL, source: CaseSource.HOSPITAL, opened: { daysAgo: 140 },
  },
  {
    region: '23', settlement: 'Краснодар', address: 'ул. Российская, д. 267, кв. 120', phone: '+7 918 455-07-39', situations: [S.LARGE_FAMILY, S.DISABILITY_IN_FAMILY],
    members: [
      { name: ['Мартыненко', 'Оксана', 'Викторовна'], relation: MOTHER, sex: FEMALE, born: '1994-01-30' },
      { name: ['Мартыненко', 'Денис', 'Игоревич'], relation: FATHER, sex: MALE, born: '1992-08-08' },
      { name: ['Мартыненко', 'Виктория', 'Денисовна'], relation: CHILD, sex: FEMALE, born: { months: 44 }, disability: DISABLED, diagnosis: 'G80.2 Детская гемиплегия', education: 'Инклюзивный детский сад № 12 г. Краснодара', pmpk: 'АОП для детей с НОДА; ЛФК и занятия с дефектологом' },
      { name: ['Мартыненко', 'Александр', 'Денисович'], relation: CHILD, sex: MALE, born: { months: 18 } },
    ],
    caseManager: 'Кравченко Юлия Сергеевна', team: ['Инклюзивный детский сад № 12', 'ДККБ'], status: CaseStatus.ACTIVE, risk: RiskLevel.MEDIUM, source: CaseSource.KINDERGARTEN, opened: { daysAgo: 380 },
  },
  {
    region: '23', settlement: 'Сочи', address: 'ул. Донская, д. 15, кв. 71', phone: '+7 918 902-63-18', situations: [S.ADDICTION, S.VIOLENCE, S.POLICE_INVOLVEMENT],
    members: [
      { name: ['Саркисян', 'Лилит', 'Арменовна'], relation: MOTHER, sex: FEMALE, born: '1998-10-02' },
      { name: ['Саркисян', 'Давид', 'Эдуардович'], relation: CHILD, sex: MALE, born: { months: 26 }, disability: LIMITED_HEALTH, diagnosis: 'F80.2 Расстройство рецептивной речи' },
    ],
    caseManager: 'Акопян Карина Ашотовна', team: [], status: CaseStatus.ASSESSMENT, risk: RiskLevel.HIGH, source: CaseSource.POLICE, opened: { daysAgo: 12 },
  },
  {
    region: '23', settlement: 'Армавир', address: 'ул. Кирова, д. 44', phone: '+7 918 271-90-05', situations: [S.ADDICTION, S.UNEMPLOYMENT],
    members: [
      { name: ['Бойко', 'Людмила', 'Сергеевна'], relation: MOTHER, sex: FEMALE, born: '1989-05-11' },
      {
        name: ['Бойко', 'Арсений', 'Павлович'], relation: CHILD, sex: MALE, born: { months: 33 },
        placements: [
          { kind: PlacementEventKind.PLACED_IN_INSTITUTION, on: { daysAgo: 200 }, agency: 'Орган опеки г. Краснодара', notes: 'Временное помещение по заявлению матери на время лечения' },
          { kind: PlacementEventKind.RETURNED_TO_BIRTH_FAMILY, on: { daysAgo: 60 }, notes: 'Мать завершила курс реабилитации, ребёнок дома' },
        ],
      },
    ],
    caseManager: 'Кравченко Юлия Сергеевна', team: ['Служба «Дети в семье» (Армавир)', 'Орган опеки г. Краснодара'], status: CaseStatus.CLOSED, risk: RiskLevel.HIGH, source: CaseSource.GUARDIANSHIP,
    opened: { daysAgo: 260 }, closed: { daysAgo: 30 }, outcome: CaseClosureOutcome.CHILD_RETURNED_TO_FAMILY, note: 'Ребёнок возвращён в семью; мать посещает родительский клуб.',
  },
  {
    region: '23', settlement: 'Краснодар', address: 'ул. Тургенева, д. 189, кв. 4', phone: '+7 918 644-12-87', situations: [S.SINGLE_PARENT, S.HOUSING],
    members: [
      { name: ['Кузьменко', 'Яна', 'Игоревна'], relation: MOTHER, sex: FEMALE, born: '2003-09-16' },
      { name: ['Кузьменко', 'Ульяна', 'Игоревна'], relation: CHILD, sex: FEMALE, born: { months: 2 } },
    ],
    caseManager: 'Кравченко Юлия Сергеевна', team: [], status: CaseStatus.REFERRED, risk: RiskLevel.HIGH, source: CaseSource.HOSPITAL, opened: { daysAgo: 3 },
  },
  {
    region: '23', settlement: 'Краснодар', address: 'ул. Московская, д. 59, кв. 210', phone: '+7 918 377-45-60', situations: [S.SINGLE_PARENT, S.DISABILITY_IN_FAMILY],
    members: [
      { name: ['Головко', 'Андрей', 'Николаевич'], relation: FATHER, sex: MALE, born: '1987-02-02' },
      { name: ['Головко', 'Тимур', 'Андреевич'], relation: CHILD, sex: MALE, born: { months: 38 }, disability: DISABLED, diagnosis: 'Q90.0 Синдром Дауна', education: 'Инклюзивный детский сад № 12 г. Краснодара', pmpk: 'АОП для детей с интеллектуальными нарушениями' },
    ],
    caseManager: 'Кравченко Юлия Сергеевна', team: ['Клуб «Устойчивая семья»', 'Инклюзивный детский сад № 12'], status: CaseStatus.MONITORING, risk: RiskLevel.LOW, source: CaseSource.NGO, opened: { daysAgo: 420 },
  },

  // Novosibirsk (seed 004): "Children in the family" with the centre "Vmeste" and the fund "Solnechny gorod".
  {
    region: '54', settlement: 'Новосибирск', address: 'ул. Станционная, д. 30, кв. 15', phone: '+7 913 201-58-44', situations: [S.ADDICTION, S.HOUSING, S.UNEMPLOYMENT],
    members: [
      { name: ['Чернова', 'Виктория', 'Александровна'], relation: MOTHER, sex: FEMALE, born: '1997-04-27' },
      {
        name: ['Чернов', 'Лев', 'Игоревич'], relation: CHILD, sex: MALE, born: { months: 20 },
        placements: [{ kind: PlacementEventKind.PLACED_IN_INSTITUTION, on: { daysAgo: 90 }, agency: 'Дом ребёнка НСО', notes: 'Помещён в Дом ребёнка по акту органа опеки' }],
      },
    ],
    caseManager: 'Панова Ксения Игоревна', team: ['Дом ребёнка НСО', 'Опека Ленинского района', 'Центр «Вместе»'], status: CaseStatus.ACTIVE, risk: RiskLevel.CRITICAL, source: CaseSource.GUARDIANSHIP, opened: { daysAgo: 95 },
  },
  {
    region: '54', settlement: 'Бердск', address: 'ул. Ленина, д. 89, кв. 6', phone: '+7 913 744-20-31', situations: [S.LOW_INCOME, S.SINGLE_PARENT],
    members: [
      { name: ['Рябова', 'Анна', 'Михайловна'], relation: MOTHER, sex: FEMALE, born: '1993-11-03' },
      {
        name: ['Рябова', 'Злата', 'Сергеевна'], relation: CHILD, sex: FEMALE, born: { months: 35 },
        placements: [
          { kind: PlacementEventKind.PLACED_IN_INSTITUTION, on: { daysAgo: 400 }, agency: 'Дом ребёнка НСО' },
          { kind: PlacementEventKind.RETURNED_TO_BIRTH_FAMILY, on: { daysAgo: 150 }, notes: 'Возврат в кровную семью после восстановления жилищных условий' },
        ],
      },
    ],
    caseManager: 'Панова Ксения Игоревна', team: ['БФ «Солнечный город»', 'Опека Ленинского района'], status: CaseStatus.MONITORING, risk: RiskLevel.MEDIUM, source: CaseSource.GUARDIANSHIP, opened: { daysAgo: 420 },
    revoked: { agency: 'Опека Ленинского района', daysAgo: 140 },
  },
  {
    region: '54', settlement: 'Новосибирск', address: 'ул. Титова, д. 7, кв. 88', phone: '+7 913 380-66-19', situations: [S.CONFLICT, S.LOW_INCOME],
    members: [
      { name: ['Прохорова', 'Кристина', 'Олеговна'], relation: MOTHER, sex: FEMALE, born: '2000-01-12' },
      { name: ['Прохоров', 'Владислав', 'Юрьевич'], relation: FATHER, sex: MALE, born: '1998-06-06' },
      { name: ['Прохоров', 'Ярослав', 'Владиславович'], relation: CHILD, sex: MALE, born: { months: 10 }, disability: LIMITED_HEALTH, diagnosis: 'P91.2 Церебральная лейкомаляция новорождённого' },
    ],
    caseManager: 'Широков Максим Андреевич', team: ['ДГКБ (Новосибирск)', 'Центр «Вместе»'], status: CaseStatus.ACTIVE, relapse: true, risk: RiskLevel.HIGH, source: CaseSource.EARLY_DETECTION, opened: { daysAgo: 250 },
  },
  {
    region: '54', settlement: 'р.п. Краснообск', address: 'д. 112, кв. 40', phone: '+7 913 925-14-03', situations: [S.ADDICTION, S.NEGLECT],
    members: [
      { name: ['Белоусова', 'Нина', 'Фёдоровна'], relation: GUARDIAN, sex: FEMALE, born: '1960-09-09' },
      {
        name: ['Белоусов', 'Кирилл', 'Романович'], relation: CHILD, sex: MALE, born: { months: 41 },
        placements: [
          { kind: PlacementEventKind.PLACED_IN_INSTITUTION, on: { daysAgo: 500 }, agency: 'Дом ребёнка НСО' },
          { kind: PlacementEventKind.GUARDIANSHIP, on: { daysAgo: 250 }, agency: 'Опека Ленинского района', notes: 'Установлена опека бабушки' },
        ],
      },
    ],
    caseManager: 'Панова Ксения Игоревна', team: ['Опека Ленинского района', 'БФ «Солнечный город»'], status: CaseStatus.CLOSED, risk: RiskLevel.HIGH, source: CaseSource.GUARDIANSHIP,
    opened: { daysAgo: 520 }, closed: { daysAgo: 200 }, outcome: CaseClosureOutcome.CHILD_PLACED_IN_FAMILY_CARE, note: 'Ребёнок передан под опеку бабушки; фонд помог с ремонтом комнаты.',
  },
  {
    region: '54', settlement: 'р.п. Коченёво', remote: true, address: 'ул. Октябрьская, д. 19', phone: '+7 913 551-73-26', situations: [S.LARGE_FAMILY, S.DISABILITY_IN_FAMILY, S.LOW_INCOME],
    members: [
      { name: ['Савельева', 'Ирина', 'Геннадьевна'], relation: MOTHER, sex: FEMALE, born: '1986-07-07' },
      { name: ['Савельев', 'Никита', 'Петрович'], relation: CHILD, sex: MALE, born: { months: 47 }, disability: DISABLED, diagnosis: 'G80.1 Детский церебральный паралич, спастическая диплегия' },
      { name: ['Савельева', 'Мария', 'Петровна'], relation: CHILD, sex: FEMALE, born: { months: 13 } },
    ],
    caseManager: 'Широков Максим Андреевич', team: ['ДГКБ (Новосибирск)'], status: CaseStatus.ASSESSMENT, risk: RiskLevel.HIGH, source: CaseSource.SOCIAL_SERVICE, opened: { daysAgo: 9 },
  },
  {
    region: '54', settlement: 'Новосибирск', address: 'ул. Зорге, д. 201, кв. 77', phone: '+7 913 067-38-50', situations: [S.SINGLE_PARENT, S.HOUSING, S.LOW_INCOME],
    members: [
      { name: ['Гордеева', 'Алёна', 'Викторовна'], relation: MOTHER, sex: FEMALE, born: '2002-12-24' },
      { name: ['Гордеев', 'Михаил', 'Алексеевич'], relation: CHILD, sex: MALE, born: { months: 3 } },
    ],
    caseManager: 'Широков Максим Андреевич', team: [], status: CaseStatus.REFERRED, risk: RiskLevel.CRITICAL, source: CaseSource.HOSPITAL, opened: { daysAgo: 2 },
  },

  // Samara (seed 003): a social agent for each family, a route of help across agencies, respite play rooms.
  {
    region: '63', settlement: 'Тольятти', address: 'ул. Ленинградская, д. 31, кв. 14', phone: '+7 927 610-23-48', situations: [S.DISABILITY_IN_FAMILY],
    members: [
      { name: ['Никифорова', 'Елена', 'Андреевна'], relation: MOTHER, sex: FEMALE, born: '1990-03-15' },
      { name: ['Никифоров', 'Глеб', 'Олегович'], relation: CHILD, sex: MALE, born: { months: 28 }, disability: DISABLED, diagnosis: 'F84.0 Детский аутизм', education: 'МБУ детский сад № 88 «Веселые нотки» г. Тольятти', pmpk: 'АОП для детей с РАС; ассистент в группе' },
    ],
    caseManager: 'Соколова Анна Викторовна', team: ['РЦ «Виктория»', 'Областной центр помощи семье и детям'], status: CaseStatus.ACTIVE, risk: RiskLevel.MEDIUM, source: CaseSource.SELF_REFERRAL, opened: { daysAgo: 210 },
  },
  {
    region: '63', settlement: 'Тольятти', address: 'б-р Баумана, д. 4, кв. 60', phone: '+7 927 883-50-12', situations: [S.UNEMPLOYMENT, S.LOW_INCOME],
    members: [
      { name: ['Ефремова', 'Валентина', 'Сергеевна'], relation: MOTHER, sex: FEMALE, born: '1995-08-29' },
      { name: ['Ефремов', 'Роман', 'Алексеевич'], relation: FATHER, sex: MALE, born: '1994-04-14' },
      { name: ['Ефремова', 'Алёна', 'Романовна'], relation: CHILD, sex: FEMALE, born: { months: 16 }, disability: LIMITED_HEALTH, diagnosis: 'Q21.1 Дефект межпредсердной перегородки, состояние после операции' },
    ],
    caseManager: 'Гришин Павел Андреевич', team: ['ГУСЗН Центрального округа'], status: CaseStatus.MONITORING, risk: RiskLevel.LOW, source: CaseSource.SOCIAL_SERVICE, opened: { daysAgo: 330 },
  },
  {
    region: '63', settlement: 'Самара', address: 'ул. Ново-Садовая, д. 150, кв. 33', phone: '+7 927 204-71-96', situations: [S.LARGE_FAMILY, S.HOUSING],
    members: [
      { name: ['Гаврилова', 'Оксана', 'Петровна'], relation: MOTHER, sex: FEMALE, born: '1987-11-21' },
      { name: ['Гаврилов', 'Степан', 'Ильич'], relation: CHILD, sex: MALE, born: { months: 45 } },
      { name: ['Гаврилов', 'Фёдор', 'Ильич'], relation: CHILD, sex: MALE, born: { months: 7 } },
    ],
    caseManager: 'Соколова Анна Викторовна', team: ['Областной центр помощи семье и детям'], status: CaseStatus.CLOSED, risk: RiskLevel.MEDIUM, source: CaseSource.SELF_REFERRAL,
    opened: { daysAgo: 600 }, closed: { daysAgo: 90 }, outcome: CaseClosureOutcome.GOALS_ACHIEVED, note: 'Семья получила жилищный сертификат многодетной семьи; маршрут помощи выполнен.',
  },
  {
    region: '63', settlement: 'Сызрань', address: 'ул. Советская, д. 12, кв. 2', phone: '+7 927 019-88-41', situations: [S.DISABILITY_IN_FAMILY, S.SINGLE_PARENT],
    members: [
      { name: ['Щербакова', 'Анжелика', 'Ивановна'], relation: MOTHER, sex: FEMALE, born: '1999-05-05' },
      { name: ['Щербакова', 'Милана', 'Артёмовна'], relation: CHILD, sex: FEMALE, born: { months: 23 }, disability: DISABLED, diagnosis: 'H54.0 Слепота обоих глаз (ретинопатия недоношенных)' },
    ],
    caseManager: 'Гришин Павел Андреевич', team: ['РЦ «Виктория»'], status: CaseStatus.ASSESSMENT, risk: RiskLevel.HIGH, source: CaseSource.HOSPITAL, opened: { daysAgo: 20 },
  },
  {
    region: '63', settlement: 'Тольятти', address: 'ул. Мира, д. 77, кв. 5', phone: '+7 927 455-31-07', situations: [S.CONFLICT, S.VIOLENCE],
    members: [
      { name: ['Горбунова', 'Дина', 'Рустамовна'], relation: MOTHER, sex: FEMALE, born: '1992-09-18' },
      { name: ['Горбунов', 'Эмиль', 'Витальевич'], relation: CHILD, sex: MALE, born: { months: 39 } },
    ],
    caseManager: 'Соколова Анна Викторовна', team: [], status: CaseStatus.REFERRED, risk: RiskLevel.MEDIUM, source: CaseSource.KINDERGARTEN, opened: { daysAgo: 4 },
  },
  {
    region: '63', settlement: 'Тольятти', address: 'ул. Голосова, д. 20, кв. 91', phone: '+7 927 732-64-25', situations: [S.LOW_INCOME, S.DISABILITY_IN_FAMILY],
    members: [
      { name: ['Макарова', 'Светлана', 'Юрьевна'], relation: MOTHER, sex: FEMALE, born: '1985-06-30' },
      { name: ['Макаров', 'Игорь', 'Викторович'], relation: FATHER, sex: MALE, born: '1983-01-17' },
      { name: ['Макаров', 'Артём', 'Игоревич'], relation: CHILD, sex: MALE, born: { months: 31 }, disability: LIMITED_HEALTH, diagnosis: 'F80.1 Экспрессивное речевое расстройство', education: 'МБУ детский сад № 200 «Волжские капельки» г. Тольятти', pmpk: 'Логопедическая группа; занятия с логопедом 3 раза в неделю' },
    ],
    caseManager: 'Гришин Павел Андреевич', team: ['РЦ «Виктория»', 'ГУСЗН Центрального округа'], status: CaseStatus.ACTIVE, risk: RiskLevel.LOW, source: CaseSource.SELF_REFERRAL, opened: { daysAgo: 150 },
  },
];

/** The one break-the-glass grant: a hospital neurologist opens the Sochi family's case the night the child is brought in. */
const EMERGENCY = {
  family: 14,
  staff: 'Демченко Олег Павлович',
  reason: 'Ребёнок доставлен в ДККБ с травмой головы; нужны анамнез и сведения о семье для решения о госпитализации',
  hoursLeft: 18,
};

function dayOf(day: Day, today: string): string {
  if (typeof day === 'string') return day;
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - day.daysAgo);
  return date.toISOString().slice(0, 10);
}

function birthOf(born: Birth, today: string): string {
  if (typeof born === 'string') return born;
  const date = new Date(`${today}T00:00:00Z`);
  // The 10th of the month keeps whole months of age exact and avoids month-end overflow.
  date.setUTCDate(10);
  date.setUTCMonth(date.getUTCMonth() - born.months);
  return date.toISOString().slice(0, 10);
}

const PLACEMENT_AFTER: Record<PlacementEventKind, Placement> = {
  [PlacementEventKind.PLACED_IN_INSTITUTION]: Placement.IN_INSTITUTION,
  [PlacementEventKind.RETURNED_TO_BIRTH_FAMILY]: Placement.WITH_BIRTH_FAMILY,
  [PlacementEventKind.GUARDIANSHIP]: Placement.GUARDIANSHIP,
  [PlacementEventKind.FOSTER_FAMILY]: Placement.FOSTER_FAMILY,
  [PlacementEventKind.ADOPTED]: Placement.ADOPTED,
};

/** The statuses a case went through to reach its status (a relapse goes back from MONITORING to ACTIVE). */
function statusChain(family: DemoFamily): CaseStatus[] {
  const order = [CaseStatus.REFERRED, CaseStatus.ASSESSMENT, CaseStatus.ACTIVE, CaseStatus.MONITORING];
  if (family.status === CaseStatus.CLOSED) return [...order.slice(0, order.indexOf(family.closedFrom ?? CaseStatus.MONITORING) + 1), CaseStatus.CLOSED];
  const chain = order.slice(0, order.indexOf(family.status) + 1);
  return family.relapse ? [...order, CaseStatus.ACTIVE] : chain;
}

async function agencyByLabel(db: EntityManager, label: string): Promise<{ id: string; region_code: string } | null> {
  return queryOne(db, sql`SELECT id::text AS id, region_code FROM agency WHERE short_name = ${label} OR name = ${label} ORDER BY (short_name = ${label}) DESC, id LIMIT 1`);
}

async function staffByName(db: EntityManager, fullName: string): Promise<{ id: string; agency_id: string } | null> {
  return queryOne(db, sql`SELECT id::text AS id, agency_id::text AS agency_id FROM staff_member WHERE full_name = ${fullName} AND active ORDER BY id LIMIT 1`);
}

export async function seedDemoCases(db: EntityManager): Promise<void> {
  const firstKey = `EG-${FAMILIES[0].region}-00001`;
  if (await queryOne(db, sql`SELECT 1 FROM external_id WHERE system = ${FAMILY_SYSTEM} AND value = ${firstKey}`)) return;
  const today = registryToday();
  const programs = new Map(
    (await query<{ id: string; code: string }>(db, sql`SELECT id::text AS id, code FROM program WHERE code = ANY(${Object.values(PROGRAM_OF_REGION).filter(Boolean)}::text[])`)).map((p) => [p.code, p.id]),
  );
  const caseIds = new Map<number, string>();

  for (const [index, family] of FAMILIES.entries()) {
    const manager = await staffByName(db, family.caseManager);
    if (!manager) continue;
    const leadAgencyId = manager.agency_id;
    const familyKey = `EG-${family.region}-${String(index + 1).padStart(5, '0')}`;

    const familyRow = await queryOne<{ id: string }>(
      db,
      sql`INSERT INTO family (region_code, settlement, remote, address, phone, situations, registered_by_agency_id)
          VALUES (${family.region}, ${family.settlement}, ${family.remote ?? false}, ${family.address}, ${family.phone}, ${family.situations}::family_situation[], ${leadAgencyId}::bigint)
          RETURNING id::text AS id`,
    );
    const familyId = familyRow!.id;
    await query(db, sql`INSERT INTO external_id (subject_type, family_id, system, value) VALUES ('FAMILY', ${familyId}::bigint, ${FAMILY_SYSTEM}, ${familyKey})`);

    const childIds: string[] = [];
    for (const [memberIndex, member] of family.members.entries()) {
      const placements = member.placements ?? [];
      const placement = placements.length ? PLACEMENT_AFTER[placements[placements.length - 1].kind] : Placement.WITH_BIRTH_FAMILY;
      const person = await queryOne<{ id: string }>(
        db,
        sql`INSERT INTO person (family_id, last_name, first_name, middle_name, birth_date, sex, relation, disability_status, diagnosis, education_placement, pmpk_conclusion, placement)
            VALUES (${familyId}::bigint, ${member.name[0]}, ${member.name[1]}, ${member.name[2] ?? null}, ${birthOf(member.born, today)}::date, ${member.sex}::sex,
                    ${member.relation}::family_relation, ${member.disability ?? DisabilityStatus.NONE}::disability_status, ${member.diagnosis ?? null},
                    ${member.education ?? null}, ${member.pmpk ?? null}, ${placement}::placement)
            RETURNING id::text AS id`,
      );
      const personId = person!.id;
      if (member.relation !== CHILD) continue;
      childIds.push(personId);
      const childKey = `${family.region}-${String(index + 1).padStart(4, '0')}-${memberIndex + 1}`;
      await query(db, sql`INSERT INTO external_id (subject_type, person_id, system, value) VALUES ('PERSON', ${personId}::bigint, ${CHILD_SYSTEM[family.region]}, ${childKey})`);
      let before = Placement.WITH_BIRTH_FAMILY;
      for (const event of placements) {
        const agency = event.agency ? await agencyByLabel(db, event.agency) : null;
        const after = PLACEMENT_AFTER[event.kind];
        await query(
          db,
          sql`INSERT INTO placement_event (person_id, kind, occurred_on, placement_before, placement_after, agency_id, recorded_by_agency_id, notes)
              VALUES (${personId}::bigint, ${event.kind}::placement_event_kind, ${dayOf(event.on, today)}::date, ${before}::placement, ${after}::placement,
                      ${agency?.id ?? null}::bigint, ${leadAgencyId}::bigint, ${event.notes ?? null})`,
        );
        before = after;
      }
    }

    const openedOn = dayOf(family.opened, today);
    const closedOn = family.closed ? dayOf(family.closed, today) : null;
    const chain = statusChain(family);
    const number = await issueCaseNumber(db, family.region, Number(openedOn.slice(0, 4)));
    const caseRow = await queryOne<{ id: string }>(
      db,
      sql`INSERT INTO "case" (number, region_code, family_id, status, risk_level, source, lead_agency_id, case_manager_id, opened_on, closed_on, closure_outcome, closure_note, version)
          VALUES (${number}, ${family.region}, ${familyId}::bigint, ${family.status}::case_status, ${family.risk}::risk_level, ${family.source}::case_source,
                  ${leadAgencyId}::bigint, ${manager.id}::bigint, ${openedOn}::date, ${closedOn}::date, ${family.outcome ?? null}::case_closure_outcome,
                  ${family.note ?? null}, ${chain.length})
          RETURNING id::text AS id`,
    );
    const caseId = caseRow!.id;
    caseIds.set(index, caseId);
    await query(db, sql`INSERT INTO case_child (case_id, person_id) SELECT ${caseId}::bigint, unnest(${childIds}::bigint[])`);
    const programCode = PROGRAM_OF_REGION[family.region];
    const programId = programCode ? programs.get(programCode) : undefined;
    if (programId) await query(db, sql`INSERT INTO case_program (case_id, program_id) VALUES (${caseId}::bigint, ${programId}::bigint)`);

    // The history: the moves spread evenly from the opening to the closing (or today), by the case manager.
    const start = Date.parse(`${openedOn}T09:00:00Z`);
    const end = Date.parse(`${closedOn ?? today}T09:00:00Z`);
    await query(
      db,
      sql`INSERT INTO case_status_change (case_id, from_status, to_status, changed_by_subject, changed_by_staff_id, changed_at)
          SELECT ${caseId}::bigint, t.from_status::case_status, t.to_status::case_status, ${manager.id}, ${manager.id}::bigint, t.changed_at::timestamptz
            FROM unnest(${chain.map((_, i) => (i === 0 ? null : chain[i - 1]))}::text[], ${chain}::text[],
                        ${chain.map((_, i) => new Date(start + ((end - start) * i) / Math.max(chain.length - 1, 1)).toISOString())}::text[]) AS t(from_status, to_status, changed_at)`,
    );

    await query(
      db,
      sql`INSERT INTO case_access_grant (case_id, agency_id, kind, source, granted_by_subject, created_at)
          VALUES (${caseId}::bigint, ${leadAgencyId}::bigint, ${GrantKind.LEAD}::grant_kind, 'OPEN_CASE', ${manager.id}, ${`${openedOn}T09:00:00Z`}::timestamptz)`,
    );
    for (const [teamIndex, label] of family.team.entries()) {
      const agency = await agencyByLabel(db, label);
      if (!agency || agency.id === leadAgencyId) continue;
      const revokedAt = family.revoked?.agency === label ? `${dayOf({ daysAgo: family.revoked.daysAgo }, today)}T12:00:00Z` : null;
      const joined = new Date(Math.min(start + (teamIndex + 1) * 3 * 86_400_000, end)).toISOString();
      await query(
        db,
        sql`INSERT INTO case_access_grant (case_id, agency_id, kind, source, granted_by_subject, created_at, revoked_at)
            VALUES (${caseId}::bigint, ${agency.id}::bigint, ${GrantKind.TEAM}::grant_kind, 'MANUAL', ${manager.id}, ${joined}::timestamptz, ${revokedAt}::timestamptz)`,
      );
    }
  }

  const emergencyCase = caseIds.get(EMERGENCY.family);
  const doctor = await queryOne<{ id: string; agency_id: string; roles: string[] }>(
    db,
    sql`SELECT id::text AS id, agency_id::text AS agency_id, roles FROM staff_member WHERE full_name = ${EMERGENCY.staff} AND active ORDER BY id LIMIT 1`,
  );
  if (emergencyCase && doctor) {
    await query(
      db,
      sql`INSERT INTO case_access_grant (case_id, staff_id, kind, source, reason, expires_at, granted_by_subject, created_at)
          VALUES (${emergencyCase}::bigint, ${doctor.id}::bigint, ${GrantKind.EMERGENCY}::grant_kind, 'EMERGENCY', ${EMERGENCY.reason},
                  now() + make_interval(hours => ${EMERGENCY.hoursLeft}), ${doctor.id}, now() - make_interval(hours => ${24 - EMERGENCY.hoursLeft}))`,
    );
    // Break-the-glass is audited with its reason, as requestEmergencyAccess does.
    await query(
      db,
      sql`INSERT INTO audit_event (occurred_at, request_id, actor_subject, actor_staff_id, agency_id, roles, action, record_type, record_id, case_id, fields, reason)
          VALUES (now() - make_interval(hours => ${24 - EMERGENCY.hoursLeft}), ${DEMO_SUBJECT}, ${doctor.id}, ${doctor.id}::bigint, ${doctor.agency_id}::bigint,
                  ${doctor.roles}::text[], 'WRITE', 'Case', ${emergencyCase}::bigint, ${emergencyCase}::bigint, ARRAY['emergencyAccess'], ${EMERGENCY.reason})`,
    );
  }
}
