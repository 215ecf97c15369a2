/**
 * The inbox tabs: GET /api/tasks?filter={"view": …} — 待办 (todo), 已办 (done), 我发起的 (started) and
 * 抄送我的 (copied, empty until collaboration exists). Each view stays inside the caller's scope.
 */
import type { Actor } from '../../api/middleware/auth';
import { forgetSessionState } from '../../domain/users/sessions';
import { api, currentTokenFor, startSystem, type TestSystem } from '../support/harness';
import { act, as, createCast, draftRegistration, openTaskOf, submit, type Cast } from '../workflow/support';

let sys: TestSystem;
let cast: Cast;
beforeAll(async () => {
  sys = await startSystem();
  cast = await createCast(sys.db);
});
afterAll(() => sys.close());

const q = (filter: Record<string, unknown>) => `/api/tasks?filter=${encodeURIComponent(JSON.stringify(filter))}&range=[0,49]`;
/** Moves a user to a school as the admin screen would (the in-process session cache forgets them), and a token of their new session. */
async function moveTo(actor: Actor, school: { id: number; districtId: number }) {
  await sys.db('users').where({ id: actor.id }).update({ schoolId: school.id, districtId: school.districtId });
  forgetSessionState(actor.id);
  const moved = { ...actor, schoolId: school.id, districtId: school.districtId };
  const token = await currentTokenFor(sys, moved);
  return (method: string, path: string) => api(sys, method, path, { token });
}

const ids = (body: any[]) => body.map((t) => t.id).sort();

async function submitted(c: Cast): Promise<{ id: string; taskId: string }> {
  const id = await draftRegistration(sys, c.staff);
  const res = await submit(sys, c.staff, id);
  if (res.status !== 200) throw new Error(`submit: ${res.status}`);
  return { id, taskId: res.body.process.openTask.taskId };
}

describe('GET /api/tasks?filter={"view":…}', () => {
  test('When the leader gives an opinion, then the task leaves their 待办 for their 已办 and enters the principal\'s 待办; nobody else has it as done', async () => {
    const c = await createCast(sys.db);
    const { id, taskId } = await submitted(c);
    const leader = as(sys, c.leader);
    expect(ids((await leader('GET', q({ view: 'todo' }))).body)).toEqual([taskId]);
    expect((await leader('GET', q({ view: 'done' }))).body).toEqual([]);

    await act(sys, c.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意。' } });
    const signTask = await openTaskOf(sys.db, id, 'principal_signature');

    expect((await leader('GET', q({ view: 'todo' }))).body).toEqual([]);
    const done = await leader('GET', q({ view: 'done' }));
    expect(done.headers.get('content-range')).toBe('tasks 0-0/1');
    expect(done.body[0]).toMatchObject({ id: taskId, status: 'done', outcome: 'opinion', completedBy: c.leader.id });
    expect(ids((await as(sys, c.principal)('GET', q({ view: 'todo' }))).body)).toEqual([signTask.id]);
    // Done means done by the caller: the principal, the bureau and the admin did not complete it.
    expect((await as(sys, c.principal)('GET', q({ view: 'done' }))).body).toEqual([]);
    expect((await as(sys, c.bureau)('GET', q({ view: 'done' }))).body).toEqual([]);
    expect((await as(sys, c.admin)('GET', q({ view: 'done' }))).body).toEqual([]);
  });

  test('When the principal returns a registration, then the drafter\'s 待办 shows it as returned with the reason until it is submitted again; the principal has it as done', async () => {
    const c = await createCast(sys.db);
    const { id } = await submitted(c);
    await act(sys, c.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意。' } });
    await act(sys, c.principal, id, 'principal_signature', 'return', { comment: '请补充成员单位联系人' });
    const staff = as(sys, c.staff);

    const todo = await staff('GET', q({ view: 'todo' }));
    expect(todo.body).toHaveLength(1);
    expect(todo.body[0]).toMatchObject({ registrationId: id, registrationStatus: 'draft', step: 'principal_signature', status: 'done', outcome: 'return', comment: '请补充成员单位联系人' });
    expect(todo.headers.get('content-range')).toBe('tasks 0-0/1');
    expect(ids((await as(sys, c.principal)('GET', q({ view: 'done' }))).body)).toEqual([todo.body[0].id]);

    // Another member of the same school did not draft it: not in their 待办.
    const colleague = await createCast(sys.db);
    expect((await (await moveTo(colleague.staff, c.school))('GET', q({ view: 'todo' }))).body).toEqual([]);

    // Submitted again: the returned item leaves the drafter's 待办 and the new opinion task is the leader's.
    expect((await submit(sys, c.staff, id)).status).toBe(200);
    expect((await staff('GET', q({ view: 'todo' }))).body).toEqual([]);
    const again = await openTaskOf(sys.db, id, 'lead_school_opinion');
    expect(ids((await as(sys, c.leader)('GET', q({ view: 'todo' }))).body)).toEqual([again.id]);
  });

  test('When the drafter lists 我发起的, then each registration they drafted appears once at its latest step; a colleague, another school and a drafter who moved away see none', async () => {
    const c = await createCast(sys.db);
    const first = await submitted(c);
    const second = await submitted(c);
    await act(sys, c.leader, second.id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意。' } });
    const secondNow = await openTaskOf(sys.db, second.id, 'principal_signature');
    await draftRegistration(sys, c.staff); // never submitted: no process started, no row

    const started = await as(sys, c.staff)('GET', q({ view: 'started' }));
    expect(started.status).toBe(200);
    expect(ids(started.body)).toEqual([first.taskId, secondNow.id].sort());
    expect(started.body.find((t: any) => t.registrationId === second.id)).toMatchObject({ step: 'principal_signature', status: 'open' });

    expect((await as(sys, c.leader)('GET', q({ view: 'started' }))).body).toEqual([]);
    const other = await createCast(sys.db);
    expect((await as(sys, other.staff)('GET', q({ view: 'started' }))).body).toEqual([]);
    // Moved to another school: the old school's registrations are out of scope now.
    expect((await (await moveTo(c.staff, other.school))('GET', q({ view: 'started' }))).body).toEqual([]);
    await moveTo(c.staff, c.school);
  });

  test('When 抄送我的 (copied) is asked for, then an empty list comes; an unknown view is refused with 400 naming filter.view', async () => {
    await submitted(cast);
    const copied = await as(sys, cast.leader)('GET', q({ view: 'copied' }));
    expect(copied.status).toBe(200);
    expect(copied.body).toEqual([]);
    expect(copied.headers.get('content-range')).toBe('tasks */0');
    const bad = await as(sys, cast.leader)('GET', q({ view: 'cc' }));
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors)).toEqual(['filter.view']);
  });
});
