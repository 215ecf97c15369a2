/** `tsx db/cli.ts migrate|seed|rollback`: the deployment's one-shot database job. */
import { loadConfig } from '../platform/config';
import { createDb } from './connection';
import { migrateLatest, migrationConfig } from './migrate';
import { runSeeds } from './seed';

async function main(command = 'migrate') {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required');
  const db = createDb(config.DATABASE_URL);
  try {
    if (command === 'migrate') {
      const [batch, ran] = await migrateLatest(db);
      console.log(ran.length ? `batch ${batch}: ${ran.join(', ')}` : 'migrations current');
      await runSeeds(db, { demo: config.demoMode });
    } else if (command === 'rollback') {
      const [batch, ran] = await db.migrate.rollback(migrationConfig);
      console.log(`rolled back batch ${batch}: ${ran.join(', ')}`);
    } else if (command === 'seed') {
      await runSeeds(db, { demo: config.demoMode });
    } else {
      throw new Error(`unknown command ${command}; use migrate | seed | rollback`);
    }
  } finally {
    await db.destroy();
  }
}

main(process.argv[2]).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
