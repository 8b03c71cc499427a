import type { DataSource, EntityManager } from 'typeorm';
import { queryOne } from '../core/db';
import { sql } from '../core/sql';
import { seedReferenceData } from './reference-data';
import { seedDemoCases } from './cases';
import { seedDemoRoutes } from './route';
import { seedDemoConferences } from './conferences';
import { seedDemoOutcomes } from './outcomes';

/** Demo steps run in order, each in the same transaction; later modules add theirs. */
export const demoSteps: Array<{ name: string; run: (db: EntityManager) => Promise<void> }> = [
  { name: 'reference data', run: seedReferenceData },
  { name: 'families and cases', run: seedDemoCases },
  { name: 'routes of help', run: seedDemoRoutes },
  { name: 'case conferences', run: seedDemoConferences },
  { name: "the seeds' outcome figures", run: seedDemoOutcomes },
];

/** Loads the demo registry into an empty database; returns false when it already holds data. */
export async function seedDemo(db: DataSource): Promise<boolean> {
  const existing = await queryOne<{ n: string }>(db, sql`SELECT count(*) AS n FROM agency`);
  if (existing && Number(existing.n) > 0) return false;
  await db.transaction(async (manager) => {
    for (const step of demoSteps) await step.run(manager);
  });
  return true;
}
