import fs from 'node:fs';
import pg from 'pg';

export default async function globalTeardown() {
  const g = globalThis as Record<string, any>;
  const state = g.__jltState as Record<string, string> | undefined;
  await g.__jltTemporal?.stop();
  if (state && !process.env.JLT_KEEP_DB) {
    const admin = new pg.Client({ connectionString: state.adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${state.dbName} with (force)`);
    await admin.end();
  }
  await g.__jltEmbedded?.stop();
  if (state?.runDir) fs.rmSync(state.runDir, { recursive: true, force: true });
}
