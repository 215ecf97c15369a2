import { createCast, eventually, openTaskOf, registrationRow, throughSigning, type Cast } from '../workflow/support';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { BULK_BATCH_SIZE } from '../../workflows/bulk-decision';

let sys: TestSystem;
let cast: Cast;
beforeAll(async () => {
  sys = await startSystem();
  cast = await createCast(sys.db);
});
afterAll(async () => {
  await sys?.close();
});

describe('POST /api/bulk-jobs and GET /api/bulk-jobs/:id', () => {
  test('When the bureau starts a bulk approval and nobody watches it, then the server decides every item, and the job answers per-item results to its owner only', async () => {
    const registrations: string[] = [];
    for (let i = 0; i < 4; i++) registrations.push(await throughSigning(sys, cast));
    const tasks = await Promise.all(registrations.map((id) => openTaskOf(sys.db, id, 'bureau_approval')));
    const unknown = '00000000-0000-4000-8000-000000000000';
    const ids = [...tasks.map((t) => t.id as string), unknown];

    const bureau = tokenFor(sys.config, cast.bureau);
    const started = await api(sys, 'POST', '/api/bulk-jobs', { token: bureau, body: { ids, action: 'approve' } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ total: 5, done: 0, finished: false });
    const jobId = started.body.id as string;

    // Like a closed tab: no request is open while the job runs; the database shows it progressing.
    await eventually(async () => {
      const statuses = await Promise.all(registrations.map(async (id) => (await registrationRow(sys.db, id)).status));
      return statuses.every((s) => s === 'active');
    }, 120_000, 'every registration approved');

    const job = await eventually(async () => {
      const res = await api(sys, 'GET', `/api/bulk-jobs/${jobId}`, { token: bureau });
      return res.status === 200 && res.body.finished ? res.body : null;
    }, 60_000, 'the job to finish');
    expect(job).toMatchObject({ id: jobId, total: 5, done: 5, succeeded: 4, failed: 1, finished: true });
    expect(job.results.map((r: { id: string; ok: boolean; status: number }) => [r.id, r.ok, r.status])).toEqual([
      ...tasks.map((t) => [t.id, true, 200]),
      [unknown, false, 404],
    ]);

    const other = await api(sys, 'GET', `/api/bulk-jobs/${jobId}`, { token: tokenFor(sys.config, cast.leader) });
    expect(other.status).toBe(404);
  });

  test('When a job holds more items than one batch, then every item still gets its own result in the order sent', async () => {
    const first = await throughSigning(sys, cast);
    const last = await throughSigning(sys, cast);
    const [a, b] = await Promise.all([openTaskOf(sys.db, first, 'bureau_approval'), openTaskOf(sys.db, last, 'bureau_approval')]);
    // Unknown ids between them: the job's batches (8 items each) must put each outcome back in its place.
    const unknown = Array.from({ length: 9 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
    const ids = [a.id as string, ...unknown, b.id as string];
    expect(ids.length).toBeGreaterThan(BULK_BATCH_SIZE);

    const bureau = tokenFor(sys.config, cast.bureau);
    const started = await api(sys, 'POST', '/api/bulk-jobs', { token: bureau, body: { ids, action: 'approve' } });
    expect(started.status).toBe(202);
    const job = await eventually(async () => {
      const res = await api(sys, 'GET', `/api/bulk-jobs/${started.body.id}`, { token: bureau });
      return res.status === 200 && res.body.finished ? res.body : null;
    }, 120_000, 'the job to finish');
    expect(job).toMatchObject({ total: ids.length, done: ids.length, succeeded: 2, failed: ids.length - 2 });
    expect(job.results.map((r: { id: string; ok: boolean; status: number }) => [r.id, r.ok, r.status])).toEqual([
      [a.id, true, 200],
      ...unknown.map((id) => [id, false, 404]),
      [b.id, true, 200],
    ]);
    expect((await registrationRow(sys.db, first)).status).toBe('active');
    expect((await registrationRow(sys.db, last)).status).toBe('active');
  });

  test('When the body is not understood, then 400 names the field and no job starts', async () => {
    const bureau = tokenFor(sys.config, cast.bureau);
    const res = await api(sys, 'POST', '/api/bulk-jobs', { token: bureau, body: { ids: ['nope'], action: 'approve' } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors ?? {}).join(' ')).toMatch(/ids/);
    const tooMany = await api(sys, 'POST', '/api/bulk-jobs', { token: bureau, body: { ids: Array.from({ length: 1001 }, () => '00000000-0000-4000-8000-000000000000'), action: 'approve' } });
    expect(tooMany.status).toBe(400);
    const staff = await api(sys, 'POST', '/api/bulk-jobs', { token: tokenFor(sys.config, cast.admin), body: { ids: ['00000000-0000-4000-8000-000000000000'], action: 'approve' } });
    expect(staff.status).toBe(403);
  });
});
