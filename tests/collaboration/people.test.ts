/**
 * Tasks for people on the real workflow engine: named assignees, 转交 (transfer), 委托 (delegation)
 * and 催办 (urge) — what each user may do, what the record shows, and that a refused request
 * changes nothing.
 */
import type { Actor } from '../../api/middleware/auth';
import { registrationWorkflowId, stateQuery } from '../../workflows/shared';
import { createUser } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { act, as, auditActions, complete, createCast, draftRegistration, eventually, openTaskOf, signaturePayload, submit, throughSigning, type Cast } from '../workflow/support';

let sys: TestSystem;
let cast: Cast;
beforeAll(async () => {
  sys = await startSystem({ isolatedDatabase: {} }); // it changes deadline policies, which every suite reads
  cast = await createCast(sys.db);
});
afterAll(async () => {
  await sys.db('deadlinePolicies').update({ urgeIntervalSeconds: null });
  await sys.close();
});

const DAY = 24 * 3600 * 1000;
const state = (id: string) => sys.temporal.workflow.getHandle(registrationWorkflowId(id)).query(stateQuery);
const notificationsOf = (userId: number, kind: string) => sys.db('notifications').where({ recipientUserId: userId, kind }).orderBy('id');
const auditOf = (id: string, action: string) => sys.db('auditEvents').where({ registrationId: id, action }).orderBy('id');

/** A registration submitted by the cast's staff: its open opinion task. */
async function submitted(c: Cast = cast) {
  const id = await draftRegistration(sys, c.staff);
  expect((await submit(sys, c.staff, id)).status).toBe(200);
  const task = await openTaskOf(sys.db, id, 'lead_school_opinion');
  return { id, taskId: task.id as string };
}

const window = (fromMs = -60_000, toMs = DAY) => ({ startsAt: new Date(Date.now() + fromMs).toISOString(), endsAt: new Date(Date.now() + toMs).toISOString() });
async function delegate(who: Actor, body: Record<string, unknown>) {
  return as(sys, who)('POST', '/api/delegations', { ...window(), ...body });
}

describe('Named assignees', () => {
  test('When the school has one principal, then the signing task names them; a principal added later can neither see it in 待办 nor sign it', async () => {
    const c = await createCast(sys.db);
    const { id } = await submitted(c);
    await act(sys, c.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意' } });
    const row = await openTaskOf(sys.db, id, 'principal_signature');
    const task = (await as(sys, c.principal)('GET', `/api/tasks/${row.id}`)).body;
    expect(task).toMatchObject({ assigneeUserId: c.principal.id, assigneeName: c.principal.name, onBehalfOf: null });
    expect((await state(id)).openTask).toMatchObject({ assigneeUserId: c.principal.id });

    const second = await createUser(sys.db, { roles: ['principal'], schoolId: c.school.id });
    const todo = await as(sys, second)('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ view: 'todo' }))}`);
    expect(todo.body.map((t: { id: string }) => t.id)).not.toContain(row.id);
    expect((await complete(sys, second, row.id, 'sign', { payload: signaturePayload() })).status).toBe(403);
    expect((await as(sys, second)('POST', `/api/tasks/${row.id}/claim`)).status).toBe(403);
    const mine = await as(sys, c.principal)('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ view: 'todo' }))}`);
    expect(mine.body.map((t: { id: string }) => t.id)).toContain(row.id);
  });

  test('When several users hold the step\'s role, then the task names nobody and stays with the role', async () => {
    const { taskId } = await submitted();
    const task = (await as(sys, cast.leader)('GET', `/api/tasks/${taskId}`)).body;
    expect(task.assigneeUserId).toBeNull();
  });
});

describe('POST /api/tasks/:id/transfer (转交)', () => {
  test('When the leader transfers the opinion task to another leader with a reason, then only the new leader may act, the record shows both people and the new leader is notified', async () => {
    const { id, taskId } = await submitted();
    const second = await createUser(sys.db, { roles: ['lead_school_leader'], schoolId: cast.school.id, name: '副校长乙' });

    const candidates = await as(sys, cast.leader)('GET', `/api/tasks/${taskId}/transfer-candidates`);
    expect(candidates.status).toBe(200);
    expect(candidates.body.map((u: { id: number }) => u.id)).toContain(second.id);
    expect(candidates.body.map((u: { id: number }) => u.id)).not.toContain(cast.leader.id);
    expect(candidates.body.map((u: { id: number }) => u.id)).not.toContain(cast.principal.id);

    const res = await as(sys, cast.leader)('POST', `/api/tasks/${taskId}/transfer`, { toUserId: second.id, reason: '本人出差，请代为审核' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ assigneeUserId: second.id, assigneeName: '副校长乙', status: 'open' });

    const [audit] = await auditOf(id, 'task.transferred');
    expect(audit.actorId).toBe(cast.leader.id);
    expect(audit.details).toMatchObject({ taskId, toUserId: second.id, toUserName: '副校长乙', reason: '本人出差，请代为审核' });
    const entry = (await state(id)).history.find((h) => h.action === 'transferred');
    expect(entry).toMatchObject({ step: 'lead_school_opinion', actorId: cast.leader.id, actorName: cast.leader.name, toUserId: second.id, toUserName: '副校长乙', comment: '本人出差，请代为审核' });
    const notes = await notificationsOf(second.id, 'task_transferred');
    expect(notes).toHaveLength(1);
    expect(notes[0].taskId).toBe(taskId);

    expect((await complete(sys, cast.leader, taskId, 'opinion', { payload: { opinion: '同意' } })).status).toBe(403);
    const done = await complete(sys, second, taskId, 'opinion', { payload: { opinion: '同意组建' } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ completedBy: second.id, completedByName: '副校长乙', status: 'done' });
  });

  test('When an administrator transfers the named signing task to another principal, then it goes; the old principal can no longer sign', async () => {
    const c = await createCast(sys.db);
    const { id } = await submitted(c);
    await act(sys, c.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意' } });
    const row = await openTaskOf(sys.db, id, 'principal_signature');
    const acting = await createUser(sys.db, { roles: ['principal'], schoolId: c.school.id, name: '代理校长' });
    const res = await as(sys, c.admin)('POST', `/api/tasks/${row.id}/transfer`, { toUserId: acting.id, reason: '校长病休' });
    expect(res.status).toBe(200);
    expect(res.body.assigneeUserId).toBe(acting.id);
    expect((await complete(sys, c.principal, row.id, 'sign', { payload: signaturePayload() })).status).toBe(403);
    expect((await complete(sys, acting, row.id, 'sign', { payload: signaturePayload() })).status).toBe(200);
  });

  test('When the request is wrong, then each refusal is 400/403/404/409 with zh+en messages, and nothing changes', async () => {
    const { id, taskId } = await submitted();
    const second = await createUser(sys.db, { roles: ['lead_school_leader'], schoolId: cast.school.id });
    const retired = await createUser(sys.db, { roles: ['lead_school_leader'], schoolId: cast.school.id });
    await sys.db('users').where({ id: retired.id }).update({ active: false });
    const elsewhere = await createCast(sys.db);
    const leader = as(sys, cast.leader);
    const path = `/api/tasks/${taskId}/transfer`;
    const auditBefore = await auditActions(sys.db, id);
    const historyBefore = (await state(id)).history.length;

    const cases: [Actor, unknown, number, string | null][] = [
      [cast.leader, { toUserId: second.id }, 400, 'reason'],
      [cast.leader, { toUserId: second.id, reason: '   ' }, 400, 'reason'],
      [cast.leader, { toUserId: 'abc', reason: '出差' }, 400, 'toUserId'],
      [cast.leader, { reason: '出差' }, 400, 'toUserId'],
      [cast.leader, { toUserId: 99_999_999, reason: '出差' }, 400, 'toUserId'],
      [cast.leader, { toUserId: cast.principal.id, reason: '出差' }, 400, 'toUserId'], // not the step's role
      [cast.leader, { toUserId: elsewhere.leader.id, reason: '出差' }, 400, 'toUserId'], // another school
      [cast.leader, { toUserId: retired.id, reason: '出差' }, 400, 'toUserId'], // deactivated
      [cast.leader, { toUserId: cast.leader.id, reason: '出差' }, 409, null], // already theirs
      [cast.principal, { toUserId: second.id, reason: '出差' }, 403, null], // may not act on this step
      [cast.staff, { toUserId: second.id, reason: '出差' }, 403, null],
      [elsewhere.leader, { toUserId: second.id, reason: '出差' }, 404, null], // outside their scope
    ];
    for (const [who, body, status, field] of cases) {
      const res = await as(sys, who)('POST', path, body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status]);
      expect(res.body.message).toMatch(/[\u4e00-\u9fff].* \/ [A-Za-z]/);
      if (field) expect(Object.keys(res.body.errors ?? {})).toContain(field);
    }
    expect((await leader('POST', path, '[')).status).toBe(400);
    expect((await sys.db('tasks').where({ id: taskId }).first()).assigneeUserId).toBeNull();
    expect(await auditActions(sys.db, id)).toEqual(auditBefore);
    expect((await state(id)).history).toHaveLength(historyBefore);

    // A finished task cannot be transferred.
    await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意' } });
    expect((await leader('POST', path, { toUserId: second.id, reason: '出差' })).status).toBe(409);
  });

  test('When a bureau approver transfers a task of the shared queue to a colleague, then it is named for the colleague and leaves the others\' 待办', async () => {
    const c = await createCast(sys.db);
    const colleague = await createUser(sys.db, { roles: ['bureau_approver'], districtId: c.school.districtId });
    const id = await throughSigning(sys, c);
    const row = await openTaskOf(sys.db, id, 'bureau_approval');
    expect((await as(sys, c.bureau)('POST', `/api/tasks/${row.id}/transfer`, { toUserId: colleague.id, reason: '分管此片区' })).status).toBe(200);
    const mine = await as(sys, c.bureau)('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ mine: true, registrationId: id }))}`);
    expect(mine.body).toHaveLength(0);
    const bulk = await as(sys, c.bureau)('POST', '/api/tasks/bulk', { ids: [row.id], action: 'approve' });
    expect(bulk.body.results[0]).toMatchObject({ ok: false, status: 403 });
    const theirs = await as(sys, colleague)('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ mine: true, registrationId: id }))}`);
    expect(theirs.body.map((t: { id: string }) => t.id)).toEqual([row.id]);
    expect((await as(sys, colleague)('POST', '/api/tasks/bulk', { ids: [row.id], action: 'approve' })).body.results[0]).toMatchObject({ ok: true });
  });
});

describe('/api/delegations (委托)', () => {
  test('When the leader is away with a delegate, then a task arriving in the window goes to the delegate, who acts on the leader\'s behalf and the record shows both', async () => {
    const c = await createCast(sys.db);
    const vice = await createUser(sys.db, { roles: ['school_staff'], schoolId: c.school.id, name: '教务主任丙' });
    const set = await delegate(c.leader, { toUserId: vice.id, reason: '外出培训' });
    expect(set.status).toBe(201);
    expect(set.body).toMatchObject({ fromUserId: c.leader.id, toUserId: vice.id, active: true, reason: '外出培训' });

    const { id, taskId } = await submitted(c);
    const task = (await as(sys, vice)('GET', `/api/tasks/${taskId}`)).body;
    expect(task).toMatchObject({ assigneeUserId: vice.id, onBehalfOf: c.leader.id, onBehalfOfName: c.leader.name });
    expect((await notificationsOf(vice.id, 'task_assigned')).map((n: { taskId: string }) => n.taskId)).toContain(taskId);
    expect((await complete(sys, c.leader, taskId, 'opinion', { payload: { opinion: '同意' } })).status).toBe(403);

    const done = await complete(sys, vice, taskId, 'opinion', { payload: { opinion: '代为同意' } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ completedBy: vice.id, onBehalfOf: c.leader.id });
    const row = await sys.db('tasks').where({ id: taskId }).first();
    expect([row.completedBy, row.onBehalfOf]).toEqual([vice.id, c.leader.id]);
    const entry = (await state(id)).history.find((h) => h.action === 'opinion');
    expect(entry).toMatchObject({ actorId: vice.id, actorName: '教务主任丙', onBehalfOfId: c.leader.id, onBehalfOfName: c.leader.name });
    const [audit] = await auditOf(id, 'task.completed_on_behalf');
    expect(audit).toMatchObject({ actorId: vice.id, actorName: '教务主任丙' });
    expect(audit.details).toMatchObject({ taskId, outcome: 'opinion', onBehalfOf: c.leader.id, onBehalfOfName: c.leader.name });
  });

  test('When delegations chain A→B→C, then the task goes to the end of the chain on A\'s behalf', async () => {
    const c = await createCast(sys.db);
    const b = await createUser(sys.db, { roles: ['school_staff'], schoolId: c.school.id });
    const cc = await createUser(sys.db, { roles: ['school_staff'], schoolId: c.school.id });
    expect((await delegate(c.principal, { toUserId: b.id })).status).toBe(201);
    expect((await delegate(b, { toUserId: cc.id })).status).toBe(201);
    const { id } = await submitted(c);
    await act(sys, c.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意' } });
    const row = await openTaskOf(sys.db, id, 'principal_signature');
    expect([row.assigneeUserId, row.onBehalfOf]).toEqual([cc.id, c.principal.id]);
    expect((await complete(sys, cc, row.id, 'sign', { payload: signaturePayload() })).status).toBe(200);
  });

  test('When a delegation would close a cycle, exceed three links or overlap the same user\'s delegation, then 409 with zh+en, and nothing is stored', async () => {
    const c = await createCast(sys.db);
    const [a, b, d, e, f] = await Promise.all(Array.from({ length: 5 }, () => createUser(sys.db, { roles: ['school_staff'], schoolId: c.school.id })));
    expect((await delegate(a, { toUserId: b.id })).status).toBe(201);
    const cycle = await delegate(b, { toUserId: a.id });
    expect(cycle.status).toBe(409);
    expect(cycle.body.message).toMatch(/循环.* \/ .*cycle/);
    expect((await delegate(b, { toUserId: d.id })).status).toBe(201);
    const longCycle = await delegate(d, { toUserId: a.id });
    expect(longCycle.status).toBe(409);
    expect((await delegate(d, { toUserId: e.id })).status).toBe(201); // a→b→d→e: three links
    const tooLong = await delegate(e, { toUserId: f.id });
    expect(tooLong.status).toBe(409);
    expect(tooLong.body.message).toMatch(/委托链.* \/ .*chain/);
    const overlap = await delegate(a, { toUserId: f.id });
    expect(overlap.status).toBe(409);
    // A later window that does not overlap is fine.
    expect((await delegate(e, { toUserId: f.id, ...window(2 * DAY, 3 * DAY) })).status).toBe(201);
    expect(await sys.db('delegations').whereIn('fromUserId', [a.id, b.id, d.id, e.id]).count({ n: '*' }).first()).toEqual({ n: '4' });
  });

  test('When someone sets a delegation for another user, a delegate outside the scope, or a bad window, then 403/400 with field messages; an administrator may set anyone\'s', async () => {
    const c = await createCast(sys.db);
    const other = await createCast(sys.db);
    const vice = await createUser(sys.db, { roles: ['school_staff'], schoolId: c.school.id });
    expect((await delegate(c.staff, { fromUserId: c.leader.id, toUserId: vice.id })).status).toBe(403);
    const outside = await delegate(c.leader, { toUserId: other.staff.id });
    expect(outside.status).toBe(400);
    expect(outside.body.errors.toUserId).toMatch(/ \/ /);
    const bureauToSchool = await delegate(c.bureau, { toUserId: vice.id });
    expect(bureauToSchool.status).toBe(400);
    for (const body of [
      { toUserId: vice.id, startsAt: 'yesterday', endsAt: 'tomorrow' },
      { toUserId: vice.id, ...window(DAY, 0) },
      { toUserId: 'x' },
      { toUserId: c.leader.id },
      { toUserId: vice.id, ...window(-3 * DAY, -DAY) },
    ]) {
      const res = await delegate(c.leader, body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      expect(Object.keys(res.body.errors ?? {}).length).toBeGreaterThan(0);
    }
    expect(await sys.db('delegations').where({ fromUserId: c.leader.id }).count({ n: '*' }).first()).toEqual({ n: '0' });

    const byAdmin = await delegate(c.admin, { fromUserId: c.leader.id, toUserId: vice.id });
    expect(byAdmin.status).toBe(201);
    // The delegator sees it, the delegate too; a stranger does not.
    expect((await as(sys, c.leader)('GET', `/api/delegations/${byAdmin.body.id}`)).status).toBe(200);
    expect((await as(sys, vice)('GET', '/api/delegations')).body.map((d: { id: number }) => d.id)).toContain(byAdmin.body.id);
    expect((await as(sys, other.leader)('GET', `/api/delegations/${byAdmin.body.id}`)).status).toBe(404);
    expect((await as(sys, vice)('DELETE', `/api/delegations/${byAdmin.body.id}`)).status).toBe(403);
    const changed = await as(sys, c.leader)('PUT', `/api/delegations/${byAdmin.body.id}`, { toUserId: vice.id, ...window(-60_000, 2 * DAY), reason: '延长' });
    expect(changed.status).toBe(200);
    expect(changed.body.reason).toBe('延长');
    expect((await as(sys, c.leader)('DELETE', `/api/delegations/${byAdmin.body.id}`)).status).toBe(200);
    expect((await as(sys, c.leader)('GET', `/api/delegations/${byAdmin.body.id}`)).status).toBe(404);
    const candidates = await as(sys, c.leader)('GET', '/api/delegations/candidates');
    expect(candidates.body.map((u: { id: number }) => u.id)).toContain(vice.id);
    expect(candidates.body.map((u: { id: number }) => u.id)).not.toContain(other.staff.id);
  });
});

describe('POST /api/tasks/:id/urge (催办)', () => {
  test('When the drafter urges the open task, then its holder is notified, the timeline shows it, and a second urge within the interval is refused 429 with when it is next allowed', async () => {
    const { id, taskId } = await submitted();
    const res = await as(sys, cast.staff)('POST', `/api/tasks/${taskId}/urge`, { message: '请尽快审核' });
    expect(res.status).toBe(200);
    expect(res.body.urge.nextUrgeAt).toEqual(expect.any(String));
    expect(res.body.nextUrgeAt).toBe(res.body.urge.nextUrgeAt);
    const notes = (await notificationsOf(cast.leader.id, 'urged')).filter((n: { taskId: string }) => n.taskId === taskId);
    expect(notes).toHaveLength(1);
    expect(notes[0].body).toContain('请尽快审核');
    expect((await auditOf(id, 'task.urged')).map((e: { actorId: number }) => e.actorId)).toEqual([cast.staff.id]);
    expect((await state(id)).history.find((h) => h.action === 'urged')).toMatchObject({ actorId: cast.staff.id, comment: '请尽快审核' });

    const again = await as(sys, cast.bureau)('POST', `/api/tasks/${taskId}/urge`, {});
    expect(again.status).toBe(429);
    expect(again.body.nextAllowedAt).toBe(res.body.urge.nextUrgeAt);
    expect(again.body.message).toMatch(/催办.* \/ .*urged/);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(3600);
    expect(await auditOf(id, 'task.urged')).toHaveLength(1);
  });

  test('When the administrators shorten the interval, then the task may be urged again once it has passed', async () => {
    const { id, taskId } = await submitted();
    const policy = (await as(sys, cast.admin)('GET', '/api/deadline-policies/lead_school_opinion')).body;
    expect(policy.urgeIntervalSeconds).toBe(86_400);
    const put = (urgeIntervalSeconds: unknown) =>
      as(sys, cast.admin)('PUT', `/api/deadline-policies/${policy.id}`, { dueSeconds: policy.dueSeconds, remindBeforeSeconds: policy.remindBeforeSeconds, escalateToRole: policy.escalateToRole, urgeIntervalSeconds });
    expect((await put(0)).status).toBe(400);
    expect((await put('soon')).status).toBe(400);
    const changed = await put(1);
    expect(changed.status).toBe(200);
    expect(changed.body.urgeIntervalSeconds).toBe(1);
    try {
      expect((await as(sys, cast.staff)('POST', `/api/tasks/${taskId}/urge`, {})).status).toBe(200);
      await eventually(async () => (await as(sys, cast.staff)('POST', `/api/tasks/${taskId}/urge`, { message: '再次催办' })).status === 200, 10_000, 'a second urge after the interval');
      expect(await auditOf(id, 'task.urged')).toHaveLength(2);
    } finally {
      expect((await put(null)).body.urgeIntervalSeconds).toBe(86_400);
    }
  });

  test('When someone other than the drafter\'s school staff or the district\'s bureau urges, or the input is bad, then 403/404/400/409 and nothing is sent', async () => {
    const { id, taskId } = await submitted();
    const elsewhere = await createCast(sys.db);
    const path = `/api/tasks/${taskId}/urge`;
    expect((await as(sys, cast.leader)('POST', path, {})).status).toBe(403);
    expect((await as(sys, cast.principal)('POST', path, {})).status).toBe(403);
    expect((await as(sys, cast.admin)('POST', path, {})).status).toBe(403);
    expect((await as(sys, elsewhere.bureau)('POST', path, {})).status).toBe(404);
    const bad = await as(sys, cast.staff)('POST', path, { message: 42 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors)).toEqual(['message']);
    expect((await as(sys, cast.staff)('POST', path, { message: 'x'.repeat(501) })).status).toBe(400);
    expect((await as(sys, cast.staff)('POST', '/api/tasks/not-a-uuid/urge', {})).status).toBe(404);
    expect(await auditOf(id, 'task.urged')).toHaveLength(0);
    expect((await notificationsOf(cast.leader.id, 'urged')).filter((n: { taskId: string }) => n.taskId === taskId)).toHaveLength(0);
    await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意' } });
    expect((await as(sys, cast.staff)('POST', path, {})).status).toBe(409);
  });

  test('When a task named for someone is urged, then only that person is notified', async () => {
    const c = await createCast(sys.db);
    const { id } = await submitted(c);
    await act(sys, c.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意' } });
    const other = await createUser(sys.db, { roles: ['principal'], schoolId: c.school.id });
    const row = await openTaskOf(sys.db, id, 'principal_signature');
    expect((await as(sys, c.bureau)('POST', `/api/tasks/${row.id}/urge`, { message: '请签字' })).status).toBe(200);
    expect((await notificationsOf(c.principal.id, 'urged')).map((n: { taskId: string }) => n.taskId)).toEqual([row.id]);
    expect(await notificationsOf(other.id, 'urged')).toHaveLength(0);
  });
});
