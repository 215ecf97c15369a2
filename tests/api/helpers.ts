/**
 * Helpers for the API suites. `startIsolatedApi` runs the real app over a database of its own
 * (migrated, seeded), for tests that change global settings (required form fields, demo seeds)
 * which would otherwise disturb suites running at the same time on the run's shared database.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { createDb, type Db } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';
import { runSeeds } from '../../db/seed';
import { loadConfig, type Config } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { testState } from '../support/harness';

export interface IsolatedApi {
  db: Db;
  config: Config;
  baseUrl: string;
  databaseUrl: string;
  close(): Promise<void>;
}

export async function createIsolatedDatabase(opts: { demo?: boolean; seed?: boolean } = {}) {
  const state = testState() as ReturnType<typeof testState> & { adminUrl: string; dbName: string };
  const name = `${state.dbName}_${randomUUID().slice(0, 6)}`;
  const admin = new pg.Client({ connectionString: state.adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(state.adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const db = createDb(databaseUrl);
  await migrateLatest(db);
  if (opts.seed !== false) await runSeeds(db, { demo: opts.demo ?? false });
  const drop = async () => {
    await db.destroy();
    const a = new pg.Client({ connectionString: state.adminUrl });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  };
  return { db, databaseUrl, drop };
}

export async function startIsolatedApi(opts: { demo?: boolean } = {}): Promise<IsolatedApi> {
  const state = testState();
  const { db, databaseUrl, drop } = await createIsolatedDatabase(opts);
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: state.temporalAddress, LOG_LEVEL: 'silent', DATA_DIR: state.runDir });
  const connection = Connection.lazy({ address: state.temporalAddress });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = createApp({ db, temporal, config, logger: createLogger('silent', 'test') });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    db,
    config,
    databaseUrl,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await connection.close();
      await drop();
    },
  };
}

/** Audit events of one action whose details match, newest first. */
export async function auditEventsOf(db: Db, action: string, details: Record<string, unknown> = {}) {
  const q = db('auditEvents').where({ action }).orderBy('id', 'desc');
  for (const [k, v] of Object.entries(details)) q.whereRaw('details->>? = ?', [k, String(v)]);
  return q;
}

export const countRows = async (db: Db, table: string, where: Record<string, unknown> = {}) =>
  Number(((await db(table).where(where).count({ n: '*' }).first()) as { n: string }).n);
