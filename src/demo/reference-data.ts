import type { EntityManager } from 'typeorm';
import { AgencyKind, Role } from '../core/auth/roles';
import { AgencyEntity, RegionEntity, StaffMemberEntity } from '../modules/agencies/agency.entity';

/** The five regions of the seeds. */
export const DEMO_REGIONS = [
  { code: '10', name: 'Республика Карелия' },
  { code: '23', name: 'Краснодарский край' },
  { code: '51', name: 'Мурманская область' },
  { code: '54', name: 'Новосибирская область' },
  { code: '63', name: 'Самарская область' },
];

export async function seedReferenceData(db: EntityManager): Promise<void> {
  await db.getRepository(RegionEntity).insert(DEMO_REGIONS);
  const agencies = db.getRepository(AgencyEntity);
  const kcson = await agencies.save(agencies.create({ name: 'ГБУ СО «Комплексный центр социального обслуживания населения Республики Карелия»', shortName: 'КЦСОН РК', kind: AgencyKind.SOCIAL_PROTECTION, regionCode: '10', settlement: 'Петрозаводск' }));
  const staff = db.getRepository(StaffMemberEntity);
  await staff.save(staff.create({ agencyId: kcson.id, fullName: 'Иванова Мария Петровна', position: 'специалист по социальной работе', roles: [Role.CASE_MANAGER] }));
}
