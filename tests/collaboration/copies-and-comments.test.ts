/**
 * 抄送 (copies) and comments with attachments, on the real workflow engine: a deadline policy copies
 * roles (in the registration's scope) and named users at submission, at the step's approval, or both;
 * a copied user finds the registration in 抄送我的 (unread until opened), reads it read-only and acts on
 * nothing; everyone in the chain comments, with files they uploaded, and outsiders are told nothing exists.
 */
import { writeCopies } from '../../domain/collab/copies';
import type { Db } from '../../db/connection';
import type { PolicyKey } from '../../workflows/shared';
import { dataUrlOf, signaturePng } from '../signing/support';
import { createUser } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { act, as, createCast, draftRegistration, eventually, openTaskOf, submit, throughSigning, type Cast } from '../workflow/support';

// The file has a database of its own (the policies it changes are read by every suite); each test still
// puts the policy back as soon as its own registration passed the copied event.
let sys: TestSystem;
beforeAll(async () => {
  sys = await startSystem({ isolatedDatabase: {} }); // it changes deadline policies, which every suite reads
});
afterEach(async () => {
  await sys.db('deadlinePolicies').update({ ccRoles: [], ccUserIds: [], ccWhen: null });
});
afterAll(() => sys.close());

const view = (filter: Record<string, unknown>) => `/api/tasks?filter=${encodeURIComponent(JSON.stringify(filter))}&range=[0,49]&sort=${encodeURIComponent('["completedAt","DESC"]')}`;
const bilingual = (text: string) => expect(text).toMatch(/[\u4e00-\u9fff].* \/ [A-Za-z]/);

/** Sets a step's 抄送 through the API, as the administrator's policy page does (its due times unchanged). */
async function setCc(admin: Cast['admin'], step: PolicyKey, cc: { ccRoles?: string[]; ccUserIds?: number[]; ccWhen?: string | null }) {
  const current = await as(sys, admin)('GET', `/api/deadline-policies/${step}`);
  const res = await as(sys, admin)('PUT', `/api/deadline-policies/${step}`, { dueSeconds: current.body.dueSeconds, remindBeforeSeconds: current.body.remindBeforeSeconds, escalateToRole: current.body.escalateToRole, ...cc });
  expect(res.status).toBe(200);
  return res.body;
}

const copiesOf = (db: Db, registrationId: string) => db('registrationCopies').where({ registrationId }).orderBy(['userId', 'occasion']).select('userId', 'occasion', 'step', 'round', 'readAt');
const auditCount = async (db: Db, registrationId: string, action: string) => Number((await db('auditEvents').where({ registrationId, action }).count({ n: '*' }).first())?.n ?? 0);

describe('抄送 (copies)', () => {
  test('When the opinion step copies the principal role and a named user at submission, then both are copied once with a notification, an audit event and "抄送 2 人" in the timeline; the other school\'s principal is not', async () => {
    const c = await createCast(sys.db);
    const other = await createCast(sys.db);
    const watcher = await createUser(sys.db, { roles: ['school_staff'], schoolId: other.school.id });
    const policy = await setCc(c.admin, 'lead_school_opinion', { ccRoles: ['principal'], ccUserIds: [watcher.id], ccWhen: 'submit' });
    expect(policy).toMatchObject({ ccRoles: ['principal'], ccUserIds: [watcher.id], ccWhen: 'submit' });

    const id = await draftRegistration(sys, c.staff);
    expect((await submit(sys, c.staff, id)).status).toBe(200);
    // An activity retried after its transaction committed writes nothing twice.
    const again = await writeCopies(sys.db, { registrationId: id, occasion: 'submit', step: 'submit', round: 1, actor: { id: c.staff.id, name: c.staff.name }, at: new Date().toISOString() });
    await setCc(c.admin, 'lead_school_opinion', { ccRoles: [], ccUserIds: [], ccWhen: null });
    expect(again).toBe(2);

    const copies = await copiesOf(sys.db, id);
    expect(copies.map((x) => x.userId).sort()).toEqual([c.principal.id, watcher.id].sort());
    expect(copies.every((x) => x.occasion === 'submit' && x.step === 'submit' && x.round === 1 && x.readAt === null)).toBe(true);
    expect(await sys.db('registrationCopies').where({ userId: other.principal.id }).first()).toBeUndefined();
    const notes = (await sys.db('notifications').where({ registrationId: id, kind: 'copied' }).select('recipientUserId')).map((n) => n.recipientUserId);
    expect(notes.sort()).toEqual([c.principal.id, watcher.id].sort());
    expect(await auditCount(sys.db, id, 'registration.copied')).toBe(1);

    const timeline = await as(sys, c.staff)('GET', `/api/registrations/${id}/timeline`);
    expect(timeline.body.history).toEqual(expect.arrayContaining([expect.objectContaining({ step: 'cc', action: 'copied', count: 2, occasion: 'submit' })]));
    expect(timeline.body.history.find((h: any) => h.step === 'cc').comment).toMatch(/^抄送 2 人/);

    expect(await copiesOf(sys.db, id)).toHaveLength(2);
    expect(await auditCount(sys.db, id, 'registration.copied')).toBe(1);
    expect(await sys.db('notifications').where({ registrationId: id, kind: 'copied' }).count({ n: '*' }).first()).toEqual({ n: '2' });

    // The leader's opinion is not an occasion of this policy (submit only): no new copy.
    await setCc(c.admin, 'lead_school_opinion', { ccUserIds: [watcher.id], ccWhen: 'submit' });
    await act(sys, c.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意。' } });
    expect(await copiesOf(sys.db, id)).toHaveLength(2);
  });

  test('When the bureau step copies at approval, then nobody is copied at submission or signing, and the named user is copied once the bureau approves', async () => {
    const c = await createCast(sys.db);
    const watcher = await createUser(sys.db, { roles: ['bureau_approver'], districtId: (await createCast(sys.db)).school.districtId });
    await setCc(c.admin, 'bureau_approval', { ccUserIds: [watcher.id], ccWhen: 'approve' });
    const id = await throughSigning(sys, c);
    expect(await copiesOf(sys.db, id)).toEqual([]);
    await act(sys, c.bureau, id, 'bureau_approval', 'approve');
    await setCc(c.admin, 'bureau_approval', { ccUserIds: [], ccWhen: null });
    const copies = await copiesOf(sys.db, id);
    expect(copies).toEqual([expect.objectContaining({ userId: watcher.id, occasion: 'approve', step: 'bureau_approval', round: 1 })]);
    const rows = (await as(sys, watcher)('GET', view({ view: 'copied', registrationId: id }))).body;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ registrationId: id, registrationStatus: 'active', copy: { read: false, occasions: ['approve'] } });
  });

  test('When two registrations are copied to a user and one has moved on, then 抄送我的 lists both, each at the step where its own process stands', async () => {
    const c = await createCast(sys.db);
    const watcher = await createUser(sys.db, { roles: ['school_staff'], schoolId: (await createCast(sys.db)).school.id });
    await setCc(c.admin, 'lead_school_opinion', { ccUserIds: [watcher.id], ccWhen: 'submit' });
    const waiting = await draftRegistration(sys, c.staff);
    const movedOn = await draftRegistration(sys, c.staff);
    for (const id of [waiting, movedOn]) expect((await submit(sys, c.staff, id)).status).toBe(200);
    await setCc(c.admin, 'lead_school_opinion', { ccUserIds: [], ccWhen: null });
    await act(sys, c.leader, movedOn, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意。' } });
    const rows = (await as(sys, watcher)('GET', view({ view: 'copied' }))).body as { registrationId: string; step: string; status: string }[];
    const stepOf = Object.fromEntries(rows.map((r) => [r.registrationId, `${r.step}:${r.status}`]));
    expect(stepOf).toEqual({ [waiting]: 'lead_school_opinion:open', [movedOn]: 'principal_signature:open' });
  });

  test('When the bureau step copies at both, then the user is copied at submission and again at approval: read in between, unread again after the approval', async () => {
    const c = await createCast(sys.db);
    const watcher = await createUser(sys.db, { roles: ['principal'], schoolId: (await createCast(sys.db)).school.id });
    await setCc(c.admin, 'bureau_approval', { ccUserIds: [watcher.id], ccWhen: 'both' });
    const id = await draftRegistration(sys, c.staff);
    expect((await submit(sys, c.staff, id)).status).toBe(200);
    const w = as(sys, watcher);
    const row = async () => (await w('GET', view({ view: 'copied', registrationId: id }))).body[0];
    await eventually(async () => (await row())?.copy.read === false, 10_000, 'an unread copy');
    expect((await w('POST', `/api/registrations/${id}/copies/read`)).body).toMatchObject({ registrationId: id, marked: 1 });

    await act(sys, c.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意。' } });
    await act(sys, c.principal, id, 'principal_signature', 'sign', { payload: { signatureImage: dataUrlOf(signaturePng()) } });
    expect((await row()).copy.read).toBe(true);
    await act(sys, c.bureau, id, 'bureau_approval', 'approve');
    await setCc(c.admin, 'bureau_approval', { ccUserIds: [], ccWhen: null });

    expect((await copiesOf(sys.db, id)).map((x) => `${x.occasion}:${x.step}`)).toEqual(['approve:bureau_approval', 'submit:submit']);
    const rows = (await w('GET', view({ view: 'copied', registrationId: id }))).body;
    expect(rows).toHaveLength(1); // one row per registration, however often it was copied
    expect(rows[0].copy).toMatchObject({ read: false, occasions: ['approve', 'submit'] });
    expect(await auditCount(sys.db, id, 'registration.copied')).toBe(2);
  });

  test('When a copied user outside the school opens the registration, then they read it, its timeline and print view, it turns read; they cannot act on it, edit it, or read another registration of that school', async () => {
    const c = await createCast(sys.db);
    const outsider = await createUser(sys.db, { roles: ['lead_school_leader'], schoolId: (await createCast(sys.db)).school.id });
    await setCc(c.admin, 'lead_school_opinion', { ccUserIds: [outsider.id], ccWhen: 'submit' });
    const id = await draftRegistration(sys, c.staff);
    expect((await submit(sys, c.staff, id)).status).toBe(200);
    await setCc(c.admin, 'lead_school_opinion', { ccUserIds: [], ccWhen: null });
    const notCopied = await draftRegistration(sys, c.staff);
    const o = as(sys, outsider);

    const listed = (await o('GET', view({ view: 'copied' }))).body;
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ registrationId: id, step: 'lead_school_opinion', copy: expect.objectContaining({ read: false }) })]));
    expect(listed[0].copy.read).toBe(false); // unread first
    const unread = (await o('GET', '/api/copies/unread-count')).body.unread;
    expect(unread).toBe(listed.filter((r: any) => !r.copy.read).length);
    expect(unread).toBeGreaterThanOrEqual(1);

    const opened = await o('GET', `/api/registrations/${id}`);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ id, copiedReadOnly: true });
    expect((await o('GET', '/api/copies/unread-count')).body).toEqual({ unread: unread - 1 });
    // The notification that told of the copy is read with it.
    expect(await sys.db('notifications').where({ registrationId: id, recipientUserId: outsider.id, kind: 'copied' }).first('readAt')).toEqual({ readAt: expect.any(Date) });
    expect((await o('GET', view({ view: 'copied', registrationId: id }))).body[0].copy.read).toBe(true);
    expect((await o('GET', `/api/registrations/${id}/timeline`)).status).toBe(200);
    expect((await o('GET', `/api/registrations/${id}/print`)).status).toBe(200);

    // Read-only: the step's task is the leader's of that school, not theirs; no edit, no other registration.
    const task = await openTaskOf(sys.db, id, 'lead_school_opinion');
    const refused = await o('POST', `/api/tasks/${task.id}/complete`, { action: 'opinion', payload: { opinion: '越权' } });
    expect([403, 404]).toContain(refused.status);
    expect((await o('POST', `/api/tasks/${task.id}/claim`)).status).toBeGreaterThanOrEqual(403);
    expect((await o('PUT', `/api/registrations/${id}`, { name: 'x' })).status).toBeGreaterThanOrEqual(400);
    expect((await o('GET', `/api/registrations/${notCopied}`)).status).toBe(404);
    expect((await o('POST', `/api/registrations/${notCopied}/copies/read`)).status).toBe(404);
    expect((await o('GET', '/api/registrations?range=[0,99]')).body.map((r: any) => r.id)).not.toContain(id); // their list stays their scope
    expect((await openTaskOf(sys.db, id, 'lead_school_opinion')).status).toBe('open');
    // Another user has no copy of it.
    expect((await as(sys, (await createCast(sys.db)).leader)('GET', view({ view: 'copied' }))).body).toEqual([]);
  });

  test('When a policy names an unknown role, a missing or deactivated user, no time, or a step that cannot copy, then 400 in Chinese and English naming the field, and nothing changes', async () => {
    const c = await createCast(sys.db);
    const gone = await createUser(sys.db, { roles: ['principal'], schoolId: c.school.id });
    await sys.db('users').where({ id: gone.id }).update({ active: false });
    const before = await sys.db('deadlinePolicies').orderBy('id').select('*');
    const put = (step: string, body: Record<string, unknown>) => as(sys, c.admin)('PUT', `/api/deadline-policies/${step}`, { dueSeconds: 86_400, remindBeforeSeconds: 0, ...body });
    const cases: [string, Record<string, unknown>, string][] = [
      ['bureau_approval', { ccRoles: ['janitor'], ccWhen: 'submit' }, 'ccRoles.0'],
      ['bureau_approval', { ccUserIds: [2_000_000_000], ccWhen: 'submit' }, 'ccUserIds'],
      ['bureau_approval', { ccUserIds: [gone.id], ccWhen: 'approve' }, 'ccUserIds'],
      ['bureau_approval', { ccUserIds: ['x'], ccWhen: 'approve' }, 'ccUserIds.0'],
      ['bureau_approval', { ccRoles: ['principal'] }, 'ccWhen'],
      ['bureau_approval', { ccRoles: ['principal'], ccWhen: 'sometimes' }, 'ccWhen'],
      ['review_period', { ccRoles: ['principal'], ccWhen: 'submit' }, 'ccRoles'],
    ];
    for (const [step, body, field] of cases) {
      const res = await put(step, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(Object.keys(res.body.errors)).toContain(field);
      bilingual(res.body.errors[field]);
    }
    expect((await as(sys, c.bureau)('PUT', '/api/deadline-policies/bureau_approval', { dueSeconds: 86_400, ccRoles: ['principal'], ccWhen: 'submit' })).status).toBe(403);
    expect(await sys.db('deadlinePolicies').orderBy('id').select('*')).toEqual(before);
  });
});

describe('Comments with attachments', () => {
  test('When the drafter comments with a picture, then the leader, principal, bureau, admin and a copied user read it and its file; another school and another district get 404; an audit event and a timeline entry are written', async () => {
    const c = await createCast(sys.db);
    const elsewhere = await createCast(sys.db);
    const copied = await createUser(sys.db, { roles: ['school_staff'], schoolId: elsewhere.school.id });
    await setCc(c.admin, 'lead_school_opinion', { ccUserIds: [copied.id], ccWhen: 'submit' });
    const id = await draftRegistration(sys, c.staff);
    expect((await submit(sys, c.staff, id)).status).toBe(200);
    await setCc(c.admin, 'lead_school_opinion', { ccUserIds: [], ccWhen: null });

    const staff = as(sys, c.staff);
    const upload = await staff('POST', `/api/registrations/${id}/comments/files`, { dataUrl: dataUrlOf(signaturePng()), name: '现场照片.png' });
    expect(upload.status).toBe(201);
    const posted = await staff('POST', `/api/registrations/${id}/comments`, { body: '已补充成员单位的联系人，见附图。', fileIds: [upload.body.id] });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ registrationId: id, authorId: c.staff.id, body: '已补充成员单位的联系人，见附图。', fileIds: [upload.body.id] });

    for (const reader of [c.staff, c.leader, c.principal, c.bureau, c.admin, copied]) {
      const list = await as(sys, reader)('GET', `/api/registrations/${id}/comments`);
      expect({ who: reader.roles, status: list.status, ids: list.body.map?.((x: any) => x.id) }).toEqual({ who: reader.roles, status: 200, ids: [posted.body.id] });
      expect({ who: reader.roles, status: (await as(sys, reader)('GET', `/api/files/${upload.body.id}`)).status }).toEqual({ who: reader.roles, status: 200 });
    }
    for (const outsider of [elsewhere.staff, elsewhere.leader, elsewhere.bureau]) {
      const r = as(sys, outsider);
      expect((await r('GET', `/api/registrations/${id}/comments`)).status).toBe(404);
      expect((await r('POST', `/api/registrations/${id}/comments`, { body: '路过' })).status).toBe(404);
      expect((await r('GET', `/api/files/${upload.body.id}`)).status).toBe(404);
    }
    // The copied user may join the conversation.
    expect((await as(sys, copied)('POST', `/api/registrations/${id}/comments`, { body: '收到，谢谢。' })).status).toBe(201);

    expect(await auditCount(sys.db, id, 'registration.commented')).toBe(2);
    const history = (await staff('GET', `/api/registrations/${id}/timeline`)).body.history;
    expect(history.filter((h: any) => h.step === 'comment').map((h: any) => h.comment)).toEqual(['已补充成员单位的联系人，见附图。', '收到，谢谢。']);
    expect((await as(sys, c.bureau)('GET', '/api/audit-events/verify')).status).toBeLessThan(500);
  });

  test('When someone comments, then everyone in the conversation is notified once (the drafter, who acted, who holds the open task, earlier commenters, copied users) and nobody else, the commenter included', async () => {
    const c = await createCast(sys.db);
    const elsewhere = await createCast(sys.db);
    const copied = await createUser(sys.db, { roles: ['school_staff'], schoolId: elsewhere.school.id });
    await setCc(c.admin, 'lead_school_opinion', { ccUserIds: [copied.id], ccWhen: 'submit' });
    const id = await draftRegistration(sys, c.staff);
    expect((await submit(sys, c.staff, id)).status).toBe(200);
    await setCc(c.admin, 'lead_school_opinion', { ccUserIds: [], ccWhen: null });
    await act(sys, c.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意。' } }); // the principal now holds the open task

    const noticed = async () =>
      (await sys.db('notifications').where({ registrationId: id, kind: 'commented' }).orderBy('recipientUserId').select('recipientUserId', 'title', 'body')) as { recipientUserId: number; title: string; body: string }[];
    const first = await as(sys, c.staff)('POST', `/api/registrations/${id}/comments`, { body: '请校长留意第三条目标。' });
    expect(first.status).toBe(201);
    const afterFirst = await noticed();
    expect(afterFirst.map((n) => n.recipientUserId)).toEqual([c.leader.id, c.principal.id, copied.id].sort((a, b) => a - b));
    expect(afterFirst[0].body).toBe('请校长留意第三条目标。');
    bilingual(afterFirst[0].title);

    // The principal answers: the drafter (an earlier commenter) hears of it; the principal does not.
    expect((await as(sys, c.principal)('POST', `/api/registrations/${id}/comments`, { body: '收到。' })).status).toBe(201);
    const answerNotices = (await noticed()).filter((n) => n.body === '收到。').map((n) => n.recipientUserId);
    expect(answerNotices).toEqual([c.staff.id, c.leader.id, copied.id].sort((a, b) => a - b));
    // The recipient reads it among their notifications; outsiders and the bureau (not yet involved) got nothing.
    const mine = await as(sys, c.leader)('GET', `/api/notifications?filter=${encodeURIComponent(JSON.stringify({ kind: 'commented' }))}`);
    expect(mine.status).toBe(200);
    expect(mine.body.filter((n: any) => n.registrationId === id)).toHaveLength(2);
    for (const nobody of [elsewhere.staff, elsewhere.principal, c.bureau]) expect((await noticed()).some((n) => n.recipientUserId === nobody.id)).toBe(false);
  });

  test('When a registration and a commenter have the longest names allowed, then the comment is stored and its notification title is cut to fit, not refused', async () => {
    const c = await createCast(sys.db);
    const id = await draftRegistration(sys, c.staff);
    await sys.db('registrations').where({ id }).update({ name: '联'.repeat(200) });
    await sys.db('users').where({ id: c.leader.id }).update({ name: '名'.repeat(100) });
    const res = await as(sys, c.leader)('POST', `/api/registrations/${id}/comments`, { body: '好' });
    expect(res.status).toBe(201);
    const [notice] = (await sys.db('notifications').where({ registrationId: id, kind: 'commented' }).select('title')) as { title: string }[];
    expect(Array.from(notice.title)).toHaveLength(300);
    expect(notice.title.startsWith(`新评论 — ${'联'.repeat(200)}（${'名'.repeat(50)}`)).toBe(true);
  });

  test('When a comment is empty, too long, holds NUL, names a file someone else uploaded or a bad id, or carries unknown fields, then 400 in Chinese and English naming the field, no 500, and nothing is stored', async () => {
    const c = await createCast(sys.db);
    const id = await draftRegistration(sys, c.staff);
    const leaderFile = await as(sys, c.leader)('POST', `/api/registrations/${id}/comments/files`, { dataUrl: dataUrlOf(signaturePng()) });
    expect(leaderFile.status).toBe(201);
    // The leader's own upload is theirs until attached: the staff cannot read it.
    expect((await as(sys, c.staff)('GET', `/api/files/${leaderFile.body.id}`)).status).toBe(404);
    const staff = as(sys, c.staff);
    const count = async () => Number((await sys.db('registrationComments').where({ registrationId: id }).count({ n: '*' }).first())?.n);
    const audits = () => auditCount(sys.db, id, 'registration.commented');
    const cases: [unknown, string][] = [
      [{ body: '' }, 'body'],
      [{ body: '   ' }, 'body'],
      [{}, 'body'],
      [{ body: 42 }, 'body'],
      [{ body: '长'.repeat(2001) }, 'body'],
      [{ body: '有效', fileIds: [leaderFile.body.id] }, 'fileIds'],
      [{ body: '有效', fileIds: ['not-a-uuid'] }, 'fileIds.0'],
      [{ body: '有效', fileIds: 'x' }, 'fileIds'],
      [{ body: '有效', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await staff('POST', `/api/registrations/${id}/comments`, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(Object.keys(res.body.errors ?? {})).toContain(field);
      bilingual(res.body.errors[field]);
    }
    const nul = await staff('POST', `/api/registrations/${id}/comments`, { body: 'a\u0000b' });
    expect(nul.status).toBe(400);
    const badUpload = await staff('POST', `/api/registrations/${id}/comments/files`, { dataUrl: 'data:image/png;base64,AAAA' });
    expect(badUpload.status).toBe(400);
    expect((await staff('GET', '/api/registrations/not-a-uuid/comments')).status).toBe(404);
    expect(await count()).toBe(0);
    expect(await audits()).toBe(0);
  });
});
