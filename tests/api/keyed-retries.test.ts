/**
 * A keyed request whose first answer was not kept (a 5xx, or a 202 "processing", releases the key;
 * so does an API that died before storing it) is sent again by its client. Its Update id derives from
 * the user, the key and the request, so the retry is the same Update: the workflow answers it with
 * what it did, and nothing is done twice — for submit, withdraw and 加签 as for decisions.
 */
import type { Actor } from '../../api/middleware/auth';
import { createUser } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { act, as, auditActions, createCast, draftRegistration, eventually, openTaskOf, registrationRow, throughSigning, type Cast } from '../workflow/support';
import { registrationWorkflowId, stateQuery } from '../../workflows/shared';

/** MAX_SUBMITS_PER_RUN of workflows/registration.ts: after this many return loops a run continues as new. */
const MAX_SUBMITS_PER_RUN = 5;

let sys: TestSystem;
let cast: Cast;
let colleague: Actor;
beforeAll(async () => {
  sys = await startSystem();
  cast = await createCast(sys.db);
  colleague = await createUser(sys.db, { roles: ['bureau_approver'], districtId: cast.school.districtId });
});
afterAll(() => sys.close());

const handleOf = (id: string) => sys.temporal.workflow.getHandle(registrationWorkflowId(id));
const count = async (id: string, action: string) => (await auditActions(sys.db, id)).filter((a) => a === action).length;

/** What a released key leaves: the workflow applied the Update, the API kept no answer for the key. */
async function forgetAnswer(actor: Actor, key: string) {
  expect(await sys.db('idempotencyKeys').where({ key, userId: actor.id }).delete()).toBe(1);
}

const submitKeyed = (id: string, key: string) => as(sys, cast.staff)('POST', `/api/registrations/${id}/submit`, {}, { 'Idempotency-Key': key });

describe('Submit', () => {
  test('When a keyed submit was applied but its answer not kept, then the retry with the same key answers 200 with the submitted registration, and it is submitted once', async () => {
    const id = await draftRegistration(sys, cast.staff);
    const first = await submitKeyed(id, `submit-${id}`);
    expect(first.status).toBe(200);
    await forgetAnswer(cast.staff, `submit-${id}`);

    const retry = await submitKeyed(id, `submit-${id}`);

    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id, status: 'lead_school_opinion', process: { status: 'lead_school_opinion', round: 1 } });
    expect(retry.body.process.openTask.taskId).toBe(first.body.process.openTask.taskId);
    expect(await count(id, 'registration.submitted')).toBe(1);
    expect(await sys.db('tasks').where({ registrationId: id })).toHaveLength(1);
  });

  test('When the retry comes after the workflow continued as new and the registration is back in draft, then it is answered, not submitted again', async () => {
    const id = await draftRegistration(sys, cast.staff);
    const runBefore = (await (async () => {
      expect((await submitKeyed(id, `loop-${id}-1`)).status).toBe(200);
      return handleOf(id).describe();
    })()).runId;
    await act(sys, cast.leader, id, 'lead_school_opinion', 'return', { comment: '第 1 次退回' });
    for (let i = 2; i <= MAX_SUBMITS_PER_RUN; i++) {
      expect((await submitKeyed(id, `loop-${id}-${i}`)).status).toBe(200);
      await act(sys, cast.leader, id, 'lead_school_opinion', 'return', { comment: `第 ${i} 次退回` });
    }
    // The last submit's answer was not kept; the run has continued as new, waiting in draft again.
    await forgetAnswer(cast.staff, `loop-${id}-${MAX_SUBMITS_PER_RUN}`);
    await eventually(async () => (await handleOf(id).describe()).runId !== runBefore, 30_000, 'the workflow to continue as new');

    const retry = await submitKeyed(id, `loop-${id}-${MAX_SUBMITS_PER_RUN}`);

    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id, status: 'draft', process: { status: 'draft', round: MAX_SUBMITS_PER_RUN } });
    expect(await count(id, 'registration.submitted') + (await count(id, 'registration.resubmitted'))).toBe(MAX_SUBMITS_PER_RUN);
    expect((await registrationRow(sys.db, id)).status).toBe('draft');
    expect(await openTaskOf(sys.db, id, 'lead_school_opinion')).toBeUndefined();
    // A new key is a new submit.
    const next = await submitKeyed(id, `loop-${id}-next`);
    expect(next.status).toBe(200);
    expect(next.body.process.round).toBe(MAX_SUBMITS_PER_RUN + 1);
  });
});

describe('加签 (add-approver)', () => {
  test('When a keyed 加签 before oneself was applied but its answer not kept, then the retry with the same key answers 200 with the same result (the same added task), and one approver is added', async () => {
    const id = await throughSigning(sys, cast);
    const own = await openTaskOf(sys.db, id, 'bureau_approval');
    const add = () => as(sys, cast.bureau)('POST', `/api/tasks/${own.id}/add-approver`, { userId: colleague.id, position: 'before', reason: '请先审核经费部分' }, { 'Idempotency-Key': `add-${own.id}` });
    const first = await add();
    expect(first.status).toBe(200);
    expect(first.body.result.addedTaskId).toBeTruthy();
    await forgetAnswer(cast.bureau, `add-${own.id}`);

    const retry = await add();

    expect(retry.status).toBe(200);
    expect(retry.body.result).toEqual(first.body.result);
    expect(retry.body).toMatchObject({ id: own.id, status: 'waiting' });
    expect(await sys.db('tasks').where({ registrationId: id, step: 'bureau_approval' })).toHaveLength(2);
    expect(await count(id, 'task.approver_added')).toBe(1);
    const state = await handleOf(id).query(stateQuery);
    expect(state.stepTasks?.tasks.filter((t) => t.kind === 'added')).toHaveLength(1);
  });
});

describe('After the process ended', () => {
  const completeKeyed = (actor: Actor, taskId: string, body: Record<string, unknown>, key: string) => as(sys, actor)('POST', `/api/tasks/${taskId}/complete`, body, { 'Idempotency-Key': key });

  test('When the bureau’s keyed rejection ended the process and its answer was not kept, then the retry with the same key answers 200 with the first result, and it is rejected once', async () => {
    const id = await throughSigning(sys, cast);
    const task = await openTaskOf(sys.db, id, 'bureau_approval');
    const body = { action: 'reject', comment: '材料不全' };
    const first = await completeKeyed(cast.bureau, task.id, body, `reject-${task.id}`);
    expect(first.status).toBe(200);
    expect((await handleOf(id).describe()).status.name).toBe('COMPLETED');
    await forgetAnswer(cast.bureau, `reject-${task.id}`);

    const retry = await completeKeyed(cast.bureau, task.id, body, `reject-${task.id}`);

    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id: task.id, status: 'done', result: first.body.result });
    expect(first.body.result).toMatchObject({ action: 'reject', status: 'rejected' });
    expect(await count(id, 'registration.rejected')).toBe(1);
    // Another request on the ended process is still refused.
    expect((await completeKeyed(cast.bureau, task.id, body, `reject-again-${task.id}`)).status).toBe(409);
  });

  test('When a keyed withdrawal ended the process and its answer was not kept, then the retry with the same key answers 200 with the withdrawn registration, withdrawn once', async () => {
    const id = await draftRegistration(sys, cast.staff);
    expect((await submitKeyed(id, `submit-w-${id}`)).status).toBe(200);
    const withdraw = () => as(sys, cast.staff)('POST', `/api/registrations/${id}/withdraw`, { reason: '暂不组建' }, { 'Idempotency-Key': `withdraw-${id}` });
    const first = await withdraw();
    expect(first.status).toBe(200);
    await forgetAnswer(cast.staff, `withdraw-${id}`);

    const retry = await withdraw();

    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id, status: 'withdrawn', process: { status: 'withdrawn', outcome: 'withdrawn' } });
    expect(retry.body.process.history).toEqual(first.body.process.history);
    expect(await count(id, 'registration.withdrawn')).toBe(1);
  });

  test('When a keyed withdrawal of a draft never submitted ended its process and its answer was not kept, then the retry answers 200, and a keyed submit afterwards is still refused (409)', async () => {
    const id = await draftRegistration(sys, cast.staff);
    const withdraw = () => as(sys, cast.staff)('POST', `/api/registrations/${id}/withdraw`, {}, { 'Idempotency-Key': `withdraw-draft-${id}` });
    expect((await withdraw()).status).toBe(200);
    await forgetAnswer(cast.staff, `withdraw-draft-${id}`);

    const retry = await withdraw();

    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id, status: 'withdrawn', process: { outcome: 'withdrawn' } });
    expect(await count(id, 'registration.withdrawn')).toBe(1);
    expect((await submitKeyed(id, `submit-after-${id}`)).status).toBe(409);
  });

  test('When a keyed return was applied in an earlier run and the process has since ended in a later one, then the retry with the same key answers 200 with the first result, kept in the final state', async () => {
    const id = await draftRegistration(sys, cast.staff);
    const runBefore = (await (async () => {
      expect((await submitKeyed(id, `ended-${id}-1`)).status).toBe(200);
      return handleOf(id).describe();
    })()).runId;
    for (let i = 1; i < MAX_SUBMITS_PER_RUN; i++) {
      await act(sys, cast.leader, id, 'lead_school_opinion', 'return', { comment: `第 ${i} 次退回` });
      expect((await submitKeyed(id, `ended-${id}-${i + 1}`)).status).toBe(200);
    }
    const task = await openTaskOf(sys.db, id, 'lead_school_opinion');
    const body = { action: 'return', comment: '最后一次退回' };
    const first = await completeKeyed(cast.leader, task.id, body, `return-${task.id}`);
    expect(first.status).toBe(200);
    await forgetAnswer(cast.leader, `return-${task.id}`);
    // The run continues as new in draft; the drafter then withdraws there, ending the process.
    await eventually(async () => (await handleOf(id).describe()).runId !== runBefore, 30_000, 'the workflow to continue as new');
    expect((await as(sys, cast.staff)('POST', `/api/registrations/${id}/withdraw`, { reason: '暂不组建' })).status).toBe(200);
    expect((await handleOf(id).describe()).status.name).toBe('COMPLETED');

    const retry = await completeKeyed(cast.leader, task.id, body, `return-${task.id}`);

    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id: task.id, status: 'done', result: first.body.result });
    expect(await count(id, 'registration.returned')).toBe(MAX_SUBMITS_PER_RUN);
    expect((await registrationRow(sys.db, id)).status).toBe('withdrawn');
  });
});
