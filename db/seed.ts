import type { Db } from './connection';
import { seedCatalog } from './seeds/catalog';
import { seedDeadlinePolicies } from './seeds/deadline-policies';
import { seedDemo } from './seeds/demo';

export interface SeedOptions {
  /** Demo district, schools, users and registrations (on by default for `npm start`, off in production). */
  demo: boolean;
}

/**
 * Idempotent seeds run at every start: the responsibility catalog and default deadline policies
 * always; demo data only in demo mode. A second run keeps every row a user changed.
 */
export async function runSeeds(db: Db, opts: SeedOptions): Promise<void> {
  await seedCatalog(db);
  await seedDeadlinePolicies(db);
  if (opts.demo) await seedDemo(db);
}
