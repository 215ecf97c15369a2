/**
 * The fault harness: the system as `npm start` runs it — a throwaway PostgreSQL (the machine's binaries on a
 * temporary data folder and a free port), a Temporal dev server on its own SQLite file, and the
 * supervisor (scripts/start.mjs → platform/main.ts) running the worker and the API as separate
 * processes — plus a steady load of registration chains driven through the API, and kill -9 of each part.
 * The cluster suite (tests/cluster) runs it with several supervisors (requests spread across their APIs)
 * against a Temporal cluster instead of the dev server.
 *
 * Everything waits on conditions (a port, a pid, a row, an answer), never on a fixed time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { signAccessToken, type Actor } from '../../api/middleware/auth';
import { createDb, type Db } from '../../db/connection';
import { freePort } from '../../platform/dev-services';
import { validRegistrationBody } from '../support/fixtures';
import { signaturePayload } from '../workflow/support';
import { alive, descendants, devServer, ThrowawayPostgres, until, type Part, type TemporalUnderTest } from './processes';

export { descendants, until, type Part, type TemporalUnderTest } from './processes';

const ROOT = path.resolve(__dirname, '../..');

export interface FaultSystemOptions {
  /** The Temporal to run against (default: a dev server on its own SQLite file). */
  temporal?: (ctx: { dir: string; log: (m: string) => void }) => Promise<TemporalUnderTest>;
  /** `npm start` supervisors, each with its own API and worker; calls are spread across their APIs. */
  apps?: number;
}

export interface Call {
  at: number;
  ms: number;
  status: number | 'refused' | 'hang';
  what: string;
  /** Which supervisor's API was called. */
  app: number;
}

export interface Accepted {
  kind: 'create' | 'submit' | 'complete';
  registrationId: string;
  taskId?: string;
  action?: string;
  status: number;
  at: number;
}

export interface Cast {
  staff: Actor;
  leader: Actor;
  principal: Actor;
  bureau: Actor;
  admin: Actor;
}

const STEP_ACTION: Record<string, { actor: keyof Cast; action: string; payload?: () => Record<string, unknown> }> = {
  lead_school_opinion: { actor: 'leader', action: 'opinion', payload: () => ({ opinion: '同意组建。' }) },
  principal_signature: { actor: 'principal', action: 'sign', payload: signaturePayload },
  bureau_approval: { actor: 'bureau', action: 'approve' },
};
/** A request that has not answered in this long is a hang (every outage must answer sooner). */
export const HANG_MS = 45_000;

interface App {
  supervisor: ChildProcess;
  port: number;
}

export class FaultSystem {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jlt-faults-'));
  readonly jwtSecret = randomBytes(32).toString('hex');
  readonly calls: Call[] = [];
  readonly accepted: Accepted[] = [];
  private output = '';
  private postgres?: ThrowawayPostgres;
  temporal?: TemporalUnderTest;
  private readonly apps: App[] = [];
  private nextApp = 0;
  dbUrl = '';
  db!: Db;

  constructor(private readonly options: FaultSystemOptions = {}) {
    fs.chmodSync(this.dir, 0o755); // PostgreSQL runs as the postgres user and must reach its folder
  }

  private log = (m: string) => {
    this.output = (this.output + `[faults] ${m}\n`).slice(-400_000);
  };

  /** The last lines every part printed (for a failure's message). */
  tail(): string {
    return this.output.slice(-6000);
  }

  /** The API's log lines for requests it answered with a 500 (the reason, for a failure's message). */
  serverErrors(): string[] {
    return this.output.split('\n').filter((l) => l.includes('unhandled error')).map((l) => l.slice(0, 1500));
  }

  /** The first API's address. */
  get base() {
    return this.baseOf(0);
  }

  baseOf(app: number) {
    return `http://127.0.0.1:${this.apps[app].port}`;
  }

  /** How many supervisors (API + worker pairs) run. */
  get appCount() {
    return this.apps.length;
  }

  async start(): Promise<void> {
    this.postgres = new ThrowawayPostgres(path.join(this.dir, 'pg'), await freePort());
    await this.postgres.start();
    const admin = createDb(this.postgres.url());
    await admin.raw('create database jiaolianti');
    await admin.destroy();
    this.dbUrl = this.postgres.url('jiaolianti');
    this.temporal = await (this.options.temporal ?? devServer)({ dir: this.dir, log: this.log });
    const apps = this.options.apps ?? 1;
    // Several APIs and workers share what a deployment gives them all (the secrets), nothing else.
    const signingKey = apps > 1 ? generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() : undefined;
    // One after the other: each supervisor migrates the database at its start.
    for (let i = 0; i < apps; i++) {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATA_DIR: path.join(this.dir, i === 0 ? 'data' : `data-${i + 1}`),
        DATABASE_URL: this.dbUrl,
        TEMPORAL_ADDRESS: this.temporal.address,
        PORT: String(port),
        JWT_SECRET: this.jwtSecret,
        ...(signingKey ? { SIGNING_KEY_PEM: signingKey } : {}),
        JWT_TTL_SECONDS: '7200',
        DEMO_MODE: 'false',
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
        JLT_SKIP_CONSOLE_BUILD: '1',
      };
      const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      this.apps.push({ supervisor: child, port });
      let own = '';
      const ready = new Promise<void>((resolve, reject) => {
        const onData = (d: Buffer) => {
          this.output = (this.output + d.toString()).slice(-400_000);
          own = (own + d.toString()).slice(-10_000);
          if (/^READY /m.test(own)) resolve();
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before ready:\n${this.tail()}`)));
      });
      await ready;
    }
    this.db = createDb(this.dbUrl);
  }

  /** The pid of one supervisor's worker or API child. */
  partPid(part: 'worker' | 'api', app = 0): number | undefined {
    const pid = this.apps[app]?.supervisor.pid;
    if (!pid) return undefined;
    return descendants(pid).find((p) => p.args.includes(`${part}/main.ts`) && !p.args.includes('start.mjs'))?.pid;
  }

  async ready(app = 0): Promise<boolean> {
    const res = await fetch(`${this.baseOf(app)}/readyz`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    return res?.status === 200;
  }

  /**
   * SIGKILL of one part (`which`: the supervisor whose worker or API, or the history process). The supervisor
   * restarts the worker and the API; the harness restarts Temporal's parts and Postgres, once `restartWhen` holds
   * if given (a part kept down while the rest must carry the load). Answers the down time.
   */
  async kill(part: Part, opts: { which?: number; restartWhen?: () => Promise<boolean> | boolean } = {}): Promise<{ killedAt: number; backAt: number }> {
    let killedAt: number;
    if (part === 'worker' || part === 'api') {
      const app = opts.which ?? 0;
      const pid = this.partPid(part, app);
      if (!pid) throw new Error(`no ${part} process under supervisor ${app}`);
      killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      await until(`the supervisor to restart the ${part}`, () => {
        const now = this.partPid(part, app);
        return now !== undefined && now !== pid;
      });
      if (part === 'api') await until('the restarted API to be ready', () => this.ready(app));
    } else if (part === 'postgres') {
      const pid = this.postgres!.pid!;
      const all = [pid, ...descendants(pid).map((p) => p.pid)];
      killedAt = Date.now();
      for (const p of all) process.kill(p, 'SIGKILL');
      await until('every Postgres process to be gone', () => all.every((p) => !alive(p)));
      const old = this.db;
      void old.destroy().catch(() => undefined);
      if (opts.restartWhen) await until('the condition to restart Postgres', opts.restartWhen);
      await this.postgres!.start(); // the same data folder and port: crash recovery
      this.db = createDb(this.dbUrl);
    } else {
      killedAt = Date.now();
      await this.temporal!.kill(part, opts.which);
      if (opts.restartWhen) await until(`the condition to restart the ${part}`, opts.restartWhen);
      await this.temporal!.restart(part, opts.which); // the same ports and storage
    }
    return { killedAt, backAt: Date.now() };
  }

  token(actor: Actor): string {
    return signAccessToken(actor, this.jwtSecret, 7200);
  }

  /** One API call, recorded with its time and answer; a refused connection or a hang is an answer too. */
  async call(actor: Actor, method: string, url: string, body?: unknown): Promise<{ status: number; body: any } | undefined> {
    const at = Date.now();
    const what = `${method} ${url.replace(/[0-9a-f-]{36}/g, ':id')}`;
    // Spread across the APIs, each call to the next.
    const app = this.nextApp++ % this.apps.length;
    try {
      const res = await fetch(`${this.baseOf(app)}${url}`, {
        method,
        headers: { authorization: `Bearer ${this.token(actor)}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(HANG_MS),
      });
      const text = await res.text();
      this.calls.push({ at, ms: Date.now() - at, status: res.status, what, app });
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed };
    } catch (err) {
      const hang = (err as Error).name === 'TimeoutError';
      this.calls.push({ at, ms: Date.now() - at, status: hang ? 'hang' : 'refused', what, app });
      return undefined;
    }
  }

  private async pause() {
    await new Promise((r) => setTimeout(r, 200));
  }

  /** Registration status and open task as stored (undefined while Postgres is down). */
  private async stored(id: string) {
    try {
      const row = await this.db('registrations').where({ id }).first('status');
      const task = await this.db('tasks').where({ registrationId: id, status: 'open' }).first('id', 'step');
      return { status: row?.status as string, task: task as { id: string; step: string } | undefined };
    } catch {
      return undefined;
    }
  }

  /**
   * One registration from draft to approval through the API, whatever fails on the way: after any
   * refusal or outage it reads where the registration stands and takes the next step from there.
   */
  async chain(cast: Cast): Promise<string> {
    let id: string | undefined;
    while (!id) {
      const r = await this.call(cast.staff, 'POST', '/api/registrations', validRegistrationBody());
      if (r?.status === 201) {
        id = r.body.id as string;
        this.accepted.push({ kind: 'create', registrationId: id, status: 201, at: Date.now() });
      } else await this.pause();
    }
    for (;;) {
      const now = await this.stored(id);
      if (!now) {
        await this.pause();
        continue;
      }
      if (now.status === 'active') return id;
      let r: { status: number; body: any } | undefined;
      if (now.status === 'draft') {
        r = await this.call(cast.staff, 'POST', `/api/registrations/${id}/submit`);
        if (r && r.status >= 200 && r.status < 300) {
          this.accepted.push({ kind: 'submit', registrationId: id, status: r.status, at: Date.now() });
          await until('the submission to be stored', async () => (await this.stored(id!))?.status !== 'draft', 60_000).catch(() => undefined);
          continue;
        }
      } else if (now.task && STEP_ACTION[now.task.step]) {
        const step = STEP_ACTION[now.task.step];
        const taskId = now.task.id;
        r = await this.call(cast[step.actor], 'POST', `/api/tasks/${taskId}/complete`, { action: step.action, ...(step.payload ? { payload: step.payload() } : {}) });
        if (r && r.status >= 200 && r.status < 300) {
          this.accepted.push({ kind: 'complete', registrationId: id, taskId, action: step.action, status: r.status, at: Date.now() });
          await until('the decision to be stored', async () => (await this.stored(id!))?.task?.id !== taskId, 60_000).catch(() => undefined);
          continue;
        }
      }
      await this.pause();
    }
  }

  /**
   * The steady load beside the chains: the bureau's inbox and the registration list, one after the
   * other, until `stop()` — what people keep asking for while a part is down.
   */
  readers(cast: Cast, count = 2): { stop(): Promise<void> } {
    let stopping = false;
    const loops = Array.from({ length: count }, async (_, i) => {
      while (!stopping) {
        const r =
          i % 2 === 0
            ? await this.call(cast.bureau, 'GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ mine: true }))}&range=[0,24]`)
            : await this.call(cast.staff, 'GET', '/api/registrations?range=[0,24]');
        if (!r || r.status >= 500) await this.pause();
      }
    });
    return {
      stop: async () => {
        stopping = true;
        await Promise.all(loops);
      },
    };
  }

  /** A Temporal client for one check (a fresh connection: the server may have been restarted). */
  async withTemporal<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const connection = await Connection.connect({ address: this.temporal!.address });
    try {
      return await fn(new Client({ connection }));
    } finally {
      await connection.close();
    }
  }

  /** Stops everything this harness started, the supervisors first (each stops its API and worker). */
  async stop(): Promise<void> {
    await Promise.all(
      this.apps.map(
        ({ supervisor: sup }) =>
          new Promise<void>((resolve) => {
            if (sup.exitCode !== null || sup.signalCode !== null) return resolve();
            const timer = setTimeout(() => sup.kill('SIGKILL'), 15_000);
            sup.once('exit', () => (clearTimeout(timer), resolve()));
            sup.kill('SIGINT');
          }),
      ),
    );
    await this.db?.destroy().catch(() => undefined);
    await this.temporal?.stop().catch(() => undefined);
    await this.postgres?.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
