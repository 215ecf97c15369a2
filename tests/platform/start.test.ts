import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../platform/dev-services';

const ROOT = path.resolve(__dirname, '../..');

function startSystem(env: NodeJS.ProcessEnv): { child: ChildProcess; ready: Promise<string>; output: () => string } {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve(line);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before ready:\n${out.slice(-3000)}`)));
  });
  return { child, ready, output: () => out };
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

describe('npm start on the embedded defaults', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jlt-start-'));
  fs.chmodSync(dataDir, 0o755); // embedded Postgres runs as the postgres user and must reach its folder
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('When started twice on one data folder, then it becomes ready, keeps its data, and stops leaving nothing listening', async () => {
    const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      LOG_LEVEL: 'warn',
    };

    const first = startSystem(env);
    const readyLine = await first.ready;
    expect(readyLine).toContain(`http://127.0.0.1:${port}/`);
    expect(readyLine).toContain('staff.demo');
    const readyz = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(readyz.status).toBe(200);

    const pgPort = Number(fs.readFileSync(path.join(dataDir, 'postgres.port'), 'utf8'));
    const dbUrl = `postgres://postgres:postgres@127.0.0.1:${pgPort}/jiaolianti`;
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await client.query("insert into districts (code, name) values ('restart-check', '重启检查区')");
    await client.end();

    expect(await stop(first.child)).toBe(0);
    for (const p of [port, temporalPort, pgPort]) expect(await listening(p)).toBe(false);

    const second = startSystem(env);
    await second.ready;
    const again = new pg.Client({ connectionString: dbUrl });
    await again.connect();
    const { rows } = await again.query("select name from districts where code = 'restart-check'");
    await again.end();
    expect(rows).toEqual([{ name: '重启检查区' }]);
    expect(fs.existsSync(path.join(dataDir, 'temporal.db'))).toBe(true);
    expect(await stop(second.child)).toBe(0);
    for (const p of [port, temporalPort, pgPort]) expect(await listening(p)).toBe(false);
  }, 300_000);
});
