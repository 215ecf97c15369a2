import { api, startSystem, type TestSystem } from '../support/harness';

describe('GET /healthz and /readyz', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem({ worker: false });
  });
  afterAll(() => sys.close());

  test('When the process is up, then /healthz answers ok', async () => {
    const res = await api(sys, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  test('When Postgres and Temporal are reachable and migrations current, then /readyz answers 200', async () => {
    const res = await api(sys, 'GET', '/readyz');
    expect(res.body.checks).toEqual({ postgres: true, migrations: true, temporal: true });
    expect(res.status).toBe(200);
  });

  test('When an unknown API path is asked for, then it answers a bilingual 404', async () => {
    const res = await api(sys, 'GET', '/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/不存在.*not found/);
  });
});
