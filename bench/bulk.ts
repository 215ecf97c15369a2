/**
 * The bureau clears its queue: N registrations wait for approval; one bulk job (POST /api/bulk-jobs)
 * approves them all, watched through GET /api/bulk-jobs/:id. Beside it, the limit measured in the
 * same run: one approval's cost when approvals are made one after another (the job's total over N
 * items, against N × that cost).
 *
 *   npx tsx bench/bulk.ts [queued=100] [single=5] [fillers=8]
 *
 * The queue is filled through the whole chain over the API: drafts and submissions `fillers` at once,
 * opinions and signatures as bulk jobs. With fewer than 1,000 queued, the time for 1,000 is
 * extrapolated from the measured rate and labelled so.
 */
import { api, tokenFor } from '../tests/support/harness';
import { runScript } from '../tests/support/script';
import { BULK_JOB_MAX_ITEMS } from '../api/usecases/bulk-jobs';
import { complete, createCast, draftRegistration, eventually, signaturePayload, submit, type Cast } from '../tests/workflow/support';
import type { TestSystem } from '../tests/support/harness';
import { record, summary } from './record';

type Step = 'lead_school_opinion' | 'principal_signature' | 'bureau_approval';

/** A step's answer while filling: 202 (delivered, applied shortly) counts on a loaded machine. */
function accepted(res: { status: number; body: unknown }, what: string) {
  if (res.status !== 200 && res.status !== 202) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Starts a bulk job and polls it to its end; answers the finished job and its time. */
async function bulkJob(sys: TestSystem, token: string, body: Record<string, unknown>) {
  const t0 = performance.now();
  const started = await api(sys, 'POST', '/api/bulk-jobs', { token, body });
  if (started.status !== 202) throw new Error(`bulk job: ${started.status} ${JSON.stringify(started.body)}`);
  let job = started.body;
  let firstProgressMs: number | null = null;
  while (!job.finished) {
    await new Promise((r) => setTimeout(r, 250));
    job = (await api(sys, 'GET', `/api/bulk-jobs/${started.body.id}`, { token })).body;
    if (firstProgressMs === null && job.done > 0) firstProgressMs = performance.now() - t0;
  }
  return { job, ms: performance.now() - t0, firstProgressMs };
}

/** The open task of the step for each registration, once every one of them has it. */
function openTasksOf(sys: TestSystem, registrationIds: string[], step: Step): Promise<string[]> {
  return eventually(async () => {
    const rows = await sys.db('tasks').whereIn('registrationId', registrationIds).where({ step, status: 'open' }).select('id', 'registrationId');
    if (rows.length < registrationIds.length) return null;
    const byRegistration = new Map(rows.map((r: { id: string; registrationId: string }) => [r.registrationId, r.id]));
    return registrationIds.map((id) => byRegistration.get(id)!);
  }, 30 * 60_000, `every ${step} task`);
}

/**
 * Registrations awaiting the bureau: drafted and submitted `fillers` at once, then the leader's
 * opinions and the principal's signatures given as bulk jobs of their own (the product's own fast path).
 */
async function fillQueue(sys: TestSystem, cast: Cast, count: number, fillers: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: fillers }, async () => {
    while (next++ < count) {
      const id = await draftRegistration(sys, cast.staff);
      accepted(await submit(sys, cast.staff, id), 'submit');
      ids.push(id);
    }
  }));
  const steps = [
    { step: 'lead_school_opinion', actor: cast.leader, action: 'opinion', payload: { opinion: '同意组建。' } },
    { step: 'principal_signature', actor: cast.principal, action: 'sign', payload: signaturePayload() },
  ] as const;
  for (const s of steps) {
    const tasks = await openTasksOf(sys, ids, s.step);
    for (let i = 0; i < tasks.length; i += BULK_JOB_MAX_ITEMS) {
      const chunk = tasks.slice(i, i + BULK_JOB_MAX_ITEMS);
      const { job } = await bulkJob(sys, tokenFor(sys.config, s.actor), { ids: chunk, action: s.action, payload: s.payload });
      if (job.succeeded !== chunk.length) throw new Error(`${s.action}: ${job.succeeded} of ${chunk.length} succeeded`);
    }
  }
  return ids;
}

runScript({}, async (sys) => {
  const n = Number(process.argv[2] ?? 100);
  const singles = Number(process.argv[3] ?? 5);
  const cast = await createCast(sys.db);
  const fillers = Number(process.argv[4] ?? 8);
  const filling = performance.now();
  const queued = await fillQueue(sys, cast, n + singles, fillers);
  const taskIds = await openTasksOf(sys, queued, 'bureau_approval');
  console.log(`queue of ${queued.length} filled in ${((performance.now() - filling) / 1000).toFixed(1)} s (${fillers} drafted at once)`);

  // The limit: single approvals, one after another.
  const single: number[] = [];
  for (const id of taskIds.slice(0, singles)) {
    const t = performance.now();
    const res = await complete(sys, cast.bureau, id, 'approve');
    if (res.status !== 200) throw new Error(`approve: ${res.status}`);
    single.push(performance.now() - t);
  }
  const perItem = summary(single).p50;

  const ids = taskIds.slice(singles);
  const t0 = performance.now();
  const { job, ms: jobMs, firstProgressMs } = await bulkJob(sys, tokenFor(sys.config, cast.bureau), { ids, action: 'approve' });
  if (job.succeeded !== ids.length) throw new Error(`bulk job: ${job.succeeded} of ${ids.length} succeeded`);
  // An item answered 202 was delivered but not yet applied: the queue is cleared when every registration is active.
  const approved = queued.slice(singles);
  await eventually(async () => (await sys.db('registrations').whereIn('id', approved).where({ status: 'active' }).count({ n: '*' }).first())?.n == approved.length, 30 * 60_000, 'every registration approved');
  const total = performance.now() - t0;
  console.log(`job finished in ${(jobMs / 1000).toFixed(1)} s, first progress after ${((firstProgressMs ?? jobMs) / 1000).toFixed(1)} s`);
  const rate = ids.length / (total / 1000);
  console.log(`${ids.length} approvals in ${(total / 1000).toFixed(1)} s (${rate.toFixed(1)}/s); a single approval p50 ${perItem.toFixed(0)} ms`);
  record('bulk', [
    { what: `bulk job: ${ids.length} queued approvals cleared (limit: ${ids.length} × one approval's p50, sequential)`, value: total, unit: 'ms', limit: ids.length * perItem, ...(ids.length >= 1000 ? { target: '< 30 s' } : {}) },
    ...(ids.length >= 1000 ? [] : [{ what: 'bulk job: 1,000 approvals at the measured rate (EXTRAPOLATED)', value: (1000 / rate) * 1000, unit: 'ms', target: '< 30 s' }]),
  ], { n: ids.length, totalMs: total, jobMs, firstProgressMs, ratePerSecond: rate, single: summary(single) });
});
