/**
 * `npm start`: the whole system on one machine. Postgres (DATABASE_URL or embedded), migrations and
 * seeds, Temporal (TEMPORAL_ADDRESS or a persistent dev server), then the worker and the API as
 * supervised child processes. SIGINT/SIGTERM stops everything, children first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createDb } from '../db/connection';
import { migrateLatest } from '../db/migrate';
import { runSeeds } from '../db/seed';
import { ConfigError, loadConfig } from './config';
import { startEmbeddedPostgres, startTemporalDevServer, type RunningService } from './dev-services';
import { createLogger } from './logger';

const ROOT = path.resolve(__dirname, '..');

async function main() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'start');
  const say = (m: string) => log.info(m);
  const services: RunningService[] = [];
  const children = new Map<string, ChildProcess>();
  let stopping = false;

  const shutdown = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    say('Stopping…');
    // Children first (the worker drains against a live Temporal), then Temporal, then Postgres.
    const stopChildren = [...children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(stopChildren);
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    say('Stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres(config.dataDir, say);
    services.push(pg);
    databaseUrl = pg.url;
    say(`Embedded PostgreSQL running (data in ${path.join(config.dataDir, 'postgres')})`);
  }

  const db = createDb(databaseUrl);
  const [batch, ran] = await migrateLatest(db);
  say(ran.length ? `Migrations applied (batch ${batch}): ${ran.join(', ')}` : 'Migrations current');
  await runSeeds(db, { demo: config.demoMode });
  await db.destroy();

  let temporalAddress = config.TEMPORAL_ADDRESS;
  let temporalUi: string | undefined;
  if (!temporalAddress) {
    const temporal = await startTemporalDevServer({
      dbFile: path.join(config.dataDir, 'temporal.db'),
      port: config.TEMPORAL_DEV_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      log: say,
    });
    services.push(temporal);
    temporalAddress = temporal.address;
    temporalUi = temporal.uiUrl;
  }

  const childEnv = { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress };
  const supervise = (name: string, entry: string) => {
    const launch = (attempt: number) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], { env: childEnv, stdio: 'inherit', cwd: ROOT });
      children.set(name, child);
      child.on('exit', (code, signal) => {
        if (stopping) return;
        log.error({ code, signal }, `${name} exited; restarting`);
        // A crash must not take the product down: restart with a short backoff.
        setTimeout(() => launch(attempt + 1), Math.min(30_000, 500 * 2 ** attempt));
      });
    };
    launch(0);
  };
  supervise('worker', 'worker/main.ts');
  supervise('api', 'api/main.ts');

  const base = `http://127.0.0.1:${config.PORT}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ok = await fetch(`${base}/readyz`).then((r) => r.ok).catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      log.error('the system did not become ready within 120 s');
      return shutdown(1);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const logins = config.demoMode
    ? ' | demo logins (password demo1234): staff.demo leader.demo principal.demo bureau.demo admin.demo'
    : '';
  // The one ready line.
  console.log(`READY 教联体 console ${base}/ | API ${base}/api | Temporal ${temporalAddress}${temporalUi ? ` (UI ${temporalUi})` : ''}${logins}`);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
