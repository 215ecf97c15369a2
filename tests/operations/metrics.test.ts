/**
 * GET /metrics: what Prometheus scrapes from the API, and who may read it.
 */
import { parse as parseProm } from './prometheus-text';
import { startSystem, type TestSystem } from '../support/harness';
import { act, as, createCast, draftRegistration, submit, type Cast } from '../workflow/support';

let sys: TestSystem;
let cast: Cast;
beforeAll(async () => {
  sys = await startSystem();
  cast = await createCast(sys.db);
});
afterAll(() => sys.close());

const scrape = async (s: Pick<TestSystem, 'baseUrl'>, headers: Record<string, string> = {}) => {
  const res = await fetch(`${s.baseUrl}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

describe('GET /metrics', () => {
  test('When a leader gives an opinion, then the decision is counted by step and outcome and the request is timed under its route pattern', async () => {
    const before = parseProm((await scrape(sys)).text);
    const id = await draftRegistration(sys, cast.staff);
    expect((await submit(sys, cast.staff, id)).status).toBe(200);
    await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意牵头' } });

    const res = await scrape(sys);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = parseProm(res.text);
    const opinions = (m: typeof after) => m.value('jlt_decisions_total', { step: 'lead_school_opinion', outcome: 'opinion' }) ?? 0;
    expect(opinions(after) - opinions(before)).toBe(1);
    // The pattern, never the raw path with its id.
    expect(after.value('jlt_http_request_duration_seconds_count', { method: 'POST', route: '/api/tasks/:id/complete', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(res.text).not.toContain(id);
    // The registration now waits for its principal: an open signing task is in the inbox gauge.
    expect(after.value('jlt_inbox_open_tasks', { step: 'principal_signature', assignee_role: 'principal' })).toBeGreaterThanOrEqual(1);
  });

  test('When a route handler fails, then the request is still labelled with its route pattern; a request no route matches is "unmatched"', async () => {
    const missing = await as(sys, cast.admin)('GET', '/api/tasks/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    await fetch(`${sys.baseUrl}/api/no-such-thing/42`);
    const m = parseProm((await scrape(sys)).text);
    expect(m.value('jlt_http_request_duration_seconds_count', { method: 'GET', route: '/api/tasks/:id', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(m.samples('jlt_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched' }).length).toBeGreaterThanOrEqual(1);
    expect(m.samples('jlt_http_request_duration_seconds_count').some((s) => s.labels.route.includes('no-such-thing'))).toBe(false);
  });

  test('When the outbox is empty, then its figures are zero; when it holds pending and failed messages, then they are counted', async () => {
    const other = await startSystem({ worker: false, isolatedDatabase: {} });
    try {
      const empty = parseProm((await scrape(other)).text);
      expect(empty.value('jlt_outbox_messages', { status: 'pending' })).toBe(0);
      expect(empty.value('jlt_outbox_messages', { status: 'failed' })).toBe(0);
      const mail = { kind: 'email', payload: { to: 'a@example.org' } };
      await other.db('outbox').insert([{ ...mail, status: 'pending' }, { ...mail, status: 'pending' }, { ...mail, status: 'failed' }, { ...mail, status: 'sent' }]);
      const m = parseProm((await scrape(other)).text);
      expect(m.value('jlt_outbox_messages', { status: 'pending' })).toBe(2);
      expect(m.value('jlt_outbox_messages', { status: 'failed' })).toBe(1);
    } finally {
      await other.close();
    }
  });
});

describe('Who may read /metrics', () => {
  test('When no token is configured, then a direct loopback request reads it and a proxied one is refused', async () => {
    expect((await scrape(sys)).status).toBe(200);
    const proxied = await scrape(sys, { 'x-forwarded-for': '203.0.113.9' });
    expect(proxied.status).toBe(403);
    expect(proxied.text).not.toContain('jlt_');
  });

  test('When METRICS_TOKEN is set, then only its bearer reads the metrics', async () => {
    const token = 'metrics-token-for-tests-0123456789';
    const guarded = await startSystem({ worker: false, env: { METRICS_TOKEN: token } });
    try {
      expect((await scrape(guarded)).status).toBe(401);
      expect((await scrape(guarded, { authorization: 'Bearer not-the-token-at-all-000000000' })).status).toBe(401);
      const ok = await scrape(guarded, { authorization: `Bearer ${token}` });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('jlt_http_request_duration_seconds');
    } finally {
      await guarded.close();
    }
  });
});
