/**
 * Stopping `npm start` the ways a terminal, a service manager or a crash does: each one leaves no
 * process behind and nothing listening, within 10 s of the signal.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../platform/dev-services';

const ROOT = path.resolve(__dirname, '../..');
const STOP_LIMIT_MS = 10_000;

interface Started {
  child: ChildProcess;
  ready: Promise<void>;
}

function start(how: 'npm' | 'node', env: NodeJS.ProcessEnv): Started {
  const [cmd, args] = how === 'npm' ? ['npm', ['start', '--silent']] : [process.execPath, [path.join(ROOT, 'scripts/start.mjs')]];
  const child = spawn(cmd as string, args as string[], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').some((l) => l.startsWith('READY '))) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before ready:\n${out.slice(-3000)}`)));
  });
  return { child, ready };
}

const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map(Number).filter(Boolean);
  } catch {
    return []; // ps exits 1 when there are none
  }
};
const descendantsOf = (pid: number): number[] => childrenOf(pid).flatMap((c) => [c, ...descendantsOf(c)]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/** Milliseconds until no process of the tree is alive and no port answers; fails past the limit. */
async function goneWithin(limitMs: number, pids: number[], ports: number[], since: number): Promise<number> {
  for (;;) {
    const left = pids.filter(alive);
    const open: number[] = [];
    for (const p of ports) if (await listening(p)) open.push(p);
    const elapsed = Date.now() - since;
    if (left.length === 0 && open.length === 0) return elapsed;
    if (elapsed > limitMs) throw new Error(`after ${elapsed} ms still running: pids ${left.join(', ') || '-'}; listening: ${open.join(', ') || '-'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Stopping npm start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jlt-stop-'));
  fs.chmodSync(dataDir, 0o755); // embedded Postgres runs as the postgres user and must reach its folder
  let env: NodeJS.ProcessEnv;
  let ports: number[];
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  beforeAll(async () => {
    const [port, temporalPort, uiPort, metricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      WORKER_METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'warn',
    };
    ports = [port, temporalPort, uiPort, metricsPort];
  });

  /** Starts the system, then returns every process it runs and every port it holds (Postgres's too). */
  async function startAndSurvey(how: 'npm' | 'node') {
    const started = start(how, env);
    await started.ready;
    const pgPort = Number(fs.readFileSync(path.join(dataDir, 'postgres.port'), 'utf8'));
    const tree = descendantsOf(started.child.pid!);
    const held = [...ports, pgPort];
    for (const p of held) expect(await listening(p)).toBe(true);
    // The worker's SDK exporter answers with the worker's own figures.
    expect(await (await fetch(`http://127.0.0.1:${env.WORKER_METRICS_PORT}/metrics`)).text()).toMatch(/^temporal_num_pollers\{.*task_queue="registrations"/m);
    return { ...started, tree, held };
  }

  const exited = (child: ChildProcess) =>
    new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

  test.each(['SIGTERM', 'SIGINT'] as const)(
    'When the `npm start` process gets %s, then it exits and within 10 s no process of it runs and nothing listens',
    async (signal) => {
      const { child, tree, held } = await startAndSurvey('npm');
      const since = Date.now();
      child.kill(signal);
      expect(await exited(child)).toBe(0);
      await goneWithin(STOP_LIMIT_MS, [child.pid!, ...tree], held, since);
    },
    240_000,
  );

  test('When the supervisor itself gets SIGTERM, then everything stops within 10 s and npm start exits', async () => {
    const { child, tree, held } = await startAndSurvey('node');
    const [supervisor] = childrenOf(child.pid!);
    const since = Date.now();
    process.kill(supervisor, 'SIGTERM');
    expect(await exited(child)).toBe(0);
    await goneWithin(STOP_LIMIT_MS, [child.pid!, ...tree], held, since);
  }, 240_000);

  test('When the process that started the supervisor is killed with SIGKILL, then the supervisor stops everything within 10 s', async () => {
    const { child, tree, held } = await startAndSurvey('node');
    const since = Date.now();
    child.kill('SIGKILL');
    await goneWithin(STOP_LIMIT_MS, tree, held, since);
  }, 240_000);
});
