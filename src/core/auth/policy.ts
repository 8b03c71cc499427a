import type { RecordScope } from './access';
import { AgencyKind, FieldClass, Relation, Role } from './roles';

/**
 * THE policy table. Every read of a guarded field and every row-scoping decision comes from here.
 * A rule: callers holding one of `roles`, whose agency is of one of `agencyKinds` (all kinds if absent),
 * standing in one of `relations` to the record, may read fields of `classes`.
 */
export interface ReadRule {
  roles: Role[];
  relations: Relation[];
  agencyKinds?: AgencyKind[];
  classes: FieldClass[];
  /** Only on records of these kinds (every kind if absent): keeps a rule for one kind of record from leaking onto cases. */
  records?: Array<RecordScope['kind']>;
}

const CASE_WORKERS = [Role.CASE_MANAGER, Role.SPECIALIST, Role.PARTNER_SYSTEM];
const ON_TEAM = [Relation.TEAM, Relation.EMERGENCY];

export const READ_POLICY: readonly ReadRule[] = [
  // The case manager reads everything on the cases they manage.
  {
    roles: [Role.CASE_MANAGER],
    relations: [Relation.CASE_MANAGER],
    classes: [FieldClass.CASE_META, FieldClass.IDENTITY, FieldClass.HEALTH, FieldClass.SOCIAL_RISK, FieldClass.EDUCATION, FieldClass.NOTES],
  },
  // The coordinator reads every case of the own regions: meta, identity and social risk.
  { roles: [Role.COORDINATOR], relations: [Relation.REGION, ...ON_TEAM], classes: [FieldClass.CASE_META, FieldClass.IDENTITY, FieldClass.SOCIAL_RISK] },
  // Agencies on the team (or with break-the-glass access) read meta and identity...
  { roles: CASE_WORKERS, relations: ON_TEAM, classes: [FieldClass.CASE_META, FieldClass.IDENTITY] },
  // ...and the sensitive classes that match their kind.
  { roles: CASE_WORKERS, relations: ON_TEAM, agencyKinds: [AgencyKind.HEALTH], classes: [FieldClass.HEALTH] },
  { roles: CASE_WORKERS, relations: ON_TEAM, agencyKinds: [AgencyKind.SOCIAL_PROTECTION, AgencyKind.GUARDIANSHIP], classes: [FieldClass.SOCIAL_RISK] },
  { roles: CASE_WORKERS, relations: ON_TEAM, agencyKinds: [AgencyKind.EDUCATION], classes: [FieldClass.EDUCATION] },
  // Participants of a conference see the agenda's cases: meta and identity only.
  { roles: [...CASE_WORKERS, Role.COORDINATOR], relations: [Relation.CONFERENCE], classes: [FieldClass.CASE_META, FieldClass.IDENTITY] },
  // Notes are read by the agency that wrote them (while it can see the record at all).
  { roles: CASE_WORKERS, relations: [Relation.AUTHOR_AGENCY], classes: [FieldClass.NOTES] },
  // The coordinator runs the conferences of the own regions and keeps their minutes; on conferences only, never on cases' notes.
  { roles: [Role.COORDINATOR], relations: [Relation.REGION], classes: [FieldClass.NOTES], records: ['conference'] },
];

/** Who may call an operation. Operation gates name an action from here; resolvers never test roles themselves. */
export const ACTION_POLICY = {
  /** Read reference data (regions, agencies, providers, programmes). */
  'reference.read': Object.values(Role),
  /** Create and change agencies, staff, service types, providers, offerings and programmes. */
  'reference.manage': [Role.ADMIN],
  /** Read the whole audit log. */
  'audit.read': [Role.ADMIN],
  /** Read who viewed or changed a case and its family (further limited to the case's manager or the region's coordinator). */
  'audit.readCases': [Role.CASE_MANAGER, Role.COORDINATOR],
  /** Read outcome metrics. */
  'metrics.read': [Role.ANALYST, Role.COORDINATOR, Role.ADMIN],
  /** Record indicators that records cannot yield. */
  'metrics.report': [Role.COORDINATOR, Role.ADMIN],
  /** Read case data at all (rows are then scoped by READ_POLICY). */
  'cases.read': [Role.COORDINATOR, Role.CASE_MANAGER, Role.SPECIALIST, Role.PARTNER_SYSTEM],
  /** Register families and open cases. */
  'cases.open': [Role.CASE_MANAGER, Role.COORDINATOR, Role.PARTNER_SYSTEM],
  /** Move a case through its lifecycle (further limited to the case's manager or the region's coordinator). */
  'cases.changeStatus': [Role.CASE_MANAGER, Role.COORDINATOR],
  /** Assign a case manager. */
  'cases.assignManager': [Role.COORDINATOR],
  /** Manage a case's team and route of help. */
  'cases.plan': [Role.CASE_MANAGER, Role.COORDINATOR],
  /** Act on any case of the own regions as its coordinator (together with a case action such as `cases.plan`), not only on managed ones. */
  'cases.coordinate': [Role.COORDINATOR],
  /** Work on a case as a team member: services, plan-step progress, referral answers. */
  'cases.work': [Role.CASE_MANAGER, Role.SPECIALIST, Role.PARTNER_SYSTEM, Role.COORDINATOR],
  /** Break-the-glass access to a case. */
  'cases.emergency': [Role.SPECIALIST, Role.CASE_MANAGER, Role.PARTNER_SYSTEM],
  /** Run inter-agency conferences. */
  'conferences.manage': [Role.COORDINATOR],
  /** Read conferences (rows scoped to participants and the region's coordinator). */
  'conferences.read': [Role.COORDINATOR, Role.CASE_MANAGER, Role.SPECIALIST, Role.PARTNER_SYSTEM],
  /** Report a conference decision carried out or reopen it (further limited to the responsible agency or the region's coordinator). */
  'conferences.carryOut': [Role.COORDINATOR, Role.CASE_MANAGER, Role.SPECIALIST, Role.PARTNER_SYSTEM],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof ACTION_POLICY;

/** Whether a rule applies to a kind of record (a rule limited to some kinds never applies when the kind is not known). */
function appliesTo(rule: ReadRule, recordKind: RecordScope['kind'] | undefined): boolean {
  return !rule.records || (recordKind !== undefined && rule.records.includes(recordKind));
}

/** The classes a caller may read on a record, given how they stand to it (and, for kind-limited rules, the record's kind). */
export function readableClasses(roles: readonly Role[], agencyKind: AgencyKind, relations: ReadonlySet<Relation>, recordKind?: RecordScope['kind']): Set<FieldClass> {
  const classes = new Set<FieldClass>([FieldClass.REFERENCE]);
  for (const rule of READ_POLICY) {
    if (!appliesTo(rule, recordKind)) continue;
    if (!rule.roles.some((role) => roles.includes(role))) continue;
    if (rule.agencyKinds && !rule.agencyKinds.includes(agencyKind)) continue;
    if (!rule.relations.some((relation) => relations.has(relation))) continue;
    for (const fieldClass of rule.classes) classes.add(fieldClass);
  }
  // Notes are only ever shown alongside a record the caller may see at all.
  if (!classes.has(FieldClass.CASE_META)) classes.delete(FieldClass.NOTES);
  return classes;
}

/** The relations that, for this caller, make a record visible at all (CASE_META); row scoping turns each into SQL. */
export function relationsGranting(roles: readonly Role[], agencyKind: AgencyKind, fieldClass: FieldClass, recordKind?: RecordScope['kind']): Set<Relation> {
  const relations = new Set<Relation>();
  for (const rule of READ_POLICY) {
    if (!appliesTo(rule, recordKind)) continue;
    if (!rule.roles.some((role) => roles.includes(role))) continue;
    if (rule.agencyKinds && !rule.agencyKinds.includes(agencyKind)) continue;
    if (!rule.classes.includes(fieldClass)) continue;
    for (const relation of rule.relations) if (relation !== Relation.AUTHOR_AGENCY) relations.add(relation);
  }
  return relations;
}

export function mayAct(roles: readonly Role[], action: Action): boolean {
  return (ACTION_POLICY[action] as readonly Role[]).some((role) => roles.includes(role));
}
