/**
 * Registrations driven concurrently through the whole chain over the API — submit, the lead
 * school's opinion, the principal's signature, the bureau's approval — per second and each
 * action's p95, beside a bare workflow with the same Updates and as many no-op activities per step
 * (bench/bare-workflow.ts) on the same Temporal server, driven at the same concurrency.
 *
 *   npx tsx bench/chain.ts [registrations=48] [concurrency=8]
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { testState } from '../tests/support/harness';
import { runScript } from '../tests/support/script';
import { complete, createCast, draftRegistration, signaturePayload, submit } from '../tests/workflow/support';
import { bareComplete, bareSubmit } from './bare-workflow';
import { record, summary, type Figure } from './record';

const ACTIONS = ['submit', 'opinion', 'sign', 'approve'] as const;
type Timings = Record<(typeof ACTIONS)[number], number[]>;

async function pool<T>(items: T[], concurrency: number, each: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await each(items[next++]);
  }));
}

runScript({}, async (sys) => {
  const n = Number(process.argv[2] ?? 48);
  const concurrency = Number(process.argv[3] ?? 8);
  const cast = await createCast(sys.db);

  const timed = async <R>(t: number[], call: () => Promise<R>) => {
    const start = performance.now();
    const r = await call();
    t.push(performance.now() - start);
    return r;
  };
  const ok = (name: string, res: { status: number; body: any }) => {
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  // One registration first, alone: how many activities does each step run?
  const probe = await draftRegistration(sys, cast.staff);
  let next = ok('submit', await submit(sys, cast.staff, probe)).process.openTask.taskId;
  next = ok('opinion', await complete(sys, cast.leader, next, 'opinion', { payload: { opinion: '同意' } })).result.nextTaskId;
  next = ok('sign', await complete(sys, cast.principal, next, 'sign', { payload: signaturePayload() })).result.nextTaskId;
  ok('approve', await complete(sys, cast.bureau, next, 'approve'));
  let scheduled = 0;
  for (const e of (await sys.temporal.workflow.getHandle(`registration-${probe}`).fetchHistory()).events ?? []) {
    if (e.activityTaskScheduledEventAttributes) scheduled++;
  }
  const activitiesPerAction = Math.max(1, Math.round(scheduled / ACTIONS.length));

  // The real chain.
  const drafts: string[] = [];
  for (let i = 0; i < n; i++) drafts.push(await draftRegistration(sys, cast.staff));
  const real: Timings = { submit: [], opinion: [], sign: [], approve: [] };
  const realStart = performance.now();
  await pool(drafts, concurrency, async (id) => {
    let task = ok('submit', await timed(real.submit, () => submit(sys, cast.staff, id))).process.openTask.taskId;
    task = ok('opinion', await timed(real.opinion, () => complete(sys, cast.leader, task, 'opinion', { payload: { opinion: '同意' } }))).result.nextTaskId;
    task = ok('sign', await timed(real.sign, () => complete(sys, cast.principal, task, 'sign', { payload: signaturePayload() }))).result.nextTaskId;
    ok('approve', await timed(real.approve, () => complete(sys, cast.bureau, task, 'approve')));
  });
  const realRate = n / ((performance.now() - realStart) / 1000);

  // The bare workflow on the same server, its own task queue and worker.
  const state = testState();
  const connection = await NativeConnection.connect({ address: state.temporalAddress });
  const taskQueue = `bare-${randomUUID()}`;
  const worker = await Worker.create({
    connection,
    namespace: sys.config.TEMPORAL_NAMESPACE,
    taskQueue,
    workflowsPath: require.resolve('./bare-workflow'),
    activities: { noop: async () => undefined },
  });
  const running = worker.run();
  const bare: Timings = { submit: [], opinion: [], sign: [], approve: [] };
  const bareIds = Array.from({ length: n }, () => `bare-${randomUUID()}`);
  const bareStart = performance.now();
  await pool(bareIds, concurrency, async (workflowId) => {
    await timed(bare.submit, () =>
      sys.temporal.workflow.executeUpdateWithStart(bareSubmit, {
        args: [{}],
        startWorkflowOperation: new WithStartWorkflowOperation('bareRegistrationWorkflow', { workflowId, taskQueue, args: [activitiesPerAction], workflowIdConflictPolicy: 'USE_EXISTING' }),
      }),
    );
    const handle = sys.temporal.workflow.getHandle(workflowId);
    for (const a of ['opinion', 'sign', 'approve'] as const) await timed(bare[a], () => handle.executeUpdate(bareComplete, { args: [{}] }));
  });
  const bareRate = n / ((performance.now() - bareStart) / 1000);
  for (const id of bareIds) await sys.temporal.workflow.getHandle(id).terminate('benchmark done');
  worker.shutdown();
  await running;
  await connection.close();

  const figures: Figure[] = [{ what: `chain registrations/s (concurrency ${concurrency}, bare = limit)`, value: realRate, unit: '/s', limit: bareRate, target: '≥ 0.8× bare' }];
  const detail: Record<string, unknown> = { n, concurrency, activitiesPerAction, realRate, bareRate };
  for (const a of ACTIONS) {
    const r = summary(real[a]);
    const b = summary(bare[a]);
    figures.push({ what: `chain ${a} p95`, value: r.p95, unit: 'ms', limit: b.p95, target: '≤ 1.5× bare' });
    detail[a] = { real: r, bare: b };
    console.log(`${a.padEnd(8)} p50 ${r.p50.toFixed(0)} p95 ${r.p95.toFixed(0)} ms | bare p50 ${b.p50.toFixed(0)} p95 ${b.p95.toFixed(0)} ms`);
  }
  console.log(`${realRate.toFixed(2)} registrations/s vs bare ${bareRate.toFixed(2)}/s (${activitiesPerAction} activities per step)`);
  record('chain', figures, detail);
});
