/**
 * The whole signing path on real parts: submit, lead-school opinion, the principal signs in the
 * inbox, then the drafter edits the signed registration while it waits for the bureau.
 */
import { giveDemoStamps } from '../../domain/signing/demo-stamp';
import { createSchoolWithStaff, validRegistrationBody } from '../support/fixtures';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { dataUrlOf, signaturePng } from './support';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.close();
});

async function until<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const openTask = (registrationId: string, step: string) =>
  until(`an open ${step} task`, () => sys.db('tasks').where({ registrationId, step, status: 'open' }).first());

/** A registration of a new school, submitted, with the lead school's opinion given and signed by the principal. */
async function signedThroughTheInbox() {
  const people = await createSchoolWithStaff(sys.db);
  await giveDemoStamps(sys.db, [people.school.id]);
  const staffToken = tokenFor(sys.config, people.staff);
  const created = await api(sys, 'POST', '/api/registrations', { token: staffToken, body: validRegistrationBody() });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await api(sys, 'POST', `/api/registrations/${id}/submit`, { token: staffToken })).status).toBe(200);

  const opinionTask = await openTask(id, 'lead_school_opinion');
  const opinion = await api(sys, 'POST', `/api/tasks/${opinionTask.id}/complete`, {
    token: tokenFor(sys.config, people.leader),
    body: { action: 'opinion', payload: { opinion: '同意组建，牵头学校统筹推进。' } },
  });
  expect(opinion.status).toBe(200);

  const signTask = await openTask(id, 'principal_signature');
  const sign = await api(sys, 'POST', `/api/tasks/${signTask.id}/complete`, {
    token: tokenFor(sys.config, people.principal),
    body: { action: 'sign', payload: { signatureImage: dataUrlOf(signaturePng()) } },
  });
  expect(sign.status).toBe(200);
  await openTask(id, 'bureau_approval');
  const registration = await until('the signature on the registration', () =>
    sys.db('registrations').where({ id }).whereNotNull('signatureId').first(),
  );
  return { ...people, id, staffToken, signTask, signatureId: registration.signatureId as string };
}

describe('POST /api/tasks/:id/complete with action sign', () => {
  test('When the school has no stamp, then signing answers 409, stores no image and the task stays open', async () => {
    const people = await createSchoolWithStaff(sys.db);
    const staffToken = tokenFor(sys.config, people.staff);
    const created = await api(sys, 'POST', '/api/registrations', { token: staffToken, body: validRegistrationBody() });
    await api(sys, 'POST', `/api/registrations/${created.body.id}/submit`, { token: staffToken });
    const opinionTask = await openTask(created.body.id, 'lead_school_opinion');
    await api(sys, 'POST', `/api/tasks/${opinionTask.id}/complete`, { token: tokenFor(sys.config, people.leader), body: { action: 'opinion', payload: { opinion: '同意。' } } });
    const signTask = await openTask(created.body.id, 'principal_signature');

    const sign = await api(sys, 'POST', `/api/tasks/${signTask.id}/complete`, {
      token: tokenFor(sys.config, people.principal),
      body: { action: 'sign', payload: { signatureImage: dataUrlOf(signaturePng()) } },
    });

    expect(sign.status).toBe(409);
    expect(sign.body.message).toContain('公章');
    expect(await sys.db('files').where({ uploadedBy: people.principal.id }).count({ n: '*' }).first()).toEqual({ n: '0' });
    expect((await sys.db('tasks').where({ id: signTask.id }).first()).status).toBe('open');
  });
});

describe('PUT /api/registrations/:id after signing', () => {
  test('When the drafter edits signed content awaiting the bureau, then the signature is void, the verdict is content_changed, and the registration is back at signing with a new task', async () => {
    const s = await signedThroughTheInbox();
    const principalToken = tokenFor(sys.config, s.principal);
    expect((await api(sys, 'GET', `/api/registrations/${s.id}/signature`, { token: principalToken })).body.verdict).toBe('valid');

    const current = (await api(sys, 'GET', `/api/registrations/${s.id}`, { token: s.staffToken })).body;
    const edit = await api(sys, 'PUT', `/api/registrations/${s.id}`, {
      token: s.staffToken,
      body: { ...current, introduction: `${current.introduction}（签名后补充：新增社区图书角。）` },
    });

    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ status: 'principal_signature', signatureId: null });
    const voided = await sys.db('signatures').where({ id: s.signatureId }).first();
    expect(voided.voidedAt).not.toBeNull();
    expect(voided.voidReason).toContain('重新签署');

    const verdict = await api(sys, 'GET', `/api/registrations/${s.id}/signature`, { token: principalToken });
    expect(verdict.body.verdict).toBe('content_changed');
    expect(verdict.body.record).toMatchObject({ id: s.signatureId, current: false });

    // The workflow cancels the bureau's task and opens a new signing task in the next round.
    const again = await until('a new signing task', () =>
      sys.db('tasks').where({ registrationId: s.id, step: 'principal_signature', status: 'open' }).whereNot({ id: s.signTask.id }).first(),
    );
    expect(again.round).toBeGreaterThan(s.signTask.round);
    expect(await sys.db('tasks').where({ registrationId: s.id, step: 'bureau_approval' }).pluck('status')).toEqual(['cancelled']);
    expect(await sys.db('auditEvents').where({ registrationId: s.id, action: 'signature.voided' }).count({ n: '*' }).first()).toEqual({ n: '1' });

    // Signing again makes a fresh, valid signature over the edited content.
    const resign = await api(sys, 'POST', `/api/tasks/${again.id}/complete`, {
      token: principalToken,
      body: { action: 'sign', payload: { signatureImage: dataUrlOf(signaturePng(300, 100, 'M10,50 L290,50')) } },
    });
    expect(resign.status).toBe(200);
    await until('the new signature', () => sys.db('registrations').where({ id: s.id }).whereNotNull('signatureId').whereNot({ signatureId: s.signatureId }).first());
    const fresh = await api(sys, 'GET', `/api/registrations/${s.id}/signature`, { token: principalToken });
    expect(fresh.body.verdict).toBe('valid');
    expect(fresh.body.record.id).not.toBe(s.signatureId);
  });

  test('When the drafter saves without changing what was signed, then the signature stands', async () => {
    const s = await signedThroughTheInbox();
    const current = (await api(sys, 'GET', `/api/registrations/${s.id}`, { token: s.staffToken })).body;

    const save = await api(sys, 'PUT', `/api/registrations/${s.id}`, { token: s.staffToken, body: current });

    expect(save.status).toBe(200);
    expect(save.body).toMatchObject({ status: 'bureau_approval', signatureId: s.signatureId });
    expect((await api(sys, 'GET', `/api/registrations/${s.id}/signature`, { token: s.staffToken })).body.verdict).toBe('valid');
  });

  test('When a version other than the current one is sent, then nothing changes and the signature stands', async () => {
    const s = await signedThroughTheInbox();
    const current = (await api(sys, 'GET', `/api/registrations/${s.id}`, { token: s.staffToken })).body;

    const stale = await api(sys, 'PUT', `/api/registrations/${s.id}`, { token: s.staffToken, body: { ...current, version: current.version + 1, introduction: '改动' } });

    expect(stale.status).toBe(409);
    expect((await sys.db('signatures').where({ id: s.signatureId }).first()).voidedAt).toBeNull();
    expect((await sys.db('registrations').where({ id: s.id }).first()).status).toBe('bureau_approval');
  });
});
