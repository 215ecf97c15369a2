/**
 * Working-day due times on the real workflow engine: a deadline policy in working days gives a due
 * time that skips the days the calendar (China's official one, with the administrators'
 * overrides) does not work; an override added later moves the due time of a task in flight; the
 * notifications show the time in the reader's zone; bad input is a 400 in Chinese and English;
 * only administrators change the calendar or the policies.
 */
import { officialWorkingDay } from '../../domain/calendar/official';
import { calendarOverrides } from '../../domain/calendar/repository';
import { addDays, addMonths, chinaDate, chinaTime, dueAfterMonths, dueAfterWorkingHours, withOverrides } from '../../domain/calendar/working-days';
import { formatTimeEn, formatTimeZh } from '../../domain/calendar/zone';
import { notifyUsers } from '../../domain/tasks/notifications';
import { createUser } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/harness';
import { act, as, createCast, draftRegistration, eventually, openTaskOf, registrationRow, submit, throughSigning, type Cast } from '../workflow/support';

let sys: TestSystem;
let cast: Cast;

beforeAll(async () => {
  // Policies and the calendar are global: this suite changes them on a database of its own.
  sys = await startSystem({ isolatedDatabase: {} });
  cast = await createCast(sys.db);
});
afterAll(async () => {
  await sys?.close();
});

/** Today in China, and the days after it made (by override) exactly what the test needs. */
async function override(date: string, kind: 'workday' | 'holiday', name: string) {
  const res = await as(sys, cast.admin)('POST', '/api/calendar-days', { date, kind, name });
  expect(res.status).toBe(201);
  return res.body as { id: number; date: string; kind: string; name: string; officialKind: string };
}

test('When the lead-school opinion is due in 1 working day and tomorrow is a local holiday, then the task falls due at 18:00 China time the day after; when that day too is made a holiday, the open task moves to the next working day', async () => {
  const policy = await as(sys, cast.admin)('PUT', '/api/deadline-policies/lead_school_opinion', { dueWorkingDays: 1, remindBeforeWorkingDays: 0, escalateToRole: 'bureau_approver' });
  expect(policy.status).toBe(200);
  expect(policy.body).toMatchObject({ step: 'lead_school_opinion', dueSeconds: null, dueWorkingDays: 1 });

  const today = chinaDate(Date.now());
  await override(addDays(today, 1), 'holiday', '校庆日');
  const dayAfter = await override(addDays(today, 2), 'workday', '补班');
  await override(addDays(today, 3), 'workday', '补班');

  const id = await draftRegistration(sys, cast.staff);
  expect((await submit(sys, cast.staff, id)).status).toBe(200);
  const task = await eventually(() => openTaskOf(sys.db, id, 'lead_school_opinion'), 20_000, 'the opinion task');
  const expectedDue = chinaTime(addDays(chinaDate(task.createdAt), 2), 18);
  expect(new Date(task.dueAt).toISOString()).toBe(expectedDue);

  // The leader's notification shows the due time in Beijing time, not UTC.
  const note = await eventually(() => sys.db('notifications').where({ taskId: task.id, recipientUserId: cast.leader.id, kind: 'task_assigned' }).first(), 10_000, 'the notification');
  expect(note.body).toContain(formatTimeZh(expectedDue));
  expect(note.body).toContain(formatTimeEn(expectedDue));
  expect(note.body).toContain('18:00 (北京时间)');
  expect(note.body).not.toContain('UTC');

  // The administrator makes the due day a holiday: the task in flight moves to the next working day.
  const moved = await as(sys, cast.admin)('PUT', `/api/calendar-days/${dayAfter.id}`, { kind: 'holiday', name: '临时停课' });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ date: addDays(today, 2), kind: 'holiday', name: '临时停课' });
  const newDue = chinaTime(addDays(chinaDate(task.createdAt), 3), 18);
  await eventually(async () => new Date((await openTaskOf(sys.db, id, 'lead_school_opinion')).dueAt).toISOString() === newDue, 20_000, 'the due time to move');
  const timeline = await as(sys, cast.staff)('GET', `/api/registrations/${id}/timeline`);
  expect(JSON.stringify(timeline.body)).toContain('rescheduled');
});

test('When a user reads in their own zone, then their notification and e-mail show that zone’s time', async () => {
  const tokyo = await createUser(sys.db, { roles: ['lead_school_leader'], schoolId: cast.school.id, email: 'tokyo@example.test' });
  await sys.db('users').where({ id: tokyo.id }).update({ timeZone: 'Asia/Tokyo' });
  const due = '2026-12-03T10:00:00.000Z';
  await sys.db.transaction(async (trx) => {
    const recipients = await trx('users').whereIn('id', [tokyo.id, cast.leader.id]).select('id', 'name', 'email', 'timeZone');
    await notifyUsers(trx, recipients, { kind: 'reminder', dedupeKey: `tz-test-${Date.now()}`, title: '提醒 / Reminder', body: `到期 ⟦zh:${due}⟧ / Due ⟦en:${due}⟧` }, { email: true });
  });
  const mine = await sys.db('notifications').where({ recipientUserId: tokyo.id, kind: 'reminder' }).first();
  expect(mine.body).toBe('到期 2026年12月3日 19:00 (Asia/Tokyo, UTC+09:00) / Due 3 Dec 2026 19:00 (Asia/Tokyo, UTC+09:00)');
  const theirs = await sys.db('notifications').where({ recipientUserId: cast.leader.id, kind: 'reminder' }).first();
  expect(theirs.body).toBe('到期 2026年12月3日 18:00 (北京时间) / Due 3 Dec 2026 18:00 (Beijing time)');
  const mail = await sys.db('outbox').whereRaw("payload->>'to' = ?", ['tokyo@example.test']).first();
  expect(mail.payload.text).toContain('19:00 (Asia/Tokyo, UTC+09:00)');
});

test('When an administrator sets a user’s time zone, then it is kept; an unknown zone is a 400 in Chinese and English', async () => {
  const user = await createUser(sys.db, { roles: ['principal'], schoolId: cast.school.id });
  const admin = as(sys, cast.admin);
  const current = (await admin('GET', `/api/users/${user.id}`)).body;
  expect(current.timeZone).toBe('Asia/Shanghai');
  const bad = await admin('PUT', `/api/users/${user.id}`, { ...current, timeZone: 'Mars/Olympus' });
  expect(bad.status).toBe(400);
  expect(bad.body.errors.timeZone).toMatch(/时区.*time zone/);
  const good = await admin('PUT', `/api/users/${user.id}`, { ...current, timeZone: 'Asia/Urumqi' });
  expect(good.status).toBe(200);
  expect(good.body.timeZone).toBe('Asia/Urumqi');
});

test('When a policy or a calendar day is given badly, then the answer is a 400 naming the field in Chinese and English, never a 500', async () => {
  const admin = as(sys, cast.admin);
  const both = await admin('PUT', '/api/deadline-policies/principal_signature', { dueSeconds: 3600, dueWorkingDays: 2 });
  expect(both.status).toBe(400);
  expect(both.body.errors.dueWorkingDays).toMatch(/一种单位.*exactly one unit/);
  const none = await admin('PUT', '/api/deadline-policies/principal_signature', { remindBeforeSeconds: 0 });
  expect(none.status).toBe(400);
  expect(none.body.errors.dueSeconds).toMatch(/请填写期限.*Give the due time/);
  const lead = await admin('PUT', '/api/deadline-policies/principal_signature', { dueWorkingDays: 2, remindBeforeWorkingDays: 2 });
  expect(lead.status).toBe(400);
  expect(lead.body.errors.remindBeforeWorkingDays).toMatch(/提醒.*reminder/);
  const months = await admin('PUT', '/api/deadline-policies/principal_signature', { dueMonths: 3 });
  expect(months.status).toBe(400);
  expect(months.body.errors.dueMonths).toMatch(/月.*Months/);
  const daysAndHours = await admin('PUT', '/api/deadline-policies/principal_signature', { dueWorkingDays: 1, dueWorkingHours: 4 });
  expect(daysAndHours.status).toBe(400);
  expect(daysAndHours.body.errors.dueSeconds).toMatch(/工作小时.*working hours/);
  const fraction = await admin('PUT', '/api/deadline-policies/principal_signature', { dueWorkingDays: 1.5 });
  expect(fraction.status).toBe(400);

  const badDay = await admin('POST', '/api/calendar-days', { date: '2026-02-30', kind: 'weekend' });
  expect(badDay.status).toBe(400);
  expect(badDay.body.errors.date).toMatch(/有效日期.*valid date/);
  const badKind = await admin('POST', '/api/calendar-days', { date: '2031-05-07', kind: 'weekend' });
  expect(badKind.status).toBe(400);
  expect(badKind.body.errors.kind).toMatch(/工作日.*workday/);
  await override('2031-05-06', 'holiday', '测试');
  const twice = await admin('POST', '/api/calendar-days', { date: '2031-05-06', kind: 'workday' });
  expect(twice.status).toBe(400);
  expect(twice.body.errors.date).toMatch(/已有.*already/);
  expect((await admin('GET', '/api/calendar-days/99999999')).status).toBe(404);
  expect((await admin('GET', '/api/calendar-days?filter={"date":"nope"}')).status).toBe(400);
});

test('When the principal’s signature is due in 4 working hours, then the policy keeps that unit and new tasks count within 09:00–18:00 China time', async () => {
  const res = await as(sys, cast.admin)('PUT', '/api/deadline-policies/principal_signature', { dueWorkingHours: 4, remindBeforeSeconds: 3600 });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ dueWorkingHours: 4, dueSeconds: null, dueWorkingDays: null, remindBeforeSeconds: 3600 });
  const id = await draftRegistration(sys, cast.staff);
  expect((await submit(sys, cast.staff, id)).status).toBe(200);
  await eventually(() => openTaskOf(sys.db, id, 'lead_school_opinion'), 20_000, 'the opinion task');
  await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意组建。' } });
  const task = await eventually(() => openTaskOf(sys.db, id, 'principal_signature'), 20_000, 'the signature task');
  const calendar = withOverrides(officialWorkingDay, await calendarOverrides(sys.db));
  expect(new Date(task.dueAt).toISOString()).toBe(dueAfterWorkingHours(new Date(task.createdAt).toISOString(), 4, calendar));
});

test('When the review period is given in months, then the goal review falls due on a working day at 18:00 China time', async () => {
  const res = await as(sys, cast.admin)('PUT', '/api/deadline-policies/review_period', { dueMonths: 24, remindBeforeSeconds: 2_592_000 });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ dueMonths: 24, dueSeconds: null });

  const id = await throughSigning(sys, cast);
  await eventually(() => openTaskOf(sys.db, id, 'bureau_approval'), 20_000, 'the bureau task');
  await act(sys, cast.bureau, id, 'bureau_approval', 'approve');
  const row = await eventually(async () => {
    const r = await registrationRow(sys.db, id);
    return r.status === 'active' && r.reviewDueAt ? r : null;
  }, 20_000, 'the approval');
  const approvedOn = chinaDate(row.approvedAt);
  const reviewDue = new Date(row.reviewDueAt).toISOString();
  expect(reviewDue).toBe(dueAfterMonths(row.approvedAt.toISOString(), 24, withOverrides(officialWorkingDay, await calendarOverrides(sys.db))));
  expect(reviewDue.slice(11)).toBe('10:00:00.000Z'); // 18:00 China time
  expect(chinaDate(reviewDue) >= addMonths(approvedOn, 24)).toBe(true);
  expect(officialWorkingDay(chinaDate(reviewDue))).toBe(true);
});

test('Only administrators change the calendar and the deadline policies; everyone signed in reads the calendar', async () => {
  const day = await override('2032-01-05', 'holiday', '只读');
  for (const who of [cast.staff, cast.leader, cast.principal, cast.bureau]) {
    expect((await as(sys, who)('GET', '/api/calendar-days')).status).toBe(200);
    expect((await as(sys, who)('GET', `/api/calendar-days/${day.id}`)).body).toMatchObject({ date: '2032-01-05', kind: 'holiday', name: '只读' });
    expect((await as(sys, who)('POST', '/api/calendar-days', { date: '2032-01-06', kind: 'holiday' })).status).toBe(403);
    expect((await as(sys, who)('PUT', `/api/calendar-days/${day.id}`, { kind: 'workday' })).status).toBe(403);
    expect((await as(sys, who)('DELETE', `/api/calendar-days/${day.id}`)).status).toBe(403);
    expect((await as(sys, who)('PUT', '/api/deadline-policies/bureau_approval', { dueWorkingDays: 3 })).status).toBe(403);
  }
  expect((await as(sys, cast.admin)('DELETE', `/api/calendar-days/${day.id}`)).status).toBe(200);
  const doc = await as(sys, cast.staff)('GET', '/api/openapi.json');
  expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/calendar-days', '/api/calendar-days/{id}']));
});
