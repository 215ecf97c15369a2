/**
 * The workflow is the one writer of process state, and it never disagrees with the database:
 * poisoned values sent straight to its Updates (past the API), decisions whose writes fail for
 * good, edits racing the bureau, approval of content nobody signed, and late status writes.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { createActivities } from '../../worker/activities/index';
import { noMailer } from '../../worker/mailer';
import { createLogger } from '../../platform/logger';
import { completeTaskUpdate, editSignedContentUpdate, REJECTION, registrationWorkflowId, stateQuery } from '../../workflows/shared';
import { startSystem, type TestSystem } from '../support/harness';
import { act, as, createCast, draftRegistration, openTaskOf, registrationRow, signaturePayload, submit, throughSigning, type Cast } from './support';
import { workflowActorOf } from '../../api/usecases/workflow-calls';

let sys: TestSystem;
let cast: Cast;
beforeAll(async () => {
  sys = await startSystem();
  cast = await createCast(sys.db);
});
afterAll(() => sys.close());

const handleOf = (id: string) => sys.temporal.workflow.getHandle(registrationWorkflowId(id));

/** The Update's failure: its ApplicationFailure type and message. */
async function refusalOf(update: Promise<unknown>): Promise<{ type: string | undefined; message: string }> {
  try {
    await update;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return { type: (err.cause as any)?.type, message: err.cause?.message ?? err.message };
    throw err;
  }
  throw new Error('the update was admitted');
}

/** The workflow and the database say the same: status, and the same open task (open in the inbox). */
async function expectAgreement(id: string) {
  const state = await handleOf(id).query(stateQuery);
  const row = await registrationRow(sys.db, id);
  expect(row.status).toBe(state.status);
  if (state.openTask) {
    const task = await sys.db('tasks').where({ id: state.openTask.taskId }).first();
    expect({ step: task.step, status: task.status }).toEqual({ step: state.openTask.step, status: 'open' });
  }
  return state;
}

async function atOpinion(): Promise<{ id: string; taskId: string }> {
  const id = await draftRegistration(sys, cast.staff);
  expect((await submit(sys, cast.staff, id)).status).toBe(200);
  return { id, taskId: (await openTaskOf(sys.db, id, 'lead_school_opinion')).id };
}

describe('A poisoned value sent straight to the workflow', () => {
  test('When an opinion "ok\\u0000" is sent to the Update past the API, then it is refused as invalid, and the registration stays actionable: a valid opinion then moves it, workflow and database agreeing', async () => {
    const { id, taskId } = await atOpinion();
    const refused = await refusalOf(
      handleOf(id).executeUpdate(completeTaskUpdate, { args: [{ taskId, action: 'opinion', payload: { opinion: 'ok\u0000' }, actor: workflowActorOf(cast.leader) }] }),
    );
    expect(refused.type).toBe(REJECTION.invalid);
    expect(refused.message).toMatch(/控制字符.*control characters/);
    const before = await expectAgreement(id);
    expect(before.openTask?.taskId).toBe(taskId);
    expect(before.status).toBe('lead_school_opinion');

    const opinion = await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意组建。' } });
    expect(opinion.result.status).toBe('principal_signature');
    const after = await expectAgreement(id);
    expect(after.status).toBe('principal_signature');
    expect((await registrationRow(sys.db, id)).leadSchoolOpinion).toBe('同意组建。');
  });

  test('When a value passes the validator but the database refuses it (a signature file id that is no uuid), then the activity fails for good at once, the workflow puts back the step and its open task and refuses the signing with the reason; a valid signature then works', async () => {
    const id = await draftRegistration(sys, cast.staff);
    await submit(sys, cast.staff, id);
    await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意组建。' } });
    const signTask = await openTaskOf(sys.db, id, 'principal_signature');

    const started = Date.now();
    const refused = await refusalOf(
      handleOf(id).executeUpdate(completeTaskUpdate, { args: [{ taskId: signTask.id, action: 'sign', payload: { signatureFileId: 'not-a-uuid' }, actor: workflowActorOf(cast.principal) }] }),
    );
    // Non-retryable: no backoff loop (the signing activities alone would retry for ~7 s).
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(refused.type).toBe(REJECTION.invalid);
    expect(refused.message).toMatch(/签署未能完成.*Signing could not be completed/);

    const state = await expectAgreement(id);
    expect(state.phase).toBe('principal_signature');
    expect(state.openTask?.taskId).toBe(signTask.id);
    expect(state.history.map((h) => h.action)).not.toContain('sign');

    const signed = await act(sys, cast.principal, id, 'principal_signature', 'sign', { payload: signaturePayload() });
    expect(signed.result.status).toBe('bureau_approval');
    await expectAgreement(id);
  });
});

describe('Edits of signed content and approval', () => {
  test('When an edit reaches the workflow after the bureau approved, then it is refused (409) and nothing is written: the content, the version and the signature stand', async () => {
    const id = await throughSigning(sys, cast);
    const row = await registrationRow(sys.db, id);
    await act(sys, cast.bureau, id, 'bureau_approval', 'approve');

    const current = (await as(sys, cast.staff)('GET', `/api/registrations/${id}`)).body;
    const viaApi = await as(sys, cast.staff)('PUT', `/api/registrations/${id}`, { ...current, name: `${current.name}（改）` });
    expect(viaApi.status).toBe(409);

    const refused = await refusalOf(
      handleOf(id).executeUpdate(editSignedContentUpdate, {
        args: [{ actor: workflowActorOf(cast.staff), content: { ...current, name: '改名' }, version: row.version, beforeHash: 'a', afterHash: 'b' }],
      }),
    );
    expect(refused.type).toBe(REJECTION.conflict);
    const after = await registrationRow(sys.db, id);
    expect({ name: after.name, version: after.version, signatureId: after.signatureId }).toEqual({ name: row.name, version: row.version, signatureId: row.signatureId });
    expect(await sys.db('signatures').where({ id: row.signatureId }).whereNotNull('voidedAt')).toHaveLength(0);
  });

  test('When the content changed behind the workflow’s back after signing, then approval is refused (409) in its own transaction, the bureau task stays open and workflow and database agree', async () => {
    const id = await throughSigning(sys, cast);
    const bureauTask = await openTaskOf(sys.db, id, 'bureau_approval');
    // Not through any route: what an unsigned change would look like to the approval.
    await sys.db('registrations').where({ id }).update({ name: '无人签署的名称' });

    const res = await as(sys, cast.bureau)('POST', `/api/tasks/${bureauTask.id}/complete`, { action: 'approve' });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/重新签署.*signed again/);
    expect((await sys.db('tasks').where({ id: bureauTask.id }).first()).status).toBe('open');
    const state = await expectAgreement(id);
    expect(state.status).toBe('bureau_approval');
    expect((await registrationRow(sys.db, id)).approvedAt).toBeNull();
  });
});

describe('Withdrawal of a draft never submitted', () => {
  test('When such a draft is withdrawn, then the workflow does it (update-with-start) and the process ends withdrawn', async () => {
    const id = await draftRegistration(sys, cast.staff);
    const res = await as(sys, cast.staff)('POST', `/api/registrations/${id}/withdraw`, { reason: '暂不组建' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'withdrawn', process: { status: 'withdrawn', outcome: 'withdrawn' } });
    expect((await handleOf(id).describe()).status.name).toBe('COMPLETED');
  });
});

describe('Ordered status writes', () => {
  test('When a late attempt of an older activity writes after a newer one, then the status does not move backwards', async () => {
    const id = await draftRegistration(sys, cast.staff);
    const activities = createActivities({ db: sys.db, mailer: noMailer, logger: createLogger('warn', 'test'), config: { dataDir: sys.config.dataDir } });
    const actor = { id: cast.staff.id, name: cast.staff.name };
    const at = new Date().toISOString();
    await sys.db('registrations').where({ id }).update({ status: 'draft', processSeq: 0 });

    // The newer write (seq 2) lands first; the older one (seq 1: a retry of the submission) comes late.
    await activities.recordWithdrawal({ registrationId: id, taskId: null, round: 0, actor, reason: null, at, seq: 2 });
    await activities.recordSubmission({ registrationId: id, round: 1, actor, at, seq: 1 });

    const row = await registrationRow(sys.db, id);
    expect({ status: row.status, processSeq: row.processSeq }).toEqual({ status: 'withdrawn', processSeq: 2 });
  });
});
