import type { Actor } from '../../api/middleware/auth';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSchool, createUser } from '../support/fixtures';
import { auditEventsOf, countRows } from './helpers';

let sys: TestSystem;
let admin: Actor;
let token: string;
let school: Awaited<ReturnType<typeof createSchool>>;
const uniq = () => Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  sys = await startSystem({ worker: false });
  admin = await createUser(sys.db, { roles: ['admin'] });
  token = tokenFor(sys.config, admin);
  school = await createSchool(sys.db);
});
afterAll(() => sys.close());

const newUserBody = (over: Record<string, unknown> = {}) => ({
  username: `new.${uniq()}`,
  name: '新用户',
  roles: ['school_staff'],
  schoolId: school.id,
  password: 'first-password-1',
  email: 'someone@example.org',
  ...over,
});
const signIn = (username: string, password: string) =>
  api(sys, 'POST', '/api/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': `192.0.2.${Math.floor(Math.random() * 250) + 1}` } });

describe('POST /api/users', () => {
  test('When an administrator creates a school user, then the user can sign in, takes the school’s district, and no hash is answered', async () => {
    const body = newUserBody();
    const res = await api(sys, 'POST', '/api/users', { token, body });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username: body.username, roles: ['school_staff'], schoolId: school.id, districtId: school.districtId, schoolName: school.name, active: true });
    expect(JSON.stringify(res.body)).not.toMatch(/password/i);
    expect((await signIn(body.username, body.password)).status).toBe(200);
    const [event] = await auditEventsOf(sys.db, 'user.created', { userId: res.body.id });
    expect(JSON.stringify(event.details)).not.toContain(body.password);
  });

  test('When a school role has no school, or a bureau approver no district, then those are field errors', async () => {
    const noSchool = await api(sys, 'POST', '/api/users', { token, body: newUserBody({ schoolId: null }) });
    expect(noSchool.status).toBe(400);
    expect(noSchool.body.errors.schoolId).toMatch(/School roles need a school/);
    const noDistrict = await api(sys, 'POST', '/api/users', { token, body: newUserBody({ roles: ['bureau_approver'], schoolId: null }) });
    expect(noDistrict.body.errors.districtId).toMatch(/needs a district/);
  });

  test('When the username is taken (in any case), the password is short, or a role is unknown, then field errors', async () => {
    const existing = await createUser(sys.db, { roles: ['admin'] });
    const res = await api(sys, 'POST', '/api/users', { token, body: newUserBody({ username: existing.username.toUpperCase(), password: 'short', roles: ['janitor'] }) });
    expect(res.status).toBe(400);
    expect(res.body.errors.password).toMatch(/至少 8 位.*at least 8/);
    expect(res.body.errors['roles.0']).toMatch(/school_staff/);
  });

  test('When the username is taken, then it is a field error on username', async () => {
    const existing = await createUser(sys.db, { roles: ['admin'] });
    const res = await api(sys, 'POST', '/api/users', { token, body: newUserBody({ username: existing.username }) });
    expect(res.status).toBe(400);
    expect(res.body.errors.username).toMatch(/已存在.*taken/);
  });
});

describe('GET /api/users', () => {
  test('When listed with filters, then rows match and never carry a password hash', async () => {
    const s = await createSchool(sys.db);
    const a = await createUser(sys.db, { roles: ['principal'], schoolId: s.id, name: `校长${uniq()}` });
    await createUser(sys.db, { roles: ['school_staff'], schoolId: s.id });
    const res = await api(sys, 'GET', `/api/users?filter=${encodeURIComponent(JSON.stringify({ schoolId: s.id, role: 'principal' }))}&sort=["name","ASC"]&range=[0,9]`, { token });
    expect(res.status).toBe(200);
    expect(res.body.map((u: { id: number }) => u.id)).toEqual([a.id]);
    expect(res.headers.get('content-range')).toBe('users 0-0/1');
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|argon2/);
  });
});

describe('PUT /api/users/:id', () => {
  test('When an administrator sets a new password, then the old one stops working and open sessions end', async () => {
    const created = (await api(sys, 'POST', '/api/users', { token, body: newUserBody() })).body;
    const session = await signIn(created.username, 'first-password-1');
    const res = await api(sys, 'PUT', `/api/users/${created.id}`, { token, body: { ...created, password: 'second-password-2' } });

    expect(res.status).toBe(200);
    expect((await signIn(created.username, 'first-password-1')).status).toBe(401);
    expect((await signIn(created.username, 'second-password-2')).status).toBe(200);
    expect((await api(sys, 'POST', '/api/auth/refresh', { body: { refreshToken: session.body.refreshToken } })).status).toBe(401);
  });

  test('When the record is saved back without a password, then the password is unchanged', async () => {
    const created = (await api(sys, 'POST', '/api/users', { token, body: newUserBody() })).body;
    const res = await api(sys, 'PUT', `/api/users/${created.id}`, { token, body: { ...created, name: '改名', password: '' } });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('改名');
    expect((await signIn(created.username, 'first-password-1')).status).toBe(200);
  });

  test('When administrators would lock themselves out, then it is refused', async () => {
    const me = (await api(sys, 'GET', `/api/users/${admin.id}`, { token })).body;
    const res = await api(sys, 'PUT', `/api/users/${admin.id}`, { token, body: { ...me, roles: ['school_staff'], schoolId: school.id } });
    expect(res.status).toBe(400);
    expect(res.body.errors.roles).toMatch(/admin role/);
  });

  test('When the user does not exist or the id is not a number, then 404', async () => {
    expect((await api(sys, 'PUT', '/api/users/999999', { token, body: newUserBody() })).status).toBe(404);
    expect((await api(sys, 'GET', '/api/users/abc', { token })).status).toBe(404);
  });
});

describe('DELETE /api/users/:id', () => {
  test('When an administrator deletes a user, then the user is deactivated (kept for the record) and can no longer sign in', async () => {
    const created = (await api(sys, 'POST', '/api/users', { token, body: newUserBody() })).body;
    const res = await api(sys, 'DELETE', `/api/users/${created.id}`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, active: false });
    expect(await countRows(sys.db, 'users', { id: created.id })).toBe(1);
    expect((await signIn(created.username, 'first-password-1')).status).toBe(401);
  });

  test('When administrators delete themselves, then 409', async () => {
    expect((await api(sys, 'DELETE', `/api/users/${admin.id}`, { token })).status).toBe(409);
  });
});
