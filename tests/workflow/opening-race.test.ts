/**
 * A step's task row is committed by the openStepTasks activity a moment before the workflow hears
 * the activity's answer (milliseconds normally, seconds under load). Users see the task in their
 * inbox at once, so a decision may reach the workflow in that gap: it must be taken, not refused.
 * The gap is held open deterministically: this worker keeps openStepTasks' answer (after its
 * transaction committed) until the test releases it.
 */
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { workflowActorOf } from '../../api/usecases/workflow-calls';
import { completeTaskUpdate, REJECTION, registrationWorkflowId, stateQuery } from '../../workflows/shared';
import { startSystem, type TestSystem } from '../support/harness';
import { createUser } from '../support/fixtures';
import { act, complete, createCast, draftRegistration, openTaskOf, registrationRow, signaturePayload, submit, type Cast } from './support';

interface Hold {
  /** Resolves once the activity's transaction has committed and its answer is held back. */
  reached: Promise<void>;
  release(): void;
}

/** Holds openStepTasks' answer for one registration's step, once, until released. */
function activityGate() {
  const holds = new Map<string, { reached: () => void; released: Promise<void> }>();
  const releases = new Set<() => void>();
  const keyOf = (registrationId: string, step: string) => `${registrationId}:${step}`;
  const interceptor: ActivityInterceptorsFactory = (ctx) => {
    const inbound: ActivityInboundCallsInterceptor = {
      execute: async (input, next) => {
        const result = await next(input);
        const args = input.args[0] as { registrationId?: string; step?: string } | undefined;
        const key = args?.registrationId && args.step ? keyOf(args.registrationId, args.step) : '';
        const hold = ctx.info.activityType === 'openStepTasks' ? holds.get(key) : undefined;
        if (hold) {
          holds.delete(key);
          hold.reached();
          await hold.released;
        }
        return result;
      },
    };
    return { inbound };
  };
  return {
    interceptor,
    hold(registrationId: string, step: string): Hold {
      let reached!: () => void;
      let release!: () => void;
      const hold: Hold = { reached: new Promise<void>((r) => (reached = r)), release: () => release() };
      releases.add(() => release());
      holds.set(keyOf(registrationId, step), { reached: () => reached(), released: new Promise<void>((r) => (release = r)) });
      return hold;
    },
    /** Lets every held answer go (a failed test must not leave the worker unable to stop). */
    releaseAll() {
      for (const release of releases) release();
      releases.clear();
      holds.clear();
    },
  };
}

const gate = activityGate();
let sys: TestSystem;
let cast: Cast;
beforeAll(async () => {
  sys = await startSystem({ workerExtra: { interceptors: { activity: [gate.interceptor] } } });
  cast = await createCast(sys.db);
});
afterEach(() => gate.releaseAll());
afterAll(() => sys.close());

const handleOf = (id: string) => sys.temporal.workflow.getHandle(registrationWorkflowId(id));

/** Resolves once the workflow has accepted `count` completeTask Updates (they are in the history); stops when `until` settles. */
async function decisionAccepted(workflow: WorkflowHandle, until: Promise<unknown>, count = 1): Promise<'accepted' | 'stopped'> {
  let settled = false;
  void until.finally(() => (settled = true));
  for (;;) {
    const events = (await workflow.fetchHistory()).events ?? [];
    if (events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'completeTask').length >= count) return 'accepted';
    if (settled) return 'stopped';
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The first of: the decision's HTTP answer, or the workflow's acceptance of it (the `count`th decision of the run). */
async function firstOf(workflow: WorkflowHandle, deciding: Promise<{ status: number; body: unknown }>, count = 1) {
  const answered = deciding.then((res) => ({ answeredFirst: res.status, body: res.body }));
  return Promise.race([answered, decisionAccepted(workflow, deciding, count)]);
}

/** Submits with the opening of the opinion task held: answers once the task row is committed and the workflow not yet told. */
async function submittedWithOpeningHeld(): Promise<{ id: string; taskId: string; hold: Hold; submitting: ReturnType<typeof submit> }> {
  const id = await draftRegistration(sys, cast.staff);
  const hold = gate.hold(id, 'lead_school_opinion');
  const submitting = submit(sys, cast.staff, id);
  await hold.reached;
  const task = await openTaskOf(sys.db, id, 'lead_school_opinion');
  expect(task).toBeTruthy();
  return { id, taskId: task.id, hold, submitting };
}

describe('A decision on a task whose opening the workflow has not heard back from yet', () => {
  test('When the leader decides on the opinion task as soon as it is in the inbox, before the workflow has the activity’s answer, then the decision waits for the opening and is applied (200), not refused as no longer open', async () => {
    const { id, taskId, hold, submitting } = await submittedWithOpeningHeld();

    const deciding = complete(sys, cast.leader, taskId, 'opinion', { payload: { opinion: '同意组建。' } });
    expect(await firstOf(handleOf(id), deciding)).toBe('accepted');
    hold.release();

    expect((await submitting).status).toBe(200);
    const res = await deciding;
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ taskId, action: 'opinion', status: 'principal_signature' });
    expect((await registrationRow(sys.db, id)).leadSchoolOpinion).toBe('同意组建。');
    expect((await sys.db('tasks').where({ id: taskId }).first()).status).toBe('done');
    const state = await handleOf(id).query(stateQuery);
    expect(state.status).toBe('principal_signature');
    expect((await openTaskOf(sys.db, id, 'principal_signature')).id).toBe(state.openTask?.taskId);
  });

  test('When someone who may not act on it decides in that moment (straight to the Update, past the API), then once the opening is known the decision is refused (403) and the task stays open for its holder', async () => {
    const { id, taskId, hold, submitting } = await submittedWithOpeningHeld();

    const refusing = handleOf(id).executeUpdate(completeTaskUpdate, { args: [{ taskId, action: 'opinion', payload: { opinion: '越权意见' }, actor: workflowActorOf(cast.principal) }] });
    const outcome = refusing.then(
      () => ({ status: 200, body: null }),
      (err: unknown) => ({ status: 0, body: err }),
    );
    expect(await firstOf(handleOf(id), outcome)).toBe('accepted');
    hold.release();

    const err = (await outcome).body;
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((err as WorkflowUpdateFailedError).cause as unknown as { type: string }).type).toBe(REJECTION.forbidden);
    expect((await submitting).status).toBe(200);
    expect((await sys.db('tasks').where({ id: taskId }).first()).status).toBe('open');
    expect((await handleOf(id).query(stateQuery)).openTask?.taskId).toBe(taskId);

    const res = await complete(sys, cast.leader, taskId, 'opinion', { payload: { opinion: '同意组建。' } });
    expect(res.status).toBe(200);
    expect(res.body.result.status).toBe('principal_signature');
  });

  test('When a decision that does not fit the step being opened arrives in that moment (straight to the Update), then it is refused at once as before (409), and the opening goes on', async () => {
    const { id, taskId, hold, submitting } = await submittedWithOpeningHeld();

    const err = await handleOf(id)
      .executeUpdate(completeTaskUpdate, { args: [{ taskId, action: 'approve', actor: workflowActorOf(cast.leader) }] })
      .then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((err as WorkflowUpdateFailedError).cause as unknown as { type: string; message: string })).toMatchObject({ type: REJECTION.conflict, message: expect.stringMatching(/no longer open/) });
    hold.release();
    expect((await submitting).status).toBe(200);
    expect((await handleOf(id).query(stateQuery)).openTask?.taskId).toBe(taskId);
  });
});

describe('A step of several named approvers (会签) whose opening the workflow has not heard back from yet', () => {
  let isolated: TestSystem;
  let people: Cast;
  beforeAll(async () => {
    // It changes the bureau step's policy, which every suite reads: a database of its own.
    isolated = await startSystem({ isolatedDatabase: {}, workerExtra: { interceptors: { activity: [gate.interceptor] } } });
    people = await createCast(isolated.db);
  });
  afterAll(() => isolated?.close());

  test('When the second named approver approves their task as soon as it is in the inbox, then the approval waits for the opening and closes only their task; the step waits for the first approver', async () => {
    const second = await createUser(isolated.db, { roles: ['bureau_approver'], districtId: people.school.districtId });
    await isolated.db('deadlinePolicies').where({ step: 'bureau_approval' }).update({ approverMode: 'all', approverUserIds: JSON.stringify([people.bureau.id, second.id]) });
    const id = await draftRegistration(isolated, people.staff);
    expect((await submit(isolated, people.staff, id)).status).toBe(200);
    await act(isolated, people.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意组建。' } });
    const hold = gate.hold(id, 'bureau_approval');
    const signing = act(isolated, people.principal, id, 'principal_signature', 'sign', { payload: signaturePayload() });
    await hold.reached;
    const mine = await isolated.db('tasks').where({ registrationId: id, step: 'bureau_approval', assigneeUserId: second.id, status: 'open' }).first();
    expect(mine).toBeTruthy();

    const deciding = complete(isolated, second, mine.id, 'approve');
    // The opinion and the signing were accepted before: the approval is the run's third decision.
    expect(await firstOf(isolated.temporal.workflow.getHandle(registrationWorkflowId(id)), deciding, 3)).toBe('accepted');
    hold.release();

    await signing;
    const res = await deciding;
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ taskId: mine.id, action: 'approve', status: 'bureau_approval' });
    const tasks = await isolated.db('tasks').where({ registrationId: id, step: 'bureau_approval' }).orderBy('slot');
    expect(tasks.map((t: { assigneeUserId: number; status: string }) => [t.assigneeUserId, t.status])).toEqual([
      [people.bureau.id, 'open'],
      [second.id, 'done'],
    ]);
    expect((await registrationRow(isolated.db, id)).status).toBe('bureau_approval');
  });
});
