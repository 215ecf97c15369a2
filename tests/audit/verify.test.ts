import { appendAuditEvent } from '../../domain/audit';
import { createSchoolWithStaff, createUser } from '../support/fixtures';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { draftRegistration } from '../workflow/support';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startSystem({ worker: false });
});
afterAll(async () => {
  await sys?.close();
});

describe('GET /api/audit-events/verify', () => {
  test('When one audit row is edited in the database, then the chain check names that row; restored, the chain is whole again', async () => {
    const admin = await createUser(sys.db, { roles: ['admin'] });
    const token = tokenFor(sys.config, admin);
    const events = [];
    for (let i = 0; i < 3; i++) {
      events.push(await appendAuditEvent(sys.db, { action: 'test.event', actorId: admin.id, actorName: admin.name, details: { i } }));
    }
    const intact = await api(sys, 'GET', '/api/audit-events/verify', { token });
    expect(intact.status).toBe(200);
    expect(intact.body).toMatchObject({ ok: true, firstBrokenId: null });
    expect(intact.body.checked).toBeGreaterThanOrEqual(3);

    const victim = events[1];
    const original = await sys.db('auditEvents').where({ id: victim.id }).first('details');
    await sys.db('auditEvents').where({ id: victim.id }).update({ details: JSON.stringify({ i: 1, note: 'rewritten' }) });
    try {
      const broken = await api(sys, 'GET', '/api/audit-events/verify', { token });

      expect(broken.body).toMatchObject({ ok: false, firstBrokenId: String(victim.id), reason: 'hash' });
      expect(broken.body.firstBroken).toMatchObject({ id: String(victim.id), action: 'test.event', actorId: admin.id });
      expect(broken.body.message).toContain(`#${victim.id}`);
    } finally {
      // Other suites in this run may check the chain too.
      await sys.db('auditEvents').where({ id: victim.id }).update({ details: JSON.stringify(original.details) });
    }
    expect((await api(sys, 'GET', '/api/audit-events/verify', { token })).body.ok).toBe(true);
  });

  test('When a row’s stored hash is overwritten, then that row is named (its successor’s link would break too)', async () => {
    const admin = await createUser(sys.db, { roles: ['admin'] });
    const token = tokenFor(sys.config, admin);
    const a = await appendAuditEvent(sys.db, { action: 'test.event', actorId: admin.id, details: { step: 'a' } });
    await appendAuditEvent(sys.db, { action: 'test.event', actorId: admin.id, details: { step: 'b' } });
    const original = await sys.db('auditEvents').where({ id: a.id }).first('hash');
    await sys.db('auditEvents').where({ id: a.id }).update({ hash: 'f'.repeat(64) });
    try {
      const res = await api(sys, 'GET', '/api/audit-events/verify', { token });
      expect(res.body).toMatchObject({ ok: false, firstBrokenId: String(a.id) });
    } finally {
      await sys.db('auditEvents').where({ id: a.id }).update({ hash: original.hash });
    }
  });

  test('When the check runs, then the check itself is recorded in the audit log', async () => {
    const bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: (await createSchoolWithStaff(sys.db)).school.districtId });
    const res = await api(sys, 'GET', '/api/audit-events/verify', { token: tokenFor(sys.config, bureau) });

    expect(res.status).toBe(200);
    const recorded = await sys.db('auditEvents').where({ action: 'audit.chain_verified', actorId: bureau.id }).first();
    expect(recorded.details).toMatchObject({ ok: res.body.ok, checked: res.body.checked });
  });

  test('When events of two registrations interleave, then each links to its own registration’s previous event, and a deleted event is named by its successor', async () => {
    const admin = await createUser(sys.db, { roles: ['admin'] });
    const token = tokenFor(sys.config, admin);
    const { staff } = await createSchoolWithStaff(sys.db);
    const [a, b] = [await draftRegistration(sys, staff), await draftRegistration(sys, staff)];
    const a1 = await appendAuditEvent(sys.db, { action: 'test.event', registrationId: a, details: { n: 1 } });
    const b1 = await appendAuditEvent(sys.db, { action: 'test.event', registrationId: b, details: { n: 1 } });
    const a2 = await appendAuditEvent(sys.db, { action: 'test.event', registrationId: a, details: { n: 2 } });
    const a3 = await appendAuditEvent(sys.db, { action: 'test.event', registrationId: a, details: { n: 3 } });

    expect(a2).toMatchObject({ stream: `registration:${a}`, prevHash: a1.hash });
    expect(b1.prevHash).not.toBe(a1.hash);
    expect((await api(sys, 'GET', '/api/audit-events/verify', { token })).body).toMatchObject({ ok: true });

    const removed = await sys.db('auditEvents').where({ id: a2.id }).first();
    await sys.db('auditEvents').where({ id: a2.id }).delete();
    try {
      const res = await api(sys, 'GET', '/api/audit-events/verify', { token });
      expect(res.body).toMatchObject({ ok: false, firstBrokenId: String(a3.id), reason: 'prev_hash' });
    } finally {
      await sys.db('auditEvents').insert(removed);
    }
    expect((await api(sys, 'GET', '/api/audit-events/verify', { token })).body.ok).toBe(true);
  });

  test('When a transaction about one registration stays open, then logins and other registrations append to the audit log without waiting for it', async () => {
    const { staff } = await createSchoolWithStaff(sys.db);
    const [slow, other] = [await draftRegistration(sys, staff), await draftRegistration(sys, staff)];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appended!: () => void;
    const slowAppended = new Promise<void>((resolve) => (appended = resolve));
    const slowTransaction = sys.db.transaction(async (trx) => {
      await appendAuditEvent(trx, { action: 'test.slow', registrationId: slow });
      appended();
      await held; // what a slow call inside a transaction does
    });
    await slowAppended;
    try {
      // Each would wait for the open transaction if it held one lock for the whole log.
      await appendAuditEvent(sys.db, { action: 'auth.login', details: { username: 'someone' } });
      await appendAuditEvent(sys.db, { action: 'test.event', registrationId: other });
    } finally {
      release();
      await slowTransaction;
    }
    const after = await appendAuditEvent(sys.db, { action: 'test.event', registrationId: slow });
    expect(after.prevHash).toBe((await sys.db('auditEvents').where({ action: 'test.slow', registrationId: slow }).first()).hash);
  });

  test('When school staff or an anonymous caller asks, then the check is refused', async () => {
    const { staff } = await createSchoolWithStaff(sys.db);
    expect((await api(sys, 'GET', '/api/audit-events/verify', { token: tokenFor(sys.config, staff) })).status).toBe(403);
    expect((await api(sys, 'GET', '/api/audit-events/verify')).status).toBe(401);
  });
});
