import { WorkflowUpdateFailedError } from '@temporalio/client';
import { completeTaskUpdate, contentEditedSignal, REJECTION, registrationWorkflowId, stateQuery, type TaskStep } from '../../workflows/shared';
import { startSystem, type TestSystem } from '../support/harness';
import {
  act,
  as,
  auditActions,
  complete,
  createCast,
  draftRegistration,
  openTaskOf,
  registrationRow,
  signaturePayload,
  submit,
  tasksOf,
  throughSigning,
  type Cast,
} from './support';

let sys: TestSystem;
let cast: Cast;
beforeAll(async () => {
  sys = await startSystem();
  cast = await createCast(sys.db);
});
afterAll(() => sys.close());

const handleOf = (id: string) => sys.temporal.workflow.getHandle(registrationWorkflowId(id));

describe('The approval chain', () => {
  test('When every reviewer agrees, then the registration moves draft → opinion → signature → bureau → active, one task and one audit event per decision', async () => {
    const id = await draftRegistration(sys, cast.staff);

    const submitted = await submit(sys, cast.staff, id);
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('lead_school_opinion');
    expect(submitted.body.process.openTask.step).toBe('lead_school_opinion');

    const opinion = await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意组建，牵头学校统筹推进。' } });
    expect(opinion.result).toMatchObject({ step: 'lead_school_opinion', action: 'opinion', status: 'principal_signature' });
    expect(opinion.status).toBe('done');
    expect((await registrationRow(sys.db, id)).leadSchoolOpinion).toBe('同意组建，牵头学校统筹推进。');

    const signed = await act(sys, cast.principal, id, 'principal_signature', 'sign', { payload: signaturePayload() });
    expect(signed.result.status).toBe('bureau_approval');
    expect((await registrationRow(sys.db, id)).signatureId).toEqual(expect.any(String));

    const approved = await act(sys, cast.bureau, id, 'bureau_approval', 'approve');
    expect(approved.result).toMatchObject({ status: 'active', nextTaskId: null });

    const row = await registrationRow(sys.db, id);
    expect(row.status).toBe('active');
    expect(row.currentStep).toBeNull();
    // The default review period: two years after approval.
    expect(new Date(row.reviewDueAt).getTime() - new Date(row.approvedAt).getTime()).toBe(63_072_000 * 1000);

    const tasks = await tasksOf(sys.db, id);
    expect(tasks.map((t: any) => [t.step, t.round, t.status, t.outcome])).toEqual([
      ['lead_school_opinion', 1, 'done', 'opinion'],
      ['principal_signature', 1, 'done', 'sign'],
      ['bureau_approval', 1, 'done', 'approve'],
    ]);
    expect(tasks.map((t: any) => t.completedBy)).toEqual([cast.leader.id, cast.principal.id, cast.bureau.id]);

    const actions = await auditActions(sys.db, id);
    for (const a of ['registration.submitted', 'registration.lead_school_opinion_given', 'registration.signed', 'registration.approved']) {
      expect(actions.filter((x) => x === a)).toHaveLength(1);
    }
    expect(actions.filter((x) => x === 'task.opened')).toHaveLength(3);

    const timeline = await as(sys, cast.staff)('GET', `/api/registrations/${id}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.history.map((h: any) => `${h.step}:${h.action}`)).toEqual([
      'submit:submit',
      'lead_school_opinion:opinion',
      'principal_signature:sign',
      'bureau_approval:approve',
    ]);
    // The two-year wait begins in a fresh run, carrying the state.
    expect(timeline.body.runNumber).toBe(2);
    expect(timeline.body.status).toBe('active');

    const drafterNotices = await sys.db('notifications').where({ recipientUserId: cast.staff.id, registrationId: id }).pluck('kind');
    expect(drafterNotices).toContain('decision');
    const leaderNotices = await sys.db('notifications').where({ recipientUserId: cast.leader.id, registrationId: id }).pluck('kind');
    expect(leaderNotices.filter((k: string) => k === 'task_assigned')).toHaveLength(1);
  });
});

describe('Returns to the drafter', () => {
  const returnFrom = async (step: TaskStep) => {
    const id = await draftRegistration(sys, cast.staff);
    expect((await submit(sys, cast.staff, id)).status).toBe(200);
    if (step !== 'lead_school_opinion') await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意' } });
    if (step === 'bureau_approval') await act(sys, cast.principal, id, 'principal_signature', 'sign', { payload: signaturePayload() });
    const reviewer = { lead_school_opinion: cast.leader, principal_signature: cast.principal, bureau_approval: cast.bureau }[step as 'lead_school_opinion'];
    const returned = await act(sys, reviewer, id, step, 'return', { comment: '成员单位信息不完整，请补充。' });
    return { id, returned };
  };

  test.each(['lead_school_opinion', 'principal_signature', 'bureau_approval'] as TaskStep[])(
    'When the %s reviewer returns it with a reason, then it is a draft again, the drafter reads why, and a resubmit starts round 2 at the lead-school opinion',
    async (step) => {
      const { id, returned } = await returnFrom(step);
      expect(returned.result.status).toBe('draft');
      expect(returned.outcome).toBe('return');
      expect(returned.comment).toBe('成员单位信息不完整，请补充。');
      expect((await registrationRow(sys.db, id)).status).toBe('draft');
      const notice = await sys.db('notifications').where({ recipientUserId: cast.staff.id, registrationId: id, kind: 'decision' }).first();
      expect(notice.body).toBe('成员单位信息不完整，请补充。');

      const resubmitted = await submit(sys, cast.staff, id);
      expect(resubmitted.status).toBe(200);
      expect(resubmitted.body.process.round).toBe(2);
      const next = await openTaskOf(sys.db, id, 'lead_school_opinion');
      expect(next.round).toBe(2);
      expect((await auditActions(sys.db, id)).filter((a) => a === 'registration.resubmitted')).toHaveLength(1);
    },
  );

  test('When a return comes without a comment, then 400 names the comment and nothing changes', async () => {
    const id = await draftRegistration(sys, cast.staff);
    await submit(sys, cast.staff, id);
    const task = await openTaskOf(sys.db, id, 'lead_school_opinion');
    const res = await complete(sys, cast.leader, task.id, 'return', { comment: '  ' });
    expect(res.status).toBe(400);
    expect(res.body.errors.comment).toMatch(/comment/);
    expect((await openTaskOf(sys.db, id, 'lead_school_opinion')).id).toBe(task.id);
    expect((await registrationRow(sys.db, id)).status).toBe('lead_school_opinion');
  });
});

describe('Rejection', () => {
  test('When the bureau rejects with a reason, then the registration is rejected for good and a further submit answers 409', async () => {
    const id = await throughSigning(sys, cast);
    const rejected = await act(sys, cast.bureau, id, 'bureau_approval', 'reject', { comment: '不符合组建条件。' });
    expect(rejected.result.status).toBe('rejected');
    const row = await registrationRow(sys.db, id);
    expect(row.status).toBe('rejected');
    expect(row.closedAt).not.toBeNull();
    expect(await sys.db('tasks').where({ registrationId: id, status: 'open' })).toHaveLength(0);

    const again = await submit(sys, cast.staff, id);
    expect(again.status).toBe(409);
    const description = await handleOf(id).describe();
    expect(description.status.name).toBe('COMPLETED');
  });

  test('When the bureau rejects without a comment, then 400 and the task stays open', async () => {
    const id = await throughSigning(sys, cast);
    const task = await openTaskOf(sys.db, id, 'bureau_approval');
    const res = await complete(sys, cast.bureau, task.id, 'reject');
    expect(res.status).toBe(400);
    expect((await openTaskOf(sys.db, id, 'bureau_approval')).id).toBe(task.id);
  });
});

describe('Withdrawal', () => {
  test('When the drafter withdraws while the opinion is pending, then the open task is cancelled and the registration is withdrawn', async () => {
    const id = await draftRegistration(sys, cast.staff);
    await submit(sys, cast.staff, id);
    const res = await as(sys, cast.staff)('POST', `/api/registrations/${id}/withdraw`, { reason: '暂缓组建' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('withdrawn');
    const [task] = await tasksOf(sys.db, id);
    expect(task).toMatchObject({ status: 'cancelled', outcome: 'withdrawn' });
    expect((await auditActions(sys.db, id)).filter((a) => a === 'registration.withdrawn')).toHaveLength(1);
  });

  test('When the drafter withdraws while the bureau has it, then the bureau task is cancelled', async () => {
    const id = await throughSigning(sys, cast);
    const res = await as(sys, cast.staff)('POST', `/api/registrations/${id}/withdraw`, {});
    expect(res.status).toBe(200);
    expect((await registrationRow(sys.db, id)).status).toBe('withdrawn');
    expect((await sys.db('tasks').where({ registrationId: id, step: 'bureau_approval' }).first()).status).toBe('cancelled');
  });

  test('When the drafter withdraws a returned registration instead of resubmitting, then the process ends withdrawn', async () => {
    const id = await draftRegistration(sys, cast.staff);
    await submit(sys, cast.staff, id);
    await act(sys, cast.leader, id, 'lead_school_opinion', 'return', { comment: '请补充' });
    const res = await as(sys, cast.staff)('POST', `/api/registrations/${id}/withdraw`, { reason: '不再组建' });
    expect(res.status).toBe(200);
    expect(res.body.process).toMatchObject({ status: 'withdrawn', outcome: 'withdrawn' });
    expect((await registrationRow(sys.db, id)).status).toBe('withdrawn');
    expect((await handleOf(id).describe()).status.name).toBe('COMPLETED');
    expect((await submit(sys, cast.staff, id)).status).toBe(409);
  });

  test('When a draft that was never submitted is withdrawn, then the workflow withdraws it (started by the withdrawal, like a submit) and it cannot be submitted after', async () => {
    const id = await draftRegistration(sys, cast.staff);
    const res = await as(sys, cast.staff)('POST', `/api/registrations/${id}/withdraw`, {});
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('withdrawn');
    expect(res.body.process.outcome).toBe('withdrawn');
    expect((await submit(sys, cast.staff, id)).status).toBe(409);
  });

  test('When the drafter tries to withdraw after approval, then 409 and it stays active', async () => {
    const id = await throughSigning(sys, cast);
    await act(sys, cast.bureau, id, 'bureau_approval', 'approve');
    const res = await as(sys, cast.staff)('POST', `/api/registrations/${id}/withdraw`, {});
    expect(res.status).toBe(409);
    // (Another suite may shorten the review period meanwhile and move it on to goal_review.)
    const row = await registrationRow(sys.db, id);
    expect(row.status).not.toBe('withdrawn');
    expect(row.approvedAt).not.toBeNull();
    expect(await sys.db('auditEvents').where({ registrationId: id, action: 'registration.withdrawn' })).toHaveLength(0);
  });

  test('When a reviewer or another school tries to withdraw, then 403 / 404 and nothing changes', async () => {
    const id = await draftRegistration(sys, cast.staff);
    await submit(sys, cast.staff, id);
    const other = await createCast(sys.db, { districtId: cast.school.districtId });
    expect((await as(sys, cast.leader)('POST', `/api/registrations/${id}/withdraw`, {})).status).toBe(403);
    expect((await as(sys, other.staff)('POST', `/api/registrations/${id}/withdraw`, {})).status).toBe(404);
    expect((await registrationRow(sys.db, id)).status).toBe('lead_school_opinion');
  });
});

describe('Signed content edited', () => {
  test('When signed content is edited while awaiting the bureau, then the bureau task is cancelled and the principal signs again in a new round', async () => {
    const id = await throughSigning(sys, cast);
    const bureauTask = await openTaskOf(sys.db, id, 'bureau_approval');
    await handleOf(id).signal(contentEditedSignal, { actorId: cast.staff.id, reason: '修改了成员单位' });

    const resign = await (async () => {
      for (let i = 0; i < 100; i++) {
        const t = await openTaskOf(sys.db, id, 'principal_signature');
        if (t) return t;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('no new signing task');
    })();
    expect(resign.round).toBe(2);
    expect((await sys.db('tasks').where({ id: bureauTask.id }).first()).status).toBe('cancelled');
    expect((await registrationRow(sys.db, id)).status).toBe('principal_signature');

    // The bureau's old task is gone: acting on it is a conflict.
    expect((await complete(sys, cast.bureau, bureauTask.id, 'approve')).status).toBe(409);
    await act(sys, cast.principal, id, 'principal_signature', 'sign', { payload: signaturePayload() });
    expect((await openTaskOf(sys.db, id, 'bureau_approval')).round).toBe(2);
    const state = await handleOf(id).query(stateQuery);
    expect(state.history.map((h) => h.action)).toContain('back_to_signing');
  });
});

describe('Submit', () => {
  test('When submit is repeated, then the second answers 409 and the one process keeps its run', async () => {
    const id = await draftRegistration(sys, cast.staff);
    expect((await submit(sys, cast.staff, id)).status).toBe(200);
    const { runId } = await handleOf(id).describe();
    const again = await submit(sys, cast.staff, id);
    expect(again.status).toBe(409);
    expect((await handleOf(id).describe()).runId).toBe(runId);
    expect(await sys.db('tasks').where({ registrationId: id })).toHaveLength(1);
  });

  test('When two submits carry the same Idempotency-Key, then both get the first answer and the registration is submitted once', async () => {
    const id = await draftRegistration(sys, cast.staff);
    const headers = { 'Idempotency-Key': `submit-${id}` };
    const send = () => as(sys, cast.staff)('POST', `/api/registrations/${id}/submit`, undefined, headers);
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);
    const third = await send();
    expect(third.status).toBe(200);
    expect(third.headers.get('idempotent-replayed')).toBe('true');
    expect((await auditActions(sys.db, id)).filter((x) => x === 'registration.submitted')).toHaveLength(1);
  });

  test('When a leader or another school\'s staff submits, then 403 / 404 and no process starts', async () => {
    const id = await draftRegistration(sys, cast.staff);
    const other = await createCast(sys.db);
    expect((await submit(sys, cast.leader, id)).status).toBe(403);
    expect((await submit(sys, other.staff, id)).status).toBe(404);
    await expect(handleOf(id).describe()).rejects.toThrow(/not found/i);
  });
});

describe('Update validators', () => {
  test('When an update is refused by its validator, then the caller learns why and the refusal never enters the history', async () => {
    const id = await draftRegistration(sys, cast.staff);
    await submit(sys, cast.staff, id);
    const task = await openTaskOf(sys.db, id, 'lead_school_opinion');
    const accepted = async () => (await handleOf(id).fetchHistory()).events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
    const before = await accepted();
    const send = (actor: Cast['leader'], action: string, payload: Record<string, unknown> = {}) =>
      handleOf(id).executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, action: action as never, payload, actor: { ...actor, roles: [...actor.roles] } }] });

    const refusal = async (p: Promise<unknown>) => {
      const err = await p.then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      return (err as WorkflowUpdateFailedError).cause as unknown as { type: string };
    };
    expect((await refusal(send(cast.principal, 'opinion', { opinion: 'x' }))).type).toBe(REJECTION.forbidden);
    const otherSchool = await createCast(sys.db, { districtId: cast.school.districtId });
    expect((await refusal(send(otherSchool.leader, 'opinion', { opinion: 'x' }))).type).toBe(REJECTION.forbidden);
    expect((await refusal(send(cast.leader, 'approve'))).type).toBe(REJECTION.conflict);
    expect((await refusal(send(cast.leader, 'opinion', {}))).type).toBe(REJECTION.invalid);
    expect(await accepted()).toBe(before);
    expect((await openTaskOf(sys.db, id, 'lead_school_opinion')).id).toBe(task.id);
  });
});

describe('Continue-as-new', () => {
  test('When a registration goes round the return loop many times, then the workflow continues as new and carries the rounds and history', async () => {
    const id = await draftRegistration(sys, cast.staff);
    const firstRun = (await (async () => {
      await submit(sys, cast.staff, id);
      return handleOf(id).describe();
    })()).runId;
    for (let i = 0; i < 6; i++) {
      await act(sys, cast.leader, id, 'lead_school_opinion', 'return', { comment: `第 ${i + 1} 次退回` });
      expect((await submit(sys, cast.staff, id)).status).toBe(200);
    }
    const state = await handleOf(id).query(stateQuery);
    expect(state.runNumber).toBe(2);
    expect(state.round).toBe(7);
    expect(state.history.filter((h) => h.action === 'return')).toHaveLength(6);
    expect((await handleOf(id).describe()).runId).not.toBe(firstRun);
    expect((await openTaskOf(sys.db, id, 'lead_school_opinion')).round).toBe(7);
    expect(await sys.db('tasks').where({ registrationId: id })).toHaveLength(7);
  });
});
