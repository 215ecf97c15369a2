import type { Actor } from '../../api/middleware/auth';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSchool, createSchoolWithStaff, createUser, validRegistrationBody } from '../support/fixtures';

let sys: TestSystem;
const as = (a: Actor) => tokenFor(sys.config, a);

beforeAll(async () => {
  sys = await startSystem({ worker: false });
});
afterAll(() => sys.close());

describe('/api/audit-events', () => {
  test('When a bureau approver lists, then they see the events of their district’s registrations and not others', async () => {
    const home = await createSchoolWithStaff(sys.db);
    const away = await createSchoolWithStaff(sys.db);
    const bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: home.school.districtId });
    const mine = (await api(sys, 'POST', '/api/registrations', { token: as(home.staff), body: validRegistrationBody() })).body;
    const theirs = (await api(sys, 'POST', '/api/registrations', { token: as(away.staff), body: validRegistrationBody() })).body;

    const res = await api(sys, 'GET', `/api/audit-events?filter=${encodeURIComponent(JSON.stringify({ registrationId: [mine.id, theirs.id] }))}`, { token: as(bureau) });
    expect(res.status).toBe(200);
    expect(res.body.map((e: { registrationId: string; action: string }) => [e.registrationId, e.action])).toEqual([[mine.id, 'registration.created']]);
    expect(res.headers.get('content-range')).toBe('audit-events 0-0/1');

    const theirEvent = await sys.db('auditEvents').where({ registrationId: theirs.id }).first('id');
    expect((await api(sys, 'GET', `/api/audit-events/${theirEvent.id}`, { token: as(bureau) })).status).toBe(404);
  });

  test('When an administrator reads an event, then every recorded field and the chain hashes are answered', async () => {
    const admin = await createUser(sys.db, { roles: ['admin'] });
    const { staff } = await createSchoolWithStaff(sys.db);
    const reg = (await api(sys, 'POST', '/api/registrations', { token: as(staff), body: validRegistrationBody() })).body;
    const list = await api(sys, 'GET', `/api/audit-events?filter=${encodeURIComponent(JSON.stringify({ registrationId: reg.id, action: 'registration.created' }))}&sort=["at","DESC"]`, { token: as(admin) });
    const [event] = list.body;
    expect(event).toMatchObject({ actorId: staff.id, action: 'registration.created', registrationId: reg.id, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const one = await api(sys, 'GET', `/api/audit-events/${event.id}`, { token: as(admin) });
    expect(one.body).toEqual(event);
  });

  test('When filtered by time window and actor, then only those events come back', async () => {
    const admin = await createUser(sys.db, { roles: ['admin'] });
    const school = await createSchool(sys.db);
    const staff = await createUser(sys.db, { roles: ['school_staff'], schoolId: school.id });
    const from = new Date().toISOString();
    await api(sys, 'POST', '/api/registrations', { token: as(staff), body: validRegistrationBody() });
    const res = await api(sys, 'GET', `/api/audit-events?filter=${encodeURIComponent(JSON.stringify({ actorId: staff.id, atFrom: from }))}`, { token: as(admin) });
    expect(res.body.map((e: { action: string }) => e.action)).toEqual(['registration.created']);
    const bad = await api(sys, 'GET', `/api/audit-events?filter=${encodeURIComponent(JSON.stringify({ atFrom: 'yesterday' }))}`, { token: as(admin) });
    expect(bad.status).toBe(400);
    expect(bad.body.errors['filter.atFrom']).toMatch(/Not a valid time/);
  });
});
