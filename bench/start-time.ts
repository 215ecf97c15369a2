/**
 * How long `npm start` takes to READY, the first time on a new data folder and the second time
 * (everything initialised and cached: the workflow bundle, the console build, the Temporal CLI):
 *
 *   npx tsx bench/start-time.ts [starts=3]
 *
 * Each start runs scripts/start.mjs on free ports with its output piped, so the supervisor logs
 * JSON and its "Ready in" line carries each step's time (startupMs). Reports the wall time to
 * READY and the steps of every start, then the median of the later starts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../platform/dev-services';
import { percentile } from '../tests/support/script';

const ROOT = path.resolve(__dirname, '..');

async function startOnce(env: NodeJS.ProcessEnv): Promise<{ wallMs: number; steps: Record<string, number>; stopMs: number }> {
  const began = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let wallMs = 0;
  const steps = await new Promise<Record<string, number>>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      for (const line of out.split('\n')) {
        if (!wallMs && line.startsWith('READY ')) wallMs = Date.now() - began;
        if (wallMs && line.includes('"startupMs"')) return resolve(JSON.parse(line).startupMs);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`start exited with ${code}:\n${out.slice(-3000)}`)));
  });
  const stopBegan = Date.now();
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return { wallMs, steps, stopMs: Date.now() - stopBegan };
}

async function main() {
  const starts = Math.max(2, Number(process.argv[2] ?? 3));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jlt-bench-start-'));
  fs.chmodSync(dataDir, 0o755); // embedded Postgres runs as the postgres user
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    LOG_LEVEL: 'info',
  };
  const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const later: number[] = [];
  try {
    for (let i = 1; i <= starts; i++) {
      const r = await startOnce(env);
      if (i > 1) later.push(r.wallMs);
      const steps = Object.entries(r.steps).map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
      console.log(`start ${i}${i === 1 ? ' (new data folder)' : ''}: READY after ${fmt(r.wallMs)}, stopped in ${fmt(r.stopMs)} — ${steps}`);
    }
    console.log(`second and later starts: median ${fmt(percentile(later, 50))}, max ${fmt(Math.max(...later))} (target < 30 s); load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
