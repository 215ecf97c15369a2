/**
 * POST /api/tasks/:id/complete refuses a payload of the wrong shape with a 400 naming each bad field
 * in Chinese and English (the shapes of domain/process/payloads.ts, which the workflow checks too),
 * and a refused request changes nothing.
 */
import { startSystem, type TestSystem } from '../support/harness';
import { complete, createCast, draftRegistration, openTaskOf, registrationRow, submit, throughSigning, type Cast } from '../workflow/support';

const BILINGUAL = /[\u4e00-\u9fff].* \/ [A-Za-z]/;

let sys: TestSystem;
let cast: Cast;
beforeAll(async () => {
  sys = await startSystem();
  cast = await createCast(sys.db);
});
afterAll(() => sys?.close());

async function expectFieldRefusal(res: { status: number; body: any }, field: string) {
  expect({ status: res.status, fields: Object.keys(res.body.errors ?? {}) }).toEqual({ status: 400, fields: expect.arrayContaining([field]) });
  expect(res.body.message).toMatch(BILINGUAL);
  expect(res.body.errors[field]).toMatch(BILINGUAL);
}

test('When a lead-school opinion is empty, not text or too long, then the API answers 400 on payload.opinion in Chinese and English, and the task stays open', async () => {
  const id = await draftRegistration(sys, cast.staff);
  expect((await submit(sys, cast.staff, id)).status).toBe(200);
  const task = await openTaskOf(sys.db, id, 'lead_school_opinion');

  for (const opinion of ['   ', 5, '长'.repeat(2001), undefined]) {
    await expectFieldRefusal(await complete(sys, cast.leader, task.id, 'opinion', { payload: { opinion } as Record<string, unknown> }), 'payload.opinion');
  }

  expect(await openTaskOf(sys.db, id, 'lead_school_opinion')).toMatchObject({ id: task.id, status: 'open' });
  expect((await registrationRow(sys.db, id)).status).toBe('lead_school_opinion');
});

test('When a return names a step that does not exist, or no step at all, then the API answers 400 on payload.toStep, and nothing changes', async () => {
  const id = await throughSigning(sys, cast);
  const task = await openTaskOf(sys.db, id, 'bureau_approval');
  const filesBefore = await sys.db('files').count({ n: '*' }).first();

  await expectFieldRefusal(await complete(sys, cast.bureau, task.id, 'return', { comment: '退回', payload: { toStep: 'nowhere' } }), 'payload.toStep');
  await expectFieldRefusal(await complete(sys, cast.bureau, task.id, 'return', { comment: '退回', payload: { toStep: 7 } }), 'payload.toStep');

  expect(await openTaskOf(sys.db, id, 'bureau_approval')).toMatchObject({ id: task.id, status: 'open' });
  expect((await registrationRow(sys.db, id)).status).toBe('bureau_approval');
  expect(await sys.db('files').count({ n: '*' }).first()).toEqual(filesBefore);
});

test('When a principal signs without drawing, then the API answers 400 on payload.signatureImage, and no file is stored', async () => {
  const id = await draftRegistration(sys, cast.staff);
  expect((await submit(sys, cast.staff, id)).status).toBe(200);
  const opinionTask = await openTaskOf(sys.db, id, 'lead_school_opinion');
  expect((await complete(sys, cast.leader, opinionTask.id, 'opinion', { payload: { opinion: '同意' } })).status).toBe(200);
  const task = await openTaskOf(sys.db, id, 'principal_signature');
  const filesBefore = await sys.db('files').count({ n: '*' }).first();

  await expectFieldRefusal(await complete(sys, cast.principal, task.id, 'sign', { payload: {} }), 'payload.signatureImage');
  await expectFieldRefusal(await complete(sys, cast.principal, task.id, 'sign', { payload: { signatureImage: '' } }), 'payload.signatureImage');

  expect(await openTaskOf(sys.db, id, 'principal_signature')).toMatchObject({ id: task.id, status: 'open' });
  expect(await sys.db('files').count({ n: '*' }).first()).toEqual(filesBefore);
});
