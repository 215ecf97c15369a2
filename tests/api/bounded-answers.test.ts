/**
 * Bounded answers when parts are down: Temporal unreachable → 503 in bounded time with nothing
 * written; no worker → 202 "processing" after the call's deadline, applied once a worker returns; stale idempotency claims
 * expire; a hostile nested body is a 400.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256, stableStringify } from '../../domain/audit';
import { updateIdOf } from '../../api/usecases/idempotency';
import { WORKFLOW_CALL_DEADLINE_MS, workflowActorOf } from '../../api/usecases/workflow-calls';
import { completeTaskUpdate, registrationWorkflowId } from '../../workflows/shared';
import type { Actor } from '../../api/middleware/auth';
import { startTemporalDevServer, type TemporalDevServer } from '../../platform/dev-services';
import { startSystem, type TestSystem } from '../support/harness';
import { act, as, auditActions, complete, createCast, draftRegistration, eventually, openTaskOf, registrationRow, signaturePayload, submit, throughSigning } from '../workflow/support';

const CHINESE = /[\u4e00-\u9fff]/;

describe('when the Temporal server is unreachable', () => {
  let temporal: TemporalDevServer;
  let sys: TestSystem;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jlt-temporal-down-'));
  const dbFile = path.join(dir, 'temporal.db');
  let port: number;
  let abandonedCallAt = 0;

  beforeAll(async () => {
    // A Temporal server of this test's own (persistent), so stopping it disturbs no other suite.
    temporal = await startTemporalDevServer({ dbFile, headless: true, log: () => undefined });
    port = Number(temporal.address.split(':')[1]);
    sys = await startSystem({ temporalAddress: temporal.address });
  });
  afterAll(async () => {
    // The SDK's gRPC retry timers of the call abandoned during the outage run until that call's
    // deadline plus one backoff (at most 5 s); its connection must outlive them.
    const retriesOver = abandonedCallAt + WORKFLOW_CALL_DEADLINE_MS + 5_000;
    if (Date.now() < retriesOver) await new Promise((r) => setTimeout(r, retriesOver - Date.now()));
    await sys?.close();
    await temporal?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // The client retries with the same Idempotency-Key, as a client of a decision should. The call the API
  // abandoned during the outage may still be delivered by the SDK's retry once Temporal is back; it carries
  // the key's Update id, so the workflow applies the approval once and the retry is answered its result.
  test('When Temporal is down, then an approval answers 503 with a bilingual message within about 10 s and changes nothing; back up, the same approval with the same key succeeds once', async () => {
    const cast = await createCast(sys.db);
    const id = await throughSigning(sys, cast);
    const task = await openTaskOf(sys.db, id, 'bureau_approval');
    const key = { 'Idempotency-Key': `approve-${task.id}` };
    // The worker sits the outage out (its pollers would only log connection errors meanwhile).
    await sys.stopWorker();
    await temporal.stop();

    const started = (abandonedCallAt = Date.now());
    const res = await complete(sys, cast.bureau, task.id, 'approve', {}, key);
    const elapsed = Date.now() - started;

    expect(res.status).toBe(503);
    expect(res.body.message).toMatch(CHINESE);
    expect(res.body.message).toMatch(/unavailable/i);
    expect(elapsed).toBeLessThan(12_000);
    expect(await openTaskOf(sys.db, id, 'bureau_approval')).toMatchObject({ id: task.id, status: 'open' });
    expect((await registrationRow(sys.db, id)).status).toBe('bureau_approval');
    expect(await auditActions(sys.db, id)).not.toContain('registration.approved');
    // A failure of ours is no answer to keep: the key stays free for the retry.
    expect(await sys.db('idempotencyKeys').where({ userId: cast.bureau.id, key: key['Idempotency-Key'] }).first()).toBeUndefined();

    temporal = await startTemporalDevServer({ dbFile, port, headless: true, log: () => undefined });
    // The server opens its port before its frontend is healthy ("Frontend is not healthy yet"): the worker connects once it is.
    await eventually(
      () =>
        sys.restartWorker().then(
          () => true,
          () => null,
        ),
      60_000,
      'the worker to connect to the restarted server',
    );
    const again = await eventually(async () => {
      const r = await complete(sys, cast.bureau, task.id, 'approve', {}, key);
      return r.status === 503 || r.status === 202 ? null : r;
    }, 60_000, 'Temporal to answer again');
    expect({ status: again.status, body: again.body }).toMatchObject({ status: 200, body: { id: task.id, status: 'done', result: { action: 'approve', status: 'active' } } });
    expect((await registrationRow(sys.db, id)).status).toBe('active');
    expect((await auditActions(sys.db, id)).filter((a) => a === 'registration.approved')).toHaveLength(1);
  });
});

describe('when no worker is running', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    await sys?.close();
  });

  test('When the worker is stopped, then a decision answers 202 "processing" within seconds, and it is applied exactly once when a worker returns', async () => {
    const cast = await createCast(sys.db);
    const id = await draftRegistration(sys, cast.staff);
    expect((await submit(sys, cast.staff, id)).status).toBe(200);
    const task = await openTaskOf(sys.db, id, 'lead_school_opinion');
    await sys.stopWorker();

    const started = Date.now();
    const res = await complete(sys, cast.leader, task.id, 'opinion', { payload: { opinion: '同意组建。' } });

    expect(Date.now() - started).toBeLessThan(20_000);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: task.id, status: 'open', processing: true, result: null });
    expect(res.body.message).toMatch(CHINESE);
    expect((await registrationRow(sys.db, id)).status).toBe('lead_school_opinion');

    await sys.restartWorker();
    await eventually(async () => (await registrationRow(sys.db, id)).status === 'principal_signature', 30_000, 'the opinion to be applied');
    expect((await sys.db('tasks').where({ id: task.id }).first()).status).toBe('done');
    expect((await auditActions(sys.db, id)).filter((a) => a === 'registration.lead_school_opinion_given')).toHaveLength(1);
  });
});

describe('Idempotency-Key edge cases', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    await sys?.close();
  });

  test('When a key was claimed by a request that died long ago, then a repeat takes the claim over and acts', async () => {
    const cast = await createCast(sys.db);
    const id = await draftRegistration(sys, cast.staff);
    const url = `/api/registrations/${id}/submit`;
    // The claim a crashed request leaves behind: no answer, ten minutes old.
    const requestHash = sha256(stableStringify({ method: 'POST', path: url, body: {} }));
    await sys.db('idempotencyKeys').insert({ key: 'stale-claim', userId: cast.staff.id, requestHash, createdAt: new Date(Date.now() - 10 * 60_000) });

    const started = Date.now();
    const res = await as(sys, cast.staff)('POST', url, {}, { 'Idempotency-Key': 'stale-claim' });

    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect((await registrationRow(sys.db, id)).status).toBe('lead_school_opinion');
    expect(await sys.db('idempotencyKeys').where({ key: 'stale-claim', userId: cast.staff.id }).first()).toMatchObject({ statusCode: 200 });
  });

  /**
   * What the API does before it crashes between the Update and its answer: the decision reaches the
   * workflow under the key's Update id, and no answer is stored for the key.
   */
  async function decideThenCrash(actor: Actor, taskId: string, body: { action: string; payload?: Record<string, unknown> }, key: string) {
    const registrationId = (await sys.db('tasks').where({ id: taskId }).first()).registrationId;
    const updateId = updateIdOf('complete', { userId: actor.id, key, method: 'POST', path: `/api/tasks/${taskId}/complete`, body });
    return sys.temporal.workflow.getHandle(registrationWorkflowId(registrationId)).executeUpdate(completeTaskUpdate, {
      args: [{ taskId, action: body.action as 'approve', comment: null, payload: body.payload ?? {}, actor: workflowActorOf(actor) }],
      updateId,
    });
  }

  test('When the API failed after the workflow applied an approval, then the retry with the same key answers 200 with the same result and the registration is approved once', async () => {
    const cast = await createCast(sys.db);
    const id = await throughSigning(sys, cast);
    const task = await openTaskOf(sys.db, id, 'bureau_approval');
    const workflow = sys.temporal.workflow.getHandle(registrationWorkflowId(id));
    const runBefore = (await workflow.describe()).runId;
    const first = await decideThenCrash(cast.bureau, task.id, { action: 'approve' }, 'approve-once');
    // The approval continues the workflow as new: the retry meets a run that never saw that Update.
    await eventually(async () => (await workflow.describe()).runId !== runBefore, 30_000, 'the workflow to continue as new');

    const retry = await complete(sys, cast.bureau, task.id, 'approve', {}, { 'Idempotency-Key': 'approve-once' });

    expect({ status: retry.status, body: retry.body }).toMatchObject({ status: 200, body: { id: task.id, status: 'done', result: first } });
    expect((await auditActions(sys.db, id)).filter((a) => a === 'registration.approved')).toHaveLength(1);
    // Another request on the decided task is still refused.
    expect((await complete(sys, cast.bureau, task.id, 'approve', {}, { 'Idempotency-Key': 'approve-again' })).status).toBe(409);
    // The key now holds its answer: another request with it is refused as a reuse.
    expect((await complete(sys, cast.bureau, task.id, 'reject', { comment: '不同意' }, { 'Idempotency-Key': 'approve-once' })).status).toBe(422);
  });

  test('When the API failed after the workflow applied an opinion, then the retry with the same key answers 200 with the same result and the opinion is given once', async () => {
    const cast = await createCast(sys.db);
    const id = await draftRegistration(sys, cast.staff);
    expect((await submit(sys, cast.staff, id)).status).toBe(200);
    const task = await openTaskOf(sys.db, id, 'lead_school_opinion');
    const body = { action: 'opinion', payload: { opinion: '同意组建。' } };
    const first = await decideThenCrash(cast.leader, task.id, body, 'opinion-once');

    const retry = await complete(sys, cast.leader, task.id, 'opinion', { payload: body.payload }, { 'Idempotency-Key': 'opinion-once' });

    expect({ status: retry.status, body: retry.body }).toMatchObject({ status: 200, body: { id: task.id, status: 'done', result: first } });
    expect((await auditActions(sys.db, id)).filter((a) => a === 'registration.lead_school_opinion_given')).toHaveLength(1);
    expect((await registrationRow(sys.db, id)).status).toBe('principal_signature');
    await act(sys, cast.principal, id, 'principal_signature', 'sign', { payload: signaturePayload() });
  });

  test('When a 10,000-level nested body comes with an Idempotency-Key, then it is refused with a 400 and nothing is claimed', async () => {
    const cast = await createCast(sys.db);
    const id = await draftRegistration(sys, cast.staff);
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;

    const res = await as(sys, cast.staff)('POST', `/api/registrations/${id}/submit`, deep, { 'Idempotency-Key': 'deep-body' });

    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(CHINESE);
    expect(await sys.db('idempotencyKeys').where({ key: 'deep-body' }).first()).toBeUndefined();
    expect((await registrationRow(sys.db, id)).status).toBe('draft');
  });
});
