import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startSystem, type TestSystem } from '../support/harness';
import { act, auditActions, complete, createCast, draftRegistration, eventually, openTaskOf, registrationRow, submit, tasksOf, type Cast } from './support';

let sys: TestSystem;
let cast: Cast;
beforeAll(async () => {
  sys = await startSystem();
  cast = await createCast(sys.db);
});
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await sys.close();
});

const ROOT = path.resolve(__dirname, '../..');

/** Starts the crashing worker on this system's task queue; resolves once it polls. */
function startCrashingWorker(hangAfterActivity: string): Promise<{ child: ChildProcess; effectsDone: Promise<void> }> {
  // One node process (tsx as a loader, not its CLI, which would run the script in a grandchild).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'crashing-worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, CRASH_TASK_QUEUE: sys.taskQueue, CRASH_AFTER_ACTIVITY: hangAfterActivity },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let output = '';
  let onEffects: () => void;
  const effectsDone = new Promise<void>((resolve) => (onEffects = resolve));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`crashing worker exited early (${code})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready\n')) resolve({ child, effectsDone });
      if (output.includes(`effects-done ${hangAfterActivity}\n`)) onEffects();
    });
  });
}

describe('A worker lost in the middle of a step', () => {
  test('When the worker is killed after a decision\'s effects were written but before Temporal heard of them, then the next worker retries and nothing is lost or duplicated', async () => {
    const id = await draftRegistration(sys, cast.staff);
    expect((await submit(sys, cast.staff, id)).status).toBe(200);
    const task = await openTaskOf(sys.db, id, 'lead_school_opinion');

    await sys.stopWorker();
    const { child, effectsDone } = await startCrashingWorker('recordLeadSchoolOpinion');
    const decision = complete(sys, cast.leader, task.id, 'opinion', { payload: { opinion: '同意组建。' } });
    await effectsDone;
    child.removeAllListeners('exit');
    child.kill('SIGKILL');
    // The effects are in, but the workflow has not moved on: no signing task yet.
    expect((await sys.db('tasks').where({ id: task.id }).first()).status).toBe('done');
    expect(await openTaskOf(sys.db, id, 'principal_signature')).toBeUndefined();

    await sys.restartWorker();
    const answer = await decision;
    // The lost attempt is retried only after its 15 s start-to-close timeout, past the API's 15 s
    // deadline: the decision is answered as processing (202), never a hang, and lands once.
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ id: task.id, processing: true });
    await eventually(async () => openTaskOf(sys.db, id, 'principal_signature'), 30_000, 'the signing task');

    const tasks = await tasksOf(sys.db, id);
    expect(tasks.map((t: any) => [t.step, t.status])).toEqual([
      ['lead_school_opinion', 'done'],
      ['principal_signature', 'open'],
    ]);
    const actions = await auditActions(sys.db, id);
    expect(actions.filter((a) => a === 'registration.lead_school_opinion_given')).toHaveLength(1);
    expect(actions.filter((a) => a === 'task.opened')).toHaveLength(2);
    expect(await sys.db('notifications').where({ registrationId: id, kind: 'task_assigned', recipientUserId: cast.principal.id })).toHaveLength(1);
    expect((await registrationRow(sys.db, id)).status).toBe('principal_signature');
  });

  test('When the worker is stopped while a decision is on its way and started again, then the decision is applied once when it returns', async () => {
    const id = await draftRegistration(sys, cast.staff);
    expect((await submit(sys, cast.staff, id)).status).toBe(200);
    await sys.stopWorker();
    const task = await openTaskOf(sys.db, id, 'lead_school_opinion');
    const decision = complete(sys, cast.leader, task.id, 'return', { comment: '请补充成员简介' });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await sys.db('tasks').where({ id: task.id }).first()).status).toBe('open');

    await sys.restartWorker();
    const answer = await decision;
    expect(answer.status).toBe(200);
    await eventually(async () => (await registrationRow(sys.db, id)).status === 'draft', 10_000, 'the return');
    expect((await auditActions(sys.db, id)).filter((a) => a === 'registration.returned')).toHaveLength(1);
    // And the process carries on normally afterwards.
    expect((await submit(sys, cast.staff, id)).status).toBe(200);
    await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意' } });
    expect(await sys.db('tasks').where({ registrationId: id })).toHaveLength(3);
  });
});
