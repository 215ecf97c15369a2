/**
 * Failed sign-ins slow down an account and an address progressively, never lock anyone out, count
 * parallel guesses atomically, and believe X-Forwarded-For only from a configured proxy.
 */
import { failuresOf, LOGIN_THROTTLE } from '../../domain/users/login-throttle';
import { api, startSystem, type TestSystem } from '../support/harness';
import { createSchool, createUser } from '../support/fixtures';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startSystem({ worker: false, env: { TRUST_PROXY: 'loopback' } });
});
afterAll(() => sys.close());

let ipCounter = 0;
const freshAddress = () => `203.0.113.${++ipCounter}`;
const login = async (target: Pick<TestSystem, 'baseUrl'>, username: string, password: string, ip?: string) => {
  const started = Date.now();
  const res = await api(target, 'POST', '/api/auth/login', { body: { username, password }, headers: ip ? { 'x-forwarded-for': ip } : {} });
  return { ...res, ms: Date.now() - started };
};

async function newUser(db = sys.db) {
  const school = await createSchool(db);
  const password = 'correct-horse-1';
  const actor = await createUser(db, { roles: ['school_staff'], schoolId: school.id, password });
  return { ...actor, password };
}

describe('POST /api/auth/login — progressive delay instead of lockout', () => {
  test('When an attacker sends 5 wrong passwords for an account, then the owner still signs in with the right one', async () => {
    const owner = await newUser();
    const attacker = freshAddress();
    for (let i = 0; i < 5; i++) expect((await login(sys, owner.username, `guess-${i}-xxxx`, attacker)).status).toBe(401);

    const res = await login(sys, owner.username, owner.password, freshAddress());
    expect(res.status).toBe(200);
    expect(res.body.token).toEqual(expect.any(String));
    // The success clears the account's count.
    expect(await failuresOf(sys.db, { kind: 'account', key: owner.username.toLowerCase() })).toBe(0);
  });

  test('When one address has failed 20 times, then another user behind that address still signs in', async () => {
    const colleague = await newUser();
    const schoolNat = freshAddress();
    for (let i = 0; i < 20; i++) expect((await login(sys, `spray-${i}-${Date.now()}`, 'password-guess', schoolNat)).status).toBe(401);
    expect(await failuresOf(sys.db, { kind: 'address', key: schoolNat })).toBe(20);

    const res = await login(sys, colleague.username, colleague.password, schoolNat);
    expect(res.status).toBe(200);
  });

  test('When 15 wrong passwords arrive at once, then all 15 are counted, later ones wait, and a held attempt adds no failure', async () => {
    const victim = await newUser();
    const account = { kind: 'account' as const, key: victim.username.toLowerCase() };
    const burst = Promise.all(Array.from({ length: 15 }, (_, i) => login(sys, victim.username, `parallel-${i}-xx`, freshAddress())));

    // While the burst's last answers still wait out their cool-down, one more wrong guess arrives:
    // it is held, answered 401, and not counted as a new failure.
    while ((await failuresOf(sys.db, account)) < 15) await new Promise((r) => setImmediate(r));
    const held = await login(sys, victim.username, 'one-more-guess', freshAddress());
    expect(held.status).toBe(401);

    const results = await burst;
    expect(results.map((r) => r.status)).toEqual(Array(15).fill(401));
    expect(await failuresOf(sys.db, account)).toBe(15);
    // The 15th failure's answer waits out the full cool-down it caused.
    expect(Math.max(...results.map((r) => r.ms))).toBeGreaterThanOrEqual(LOGIN_THROTTLE.maxDelayMs);

    // The right password is never refused, only held at most for the cool-down.
    const owner = await login(sys, victim.username, victim.password, freshAddress());
    expect(owner.status).toBe(200);
    expect(await failuresOf(sys.db, account)).toBe(0);
  });
});

describe('POST /api/auth/login — X-Forwarded-For', () => {
  test('When TRUST_PROXY is not set, then X-Forwarded-For is ignored and every attempt counts against the real address', async () => {
    const plain = await startSystem({ worker: false, isolatedDatabase: {} });
    try {
      const user = await newUser(plain.db);
      for (let i = 0; i < 4; i++) await login(plain, user.username, `spoof-${i}-xxxx`, `192.0.2.${100 + i}`);

      const rows = await plain.db('loginThrottle').where({ kind: 'address' });
      expect(rows.map((r) => r.key)).not.toEqual(expect.arrayContaining(['192.0.2.100']));
      expect(rows).toHaveLength(1);
      expect(rows[0].key).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      expect(rows[0].failures).toBe(4);
      const events = await plain.db('auditEvents').where({ action: 'auth.login_failed' });
      expect(events.map((e) => e.details.ip)).toEqual(Array(4).fill(rows[0].key));
    } finally {
      await plain.close();
    }
  });
});
