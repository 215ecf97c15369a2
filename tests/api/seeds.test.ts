import { runSeeds } from '../../db/seed';
import { DEMO_PASSWORD } from '../../db/seeds/demo';
import { api } from '../support/harness';
import { countRows, createIsolatedDatabase, type IsolatedApi, startIsolatedApi } from './helpers';

/** Demo mode on a database of its own: the demo users must not leak into other suites. */
let iso: IsolatedApi;
beforeAll(async () => {
  iso = await startIsolatedApi({ demo: true });
});
afterAll(() => iso.close());

const login = (username: string) => api(iso, 'POST', '/api/auth/login', { body: { username, password: DEMO_PASSWORD } });

describe('Demo seeds', () => {
  test('When demo mode seeds, then each demo user signs in with demo1234 in their role, the three school users at 示范区第一实验小学', async () => {
    const expected: Record<string, string> = {
      'staff.demo': 'school_staff',
      'leader.demo': 'lead_school_leader',
      'principal.demo': 'principal',
      'bureau.demo': 'bureau_approver',
      'admin.demo': 'admin',
    };
    const school = await iso.db('schools').where({ name: '示范区第一实验小学' }).first();
    const district = await iso.db('districts').where({ code: 'demo' }).first();
    expect(district.name).toBe('示范区');
    for (const [username, role] of Object.entries(expected)) {
      const res = await login(username);
      expect(res.status).toBe(200);
      expect(res.body.user.roles).toEqual([role]);
      if (['staff.demo', 'leader.demo', 'principal.demo'].includes(username)) expect(res.body.user.schoolId).toBe(school.id);
    }
    expect((await login('bureau.demo')).body.user.districtId).toBe(district.id);
  });

  test('When demo mode seeds, then the demo school has draft registrations the staff user can open', async () => {
    const { body: session } = await login('staff.demo');
    const list = await api(iso, 'GET', '/api/registrations?sort=["createdAt","ASC"]', { token: session.token });
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThanOrEqual(2);
    expect(list.body.every((r: { status: string; schoolId: number }) => r.schoolId === session.user.schoolId)).toBe(true);
    expect(list.body[0].memberUnits.length).toBeGreaterThan(0);
    expect(await countRows(iso.db, 'schools')).toBe(4);
  });

  test('When the seeds run again (a second start), then nothing is duplicated and changes are kept', async () => {
    await iso.db('users').where({ username: 'staff.demo' }).update({ name: '改过的名字' });
    const counts = async () => Promise.all(['districts', 'schools', 'users', 'registrations', 'memberUnits', 'goals', 'partyTypes', 'partyDuties'].map((t) => countRows(iso.db, t)));
    const before = await counts();

    await runSeeds(iso.db, { demo: true });

    expect(await counts()).toEqual(before);
    expect((await iso.db('users').where({ username: 'staff.demo' }).first()).name).toBe('改过的名字');
  });
});

describe('Seeds without demo mode', () => {
  test('When demo mode is off, then only the catalog is seeded: no demo users or schools', async () => {
    const state = await createIsolatedDatabase({ demo: false });
    try {
      expect(await countRows(state.db, 'users')).toBe(0);
      expect(await countRows(state.db, 'schools')).toBe(0);
      expect(await countRows(state.db, 'partyTypes')).toBe(24);
    } finally {
      await state.drop();
    }
  });
});
