/**
 * The bureau clears its queue: N registrations wait for approval; one bulk job (POST /api/bulk-jobs)
 * approves them all, watched through GET /api/bulk-jobs/:id. Beside it, the limit measured in the
 * same run: one approval's cost when approvals are made one after another (the job's total over N
 * items, against N × that cost).
 *
 *   npx tsx bench/bulk.ts [queued=100] [single=5]
 *
 * Filling a queue of 1,000 through the whole chain takes longer than a run here may; the time for
 * 1,000 is extrapolated from the measured rate and labelled so.
 */
import { api, tokenFor } from '../tests/support/harness';
import { runScript } from '../tests/support/script';
import { complete, createCast, openTaskOf, throughSigning } from '../tests/workflow/support';
import { record, summary } from './record';

runScript({}, async (sys) => {
  const n = Number(process.argv[2] ?? 100);
  const singles = Number(process.argv[3] ?? 5);
  const cast = await createCast(sys.db);
  const queued: string[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next++ < n + singles) queued.push(await throughSigning(sys, cast));
  }));
  const taskIds = await Promise.all(queued.map(async (id) => (await openTaskOf(sys.db, id, 'bureau_approval')).id as string));

  // The limit: single approvals, one after another.
  const single: number[] = [];
  for (const id of taskIds.slice(0, singles)) {
    const t = performance.now();
    const res = await complete(sys, cast.bureau, id, 'approve');
    if (res.status !== 200) throw new Error(`approve: ${res.status}`);
    single.push(performance.now() - t);
  }
  const perItem = summary(single).p50;

  const token = tokenFor(sys.config, cast.bureau);
  const ids = taskIds.slice(singles);
  const t0 = performance.now();
  const started = await api(sys, 'POST', '/api/bulk-jobs', { token, body: { ids, action: 'approve' } });
  if (started.status !== 202) throw new Error(`bulk job: ${started.status} ${JSON.stringify(started.body)}`);
  let job = started.body;
  while (!job.finished) {
    await new Promise((r) => setTimeout(r, 250));
    job = (await api(sys, 'GET', `/api/bulk-jobs/${started.body.id}`, { token })).body;
  }
  const total = performance.now() - t0;
  if (job.succeeded !== ids.length) throw new Error(`bulk job: ${job.succeeded} of ${ids.length} succeeded`);
  const rate = ids.length / (total / 1000);
  console.log(`${ids.length} approvals in ${(total / 1000).toFixed(1)} s (${rate.toFixed(1)}/s); a single approval p50 ${perItem.toFixed(0)} ms`);
  record('bulk', [
    { what: `bulk job: ${ids.length} queued approvals cleared (limit: ${ids.length} × one approval's p50, sequential)`, value: total, unit: 'ms', limit: ids.length * perItem },
    { what: 'bulk job: 1,000 approvals at the measured rate (EXTRAPOLATED)', value: (1000 / rate) * 1000, unit: 'ms', target: '< 30 s' },
  ], { n: ids.length, totalMs: total, ratePerSecond: rate, single: summary(single) });
});
