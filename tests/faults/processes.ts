/**
 * The fault harness's processes: waiting on conditions, the process tree, a throwaway PostgreSQL that can
 * be killed, and the Temporal under test (a dev server here; tests/cluster brings a cluster).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { canConnectPostgres, freePort, startTemporalDevServer, type TemporalDevServer } from '../../platform/dev-services';
import { locateTemporalCli } from '../../platform/temporal-cli';

/** `history`: one history process of a Temporal cluster (tests/cluster). */
export type Part = 'worker' | 'api' | 'temporal' | 'postgres' | 'history';

/**
 * The Temporal the system runs against. `kill` SIGKILLs the part's process and answers once it is gone;
 * `restart` starts it again on the same ports and storage and answers once it listens.
 */
export interface TemporalUnderTest {
  address: string;
  /** `which`: the part's instance where there are several (history processes). */
  kill(part: Part, which?: number): Promise<void>;
  restart(part: Part, which?: number): Promise<void>;
  stop(): Promise<void>;
}


/** Polls `check` until it answers something truthy; fails naming `what` after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | null | undefined | false = undefined;
    try {
      value = await check();
    } catch {
      /* not yet: the part may be down */
    }
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Every process below `root` (pid and command line), from `ps`. */
export function descendants(root: number): { pid: number; args: string }[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
  const out: { pid: number; args: string }[] = [];
  const walk = (pid: number) => {
    for (const r of rows) {
      if (r.ppid !== pid) continue;
      out.push({ pid: r.pid, args: r.args });
      walk(r.pid);
    }
  };
  walk(root);
  return out;
}

/** The machine's PostgreSQL binaries (Debian's layout), newest first. */
function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql/*/bin (Debian package postgresql)');
  return path.join(root, versions[0], 'bin');
}

/**
 * A throwaway PostgreSQL cluster on a temporary data folder and a free port (the machine's own
 * cluster cannot be killed): `initdb` once, then `postgres` as a child of ours, so kill -9 hits the
 * postmaster and a restart on the same folder runs crash recovery.
 */
export class ThrowawayPostgres {
  private child?: ChildProcess;
  private readonly bin = postgresBinDir();
  private readonly ids: { uid: number; gid: number } | Record<string, never>;
  constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {
    // As root, PostgreSQL runs as the postgres user (it refuses root).
    this.ids = process.getuid?.() === 0 ? { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) } : {};
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  url(db = 'postgres') {
    return `postgres://postgres@127.0.0.1:${this.port}/${db}`;
  }

  async start(): Promise<void> {
    if (!fs.existsSync(path.join(this.dataDir, 'PG_VERSION'))) {
      fs.mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
      if ('uid' in this.ids) fs.chownSync(this.dataDir, this.ids.uid, this.ids.gid);
      execFileSync(path.join(this.bin, 'initdb'), ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale'], { ...this.ids, stdio: 'ignore' });
    }
    const child = spawn(path.join(this.bin, 'postgres'), ['-D', this.dataDir, '-p', String(this.port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${this.dataDir}`], {
      ...this.ids,
      stdio: 'ignore',
    });
    this.child = child;
    await until('PostgreSQL to accept connections', async () => {
      if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}`);
      return canConnectPostgres(this.url());
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => (clearTimeout(timer), resolve()));
      child.kill('SIGINT'); // fast shutdown
    });
  }
}

/** A Temporal dev server on its own SQLite file; a kill of `temporal` restarts it on the same port and file. */
export async function devServer({ dir, log }: { dir: string; log: (m: string) => void }): Promise<TemporalUnderTest> {
  const bin = (await locateTemporalCli(log)) ?? null;
  const port = await freePort();
  const start = () => startTemporalDevServer({ bin, dbFile: path.join(dir, 'temporal.db'), port, headless: true, log });
  let server: TemporalDevServer = await start();
  return {
    address: `127.0.0.1:${port}`,
    async kill(part) {
      if (part !== 'temporal') throw new Error(`the dev server has no ${part} part`);
      const pid = server.pid!;
      process.kill(pid, 'SIGKILL');
      await until('the Temporal port to close', async () => !alive(pid) && !(await listening(port)));
    },
    async restart() {
      server = await start();
    },
    stop: () => server.stop(),
  };
}
