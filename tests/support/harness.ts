import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, type Worker, type WorkerOptions } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { signAccessToken, type Actor } from '../../api/middleware/auth';
import type { Role } from '../../api/rights';
import pg from 'pg';
import { createDb, type Db } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';
import { runSeeds } from '../../db/seed';
import { loadConfig, type Config } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { createWorker } from '../../worker/create-worker';
import type { OutboxSenderOptions } from '../../worker/outbox-sender';

export interface TestState {
  databaseUrl: string;
  adminUrl: string;
  dbName: string;
  temporalAddress: string;
  workflowBundlePath: string;
  runDir: string;
}

export function testState(): TestState {
  const raw = process.env.JLT_TEST_STATE;
  if (!raw) throw new Error('JLT_TEST_STATE is missing: run the tests through jest (npm test)');
  return JSON.parse(raw) as TestState;
}

export interface TestSystem {
  db: Db;
  databaseUrl: string;
  config: Config;
  temporal: Client;
  baseUrl: string;
  taskQueue: string;
  worker?: Worker;
  /** Stops and restarts the worker (crash tests). */
  restartWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A database of its own (migrated, seeded) for suites that change global settings — deadline
 * policies, required form fields, demo seeds — which would disturb suites running at the same time.
 */
export async function createIsolatedDatabase(opts: { demo?: boolean; seed?: boolean } = {}) {
  const state = testState();
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

let runtimeInstalled = false;
/** The SDK's own logs only when something is wrong (once per jest worker process). */
function installQuietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger(process.env.LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN') });
  } catch {
    /* already installed by this process */
  }
}

/**
 * The system in-process on real parts: the API on port 0 over the run's database (or one of its own),
 * a Temporal client and (unless told not to) a worker on a task queue of this test file's own.
 */
export async function startSystem(
  opts: {
    worker?: boolean;
    env?: Record<string, string>;
    isolatedDatabase?: { demo?: boolean };
    outbox?: OutboxSenderOptions;
    temporalAddress?: string;
    /** Worker options of a test's own (e.g. interceptors that hold an activity's answer back). */
    workerExtra?: Partial<WorkerOptions>;
  } = {},
): Promise<TestSystem> {
  const state = testState();
  installQuietRuntime();
  const taskQueue = `test-${randomUUID()}`;
  const isolated = opts.isolatedDatabase ? await createIsolatedDatabase(opts.isolatedDatabase) : undefined;
  const databaseUrl = isolated?.databaseUrl ?? state.databaseUrl;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: opts.temporalAddress ?? state.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATA_DIR: state.runDir,
    ...opts.env,
  });
  const logger = createLogger(config.LOG_LEVEL, 'test');
  const db = isolated?.db ?? createDb(databaseUrl);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS! });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = createApp({ db, temporal, config, logger });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let running: { worker: Worker; done: Promise<void>; close: () => Promise<void> } | undefined;
  const startWorker = async () => {
    const { worker, connection: wc, outbox } = await createWorker({
      address: config.TEMPORAL_ADDRESS!,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue,
      db,
      logger,
      config,
      workflowBundlePath: state.workflowBundlePath,
      outbox: opts.outbox,
      extra: opts.workerExtra,
    });
    outbox?.start();
    running = {
      worker,
      done: worker.run(),
      close: async () => {
        await outbox?.stop();
        await wc.close();
      },
    };
  };
  const stopWorker = async () => {
    if (!running) return;
    const r = running;
    running = undefined;
    r.worker.shutdown();
    await r.done;
    await r.close();
  };
  if (opts.worker !== false) await startWorker();

  const system: TestSystem = {
    db,
    databaseUrl,
    config,
    temporal,
    baseUrl,
    taskQueue,
    get worker() {
      return running?.worker;
    },
    restartWorker: async () => {
      await stopWorker();
      await startWorker();
    },
    stopWorker,
    close: async () => {
      await stopWorker();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await connection.close();
      if (isolated) await isolated.drop();
      else await db.destroy();
    },
  };
  return system;
}

/** A real signed access token for an actor. */
export function tokenFor(config: Config, actor: Partial<Actor> & { id: number; roles: Role[] }): string {
  return signAccessToken(
    {
      username: `user${actor.id}`,
      name: `User ${actor.id}`,
      schoolId: null,
      districtId: null,
      ...actor,
    },
    config.JWT_SECRET,
    config.JWT_TTL_SECONDS,
  );
}

/**
 * A token for the user's current session epoch: still valid after that user signed out in the
 * console (a logout ends every token issued before it, tokenFor's included).
 */
export async function currentTokenFor(sys: Pick<TestSystem, 'config' | 'db'>, actor: Actor): Promise<string> {
  const row = await sys.db('users').where({ id: actor.id }).first('sessionEpoch');
  return signAccessToken(actor, sys.config.JWT_SECRET, sys.config.JWT_TTL_SECONDS, Number(row?.sessionEpoch ?? 0));
}

/** fetch against the in-process API, JSON in and out. */
export async function api(
  sys: Pick<TestSystem, 'baseUrl'>,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${sys.baseUrl}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...opts.headers,
    },
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers };
}
