/**
 * GET /api/operations: what an administrator's operator page reads — health, registrations stuck
 * past their policy, failing activities with their last error, the outbox — each with its links.
 */
import { startSystem, type TestSystem } from '../support/harness';
import { as, createCast, draftRegistration, eventually, submit, type Cast } from '../workflow/support';
import { INJECTED_FAULT, registrationWithFailingActivity } from './support';

const UI = 'http://temporal-ui.example:8080';
let sys: TestSystem;
let cast: Cast;
beforeAll(async () => {
  sys = await startSystem({ env: { TEMPORAL_UI_URL: UI } });
  cast = await createCast(sys.db);
});
afterAll(() => sys.close());

const view = async () => {
  const res = await as(sys, cast.admin)('GET', '/api/operations');
  expect(res.status).toBe(200);
  return res.body;
};

describe('GET /api/operations', () => {
  test('When everything runs, then Postgres, Temporal and the workers (polling this task queue) are healthy', async () => {
    const body = await eventually(async () => {
      const b = await view();
      return b.health.workers.ok ? b : null;
    }, 30_000, 'workers polling');
    expect(body.health.postgres).toMatchObject({ ok: true });
    expect(body.health.temporal).toEqual({ ok: true });
    expect(body.health.workers.taskQueue).toBe(sys.taskQueue);
    expect(body.health.workers.workflowPollers.length).toBeGreaterThanOrEqual(1);
    expect(body.health.workers.activityPollers.length).toBeGreaterThanOrEqual(1);
    expect(body.temporalUiUrl).toBe(UI);
  });

  test('When a registration\'s activity keeps failing, then it is listed with its attempt, its last error and links to the registration\'s workflow', async () => {
    const failing = await registrationWithFailingActivity(sys, cast.staff);
    try {
      const body = await view();
      const item = body.failingActivities.find((a: any) => a.registrationId === failing.id);
      expect(item).toMatchObject({
        workflowId: `registration-${failing.id}`,
        activityType: 'openStepTasks',
        registrationName: expect.any(String),
      });
      expect(item.attempt).toBeGreaterThanOrEqual(2);
      expect(item.lastError).toContain(INJECTED_FAULT);
      expect(item.links.temporal).toBe(`${UI}/namespaces/default/workflows/registration-${failing.id}`);
    } finally {
      await failing.clear();
    }
    // Once the fault is gone the retry succeeds and the item leaves the list.
    await eventually(async () => !(await view()).failingActivities.some((a: any) => a.registrationId === failing.id), 90_000, 'the retry succeeding');
  }, 150_000);

  test('When a task waits past its due time, then its registration is listed as stuck in that step, with how long it is overdue', async () => {
    const id = await draftRegistration(sys, cast.staff);
    expect((await submit(sys, cast.staff, id)).status).toBe(200);
    const fresh = await view();
    expect(fresh.stuck.some((s: any) => s.registrationId === id)).toBe(false);

    // As if the policy's time had passed (the test cannot wait days).
    await sys.db('tasks').where({ registrationId: id, status: 'open' }).update({ dueAt: new Date(Date.now() - 2 * 3600_000) });
    const item = (await view()).stuck.find((s: any) => s.registrationId === id);
    expect(item).toMatchObject({ step: 'lead_school_opinion', schoolName: cast.school.name, links: { temporal: `${UI}/namespaces/default/workflows/registration-${id}` } });
    expect(item.overdueSeconds).toBeGreaterThanOrEqual(2 * 3600 - 5);
  });

  test('When the outbox holds waiting and failed messages, then its backlog, oldest waiting message and last error are shown', async () => {
    const other = await startSystem({ worker: false, isolatedDatabase: {} });
    try {
      await other.db('outbox').insert([
        { kind: 'email', payload: {}, status: 'pending', createdAt: new Date('2026-01-02T03:04:05Z') },
        { kind: 'email', payload: {}, status: 'pending' },
        { kind: 'email', payload: {}, status: 'failed', attempts: 8, lastError: 'SMTP 550 mailbox unavailable' },
        { kind: 'email', payload: {}, status: 'sent', sentAt: new Date() },
      ]);
      const admin = (await createCast(other.db)).admin;
      const res = await as(other, admin)('GET', '/api/operations');
      expect(res.body.outbox).toEqual({ configured: true, pending: 2, failed: 1, oldestPendingAt: '2026-01-02T03:04:05.000Z', lastError: 'SMTP 550 mailbox unavailable' });
    } finally {
      await other.close();
    }
  });
});
