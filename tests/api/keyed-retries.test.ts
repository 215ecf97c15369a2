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
