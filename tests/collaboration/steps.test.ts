/**
 * The shape of a step on the real workflow engine: 会签 (all of several bureau approvers) and 或签
 * (any one of them) set on the deadline policy, 加签 before and after oneself, and 退回 to a chosen
 * earlier step, which resumes the chain and skips a signature whose content did not change.
 */
import type { Actor } from '../../api/middleware/auth';
import { createUser } from '../support/fixtures';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { act, as, auditActions, complete, createCast, eventually, registrationRow, restoreDefaultPolicies, setPolicyRow, signaturePayload, throughSigning, type Cast } from '../workflow/support';

let sys: TestSystem;
let cast: Cast;
let second: Actor;
let third: Actor;
beforeAll(async () => {
  sys = await startSystem({ isolatedDatabase: {} }); // it changes deadline policies, which every suite reads
  cast = await createCast(sys.db);
  second = await createUser(sys.db, { roles: ['bureau_approver'], districtId: cast.school.districtId });
  third = await createUser(sys.db, { roles: ['bureau_approver'], districtId: cast.school.districtId });
});
afterAll(async () => {
  await setMode('single', []);
  await sys?.close();
});

/** The bureau step's approver mode, as the policy row (what the next bureau step opens with). */
async function setMode(mode: 'single' | 'all' | 'any', ids: number[]) {
  await sys.db('deadlinePolicies').where({ step: 'bureau_approval' }).update({ approverMode: mode, approverUserIds: JSON.stringify(ids) });
}

const bureauTasks = (id: string) => sys.db('tasks').where({ registrationId: id, step: 'bureau_approval' }).orderBy(['round', 'slot']);
const taskOf = async (id: string, userId: number) => (await bureauTasks(id)).find((t: any) => t.assigneeUserId === userId && t.status === 'open');
const timeline = async (id: string) => (await as(sys, cast.staff)('GET', `/api/registrations/${id}/timeline`)).body;

describe('会签: every named bureau approver must approve', () => {
  beforeAll(() => setMode('all', [cast.bureau.id, second.id]));

  test('When the administrator sets the bureau step to 会签 with two approvers, then the step opens one named task each, and it completes only when both approved', async () => {
    // Set through the console's API: the approvers are checked and stored.
    const put = await as(sys, cast.admin)('PUT', '/api/deadline-policies/bureau_approval', { dueSeconds: 5 * 86400, remindBeforeSeconds: 86400, escalateToRole: 'admin', approverMode: 'all', approverUserIds: [cast.bureau.id, second.id] });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ approverMode: 'all', approverUserIds: [cast.bureau.id, second.id] });

    const id = await throughSigning(sys, cast);
    const tasks = await bureauTasks(id);
    expect(tasks.map((t: any) => [t.assigneeUserId, t.status])).toEqual([
      [cast.bureau.id, 'open'],
      [second.id, 'open'],
    ]);
    // Each approver's inbox holds their own task only.
    const inbox = await as(sys, second)('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ mine: true, registrationId: id }))}`);
    expect(inbox.body.map((t: any) => t.id)).toEqual([tasks[1].id]);
    // Nobody acts on another approver's task.
    const foreign = await complete(sys, second, tasks[0].id, 'approve');
    expect(foreign.status).toBe(403);
    expect(foreign.body.message).toMatch(/指定给他人.*assigned to someone else/);

    const first = await complete(sys, cast.bureau, tasks[0].id, 'approve');
    expect(first.status).toBe(200);
    expect((await registrationRow(sys.db, id)).status).toBe('bureau_approval');
    const during = await timeline(id);
    expect(during.stepTasks.mode).toBe('all');
    expect(during.stepTasks.tasks.map((t: any) => [t.assigneeUserId, t.taskStatus])).toEqual([
      [cast.bureau.id, 'done'],
      [second.id, 'open'],
    ]);

    const last = await complete(sys, second, tasks[1].id, 'approve');
    expect(last.status).toBe(200);
    expect(last.body.result.status).toBe('active');
    expect((await bureauTasks(id)).map((t: any) => [t.status, t.completedBy])).toEqual([
      ['done', cast.bureau.id],
      ['done', second.id],
    ]);
    const history = (await timeline(id)).history.filter((h: any) => h.step === 'bureau_approval').map((h: any) => [h.action, h.actorId]);
    expect(history).toEqual([
      ['approve', cast.bureau.id],
      ['approve', second.id],
    ]);
    expect(await auditActions(sys.db, id)).toEqual(expect.arrayContaining(['task.approved', 'registration.approved']));
  });

  test('When a 会签 step falls due, then each approver is reminded and told it is overdue about their own task, not the whole bureau', async () => {
    await setPolicyRow(sys.db, 'bureau_approval', { dueSeconds: 3, remindBeforeSeconds: 2, escalateToRole: 'admin' });
    let id: string;
    try {
      id = await throughSigning(sys, cast);
    } finally {
      await restoreDefaultPolicies(sys.db);
    }
    const tasks = await bureauTasks(id);
    await eventually(async () => (await bureauTasks(id)).every((t: any) => t.overdue), 20_000, 'both overdue');
    const notes = await sys.db('notifications').whereIn('taskId', tasks.map((t: any) => t.id)).whereIn('kind', ['reminder', 'overdue']).select('taskId', 'kind', 'recipientUserId');
    for (const t of tasks) {
      const mine = notes.filter((n: any) => n.taskId === t.id);
      expect(mine.map((n: any) => n.kind).sort()).toEqual(['overdue', 'reminder']);
      expect(new Set(mine.map((n: any) => n.recipientUserId))).toEqual(new Set([t.assigneeUserId]));
    }
  });

  test('When one 会签 approver returns, then the step ends at once: the registration goes back and the other task is cancelled', async () => {
    const id = await throughSigning(sys, cast);
    const mine = await taskOf(id, second.id);
    const res = await complete(sys, second, mine.id, 'return', { comment: '请补充成员单位职责' });
    expect(res.status).toBe(200);
    expect((await registrationRow(sys.db, id)).status).toBe('draft');
    expect((await bureauTasks(id)).map((t: any) => [t.assigneeUserId, t.status, t.outcome])).toEqual([
      [cast.bureau.id, 'cancelled', 'step_ended'],
      [second.id, 'done', 'return'],
    ]);
  });
});

describe('Withdrawal during a 会签 step', () => {
  beforeAll(() => setMode('all', [cast.bureau.id, second.id]));

  test('When the drafter withdraws while two approvers hold tasks, then both tasks are cancelled', async () => {
    const id = await throughSigning(sys, cast);
    const res = await as(sys, cast.staff)('POST', `/api/registrations/${id}/withdraw`, { reason: '暂不登记' });
    expect(res.status).toBe(200);
    expect((await bureauTasks(id)).map((t: any) => t.status)).toEqual(['cancelled', 'cancelled']);
  });

  test('When the drafter edits the signed content while two approvers hold tasks, then both are cancelled and the registration goes back to signing', async () => {
    const id = await throughSigning(sys, cast);
    const current = (await as(sys, cast.staff)('GET', `/api/registrations/${id}`)).body;
    const edit = await as(sys, cast.staff)('PUT', `/api/registrations/${id}`, { ...current, introduction: `${current.introduction}（签名后补充）` });
    expect(edit.status).toBe(200);
    expect(edit.body.status).toBe('principal_signature');
    expect((await bureauTasks(id)).map((t: any) => t.status)).toEqual(['cancelled', 'cancelled']);
  });
});

describe('或签: the first approval wins', () => {
  beforeAll(() => setMode('any', [cast.bureau.id, second.id, third.id]));

  test('When one of three 或签 approvers approves, then the registration is approved and the other two tasks are cancelled', async () => {
    const id = await throughSigning(sys, cast);
    expect((await bureauTasks(id)).filter((t: any) => t.status === 'open')).toHaveLength(3);
    const res = await complete(sys, third, (await taskOf(id, third.id)).id, 'approve');
    expect(res.status).toBe(200);
    expect(res.body.result.status).toBe('active');
    expect((await bureauTasks(id)).map((t: any) => [t.assigneeUserId, t.status])).toEqual([
      [cast.bureau.id, 'cancelled'],
      [second.id, 'cancelled'],
      [third.id, 'done'],
    ]);
    // A late approval by another is refused: the task is no longer open.
    const late = await complete(sys, second, (await bureauTasks(id))[1].id, 'approve');
    expect(late.status).toBe(409);
  });

  test('When a 或签 approver approves several registrations in one bulk job, then each is approved and the others\' tasks cancelled', async () => {
    const ids = [await throughSigning(sys, cast), await throughSigning(sys, cast)];
    const mine = await Promise.all(ids.map((id) => taskOf(id, second.id)));
    const started = await api(sys, 'POST', '/api/bulk-jobs', { token: tokenFor(sys.config, second), body: { ids: mine.map((t: any) => t.id), action: 'approve' } });
    expect(started.status).toBe(202);
    await eventually(async () => (await Promise.all(ids.map(async (id) => (await registrationRow(sys.db, id)).status))).every((s) => s === 'active'), 60_000, 'both approved');
    // The other approvers' tasks are cancelled right after the approval is written (the job does not wait for that).
    await eventually(async () => {
      const states = await Promise.all(ids.map(async (id) => (await bureauTasks(id)).map((t: any) => t.status).sort().join()));
      return states.every((s) => s === 'cancelled,cancelled,done');
    }, 20_000, 'the other tasks cancelled');
  });
});

describe('加签: an approver adds another before or after themselves', () => {
  beforeAll(() => setMode('single', []));
  const add = (actor: Actor, taskId: string, body: Record<string, unknown>) => as(sys, actor)('POST', `/api/tasks/${taskId}/add-approver`, body);

  test('When the approver adds a colleague before themselves, then the colleague decides first, the adder waits, and the adder\'s approval completes the step', async () => {
    const id = await throughSigning(sys, cast);
    const [own] = await bureauTasks(id);
    // The dialog offers the district's other bureau approvers, never oneself.
    const candidates = (await as(sys, cast.bureau)('GET', `/api/tasks/${own.id}/approver-candidates`)).body.map((u: any) => u.id);
    expect(candidates).toEqual(expect.arrayContaining([second.id, third.id]));
    expect(candidates).not.toContain(cast.bureau.id);
    expect(candidates).not.toContain(cast.principal.id);
    const res = await add(cast.bureau, own.id, { userId: second.id, position: 'before', reason: '请先审核经费部分' });
    expect(res.status).toBe(200);
    const addedId = res.body.result.addedTaskId;
    const rows = await bureauTasks(id);
    expect(rows.map((t: any) => [t.assigneeUserId, t.status, t.addedPosition])).toEqual([
      [cast.bureau.id, 'waiting', null],
      [second.id, 'open', 'before'],
    ]);
    // Waiting: not in the adder's inbox, and not actionable.
    const waiting = await complete(sys, cast.bureau, own.id, 'approve');
    expect(waiting.status).toBe(409);
    expect(waiting.body.message).toMatch(/等待加签人/);

    expect((await complete(sys, second, addedId, 'approve')).status).toBe(200);
    expect((await registrationRow(sys.db, id)).status).toBe('bureau_approval');
    expect((await bureauTasks(id))[0].status).toBe('open');
    const done = await complete(sys, cast.bureau, own.id, 'approve');
    expect(done.status).toBe(200);
    expect(done.body.result.status).toBe('active');
    const actions = (await timeline(id)).history.filter((h: any) => h.step === 'bureau_approval').map((h: any) => h.action);
    expect(actions).toEqual(['add_approver_before', 'approve', 'approve']);
    expect(await auditActions(sys.db, id)).toEqual(expect.arrayContaining(['task.approver_added', 'task.reopened']));
  });

  test('When the approver adds a colleague after themselves, then the colleague is asked once the adder approved, and the step completes only after them', async () => {
    const id = await throughSigning(sys, cast);
    const [own] = await bureauTasks(id);
    expect((await add(cast.bureau, own.id, { userId: third.id, position: 'after', reason: '请分管领导复核' })).status).toBe(200);
    expect(await bureauTasks(id)).toHaveLength(1);
    const approved = await complete(sys, cast.bureau, own.id, 'approve');
    expect(approved.status).toBe(200);
    expect((await registrationRow(sys.db, id)).status).toBe('bureau_approval');
    const added = await taskOf(id, third.id);
    expect(added).toMatchObject({ addedPosition: 'after', addedBy: cast.bureau.id, status: 'open' });
    const notified = await sys.db('notifications').where({ recipientUserId: third.id, taskId: added.id }).first();
    expect(notified?.kind).toBe('task_assigned');
    const last = await complete(sys, third, added.id, 'approve');
    expect(last.body.result.status).toBe('active');
  });

  test('When the approver added before returns the registration, then the step ends and the adder\'s waiting task is cancelled', async () => {
    const id = await throughSigning(sys, cast);
    const [own] = await bureauTasks(id);
    const added = await add(cast.bureau, own.id, { userId: second.id, position: 'before', reason: '请先审核' });
    const res = await complete(sys, second, added.body.result.addedTaskId, 'return', { comment: '材料不全' });
    expect(res.status).toBe(200);
    expect((await registrationRow(sys.db, id)).status).toBe('draft');
    expect((await bureauTasks(id)).map((t: any) => [t.assigneeUserId, t.status])).toEqual([
      [cast.bureau.id, 'cancelled'],
      [second.id, 'done'],
    ]);
  });

  test('When the request is not allowed, then it is refused with a 4xx in Chinese and English and nothing changes', async () => {
    const id = await throughSigning(sys, cast);
    const [own] = await bureauTasks(id);
    const before = JSON.stringify(await bureauTasks(id));
    const cases: [Actor, Record<string, unknown>, number, RegExp][] = [
      [cast.bureau, { userId: cast.bureau.id, position: 'before', reason: '自己' }, 400, /不能给自己加签.*yourself/],
      [cast.bureau, { userId: cast.principal.id, position: 'before', reason: '校长' }, 400, /角色.*role/],
      [cast.bureau, { userId: 99_999_999, position: 'after', reason: '无此人' }, 400, /不存在.*No such user/],
      [cast.bureau, { userId: second.id, position: 'middle', reason: '位置' }, 400, /./],
      [cast.bureau, { userId: second.id, position: 'after' }, 400, /./],
      [cast.leader, { userId: second.id, position: 'after', reason: '越权' }, 403, /./],
    ];
    for (const [actor, body, status, message] of cases) {
      const res = await add(actor, own.id, body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status]);
      expect(res.body.message + JSON.stringify(res.body.errors ?? {})).toMatch(message);
    }
    // A duplicate: once added, the same user again is a conflict.
    expect((await add(cast.bureau, own.id, { userId: second.id, position: 'after', reason: '复核' })).status).toBe(200);
    const dup = await add(cast.bureau, own.id, { userId: second.id, position: 'before', reason: '再加' });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toMatch(/已是此步骤的审批人.*already approves/);
    expect(JSON.parse(before).length).toBe((await bureauTasks(id)).length);
    // A closed task.
    await complete(sys, cast.bureau, own.id, 'return', { comment: '退回' });
    const closed = await add(cast.bureau, own.id, { userId: third.id, position: 'after', reason: '晚了' });
    expect(closed.status).toBe(409);
  });
});

describe('退回 to a chosen earlier step', () => {
  beforeAll(() => setMode('single', []));

  test('When the bureau returns to the lead school and the opinion stays the same, then the lead school opines again and the chain goes straight back to the bureau, skipping the still-valid signature', async () => {
    const id = await throughSigning(sys, cast);
    const signatureBefore = (await registrationRow(sys.db, id)).signatureId;
    const returned = await act(sys, cast.bureau, id, 'bureau_approval', 'return', { comment: '请牵头学校重新确认意见', payload: { toStep: 'lead_school_opinion' } });
    expect(returned.result.status).toBe('lead_school_opinion');
    expect((await registrationRow(sys.db, id)).status).toBe('lead_school_opinion');

    const opined = await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意组建。' } });
    expect(opined.result.status).toBe('bureau_approval');
    const row = await registrationRow(sys.db, id);
    expect(row.signatureId).toBe(signatureBefore);
    const steps = (await sys.db('tasks').where({ registrationId: id }).orderBy('createdAt')).map((t: any) => `${t.step}:${t.round}:${t.status}`);
    expect(steps).toEqual([
      'lead_school_opinion:1:done',
      'principal_signature:1:done',
      'bureau_approval:1:done',
      'lead_school_opinion:2:done',
      'bureau_approval:2:open',
    ]);
    const history = (await timeline(id)).history.map((h: any) => `${h.step}:${h.action}`);
    expect(history.slice(-3)).toEqual(['bureau_approval:return', 'lead_school_opinion:opinion', 'principal_signature:skipped']);
    expect(await auditActions(sys.db, id)).toEqual(expect.arrayContaining(['registration.signing_skipped']));
    expect((await act(sys, cast.bureau, id, 'bureau_approval', 'approve')).result.status).toBe('active');
  });

  test('When the lead school changes its opinion after a return, then the principal signs again before the bureau', async () => {
    const id = await throughSigning(sys, cast);
    await act(sys, cast.bureau, id, 'bureau_approval', 'return', { comment: '意见需更新', payload: { toStep: 'lead_school_opinion' } });
    const opined = await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意组建，并补充年度工作计划。' } });
    expect(opined.result.status).toBe('principal_signature');
    const signed = await act(sys, cast.principal, id, 'principal_signature', 'sign', { payload: signaturePayload() });
    expect(signed.result.status).toBe('bureau_approval');
    expect((await act(sys, cast.bureau, id, 'bureau_approval', 'approve')).result.status).toBe('active');
  });

  test('When the bureau returns to the principal, then the principal signs again in a new round', async () => {
    const id = await throughSigning(sys, cast);
    const returned = await act(sys, cast.bureau, id, 'bureau_approval', 'return', { comment: '盖章不清晰', payload: { toStep: 'principal_signature' } });
    expect(returned.result.status).toBe('principal_signature');
    await act(sys, cast.principal, id, 'principal_signature', 'sign', { payload: signaturePayload() });
    expect((await registrationRow(sys.db, id)).status).toBe('bureau_approval');
  });

  test('When the return names a later or unknown step, then 400 says where it may go, in Chinese and English, and nothing changes', async () => {
    const id = await throughSigning(sys, cast);
    const [task] = await bureauTasks(id);
    for (const toStep of ['bureau_approval', 'goal_report', 'nowhere']) {
      const res = await complete(sys, cast.bureau, task.id, 'return', { comment: '退回', payload: { toStep } });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/只能退回到经办人或之前的步骤.*earlier step/);
      expect(Object.keys(res.body.errors ?? {})).toContain('payload.toStep');
    }
    const principalTask = await sys.db('tasks').where({ registrationId: id, step: 'principal_signature' }).first();
    expect((await complete(sys, cast.principal, principalTask.id, 'return', { comment: '退回', payload: { toStep: 'lead_school_opinion' } })).status).toBe(409);
    expect((await registrationRow(sys.db, id)).status).toBe('bureau_approval');
    expect((await bureauTasks(id)).map((t: any) => t.status)).toEqual(['open']);
  });
});

describe('The 会签/或签 policy is checked', () => {
  test('When the administrator names an approver who is not a bureau approver, does not exist, or only one, then 400 names the field and the policy is unchanged', async () => {
    const base = { dueSeconds: 5 * 86400, remindBeforeSeconds: 86400, escalateToRole: 'admin' };
    const before = await sys.db('deadlinePolicies').where({ step: 'bureau_approval' }).first();
    for (const body of [
      { ...base, approverMode: 'all', approverUserIds: [cast.bureau.id, cast.principal.id] },
      { ...base, approverMode: 'any', approverUserIds: [cast.bureau.id, 99_999_999] },
      { ...base, approverMode: 'all', approverUserIds: [cast.bureau.id] },
      { ...base, approverMode: 'most', approverUserIds: [cast.bureau.id, second.id] },
    ]) {
      const res = await as(sys, cast.admin)('PUT', '/api/deadline-policies/bureau_approval', body);
      expect([body.approverMode, res.status]).toEqual([body.approverMode, 400]);
      expect(Object.keys(res.body.errors ?? {}).join(' ')).toMatch(/approver/);
      expect(res.body.message).toMatch(/[\u4e00-\u9fff].* \/ [A-Za-z]|输入有误/);
    }
    const other = await as(sys, cast.admin)('PUT', '/api/deadline-policies/lead_school_opinion', { ...base, approverMode: 'all', approverUserIds: [cast.leader.id, cast.leader.id + 0] });
    expect(other.status).toBe(400);
    const after = await sys.db('deadlinePolicies').where({ step: 'bureau_approval' }).first();
    expect([after.approverMode, after.approverUserIds]).toEqual([before.approverMode, before.approverUserIds]);
  });
});
