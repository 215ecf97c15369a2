import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { createDb } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';
import { runSeeds } from '../../db/seed';
import { canConnectPostgres, startEmbeddedPostgres, startTemporalDevServer } from '../../platform/dev-services';

/**
 * One run: an isolated database (on DATABASE_URL's server, else the machine's Postgres, else an
 * embedded one), a Temporal dev server on free ports, and the workflow code bundled once.
 */
export default async function globalSetup() {
  const log = (m: string) => process.stderr.write(`[setup] ${m}\n`);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jlt-test-'));
  const state: Record<string, string> = { runDir };

  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const local = 'postgres://postgres@127.0.0.1:5432/postgres';
    if (await canConnectPostgres(local)) serverUrl = local;
  }
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres(path.join(runDir, 'data'), log);
    serverUrl = embedded.url;
    (globalThis as Record<string, unknown>).__jltEmbedded = embedded;
  }
  const dbName = `jlt_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(serverUrl);
  state.adminUrl = serverUrl;
  url.pathname = `/${dbName}`;
  state.databaseUrl = url.toString();
  state.dbName = dbName;

  const db = createDb(state.databaseUrl);
  await migrateLatest(db);
  await runSeeds(db, { demo: false });
  await db.destroy();

  const temporal = await startTemporalDevServer({ headless: true, log });
  (globalThis as Record<string, unknown>).__jltTemporal = temporal;
  state.temporalAddress = temporal.address;

  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows/index'), logger: new DefaultLogger('WARN') });
  state.workflowBundlePath = path.join(runDir, 'workflow-bundle.js');
  fs.writeFileSync(state.workflowBundlePath, code);

  process.env.JLT_TEST_STATE = JSON.stringify(state);
  (globalThis as Record<string, unknown>).__jltState = state;
}
