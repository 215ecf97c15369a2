import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { api, startSystem, type TestSystem } from '../support/harness';
import { createSchool, createUser } from '../support/fixtures';
import { auditEventsOf } from './helpers';

let sys: TestSystem;
beforeAll(async () => {
  // The tests stand behind a trusted proxy on loopback, so each can sign in from an address of its own.
  sys = await startSystem({ worker: false, env: { TRUST_PROXY: 'loopback' } });
});
afterAll(() => sys.close());

let ipCounter = 0;
/** Each test signs in from an address of its own, so per-address throttling stays within the test. */
const freshAddress = () => `198.51.100.${++ipCounter}`;
const login = (username: string, password: string, ip: string) =>
  api(sys, 'POST', '/api/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': ip } });

async function newUser(password = 'correct-horse-1') {
  const school = await createSchool(sys.db);
  const actor = await createUser(sys.db, { roles: ['school_staff'], schoolId: school.id, password });
  return { ...actor, password };
}

describe('POST /api/auth/login', () => {
  test('When the password is right, then it answers an access token, a refresh token and the user', async () => {
    const user = await newUser();
    const res = await login(user.username, user.password, freshAddress());

    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ id: user.id, username: user.username, name: user.name, roles: ['school_staff'], schoolId: user.schoolId, districtId: user.districtId });
    expect(res.body.refreshToken).toEqual(expect.any(String));
    const claims = jwt.verify(res.body.token, sys.config.JWT_SECRET, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(claims.exp! - claims.iat!).toBe(sys.config.JWT_TTL_SECONDS);
    const me = await api(sys, 'GET', '/api/auth/me', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, username: user.username });
    expect(me.body).not.toHaveProperty('passwordHash');
  });

  test('When the username differs only in case, then it still signs in', async () => {
    const user = await newUser();
    expect((await login(user.username.toUpperCase(), user.password, freshAddress())).status).toBe(200);
  });

  test('When the password is wrong, then 401 and an audit event that names the user and address but never the password', async () => {
    const user = await newUser();
    const ip = freshAddress();
    const res = await login(user.username, 'wrong-password-123', ip);

    expect(res.status).toBe(401);
    expect(res.body.message).toBe('用户名或密码错误 / Wrong username or password');
    const [event] = await auditEventsOf(sys.db, 'auth.login_failed', { username: user.username.toLowerCase() });
    expect(event.details).toEqual({ username: user.username.toLowerCase(), ip, reason: 'wrong_password' });
    expect(JSON.stringify(event)).not.toContain('wrong-password-123');
  });

  test('When the user does not exist or is deactivated, then the answer is the same 401', async () => {
    const unknown = await login(`ghost-${Date.now()}`, 'whatever-123', freshAddress());
    const inactive = await newUser();
    await sys.db('users').where({ id: inactive.id }).update({ active: false });
    const deactivated = await login(inactive.username, inactive.password, freshAddress());
    expect([unknown.status, deactivated.status]).toEqual([401, 401]);
    expect(unknown.body.message).toBe(deactivated.body.message);
  });

  test('When the password is missing, then it is a field error', async () => {
    const res = await api(sys, 'POST', '/api/auth/login', { body: { username: 'someone' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.password).toBe('必填 / Required');
  });

  test('When passwords are stored, then only an argon2id hash is kept', async () => {
    const user = await newUser('plain-text-never');
    const row = await sys.db('users').where({ id: user.id }).first('passwordHash');
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain('plain-text-never');
  });
});

describe('POST /api/auth/refresh and /logout', () => {
  test('When a refresh token is used, then a new pair is answered and the old token is spent', async () => {
    const user = await newUser();
    const first = await login(user.username, user.password, freshAddress());
    const refreshed = await api(sys, 'POST', '/api/auth/refresh', { body: { refreshToken: first.body.refreshToken } });

    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(first.body.refreshToken);
    expect((await api(sys, 'GET', '/api/auth/me', { token: refreshed.body.token })).status).toBe(200);
    const stored = await sys.db('refreshTokens').where({ userId: user.id });
    expect(stored.map((r) => r.tokenHash)).toContain(createHash('sha256').update(first.body.refreshToken).digest('hex'));
    expect(stored.map((r) => r.tokenHash)).not.toContain(first.body.refreshToken);
  });

  test('When a spent refresh token is presented again, then 401 and every session of that user ends', async () => {
    const user = await newUser();
    const first = await login(user.username, user.password, freshAddress());
    const second = await api(sys, 'POST', '/api/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    const replay = await api(sys, 'POST', '/api/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(replay.status).toBe(401);
    const afterReplay = await api(sys, 'POST', '/api/auth/refresh', { body: { refreshToken: second.body.refreshToken } });
    expect(afterReplay.status).toBe(401);
  });

  test('When a refresh token has expired or the user was deactivated, then 401', async () => {
    const user = await newUser();
    const a = await login(user.username, user.password, freshAddress());
    await sys.db('refreshTokens').where({ userId: user.id }).update({ expiresAt: new Date(Date.now() - 1000) });
    expect((await api(sys, 'POST', '/api/auth/refresh', { body: { refreshToken: a.body.refreshToken } })).status).toBe(401);

    const b = await login(user.username, user.password, freshAddress());
    await sys.db('users').where({ id: user.id }).update({ active: false });
    expect((await api(sys, 'POST', '/api/auth/refresh', { body: { refreshToken: b.body.refreshToken } })).status).toBe(401);
  });

  test('When the user logs out, then the refresh token no longer works', async () => {
    const user = await newUser();
    const s = await login(user.username, user.password, freshAddress());
    expect((await api(sys, 'POST', '/api/auth/logout', { body: { refreshToken: s.body.refreshToken } })).status).toBe(204);
    expect((await api(sys, 'POST', '/api/auth/refresh', { body: { refreshToken: s.body.refreshToken } })).status).toBe(401);
    expect(await sys.db('auditEvents').where({ action: 'auth.logout', actorId: user.id })).toHaveLength(1);
  });
});

describe('GET /api/auth/me — tokens are checked strictly', () => {
  test('When there is no token, an expired one, one signed with another secret, or an unsigned one, then 401', async () => {
    const user = await newUser();
    const claims = { ...user, typ: 'access' };
    const tokens = [
      undefined,
      jwt.sign(claims, sys.config.JWT_SECRET, { algorithm: 'HS256', expiresIn: -10 }),
      jwt.sign(claims, 'another-secret-of-enough-length', { algorithm: 'HS256', expiresIn: 60 }),
      jwt.sign(claims, '', { algorithm: 'none' }),
      jwt.sign({ ...claims, typ: 'refresh' }, sys.config.JWT_SECRET, { algorithm: 'HS256', expiresIn: 60 }),
    ];
    for (const token of tokens) {
      const res = await api(sys, 'GET', '/api/auth/me', { token });
      expect(res.status).toBe(401);
    }
  });
});
