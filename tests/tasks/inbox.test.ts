import { POLICY_KEYS } from '../../workflows/shared';
import { createUser } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { act, as, auditActions, complete, createCast, draftRegistration, openTaskOf, registrationRow, submit, throughSigning, type Cast } from '../workflow/support';

let sys: TestSystem;
let cast: Cast;
beforeAll(async () => {
  sys = await startSystem();
  cast = await createCast(sys.db);
});
afterAll(() => sys.close());

const q = (filter: Record<string, unknown>, extra = '') => `/api/tasks?filter=${encodeURIComponent(JSON.stringify(filter))}${extra}`;

async function submitted(c: Cast = cast): Promise<{ id: string; taskId: string }> {
  const id = await draftRegistration(sys, c.staff);
  const res = await submit(sys, c.staff, id);
  if (res.status !== 200) throw new Error(`submit: ${res.status}`);
  return { id, taskId: res.body.process.openTask.taskId };
}

describe('GET /api/tasks', () => {
  test('When a leader lists their inbox (mine), then only open tasks of their own school come, sorted by due time, with Content-Range', async () => {
    const c = await createCast(sys.db);
    const first = await submitted(c);
    const second = await submitted(c);
    await submitted(cast); // another school's task must not show
    const res = await as(sys, c.leader)('GET', q({ mine: true }, `&sort=${encodeURIComponent('["dueAt","ASC"]')}&range=[0,9]`));
    expect(res.status).toBe(200);
    // Both tasks opened under the same policy: order by due time, then id.
    const byDue = (await sys.db('tasks').whereIn('id', [first.taskId, second.taskId]).orderBy('dueAt').orderBy('id')).map((t: any) => t.id);
    expect(res.body.map((t: any) => t.id)).toEqual(byDue);
    expect(res.headers.get('content-range')).toBe('tasks 0-1/2');
    expect(res.body.find((t: any) => t.id === first.taskId)).toMatchObject({ registrationId: first.id, step: 'lead_school_opinion', assigneeRole: 'lead_school_leader', schoolId: c.school.id, status: 'open', claimedBy: null });
    expect(Date.parse(res.body[0].dueAt)).toBeLessThanOrEqual(Date.parse(res.body[1].dueAt));

    const desc = await as(sys, c.leader)('GET', q({ mine: true }, `&sort=${encodeURIComponent('["dueAt","DESC"]')}`));
    expect(desc.body.map((t: any) => t.id)).toEqual([...byDue].reverse());
    // The principal has nothing to do yet: mine is empty, but the school's tasks are visible.
    expect((await as(sys, c.principal)('GET', q({ mine: true }))).body).toEqual([]);
    expect((await as(sys, c.principal)('GET', q({ step: 'lead_school_opinion' }))).body).toHaveLength(2);
  });

  test('When the bureau lists, then it sees its district\'s tasks and narrows them by step, role, school and status; another district sees none', async () => {
    const c = await createCast(sys.db);
    const { id, taskId } = await submitted(c);
    const bureau = as(sys, c.bureau);
    expect((await bureau('GET', q({ schoolId: c.school.id, step: 'lead_school_opinion' }))).body.map((t: any) => t.id)).toEqual([taskId]);
    expect((await bureau('GET', q({ schoolId: c.school.id, role: 'lead_school_leader', status: 'open' }))).body).toHaveLength(1);
    expect((await bureau('GET', q({ schoolId: c.school.id, role: 'bureau_approver' }))).body).toHaveLength(0);
    expect((await bureau('GET', q({ registrationId: id, status: 'done' }))).body).toHaveLength(0);
    // Not the bureau's step, so not in its inbox.
    expect((await bureau('GET', q({ mine: true, registrationId: id }))).body).toHaveLength(0);

    const elsewhere = await createCast(sys.db);
    expect((await as(sys, elsewhere.bureau)('GET', q({ registrationId: id }))).body).toHaveLength(0);
    expect((await as(sys, elsewhere.bureau)('GET', `/api/tasks/${taskId}`)).status).toBe(404);
    expect((await as(sys, c.admin)('GET', `/api/tasks/${taskId}`)).status).toBe(200);
  });

  test('When a user is both a principal and the district\'s bureau approver and holds a task named for them elsewhere, then each task they may see is listed and counted once, in due order, page after page', async () => {
    const c = await createCast(sys.db);
    const both = await createUser(sys.db, { roles: ['principal', 'bureau_approver'], schoolId: c.school.id, districtId: c.school.districtId });
    await submitted(c);
    await submitted(c); // in their school and their district: one row each, not two
    const elsewhere = await createCast(sys.db);
    const named = await submitted(elsewhere);
    // Named for them as a transfer (转交) leaves it: outside their school and district.
    await sys.db('tasks').where({ id: named.taskId }).update({ assigneeUserId: both.id });

    const visible = (
      await sys.db('tasks')
        .where((w) => w.where('schoolId', c.school.id).orWhere('districtId', c.school.districtId).orWhere('assigneeUserId', both.id))
        .orderByRaw('due_at is null, due_at, id')
        .select('id')
    ).map((t: { id: string }) => t.id);
    expect(visible).toContain(named.taskId);
    const paged: string[] = [];
    for (let start = 0; start < visible.length + 1; start += 2) {
      const res = await as(sys, both)('GET', q({}, `&sort=${encodeURIComponent('["dueAt","ASC"]')}&range=${encodeURIComponent(JSON.stringify([start, start + 1]))}`));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-range')).toMatch(new RegExp(`/${visible.length}$`));
      paged.push(...res.body.map((t: { id: string }) => t.id));
    }
    expect(paged).toEqual(visible);
  });

  test('When the filter or sort is not understood, then 400 names it', async () => {
    const bad = await as(sys, cast.leader)('GET', q({ step: 'nope' }));
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors)).toEqual(['filter.step']);
    const sort = await as(sys, cast.leader)('GET', `/api/tasks?sort=${encodeURIComponent('["password","ASC"]')}`);
    expect(sort.status).toBe(400);
    expect(sort.body.errors.sort).toBeDefined();
  });

  test('When another school\'s user reads a task, then 404; without a token, 401', async () => {
    const { taskId } = await submitted();
    const other = await createCast(sys.db);
    expect((await as(sys, other.leader)('GET', `/api/tasks/${taskId}`)).status).toBe(404);
    expect((await as(sys, cast.leader)('GET', '/api/tasks/not-a-uuid')).status).toBe(404);
    expect((await sys.db('tasks').where({ id: taskId }).first()).status).toBe('open');
    const anonymous = await fetch(`${sys.baseUrl}/api/tasks`);
    expect(anonymous.status).toBe(401);
  });
});

describe('POST /api/tasks/:id/claim and /unclaim', () => {
  test('When two leaders claim one task at once, then exactly one holds it and the other gets 409', async () => {
    const { taskId } = await submitted();
    const second = await createUser(sys.db, { roles: ['lead_school_leader'], schoolId: cast.school.id });
    const [a, b] = await Promise.all([as(sys, cast.leader)('POST', `/api/tasks/${taskId}/claim`), as(sys, second)('POST', `/api/tasks/${taskId}/claim`)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? cast.leader : second;
    expect((await sys.db('tasks').where({ id: taskId }).first()).claimedBy).toBe(winner.id);
  });

  test('When a task is claimed, then another leader cannot complete it, it leaves their inbox, and after unclaim they can act', async () => {
    const { id, taskId } = await submitted();
    const other = await createUser(sys.db, { roles: ['lead_school_leader'], schoolId: cast.school.id });
    expect((await as(sys, cast.leader)('POST', `/api/tasks/${taskId}/claim`)).body.claimedBy).toBe(cast.leader.id);
    expect((await as(sys, cast.leader)('POST', `/api/tasks/${taskId}/claim`)).status).toBe(200); // claiming again is harmless

    expect((await complete(sys, other, taskId, 'opinion', { payload: { opinion: '同意' } })).status).toBe(409);
    expect((await as(sys, other)('GET', q({ mine: true, registrationId: id }))).body).toHaveLength(0);
    expect((await as(sys, other)('POST', `/api/tasks/${taskId}/unclaim`)).status).toBe(409);

    const released = await as(sys, cast.leader)('POST', `/api/tasks/${taskId}/unclaim`);
    expect(released.status).toBe(200);
    expect(released.body.claimedBy).toBeNull();
    expect((await complete(sys, other, taskId, 'opinion', { payload: { opinion: '同意' } })).status).toBe(200);
    expect((await auditActions(sys.db, id)).filter((a) => a === 'task.claimed' || a === 'task.unclaimed')).toEqual(['task.claimed', 'task.unclaimed']);
  });

  test('When a principal claims an opinion task, or anyone claims a finished task, then 403 / 409', async () => {
    const { id, taskId } = await submitted();
    expect((await as(sys, cast.principal)('POST', `/api/tasks/${taskId}/claim`)).status).toBe(403);
    await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意' } });
    expect((await as(sys, cast.leader)('POST', `/api/tasks/${taskId}/claim`)).status).toBe(409);
  });
});

describe('POST /api/tasks/:id/complete', () => {
  test('When ten approvers complete one task at once, then exactly one gets 200, the others 409, and the decision is recorded once', async () => {
    const id = await throughSigning(sys, cast);
    const task = await openTaskOf(sys.db, id, 'bureau_approval');
    const approvers = await Promise.all(Array.from({ length: 10 }, () => createUser(sys.db, { roles: ['bureau_approver'], districtId: cast.school.districtId })));
    const answers = await Promise.all(approvers.map((a) => complete(sys, a, task.id, 'approve')));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    const winner = approvers[statuses.indexOf(200)];
    expect((await sys.db('tasks').where({ id: task.id }).first()).completedBy).toBe(winner.id);
    expect((await auditActions(sys.db, id)).filter((a) => a === 'registration.approved')).toHaveLength(1);
    expect((await registrationRow(sys.db, id)).status).toBe('active');
  });

  test('When a completion is repeated with the same Idempotency-Key, then the first answer comes back and the decision is made once; another body with that key is refused', async () => {
    const { id, taskId } = await submitted();
    const headers = { 'Idempotency-Key': `opinion-${taskId}` };
    const first = await complete(sys, cast.leader, taskId, 'opinion', { payload: { opinion: '同意组建' } }, headers);
    expect(first.status).toBe(200);
    const repeat = await complete(sys, cast.leader, taskId, 'opinion', { payload: { opinion: '同意组建' } }, headers);
    expect(repeat.status).toBe(200);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(repeat.body).toEqual(first.body);
    expect((await auditActions(sys.db, id)).filter((a) => a === 'registration.lead_school_opinion_given')).toHaveLength(1);

    const different = await complete(sys, cast.leader, taskId, 'return', { comment: '再看看' }, headers);
    expect(different.status).toBe(422);
    // Without the key the same request is a new one, and the task is no longer open.
    expect((await complete(sys, cast.leader, taskId, 'opinion', { payload: { opinion: '同意组建' } })).status).toBe(409);
  });

  test('When the wrong people act, then admin and staff get 403, another district\'s bureau 404, and nothing changes', async () => {
    const id = await throughSigning(sys, cast);
    const task = await openTaskOf(sys.db, id, 'bureau_approval');
    const elsewhere = await createCast(sys.db);
    expect((await complete(sys, cast.admin, task.id, 'approve')).status).toBe(403);
    expect((await complete(sys, cast.staff, task.id, 'approve')).status).toBe(403);
    expect((await complete(sys, cast.principal, task.id, 'approve')).status).toBe(403);
    expect((await complete(sys, elsewhere.bureau, task.id, 'approve')).status).toBe(404);
    expect((await openTaskOf(sys.db, id, 'bureau_approval')).id).toBe(task.id);
    expect((await registrationRow(sys.db, id)).status).toBe('bureau_approval');
  });

  test('When the action does not belong to the step or its payload is missing, then 409 / 400 with the field named', async () => {
    const { taskId } = await submitted();
    expect((await complete(sys, cast.leader, taskId, 'approve')).status).toBe(409);
    const noOpinion = await complete(sys, cast.leader, taskId, 'opinion', { payload: {} });
    expect(noOpinion.status).toBe(400);
    expect(Object.keys(noOpinion.body.errors)).toEqual(['payload.opinion']);
    const unknown = await complete(sys, cast.leader, taskId, 'dance' as never);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.action).toBeDefined();
    expect((await sys.db('tasks').where({ id: taskId }).first()).status).toBe('open');
  });
});

describe('POST /api/tasks/bulk', () => {
  test('When the bureau approves several tasks at once and some cannot be approved, then each id gets its own result and the others go through', async () => {
    const ids = [await throughSigning(sys, cast), await throughSigning(sys, cast), await throughSigning(sys, cast)];
    const tasks = await Promise.all(ids.map((id) => openTaskOf(sys.db, id, 'bureau_approval')));
    const notMine = await submitted();
    const missing = '00000000-0000-4000-8000-000000000000';
    const res = await as(sys, cast.bureau)('POST', '/api/tasks/bulk', { ids: [tasks[0].id, missing, tasks[1].id, notMine.taskId, tasks[2].id], action: 'approve', comment: '同意' });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => [r.id, r.status])).toEqual([
      [tasks[0].id, 200],
      [missing, 404],
      [tasks[1].id, 200],
      [notMine.taskId, 403],
      [tasks[2].id, 200],
    ]);
    expect(res.body).toMatchObject({ succeeded: 3, failed: 2 });
    for (const id of ids) expect((await registrationRow(sys.db, id)).status).toBe('active');
    expect((await sys.db('tasks').where({ id: notMine.taskId }).first()).status).toBe('open');
  });

  test('When a bulk return has no comment, then every item answers 400 and nothing is returned', async () => {
    const id = await throughSigning(sys, cast);
    const task = await openTaskOf(sys.db, id, 'bureau_approval');
    const res = await as(sys, cast.bureau)('POST', '/api/tasks/bulk', { ids: [task.id], action: 'return' });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ ok: false, status: 400 });
    expect((await registrationRow(sys.db, id)).status).toBe('bureau_approval');
  });
});

describe('GET /api/notifications', () => {
  test('When a task is assigned, then the assignee finds it among their own notifications and can mark it read; nobody else can', async () => {
    const c = await createCast(sys.db);
    const { id } = await submitted(c);
    const leader = as(sys, c.leader);
    const list = await leader('GET', `/api/notifications?filter=${encodeURIComponent(JSON.stringify({ registrationId: id }))}`);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({ kind: 'task_assigned', registrationId: id, read: false });
    const { name } = await registrationRow(sys.db, id);
    expect(list.body[0].title).toBe(`待办：牵头学校意见 — ${name} / To do: lead-school opinion`);
    expect(list.headers.get('x-unread-count')).toBe('1');

    const n = list.body[0];
    expect((await as(sys, c.principal)('POST', `/api/notifications/${n.id}/read`)).status).toBe(404);
    const read = await leader('POST', `/api/notifications/${n.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body.read).toBe(true);
    expect((await leader('GET', `/api/notifications?filter=${encodeURIComponent('{"unread":true}')}`)).body).toHaveLength(0);
    expect((await leader('POST', '/api/notifications/read-all')).body).toEqual({ updated: 0 });
  });
});

describe('GET /api/deadline-policies', () => {
  test('When the bureau or an administrator reads the policies, then every step and period is listed; school users get 403', async () => {
    const list = await as(sys, cast.bureau)('GET', '/api/deadline-policies');
    expect(list.status).toBe(200);
    expect(list.body.map((p: any) => p.step).sort()).toEqual([...POLICY_KEYS].sort());
    expect(list.headers.get('content-range')).toBe(`deadline-policies 0-${POLICY_KEYS.length - 1}/${POLICY_KEYS.length}`);
    const one = await as(sys, cast.admin)('GET', '/api/deadline-policies/goal_report');
    expect(one.body).toMatchObject({ step: 'goal_report', escalateToRole: 'bureau_approver' });
    expect((await as(sys, cast.admin)('GET', `/api/deadline-policies/${one.body.id}`)).body.step).toBe('goal_report');
    expect((await as(sys, cast.staff)('GET', '/api/deadline-policies')).status).toBe(403);
    expect((await as(sys, cast.admin)('GET', '/api/deadline-policies/nope')).status).toBe(404);
  });
});
