/**
 * The hostile-input corpus (tests/hostile/corpus.json) against every route that takes input:
 * list sort/filter/range, ids in paths, bodies of creates, updates and actions, and login.
 * Every answer is below 500; every 4xx says what is wrong (a message, and field errors on 400);
 * and since every request of the corpus is one the API must refuse, the stored data are unchanged.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import corpus from './corpus.json';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSchool, createUser, validRegistrationBody } from '../support/fixtures';

jest.setTimeout(300_000);

let sys: TestSystem;
const tokens: Record<'admin' | 'staff' | 'bureau', string> = { admin: '', staff: '', bureau: '' };
const ids = { school: 0, user: 0, formField: 0, policy: 0, registration: '', district: 0 };

beforeAll(async () => {
  sys = await startSystem({ worker: false, isolatedDatabase: {} });
  const school = await createSchool(sys.db);
  const admin = await createUser(sys.db, { roles: ['admin'] });
  const staff = await createUser(sys.db, { roles: ['school_staff'], schoolId: school.id });
  const bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: school.districtId });
  tokens.admin = tokenFor(sys.config, admin);
  tokens.staff = tokenFor(sys.config, staff);
  tokens.bureau = tokenFor(sys.config, bureau);
  Object.assign(ids, { school: school.id, user: staff.id, district: school.districtId });
  const reg = await api(sys, 'POST', '/api/registrations', { token: tokens.staff, body: validRegistrationBody() });
  expect(reg.status).toBe(201);
  ids.registration = reg.body.id;
  const field = await api(sys, 'POST', '/api/form-fields', { token: tokens.admin, body: { key: `f${Date.now()}`, labelZh: '字段', labelEn: 'Field', type: 'text' } });
  expect(field.status).toBe(201);
  ids.formField = field.body.id;
  ids.policy = (await sys.db('deadlinePolicies').first('id')).id;
});
afterAll(async () => {
  // Every case and its answer, for the before/after note (test-artifacts/ is git-ignored).
  fs.mkdirSync('test-artifacts', { recursive: true });
  fs.writeFileSync('test-artifacts/hostile-outcomes.json', JSON.stringify(outcomes.map((o) => ({ what: o.what, status: o.status })), null, 1));
  await sys.close();
});

/** Row count and a hash of every row of every table: equal before and after means nothing was stored. */
async function snapshot(): Promise<Record<string, string>> {
  const { rows } = await sys.db.raw(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`);
  const out: Record<string, string> = {};
  for (const { table_name: t } of rows as { table_name: string }[]) {
    const r = await sys.db.raw(`select count(*) as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from "${t}" x`);
    out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
  }
  return out;
}

interface Outcome {
  what: string;
  status: number;
  body: any;
}
const outcomes: Outcome[] = [];

async function send(what: string, method: string, path: string, opts: { token?: string; body?: unknown; raw?: Buffer } = {}): Promise<Outcome> {
  let res: { status: number; body: any };
  if (opts.raw) {
    const r = await fetch(`${sys.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
      body: new Uint8Array(opts.raw),
    });
    const text = await r.text();
    res = { status: r.status, body: text ? JSON.parse(text) : undefined };
  } else {
    res = await api(sys, method, path, { token: opts.token, body: opts.body });
  }
  const outcome = { what: `${method} ${path.slice(0, 120)} — ${what}`, status: res.status, body: res.body };
  outcomes.push(outcome);
  return outcome;
}

let problems: string[] = [];
beforeEach(() => {
  problems = [];
});
/** Collects every case answered otherwise than 400 with field errors, so one run lists them all. */
function refused(o: Outcome) {
  if (o.status !== 400 || !explains(o)) problems.push(`${o.what}: ${o.status} ${JSON.stringify(o.body ?? '').slice(0, 120)}`);
}

/** A 4xx that says what is wrong: a message, and on 400 at least one field error. */
function explains(o: Outcome): boolean {
  if (o.status < 400 || o.status >= 500) return false;
  if (typeof o.body?.message !== 'string' || !/ \/ /.test(o.body.message)) return false;
  return o.status !== 400 || (o.body.errors && Object.keys(o.body.errors).length > 0);
}

function setPath(target: any, path: string, value: unknown) {
  const keys = path.split('.');
  let at = target;
  for (const k of keys.slice(0, -1)) at = at[k];
  at[keys[keys.length - 1]] = value;
}

const LISTS: { path: string; token: keyof typeof tokens; filters: { text: string[]; int: string[]; date: string[] } }[] = [
  { path: '/api/registrations', token: 'staff', filters: { text: ['q', 'step', 'id', 'status'], int: ['schoolId'], date: [] } },
  { path: '/api/tasks', token: 'staff', filters: { text: ['q', 'id', 'registrationId', 'step', 'status', 'role'], int: ['schoolId'], date: [] } },
  { path: '/api/schools', token: 'admin', filters: { text: ['q'], int: ['id', 'districtId'], date: [] } },
  { path: '/api/districts', token: 'admin', filters: { text: [], int: ['id'], date: [] } },
  { path: '/api/users', token: 'admin', filters: { text: ['q', 'role'], int: ['id', 'schoolId', 'districtId'], date: [] } },
  { path: '/api/party-types', token: 'staff', filters: { text: ['q', 'id', 'category'], int: [], date: [] } },
  { path: '/api/form-fields', token: 'admin', filters: { text: ['q', 'key'], int: ['id'], date: [] } },
  { path: '/api/deadline-policies', token: 'admin', filters: { text: ['step'], int: ['id'], date: [] } },
  { path: '/api/notifications', token: 'staff', filters: { text: ['kind', 'registrationId'], int: ['id'], date: [] } },
  { path: '/api/audit-events', token: 'admin', filters: { text: ['action', 'registrationId'], int: ['id', 'actorId'], date: ['atFrom', 'atTo'] } },
];

const q = (v: unknown) => encodeURIComponent(JSON.stringify(v));

describe('The hostile-input corpus', () => {
  let before: Record<string, string>;
  beforeAll(async () => {
    before = await snapshot();
  });

  test('When a list is sorted by a prototype name or an unknown field, then 400 on sort', async () => {
    for (const list of LISTS) {
      for (const field of corpus.sortFields) {
        const o = await send(`sort ${field}`, 'GET', `${list.path}?sort=${q([field, 'ASC'])}`, { token: tokens[list.token] });
        if (o.status !== 400 || !o.body?.errors?.sort) problems.push(`${o.what}: ${o.status}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('When a filter carries control characters, unpaired surrogates, out-of-range integers or impossible dates, then 400', async () => {
    for (const list of LISTS) {
      const token = tokens[list.token];
      for (const key of [...list.filters.text, ...list.filters.int, ...list.filters.date]) {
        for (const t of corpus.texts) {
          const o = await send(`filter ${key} ${t.case}`, 'GET', `${list.path}?filter=${q({ [key]: t.value })}`, { token });
          refused(o);
        }
      }
      for (const key of list.filters.int) {
        for (const n of [...corpus.integers, ...corpus.integerStrings]) {
          const one = await send(`filter ${key}=${n}`, 'GET', `${list.path}?filter=${q({ [key]: n })}`, { token });
          const many = await send(`filter ${key}=[${n}]`, 'GET', `${list.path}?filter=${q({ [key]: [1, n] })}`, { token });
          for (const o of [one, many]) refused(o);
        }
      }
      for (const key of list.filters.date) {
        for (const d of corpus.dates) {
          const o = await send(`filter ${key}=${d}`, 'GET', `${list.path}?filter=${q({ [key]: d })}`, { token });
          refused(o);
        }
      }
      for (const range of [[0, 2147483648], [2147483648, 2147483649], [-1, 5], [0, 1e20], [1.5, 3]]) {
        const o = await send(`range ${JSON.stringify(range)}`, 'GET', `${list.path}?range=${q(range)}`, { token });
        refused(o);
      }
      for (const raw of corpus.rawQueryValues) {
        const o = await send(`raw query ${raw}`, 'GET', `${list.path}?filter=%7B%22q%22%3A%22${raw}%22%7D`, { token });
        refused(o);
      }
    }
    expect(problems).toEqual([]);
  });

  test('When an id in the path is out of range, NUL, an unpaired surrogate or a prototype name, then a 4xx that explains', async () => {
    const paths = [
      '/api/registrations/%s', '/api/registrations/%s/timeline', '/api/registrations/%s/signature', '/api/registrations/%s/print',
      '/api/tasks/%s', '/api/schools/%s', '/api/schools/%s/stamp', '/api/districts/%s', '/api/users/%s', '/api/party-types/%s',
      '/api/form-fields/%s', '/api/deadline-policies/%s', '/api/notifications/%s', '/api/audit-events/%s', '/api/files/%s',
      '/api/registrations/%s/comments',
    ];
    const badIds = ['2147483648', '-2147483649', '99999999999999999999', '1e20', '%00', '1%00', '%ED%A0%80', '%FF', '__proto__', 'constructor', '0'];
    for (const p of paths) {
      for (const id of badIds) {
        const o = await send(`id ${id}`, 'GET', p.replace('%s', id), { token: tokens.admin });
        if (!explains(o)) problems.push(`${o.what}: ${o.status} ${JSON.stringify(o.body).slice(0, 120)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  const BODIES: { method: string; path: () => string; token: keyof typeof tokens | null; body: () => any; texts: string[]; ints: string[]; dates: string[] }[] = [
    { method: 'POST', path: () => '/api/auth/login', token: null, body: () => ({ username: 'someone', password: 'password-123' }), texts: ['username', 'password'], ints: [], dates: [] },
    { method: 'POST', path: () => '/api/auth/refresh', token: null, body: () => ({ refreshToken: 'x'.repeat(43) }), texts: ['refreshToken'], ints: [], dates: [] },
    { method: 'POST', path: () => '/api/auth/logout', token: null, body: () => ({ refreshToken: 'x'.repeat(43) }), texts: ['refreshToken'], ints: [], dates: [] },
    {
      method: 'POST', path: () => '/api/schools', token: 'admin',
      body: () => ({ districtId: ids.district, code: `c${Date.now()}`, name: '学校', legalRepresentative: '校长', address: '地址' }),
      texts: ['code', 'name', 'legalRepresentative', 'address'], ints: ['districtId'], dates: [],
    },
    {
      method: 'PUT', path: () => `/api/schools/${ids.school}`, token: 'admin',
      body: () => ({ districtId: ids.district, code: `c${Date.now()}`, name: '学校', legalRepresentative: '校长', address: '地址' }),
      texts: ['code', 'name', 'legalRepresentative', 'address'], ints: ['districtId'], dates: [],
    },
    {
      method: 'POST', path: () => '/api/users', token: 'admin',
      body: () => ({ username: `u${Date.now()}`, name: '用户', roles: ['school_staff'], schoolId: ids.school, email: 'a@example.com', password: 'password-123' }),
      texts: ['username', 'name', 'email', 'password', 'roles.0'], ints: ['schoolId', 'districtId'], dates: [],
    },
    {
      method: 'PUT', path: () => `/api/users/${ids.user}`, token: 'admin',
      body: () => ({ username: `u${Date.now()}`, name: '用户', roles: ['school_staff'], schoolId: ids.school, email: 'a@example.com' }),
      texts: ['username', 'name', 'email', 'roles.0'], ints: ['schoolId', 'districtId'], dates: [],
    },
    ...(['POST', 'PUT'] as const).map((method) => ({
      method, path: () => (method === 'POST' ? '/api/registrations' : `/api/registrations/${ids.registration}`), token: 'staff' as const,
      body: () => validRegistrationBody(),
      texts: ['name', 'legalRepresentative', 'introduction', 'remarks', 'memberSchools.0.name', 'memberUnits.0.name', 'memberUnits.0.profile', 'memberUnits.0.partyType', 'goals.0.title', 'goals.0.measures'],
      ints: [], dates: ['formedOn', 'goals.0.targetDate'],
    })),
    {
      method: 'POST', path: () => '/api/form-fields', token: 'admin',
      body: () => ({ key: `k${Date.now()}`, labelZh: '字段', labelEn: 'Field', type: 'select', options: [{ value: 'a', labelZh: '甲', labelEn: 'A' }], position: 1 }),
      texts: ['key', 'labelZh', 'labelEn', 'options.0.value', 'options.0.labelZh'], ints: ['position'], dates: [],
    },
    {
      method: 'PUT', path: () => `/api/deadline-policies/${ids.policy}`, token: 'admin',
      body: () => ({ dueSeconds: 86400, remindBeforeSeconds: 3600, escalateToRole: null }),
      texts: ['escalateToRole'], ints: ['dueSeconds', 'remindBeforeSeconds'], dates: [],
    },
    {
      method: 'POST', path: () => '/api/tasks/bulk', token: 'bureau',
      body: () => ({ ids: [randomUUID()], action: 'approve', comment: '同意' }),
      texts: ['ids.0', 'action', 'comment'], ints: [], dates: [],
    },
    {
      method: 'POST', path: () => `/api/tasks/${randomUUID()}/complete`, token: 'staff',
      body: () => ({ action: 'return', comment: '退回' }),
      texts: ['action', 'comment'], ints: [], dates: [],
    },
    {
      method: 'POST', path: () => `/api/registrations/${ids.registration}/withdraw`, token: 'staff',
      body: () => ({ reason: '撤回' }), texts: ['reason'], ints: [], dates: [],
    },
    {
      method: 'POST', path: () => `/api/registrations/${ids.registration}/comments`, token: 'staff',
      body: () => ({ body: '评论', fileIds: [] }), texts: ['body', 'fileIds.0'], ints: [], dates: [],
    },
    {
      method: 'PUT', path: () => `/api/deadline-policies/${ids.policy}`, token: 'admin',
      body: () => ({ dueSeconds: 86400, remindBeforeSeconds: 3600, ccRoles: ['principal'], ccUserIds: [ids.user], ccWhen: 'submit' }),
      texts: ['ccRoles.0', 'ccWhen'], ints: ['ccUserIds.0'], dates: [],
    },
    {
      method: 'POST', path: () => '/api/files', token: 'staff',
      body: () => ({ dataUrl: 'data:image/png;base64,AAAA', name: 'photo.png' }), texts: ['name', 'dataUrl'], ints: [], dates: [],
    },
  ];

  test('When a body field carries hostile text, an out-of-range integer or an impossible date, then 400 naming the field', async () => {
    for (const route of BODIES) {
      const token = route.token ? tokens[route.token] : undefined;
      const cases: [string, string, unknown][] = [
        ...route.texts.flatMap((f) => corpus.texts.map((t) => [f, t.case, t.value] as [string, string, unknown])),
        ...route.ints.flatMap((f) => corpus.integers.map((n) => [f, String(n), n] as [string, string, unknown])),
        ...route.dates.flatMap((f) => corpus.dates.map((d) => [f, d, d] as [string, string, unknown])),
      ];
      for (const [field, label, value] of cases) {
        const body = route.body();
        setPath(body, field, value);
        const o = await send(`${field} ${label}`, route.method, route.path(), { token, body });
        refused(o);
      }
      for (const raw of corpus.rawBodies) {
        const o = await send(`raw body ${raw.case}`, route.method, route.path(), { token, raw: Buffer.from(raw.hex, 'hex') });
        refused(o);
      }
    }
    expect(problems).toEqual([]);
  });

  test('When an uploaded file name carries hostile text, then 400 on file.name and nothing stored', async () => {
    for (const t of corpus.texts) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }), `photo${t.value}.png`);
      const res = await fetch(`${sys.baseUrl}/api/files`, { method: 'POST', headers: { authorization: `Bearer ${tokens.staff}` }, body: form });
      const o: Outcome = { what: `POST /api/files multipart — file name ${t.case}`, status: res.status, body: await res.json() };
      outcomes.push(o);
      refused(o);
    }
    expect(problems).toEqual([]);
  });

  test('When a registration carries a value for an unknown or deactivated extra field that is huge or deeply nested, then 400', async () => {
    const key = (await sys.db('formFields').where({ id: ids.formField }).first('key')).key as string;
    await sys.db('formFields').where({ id: ids.formField }).update({ active: false });
    try {
      let deep: unknown = 'x';
      for (let i = 0; i < 3000; i++) deep = [deep];
      for (const [label, value] of [['600,000 characters', 'x'.repeat(600_000)], ['3,000-level array', deep], ['object', { a: 1 }]] as const) {
        for (const k of [key, 'no_such_field']) {
          const o = await send(`extra.${k} ${label}`, 'POST', '/api/registrations', { token: tokens.staff, body: validRegistrationBody({ extra: { [k]: value } }) });
          refused(o);
        }
      }
    } finally {
      await sys.db('formFields').where({ id: ids.formField }).update({ active: true });
    }
    expect(problems).toEqual([]);
  });

  test('When x-request-id is long or odd, then the echoed id is bounded to 64 safe characters', async () => {
    for (const c of corpus.requestIds) {
      const value = 'repeat' in c && c.repeat ? String(c.repeat[0]).repeat(Number(c.repeat[1])) : String(c.value);
      const res = await fetch(`${sys.baseUrl}/api/party-types`, { headers: { authorization: `Bearer ${tokens.staff}`, 'x-request-id': value } });
      const echoed = res.headers.get('x-request-id') ?? '';
      expect({ case: c.case, ok: /^[A-Za-z0-9._-]{1,64}$/.test(echoed) }).toEqual({ case: c.case, ok: true });
    }
    const kept = await fetch(`${sys.baseUrl}/healthz`, { headers: { 'x-request-id': 'trace-123.abc_DEF' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-123.abc_DEF');
  });

  test('When a signed-in user reads JSON, then the answer says Cache-Control: no-store', async () => {
    for (const path of ['/api/users', '/api/auth/me', `/api/registrations/${ids.registration}`, '/api/tasks']) {
      const res = await fetch(`${sys.baseUrl}${path}`, { headers: { authorization: `Bearer ${tokens.admin}` } });
      expect({ path, cache: res.headers.get('cache-control') }).toEqual({ path, cache: 'no-store' });
    }
  });

  test('When the whole corpus has run, then no answer was a 5xx and nothing was stored', async () => {
    const fivexx = outcomes.filter((o) => o.status >= 500).map((o) => o.what);
    expect(fivexx).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(1000);
    expect(await snapshot()).toEqual(before);
  });
});
