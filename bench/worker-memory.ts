/**
 * The worker's memory with registrations open and waiting on a person: the worker runs as its own
 * process (worker/main.ts, as `npm start` runs it); registrations are submitted through the API and
 * left waiting for the lead school's opinion; the worker's RSS is read from /proc at steps.
 *
 *   npx tsx bench/worker-memory.ts [open=1000] [concurrency=8]
 *
 * 10,000 open registrations do not fit in a few minutes here: the figure for 10,000 is a straight
 * line through the measured points (slope per open workflow), labelled as extrapolated.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testState } from '../tests/support/harness';
import { runScript } from '../tests/support/script';
import { createCast, draftRegistration, submit } from '../tests/workflow/support';
import { record, type Figure } from './record';

const rssMiB = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
const settle = () => new Promise((r) => setTimeout(r, 3000));

runScript({ worker: false }, async (sys) => {
  const n = Number(process.argv[2] ?? 1000);
  const concurrency = Number(process.argv[3] ?? 8);
  const state = testState();
  const root = path.join(__dirname, '..');
  const worker = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'worker/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: sys.databaseUrl,
      TEMPORAL_ADDRESS: state.temporalAddress,
      TEMPORAL_NAMESPACE: sys.config.TEMPORAL_NAMESPACE,
      TEMPORAL_TASK_QUEUE: sys.taskQueue,
      DATA_DIR: state.runDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    const cast = await createCast(sys.db);
    const drafts: string[] = [];
    for (let i = 0; i < n; i++) drafts.push(await draftRegistration(sys, cast.staff));
    const points: { open: number; rssMiB: number }[] = [];
    // Warm: the first registration also loads the workflow bundle into the worker.
    const first = await submit(sys, cast.staff, drafts[0]);
    if (first.status !== 200) throw new Error(`submit: ${first.status} ${JSON.stringify(first.body)}`);
    await settle();
    points.push({ open: 1, rssMiB: rssMiB(worker.pid!) });
    const steps = 5;
    let done = 1;
    for (let s = 1; s <= steps; s++) {
      const upto = Math.round((n * s) / steps);
      const batch = drafts.slice(done, upto);
      let next = 0;
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < batch.length) {
          const res = await submit(sys, cast.staff, batch[next++]);
          if (res.status !== 200) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }));
      done = upto;
      await settle();
      points.push({ open: done, rssMiB: rssMiB(worker.pid!) });
      console.log(`${done} open: worker RSS ${points.at(-1)!.rssMiB.toFixed(0)} MiB`);
    }
    // Least-squares slope over the points.
    const mx = points.reduce((a, p) => a + p.open, 0) / points.length;
    const my = points.reduce((a, p) => a + p.rssMiB, 0) / points.length;
    const slope = points.reduce((a, p) => a + (p.open - mx) * (p.rssMiB - my), 0) / points.reduce((a, p) => a + (p.open - mx) ** 2, 0);
    const last = points.at(-1)!;
    // Once the cache is full, RSS stops following the count: extrapolate from the last point with
    // the slope over the last two steps (not the whole line), which is what 10,000 would see.
    const prev = points.at(-2)!;
    const tailSlope = (last.rssMiB - prev.rssMiB) / (last.open - prev.open);
    const at10k = last.rssMiB + Math.max(0, tailSlope) * (10_000 - last.open);
    const figures: Figure[] = [
      { what: `worker RSS with ${last.open} open registrations`, value: last.rssMiB, unit: 'MiB' },
      { what: 'worker RSS slope per open registration (whole run)', value: slope * 1024, unit: 'KiB' },
      { what: `worker RSS slope over the last step (${prev.open}→${last.open})`, value: tailSlope * 1024, unit: 'KiB' },
      { what: 'worker RSS at 10,000 open (EXTRAPOLATED from the last step)', value: at10k, unit: 'MiB', target: '< 400 MB' },
    ];
    record('worker-memory', figures, { points, n, concurrency });
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
  }
});
