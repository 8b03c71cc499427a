import type { EntityManager } from 'typeorm';

/** Demo data step (filled in by its module). */
export async function seedDemoConferences(_db: EntityManager): Promise<void> {
  // intentionally empty until the module's demo data lands
}
