/**
 * A deadline-policy change is carried to the registrations in flight by a durable workflow: the
 * PUT answers at once with a version and the number to move; the workflow signals them in batches,
 * continues as new with a cursor, and records its progress, which the API shows.
 */
import { randomUUID } from 'node:crypto';
import { insertVersion, reserveVersion } from '../../domain/policies/versions';
import { policyPropagationWorkflowId, propagationProgressQuery, POLICY_PROPAGATION_WORKFLOW_TYPE, type PolicyPropagationProgress } from '../../workflows/policy-propagation';
import { startSystem, type TestSystem } from '../support/harness';
import { as, createCast, draftRegistration, eventually, openTaskOf, submit, type Cast } from './support';

let sys: TestSystem;
let cast: Cast;

beforeAll(async () => {
  // Policies are global: this suite changes them on a database of its own.
  sys = await startSystem({ isolatedDatabase: {} });
  cast = await createCast(sys.db);
});
afterAll(async () => {
  await sys?.close();
});

async function awaitingOpinion(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = await draftRegistration(sys, cast.staff);
    expect((await submit(sys, cast.staff, id)).status).toBe(200);
    ids.push(id);
  }
  return ids;
}

const dueSecondsOf = async (registrationId: string) => {
  const t = await openTaskOf(sys.db, registrationId, 'lead_school_opinion');
  return (new Date(t.dueAt).getTime() - new Date(t.createdAt).getTime()) / 1000;
};

test('When an administrator changes a deadline, then the answer comes at once with the number to move, and the propagation it reports reaches every registration', async () => {
  const ids = await awaitingOpinion(3);

  const put = await as(sys, cast.admin)('PUT', '/api/deadline-policies/lead_school_opinion', { dueSeconds: 7200, remindBeforeSeconds: 600, escalateToRole: 'bureau_approver' });

  expect(put.status).toBe(200);
  expect(put.body).toMatchObject({ step: 'lead_school_opinion', dueSeconds: 7200, registrationsToMove: 3, movedRegistrations: 3 });
  expect(put.body.propagation).toMatchObject({ version: put.body.version, step: 'lead_school_opinion', status: 'propagating', total: 3 });

  const done = await eventually(async () => {
    const res = await as(sys, cast.bureau)('GET', '/api/deadline-policies/propagation');
    const mine = res.body.find((v: any) => v.version === put.body.version);
    return mine?.status === 'done' ? mine : null;
  }, 20_000, 'the propagation to finish');
  expect(done).toMatchObject({ total: 3, moved: 3, skipped: 0, policy: { dueSeconds: 7200, remindBeforeSeconds: 600 } });
  expect(done.finishedAt).not.toBeNull();
  for (const id of ids) await eventually(async () => (await dueSecondsOf(id)) === 7200, 10_000, `the due time of ${id} to move`);
  expect((await as(sys, cast.staff)('GET', '/api/deadline-policies/propagation')).status).toBe(403);
});

test('When a propagation runs in small batches, then it continues as new with its cursor and still signals every registration exactly once', async () => {
  await awaitingOpinion(2);
  const total = Number((await sys.db('tasks').where({ step: 'lead_school_opinion', status: 'open' }).countDistinct({ n: 'registrationId' }).first())?.n);
  expect(total).toBeGreaterThanOrEqual(5);
  await sys.db('deadlinePolicies').where({ step: 'lead_school_opinion' }).update({ dueSeconds: 5400, remindBeforeSeconds: 0 });
  const version = await reserveVersion(sys.db);
  const workflowId = policyPropagationWorkflowId(version, randomUUID().slice(0, 8));
  await insertVersion(sys.db, { version, step: 'lead_school_opinion', policy: { step: 'lead_school_opinion', dueSeconds: 5400, remindBeforeSeconds: 0, escalateToRole: null }, total, workflowId, createdBy: cast.admin.id });

  const handle = await sys.temporal.workflow.start(POLICY_PROPAGATION_WORKFLOW_TYPE, { workflowId, taskQueue: sys.taskQueue, args: [{ version, batchSize: 2, batchesPerRun: 1 }] });
  const result = (await handle.result()) as PolicyPropagationProgress;

  expect(result).toMatchObject({ version, status: 'done', total, moved: total, skipped: 0 });
  // One batch per run: the run that finished is not the one that started.
  expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
  expect(await sys.temporal.workflow.getHandle(workflowId).query(propagationProgressQuery)).toMatchObject({ status: 'done', moved: total });
  expect(await sys.db('policyVersions').where({ id: version }).first()).toMatchObject({ status: 'done', moved: total });
  const openTasks = await sys.db('tasks').where({ step: 'lead_school_opinion', status: 'open' }).select('registrationId', 'createdAt');
  for (const t of openTasks) {
    await eventually(async () => (await dueSecondsOf(t.registrationId)) === 5400, 10_000, `the due time of ${t.registrationId} to move`);
    const movedTo = new Date(new Date(t.createdAt).getTime() + 5400 * 1000).toISOString();
    const events = await sys.db('auditEvents').where({ action: 'task.rescheduled', registrationId: t.registrationId }).whereRaw("details->>'dueAt' = ?", [movedTo]);
    expect(events).toHaveLength(1);
  }
});

test('When the policy change is never committed, then its propagation ends as abandoned and moves nothing', async () => {
  const version = await reserveVersion(sys.db);
  const handle = await sys.temporal.workflow.start(POLICY_PROPAGATION_WORKFLOW_TYPE, { workflowId: policyPropagationWorkflowId(version, randomUUID().slice(0, 8)), taskQueue: sys.taskQueue, args: [{ version }] });
  expect(await handle.result()).toMatchObject({ version, status: 'abandoned', moved: 0 });
});
