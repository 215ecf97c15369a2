/**
 * Sessions: no published default secret, and a token stands only while the user's current state
 * does (active, same roles and school, not logged out), checked on every request.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { DEFAULT_JWT_SECRET, jwtSecretPath, loadConfig } from '../../platform/config';
import { SESSION_CACHE_MS } from '../../domain/users/sessions';
import { api, startSystem, type TestSystem } from '../support/harness';
import { createSchool, createUser } from '../support/fixtures';

const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'jlt-sessions-'));

describe('The JWT secret', () => {
  test('When `npm start` runs without JWT_SECRET, then a random secret is made once, kept in DATA_DIR and reused', () => {
    const dir = tmpDir();
    const first = loadConfig({ DATA_DIR: dir });
    const again = loadConfig({ DATA_DIR: dir });
    const elsewhere = loadConfig({ DATA_DIR: tmpDir() });

    expect(first.JWT_SECRET).not.toBe(DEFAULT_JWT_SECRET);
    expect(first.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(again.JWT_SECRET).toBe(first.JWT_SECRET);
    expect(elsewhere.JWT_SECRET).not.toBe(first.JWT_SECRET);
    expect(fs.readFileSync(jwtSecretPath(dir), 'utf8')).toBe(first.JWT_SECRET);
    expect(fs.statSync(jwtSecretPath(dir)).mode & 0o077).toBe(0);
  });

  test('When the published default secret is configured, then the start is refused', () => {
    expect(() => loadConfig({ DATA_DIR: tmpDir(), JWT_SECRET: DEFAULT_JWT_SECRET })).toThrow(/JWT_SECRET/);
  });

  test('When someone mints an admin token with the old default secret, then the API refuses it', async () => {
    const sys = await startSystem({ worker: false, env: { DATA_DIR: tmpDir() } });
    try {
      const admin = await createUser(sys.db, { roles: ['admin'], password: 'admin-password-1' });
      const forged = jwt.sign({ id: admin.id, roles: ['admin'], typ: 'access' }, DEFAULT_JWT_SECRET, { algorithm: 'HS256', expiresIn: 600 });
      expect((await api(sys, 'GET', '/api/users', { token: forged })).status).toBe(401);

      const real = await api(sys, 'POST', '/api/auth/login', { body: { username: admin.username, password: 'admin-password-1' } });
      expect((await api(sys, 'GET', '/api/users', { token: real.body.token })).status).toBe(200);
    } finally {
      await sys.close();
    }
  });
});

describe('Revocation takes effect on the next request', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem({ worker: false });
  });
  afterAll(() => sys.close());

  const PASSWORD = 'session-password-1';
  const signIn = async (username: string) => {
    const res = await api(sys, 'POST', '/api/auth/login', { body: { username, password: PASSWORD } });
    expect(res.status).toBe(200);
    return res.body as { token: string; refreshToken: string };
  };
  const newAdmin = async () => {
    const admin = await createUser(sys.db, { roles: ['admin'], password: PASSWORD });
    return { admin, session: await signIn(admin.username) };
  };

  test('When an admin deactivates a user, then that user’s very next request is 401', async () => {
    const { session: adminSession } = await newAdmin();
    const school = await createSchool(sys.db);
    const staff = await createUser(sys.db, { roles: ['school_staff'], schoolId: school.id, password: PASSWORD });
    const { token } = await signIn(staff.username);
    expect((await api(sys, 'GET', '/api/registrations', { token })).status).toBe(200);

    expect((await api(sys, 'DELETE', `/api/users/${staff.id}`, { token: adminSession.token })).status).toBe(200);
    expect((await api(sys, 'GET', '/api/registrations', { token })).status).toBe(401);
    expect((await api(sys, 'POST', '/api/registrations', { token, body: {} })).status).toBe(401);
  });

  test('When an admin is demoted, then the old token cannot create an admin, and a refreshed one has the new roles', async () => {
    const { session: boss } = await newAdmin();
    const { admin: demoted, session } = await newAdmin();
    const school = await createSchool(sys.db);
    const current = (await api(sys, 'GET', `/api/users/${demoted.id}`, { token: boss.token })).body;
    const put = await api(sys, 'PUT', `/api/users/${demoted.id}`, { token: boss.token, body: { ...current, roles: ['school_staff'], schoolId: school.id } });
    expect(put.status).toBe(200);

    const body = { username: `new-admin-${Date.now()}`, name: '新管理员', roles: ['admin'], password: 'another-password-1' };
    expect((await api(sys, 'POST', '/api/users', { token: session.token, body })).status).toBe(401);
    const refreshed = await api(sys, 'POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect((await api(sys, 'POST', '/api/users', { token: refreshed.body.token, body })).status).toBe(403);
    expect(await sys.db('users').where({ username: body.username })).toHaveLength(0);
  });

  test('When the user logs out, then the access token stops working at once', async () => {
    const { session } = await newAdmin();
    expect((await api(sys, 'GET', '/api/auth/me', { token: session.token })).status).toBe(200);
    expect((await api(sys, 'POST', '/api/auth/logout', { body: { refreshToken: session.refreshToken } })).status).toBe(204);
    expect((await api(sys, 'GET', '/api/auth/me', { token: session.token })).status).toBe(401);
  });

  test('When another instance deactivates the user in the database, then this one refuses the token within the cache bound', async () => {
    const { admin, session } = await newAdmin();
    expect((await api(sys, 'GET', '/api/users', { token: session.token })).status).toBe(200);
    await sys.db('users').where({ id: admin.id }).update({ active: false });
    const changedAt = Date.now();

    let status = 200;
    while (status === 200) status = (await api(sys, 'GET', '/api/users', { token: session.token })).status;
    expect(status).toBe(401);
    // A lower bound only: the cached row was never trusted longer than the bound (plus this loop's last request).
    expect(Date.now() - changedAt).toBeLessThan(SESSION_CACHE_MS + 5000);
  });
});
