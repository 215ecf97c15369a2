import { api, startSystem, type TestSystem } from '../support/harness';
import { createSchool, createUser, DEFAULT_TEST_PASSWORD } from '../support/fixtures';
import { auditEventsOf } from '../api/helpers';
import { freePort, signInThroughProvider, startProvider, type TestProvider } from './oidc';

let sys: TestSystem;
let provider: TestProvider;

beforeAll(async () => {
  const port = await freePort();
  sys = await startSystem({
    worker: false,
    env: { OIDC_ISSUER: `http://127.0.0.1:${port}`, OIDC_CLIENT_ID: 'jlt-console', OIDC_CLIENT_SECRET: 'a-test-client-secret', OIDC_LABEL: '省统一身份认证' },
  });
  provider = await startProvider(port, 'jlt-console', 'a-test-client-secret', `${sys.baseUrl}/api/auth/oidc/callback`);
}, 60_000);
afterAll(async () => {
  await provider?.stop();
  await sys?.close();
});

describe('Single sign-on through a real OpenID Connect provider', () => {
  test('When SSO is configured, then the public providers answer offers it next to passwords', async () => {
    const res = await api(sys, 'GET', '/api/auth/providers');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ password: true, oidc: { enabled: true, label: '省统一身份认证', loginUrl: '/api/auth/oidc/login' } });
  });

  test('When an existing user signs in at the provider, then the console receives a session of that user, which rotates like any other', async () => {
    const school = await createSchool(sys.db);
    const user = await createUser(sys.db, { roles: ['principal'], schoolId: school.id, username: `sso-${Date.now()}` });
    const landing = await signInThroughProvider(sys.baseUrl, user.username.toUpperCase()); // the claim matches case-insensitively
    const params = new URLSearchParams(landing.hash.split('?')[1]);
    expect(params.get('ssoError')).toBeNull();
    const refreshToken = params.get('sso')!;
    const session = await api(sys, 'POST', '/api/auth/refresh', { body: { refreshToken } });
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ id: user.id, roles: ['principal'], schoolId: school.id });
    expect((await api(sys, 'GET', '/api/auth/me', { token: session.body.token })).body.username).toBe(user.username);
    // The token from the address bar is spent: replaying it is refused.
    expect((await api(sys, 'POST', '/api/auth/refresh', { body: { refreshToken } })).status).toBe(401);
    expect((await auditEventsOf(sys.db, 'auth.oidc_login', { username: user.username })).length).toBe(1);
  });

  test('When the provider vouches for someone who has no account, then they are refused with a reason and no user is created', async () => {
    const stranger = `nobody-${Date.now()}`;
    const landing = await signInThroughProvider(sys.baseUrl, stranger);
    const params = new URLSearchParams(landing.hash.split('?')[1]);
    expect(params.get('ssoError')).toBe('unknown_user');
    expect(params.get('ssoUser')).toBe(stranger);
    expect(params.get('sso')).toBeNull();
    expect(await sys.db('users').whereRaw('lower(username) = ?', [stranger]).first()).toBeUndefined();
    expect((await auditEventsOf(sys.db, 'auth.oidc_refused', { value: stranger }))[0].details).toMatchObject({ reason: 'unknown_user' });
  });

  test('When a deactivated user signs in at the provider, then they are refused', async () => {
    const user = await createUser(sys.db, { roles: ['admin'], username: `gone-${Date.now()}` });
    await sys.db('users').where({ id: user.id }).update({ active: false });
    const landing = await signInThroughProvider(sys.baseUrl, user.username);
    expect(new URLSearchParams(landing.hash.split('?')[1]).get('ssoError')).toBe('inactive');
  });

  test('When the callback comes without the pending-login cookie (forged or replayed), then no session', async () => {
    const res = await fetch(`${sys.baseUrl}/api/auth/oidc/callback?code=forged&state=forged`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/#/login?ssoError=expired');
  });

  test('When SSO is on, then local password accounts keep working', async () => {
    const user = await createUser(sys.db, { roles: ['school_staff'], schoolId: (await createSchool(sys.db)).id });
    expect((await api(sys, 'POST', '/api/auth/login', { body: { username: user.username, password: DEFAULT_TEST_PASSWORD } })).status).toBe(200);
  });
});

describe('When the provider cannot be reached', () => {
  test('When a user clicks the SSO button, then they are sent back to the login page with a reason, not a server error', async () => {
    const port = await freePort(); // nothing listens there
    const down = await startSystem({ worker: false, env: { OIDC_ISSUER: `http://127.0.0.1:${port}`, OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y' } });
    try {
      const res = await fetch(`${down.baseUrl}/api/auth/oidc/login`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/#/login?ssoError=failed');
    } finally {
      await down.close();
    }
  });
});

describe('Without SSO configured', () => {
  test('When the providers are asked, then only passwords; the SSO routes answer 404', async () => {
    const plain = await startSystem({ worker: false });
    try {
      expect((await api(plain, 'GET', '/api/auth/providers')).body).toEqual({ password: true, oidc: { enabled: false } });
      expect((await api(plain, 'GET', '/api/auth/oidc/login')).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
