/**
 * The bureau clears its queue: N registrations wait for approval; one bulk job (POST /api/bulk-jobs)
 * approves them all, watched through GET /api/bulk-jobs/:id. Beside it, the limit measured in the
 * same run: one approval's cost when approvals are made one after another (the job's total over N
 * items, against N × that cost).
 *
 *   npx tsx bench/bulk.ts [queued=100] [single=5] [fillers=8]
 *
 * The queue is filled through the whole chain over the API, `fillers` registrations at once. With
 * fewer than 1,000 queued, the time for 1,000 is extrapolated from the measured rate and labelled so.
 */
import { api, tokenFor } from '../tests/support/harness';
import { runScript } from '../tests/support/script';
import { complete, createCast, draftRegistration, eventually, openTaskOf, signaturePayload, submit, type Cast } from '../tests/workflow/support';
import type { TestSystem } from '../tests/support/harness';
import { record, summary } from './record';

/**
 * Drafts, submits, gives the opinion and signs: one registration awaiting the bureau. Filling fast
 * loads the machine, so a step answered 202 (delivered, applied shortly) counts, and the next step's
 * task is waited for rather than expected at once.
 */
async function toBureau(sys: TestSystem, cast: Cast): Promise<string> {
  const id = await draftRegistration(sys, cast.staff);
  const accepted = (res: { status: number; body: unknown }, what: string) => {
    // 409: an earlier delivery of this step was applied meanwhile; the next step's task tells.
    if (res.status !== 200 && res.status !== 202 && res.status !== 409) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const openTask = (step: 'lead_school_opinion' | 'principal_signature' | 'bureau_approval') => eventually(() => openTaskOf(sys.db, id, step), 120_000, `${step} of ${id}`);
  accepted(await submit(sys, cast.staff, id), 'submit');
  accepted(await complete(sys, cast.leader, (await openTask('lead_school_opinion')).id, 'opinion', { payload: { opinion: '同意组建。' } }), 'opinion');
  accepted(await complete(sys, cast.principal, (await openTask('principal_signature')).id, 'sign', { payload: signaturePayload() }), 'sign');
  await openTask('bureau_approval');
  return id;
}

runScript({}, async (sys) => {
  const n = Number(process.argv[2] ?? 100);
  const singles = Number(process.argv[3] ?? 5);
  const cast = await createCast(sys.db);
  const fillers = Number(process.argv[4] ?? 8);
  const queued: string[] = [];
  let next = 0;
  const filling = performance.now();
  await Promise.all(Array.from({ length: fillers }, async () => {
    while (next++ < n + singles) queued.push(await toBureau(sys, cast));
  }));
  console.log(`queue of ${queued.length} filled in ${((performance.now() - filling) / 1000).toFixed(1)} s (${fillers} at once)`);
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
    { what: `bulk job: ${ids.length} queued approvals cleared (limit: ${ids.length} × one approval's p50, sequential)`, value: total, unit: 'ms', limit: ids.length * perItem, ...(ids.length >= 1000 ? { target: '< 30 s' } : {}) },
    ...(ids.length >= 1000 ? [] : [{ what: 'bulk job: 1,000 approvals at the measured rate (EXTRAPOLATED)', value: (1000 / rate) * 1000, unit: 'ms', target: '< 30 s' }]),
  ], { n: ids.length, totalMs: total, ratePerSecond: rate, single: summary(single) });
});
