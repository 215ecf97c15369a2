/**
 * Anchors over the audit streams: a stream's chain shows an event changed or removed in its middle;
 * the anchors show its last events removed, or a whole stream.
 */
import { anchorAuditStreams, HeadsDigest } from '../../domain/audit-anchors';
import { appendAuditEvent } from '../../domain/audit';
import { createSchoolWithStaff, createUser } from '../support/fixtures';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { draftRegistration } from '../workflow/support';

let sys: TestSystem;
beforeAll(async () => {
  // Its own database: the anchors cover every event in it, and this suite removes some on purpose.
  sys = await startSystem({ worker: false, isolatedDatabase: {} });
});
afterAll(async () => {
  await sys?.close();
});

describe('the heads digest', () => {
  test('When the same heads are reached in another order, then the digest is the same; a head moved back changes it', () => {
    const a = new HeadsDigest();
    a.move('registration:1', 'h1');
    a.move('', 'g1');
    a.move('registration:1', 'h2');
    const b = new HeadsDigest();
    b.move('', 'g1');
    b.move('registration:1', 'h2');
    expect(b.value).toBe(a.value);
    expect(b.streams).toBe(2);
    b.move('registration:1', 'h1');
    expect(b.value).not.toBe(a.value);
  });
});

describe('audit anchors', () => {
  test('When a registration’s last event or its whole stream is removed after an anchor, then the check names the anchor; restored, the chain is whole again', async () => {
    const admin = await createUser(sys.db, { roles: ['admin'] });
    const token = tokenFor(sys.config, admin);
    const { staff } = await createSchoolWithStaff(sys.db);
    const [a, b] = [await draftRegistration(sys, staff), await draftRegistration(sys, staff)];
    await appendAuditEvent(sys.db, { action: 'test.event', registrationId: a, details: { n: 1 } });
    const b1 = await appendAuditEvent(sys.db, { action: 'test.event', registrationId: b, details: { n: 1 } });
    const a2 = await appendAuditEvent(sys.db, { action: 'test.event', registrationId: a, details: { n: 2 } });
    const anchor = (await anchorAuditStreams(sys.db, { settledMs: 0 }))!;
    expect(anchor).not.toBeNull();
    expect(BigInt(anchor.uptoId)).toBeGreaterThanOrEqual(BigInt(a2.id));
    expect((await api(sys, 'GET', '/api/audit-events/verify', { token })).body).toMatchObject({ ok: true });

    for (const removedIds of [[a2.id], [b1.id]]) {
      const removed = await sys.db('auditEvents').whereIn('id', removedIds);
      await sys.db('auditEvents').whereIn('id', removedIds).delete();
      try {
        const res = await api(sys, 'GET', '/api/audit-events/verify', { token });
        expect(res.body).toMatchObject({ ok: false, reason: 'anchor', anchorId: anchor.id, firstBrokenId: null });
        expect(res.body.message).toContain(`#${anchor.id}`);
      } finally {
        await sys.db('auditEvents').insert(removed);
      }
      expect((await api(sys, 'GET', '/api/audit-events/verify', { token })).body).toMatchObject({ ok: true });
    }
  });

  test('When nothing new has settled, then no anchor is written; events newer than the settling time wait for the next one', async () => {
    await anchorAuditStreams(sys.db, { settledMs: 0 });
    expect(await anchorAuditStreams(sys.db, { settledMs: 0 })).toBeNull();
    const fresh = await appendAuditEvent(sys.db, { action: 'test.event', details: { fresh: true } });
    expect(await anchorAuditStreams(sys.db, { settledMs: 60 * 60_000 })).toBeNull();
    const next = (await anchorAuditStreams(sys.db, { settledMs: 0 }))!;
    expect(BigInt(next.uptoId)).toBeGreaterThanOrEqual(BigInt(fresh.id));
  });

  test('When an anchor is altered, then the check names it', async () => {
    const admin = await createUser(sys.db, { roles: ['admin'] });
    const token = tokenFor(sys.config, admin);
    await appendAuditEvent(sys.db, { action: 'test.event', details: { n: 3 } });
    const anchor = (await anchorAuditStreams(sys.db, { settledMs: 0 }))!;
    await sys.db('auditAnchors').where({ id: anchor.id }).update({ streams: anchor.streams + 1 });
    try {
      expect((await api(sys, 'GET', '/api/audit-events/verify', { token })).body).toMatchObject({ ok: false, reason: 'anchor', anchorId: anchor.id });
    } finally {
      await sys.db('auditAnchors').where({ id: anchor.id }).update({ streams: anchor.streams });
    }
    expect((await api(sys, 'GET', '/api/audit-events/verify', { token })).body).toMatchObject({ ok: true });
  });
});
