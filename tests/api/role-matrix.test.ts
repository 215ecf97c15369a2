/**
 * Every role on every route of the registration, catalog, school, user, form-field, audit and auth
 * APIs: the answer each one gets, asserted exactly (anonymous callers included).
 */
import type { Actor } from '../../api/middleware/auth';
import type { Role } from '../../api/rights';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSchool, createSchoolWithStaff, createUser, DEFAULT_TEST_PASSWORD, validRegistrationBody } from '../support/fixtures';
import { signaturePng } from '../signing/support';

type Who = Role | 'anonymous';
const WHO: Who[] = ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin', 'anonymous'];

let sys: TestSystem;
let actors: Record<Role, Actor>;
let home: Awaited<ReturnType<typeof createSchoolWithStaff>>;
const uniq = () => Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  sys = await startSystem({ worker: false });
  home = await createSchoolWithStaff(sys.db);
  actors = {
    school_staff: home.staff,
    lead_school_leader: home.leader,
    principal: home.principal,
    bureau_approver: await createUser(sys.db, { roles: ['bureau_approver'], districtId: home.school.districtId }),
    admin: await createUser(sys.db, { roles: ['admin'] }),
  };
});
afterAll(() => sys.close());

/** A draft of the home school, made fresh for a case that may change or delete it. */
async function draft() {
  const res = await api(sys, 'POST', '/api/registrations', { token: tokenFor(sys.config, home.staff), body: validRegistrationBody() });
  return res.body as { id: string; version: number } & Record<string, unknown>;
}
async function formField() {
  const [row] = await sys.db('formFields')
    .insert({ key: `m${uniq()}`, labelZh: '矩阵', labelEn: 'Matrix', type: 'text', required: false, active: false })
    .returning('*');
  return row;
}
/** A review row of a home-school draft (this suite runs without a worker, so the row is put in place directly). */
async function reviewOfHomeSchool(): Promise<string> {
  const d = await draft();
  const [row] = await sys.db('goalReviews').insert({ registrationId: d.id, cycle: 1, openedAt: new Date() }).returning('id');
  return row.id;
}
/** An open opinion task of a home-school draft (no worker here: the row is put in place; no workflow runs it). */
async function openTaskOfHomeSchool(): Promise<string> {
  const d = await draft();
  const now = new Date();
  const [row] = await sys.db('tasks')
    .insert({ registrationId: d.id, step: 'lead_school_opinion', round: 1, assigneeRole: 'lead_school_leader', schoolId: home.school.id, districtId: home.school.districtId, status: 'open', dueAt: new Date(now.getTime() + 86_400_000), createdAt: now, updatedAt: now })
    .returning('id');
  return row.id;
}
/** A delegation of the home school's leader to its staff member, one week from now (outside any other window). */
async function delegationOfHomeLeader(): Promise<number> {
  const start = Date.now() + (7 + Math.floor(Math.random() * 10_000)) * 86_400_000;
  await sys.db('delegations').where({ fromUserId: home.leader.id }).del();
  const [row] = await sys.db('delegations').insert({ fromUserId: home.leader.id, toUserId: home.staff.id, startsAt: new Date(start), endsAt: new Date(start + 3_600_000) }).returning('id');
  return row.id;
}
/** A date far in the future no other case uses (calendar-day dates are unique). */
const farDate = () => `${2100 + Math.floor(Math.random() * 800)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`;
async function calendarDay() {
  const [row] = await sys.db('calendarDays').insert({ date: farDate(), kind: 'holiday', name: '矩阵' }).onConflict('date').merge().returning('id');
  return row as { id: number };
}
const schoolBody = (districtId: number) => ({ districtId, code: `m-${uniq()}`, name: `矩阵学校${uniq()}` });
const userBody = () => ({ username: `m.${uniq()}`, name: '矩阵用户', roles: ['school_staff'], schoolId: home.school.id, password: 'matrix-pass-1' });

interface Case {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  route: string;
  setup: () => Promise<{ path: string; body?: unknown }>;
  expected: [staff: number, leader: number, principal: number, bureau: number, admin: number, anonymous: number];
}

const CASES: Case[] = [
  { method: 'GET', route: '/api/registrations', setup: async () => ({ path: '/api/registrations' }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'GET', route: '/api/registrations/:id', setup: async () => ({ path: `/api/registrations/${(await draft()).id}` }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'POST', route: '/api/registrations', setup: async () => ({ path: '/api/registrations', body: validRegistrationBody() }), expected: [201, 403, 403, 403, 403, 401] },
  {
    method: 'PUT',
    route: '/api/registrations/:id',
    setup: async () => {
      const d = await draft();
      return { path: `/api/registrations/${d.id}`, body: { ...d, name: '矩阵修改' } };
    },
    expected: [200, 403, 403, 403, 403, 401],
  },
  { method: 'DELETE', route: '/api/registrations/:id', setup: async () => ({ path: `/api/registrations/${(await draft()).id}` }), expected: [200, 403, 403, 403, 200, 401] },

  { method: 'GET', route: '/api/schools', setup: async () => ({ path: '/api/schools' }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'GET', route: '/api/schools/:id', setup: async () => ({ path: `/api/schools/${home.school.id}` }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'POST', route: '/api/schools', setup: async () => ({ path: '/api/schools', body: schoolBody(home.school.districtId) }), expected: [403, 403, 403, 403, 201, 401] },
  {
    method: 'PUT',
    route: '/api/schools/:id',
    setup: async () => {
      const s = await createSchool(sys.db, { districtId: home.school.districtId });
      return { path: `/api/schools/${s.id}`, body: { districtId: s.districtId, code: s.code, name: `${s.name}改` } };
    },
    expected: [403, 403, 403, 403, 200, 401],
  },
  {
    method: 'DELETE',
    route: '/api/schools/:id',
    setup: async () => ({ path: `/api/schools/${(await createSchool(sys.db, { districtId: home.school.districtId })).id}` }),
    expected: [403, 403, 403, 403, 200, 401],
  },
  { method: 'GET', route: '/api/districts', setup: async () => ({ path: '/api/districts' }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'GET', route: '/api/districts/:id', setup: async () => ({ path: `/api/districts/${home.school.districtId}` }), expected: [200, 200, 200, 200, 200, 401] },

  { method: 'GET', route: '/api/users', setup: async () => ({ path: '/api/users' }), expected: [403, 403, 403, 403, 200, 401] },
  { method: 'GET', route: '/api/users/:id', setup: async () => ({ path: `/api/users/${home.staff.id}` }), expected: [403, 403, 403, 403, 200, 401] },
  { method: 'POST', route: '/api/users', setup: async () => ({ path: '/api/users', body: userBody() }), expected: [403, 403, 403, 403, 201, 401] },
  {
    method: 'PUT',
    route: '/api/users/:id',
    setup: async () => {
      const u = await createUser(sys.db, { roles: ['school_staff'], schoolId: home.school.id });
      return { path: `/api/users/${u.id}`, body: { username: u.username, name: '改名', roles: u.roles, schoolId: u.schoolId } };
    },
    expected: [403, 403, 403, 403, 200, 401],
  },
  {
    method: 'DELETE',
    route: '/api/users/:id',
    setup: async () => ({ path: `/api/users/${(await createUser(sys.db, { roles: ['school_staff'], schoolId: home.school.id })).id}` }),
    expected: [403, 403, 403, 403, 200, 401],
  },

  { method: 'GET', route: '/api/party-types', setup: async () => ({ path: '/api/party-types' }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'GET', route: '/api/party-types/:id', setup: async () => ({ path: '/api/party-types/family' }), expected: [200, 200, 200, 200, 200, 401] },

  { method: 'GET', route: '/api/form-fields', setup: async () => ({ path: '/api/form-fields' }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'GET', route: '/api/form-fields/:id', setup: async () => ({ path: `/api/form-fields/${(await formField()).id}` }), expected: [200, 200, 200, 200, 200, 401] },
  {
    method: 'POST',
    route: '/api/form-fields',
    setup: async () => ({ path: '/api/form-fields', body: { key: `p${uniq()}`, labelZh: '字段', labelEn: 'Field', type: 'text', active: false } }),
    expected: [403, 403, 403, 403, 201, 401],
  },
  {
    method: 'PUT',
    route: '/api/form-fields/:id',
    setup: async () => {
      const f = await formField();
      return { path: `/api/form-fields/${f.id}`, body: { key: f.key, labelZh: '改', labelEn: 'Changed', type: 'text', active: false } };
    },
    expected: [403, 403, 403, 403, 200, 401],
  },
  { method: 'DELETE', route: '/api/form-fields/:id', setup: async () => ({ path: `/api/form-fields/${(await formField()).id}` }), expected: [403, 403, 403, 403, 200, 401] },

  { method: 'GET', route: '/api/audit-events', setup: async () => ({ path: '/api/audit-events' }), expected: [403, 403, 403, 200, 200, 401] },
  {
    method: 'GET',
    route: '/api/audit-events/:id',
    setup: async () => {
      const d = await draft();
      const e = await sys.db('auditEvents').where({ registrationId: d.id }).first('id');
      return { path: `/api/audit-events/${e.id}` };
    },
    expected: [403, 403, 403, 200, 200, 401],
  },

  { method: 'GET', route: '/api/goal-reviews', setup: async () => ({ path: '/api/goal-reviews' }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'GET', route: '/api/goal-reviews/:id', setup: async () => ({ path: `/api/goal-reviews/${await reviewOfHomeSchool()}` }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'GET', route: '/api/goal-reviews/:id/print', setup: async () => ({ path: `/api/goal-reviews/${await reviewOfHomeSchool()}/print` }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'GET', route: '/api/goal-reviews/planning', setup: async () => ({ path: '/api/goal-reviews/planning' }), expected: [403, 403, 403, 200, 200, 401] },
  { method: 'GET', route: '/api/goal-reviews/planning.csv', setup: async () => ({ path: '/api/goal-reviews/planning.csv?days=30' }), expected: [403, 403, 403, 200, 200, 401] },
  { method: 'GET', route: '/api/goal-reviews/planning.xlsx', setup: async () => ({ path: '/api/goal-reviews/planning.xlsx?days=30' }), expected: [403, 403, 403, 200, 200, 401] },
  { method: 'GET', route: '/api/operations', setup: async () => ({ path: '/api/operations' }), expected: [403, 403, 403, 403, 200, 401] },

  { method: 'GET', route: '/api/auth/me', setup: async () => ({ path: '/api/auth/me' }), expected: [200, 200, 200, 200, 200, 401] },
  {
    method: 'POST',
    route: '/api/auth/login',
    setup: async () => ({ path: '/api/auth/login', body: { username: home.leader.username, password: DEFAULT_TEST_PASSWORD } }),
    expected: [200, 200, 200, 200, 200, 200],
  },
  {
    method: 'POST',
    route: '/api/auth/refresh',
    setup: async () => ({ path: '/api/auth/refresh', body: { refreshToken: `not-issued-${uniq()}` } }),
    expected: [401, 401, 401, 401, 401, 401],
  },
  {
    method: 'POST',
    route: '/api/auth/logout',
    setup: async () => ({ path: '/api/auth/logout', body: { refreshToken: `not-issued-${uniq()}` } }),
    expected: [204, 204, 204, 204, 204, 204],
  },
  // District operations (issue 14): imports (admin), overview (bureau, admin), exports (the list's own right), SSO discovery.
  { method: 'GET', route: '/api/imports/schools/template.xlsx', setup: async () => ({ path: '/api/imports/schools/template.xlsx' }), expected: [403, 403, 403, 403, 200, 401] },
  { method: 'GET', route: '/api/imports/users/template.xlsx', setup: async () => ({ path: '/api/imports/users/template.xlsx' }), expected: [403, 403, 403, 403, 200, 401] },
  // Without a multipart file: refused for everyone, a 400 (no file) for the administrator.
  { method: 'POST', route: '/api/imports/schools', setup: async () => ({ path: '/api/imports/schools?dryRun=true', body: {} }), expected: [403, 403, 403, 403, 400, 401] },
  { method: 'POST', route: '/api/imports/users', setup: async () => ({ path: '/api/imports/users?dryRun=true', body: {} }), expected: [403, 403, 403, 403, 400, 401] },
  { method: 'GET', route: '/api/overview', setup: async () => ({ path: '/api/overview' }), expected: [403, 403, 403, 200, 200, 401] },
  { method: 'GET', route: '/api/registrations/export.xlsx', setup: async () => ({ path: '/api/registrations/export.xlsx' }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'GET', route: '/api/tasks/export.xlsx', setup: async () => ({ path: '/api/tasks/export.xlsx' }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'GET', route: '/api/audit-events/export.xlsx', setup: async () => ({ path: '/api/audit-events/export.xlsx' }), expected: [403, 403, 403, 200, 200, 401] },
  { method: 'GET', route: '/api/auth/providers', setup: async () => ({ path: '/api/auth/providers' }), expected: [200, 200, 200, 200, 200, 200] },
  // Single sign-on is not configured in this suite: the route is absent for everyone.
  { method: 'GET', route: '/api/auth/oidc/login', setup: async () => ({ path: '/api/auth/oidc/login' }), expected: [404, 404, 404, 404, 404, 404] },
  // 加签 (issue 12): the inbox's acting roles reach the task lookup (an unknown task: 404); administrators do not act on tasks.
  {
    method: 'POST',
    route: '/api/tasks/:id/add-approver',
    setup: async () => ({ path: '/api/tasks/00000000-0000-4000-8000-000000000000/add-approver', body: { userId: 1, position: 'after', reason: '矩阵' } }),
    expected: [404, 404, 404, 404, 403, 401],
  },
  {
    method: 'GET',
    route: '/api/tasks/:id/approver-candidates',
    setup: async () => ({ path: '/api/tasks/00000000-0000-4000-8000-000000000000/approver-candidates' }),
    expected: [404, 404, 404, 404, 403, 401],
  },
  { method: 'GET', route: '/api/openapi.json', setup: async () => ({ path: '/api/openapi.json' }), expected: [200, 200, 200, 200, 200, 200] },
  // Tasks for people (issue 12): 转交 by whoever may act on the task (or an admin), to a user with the step's role;
  // 催办 by the drafter's school staff or the district's bureau (no workflow runs here: admitted callers get 409);
  // 委托: everyone their own, an administrator anyone's.
  { method: 'POST', route: '/api/tasks/:id/transfer', setup: async () => ({ path: `/api/tasks/${await openTaskOfHomeSchool()}/transfer`, body: { toUserId: home.principal.id, reason: '矩阵' } }), expected: [403, 400, 403, 403, 400, 401] },
  { method: 'GET', route: '/api/tasks/:id/transfer-candidates', setup: async () => ({ path: `/api/tasks/${await openTaskOfHomeSchool()}/transfer-candidates` }), expected: [403, 200, 403, 403, 200, 401] },
  { method: 'POST', route: '/api/tasks/:id/urge', setup: async () => ({ path: `/api/tasks/${await openTaskOfHomeSchool()}/urge`, body: {} }), expected: [409, 403, 403, 409, 403, 401] },
  { method: 'GET', route: '/api/delegations', setup: async () => ({ path: '/api/delegations' }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'GET', route: '/api/delegations/candidates', setup: async () => ({ path: '/api/delegations/candidates' }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'GET', route: '/api/delegations/:id', setup: async () => ({ path: `/api/delegations/${await delegationOfHomeLeader()}` }), expected: [200, 200, 404, 404, 200, 401] },
  { method: 'POST', route: '/api/delegations', setup: async () => ({ path: '/api/delegations', body: {} }), expected: [400, 400, 400, 400, 400, 401] },
  { method: 'DELETE', route: '/api/delegations/:id', setup: async () => ({ path: `/api/delegations/${await delegationOfHomeLeader()}` }), expected: [403, 200, 404, 404, 200, 401] },
  // The working-day calendar's overrides (issue 12): read by everyone signed in, changed by administrators.
  { method: 'GET', route: '/api/calendar-days', setup: async () => ({ path: '/api/calendar-days' }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'GET', route: '/api/calendar-days/:id', setup: async () => ({ path: `/api/calendar-days/${(await calendarDay()).id}` }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'POST', route: '/api/calendar-days', setup: async () => ({ path: '/api/calendar-days', body: { date: farDate(), kind: 'holiday', name: '矩阵' } }), expected: [403, 403, 403, 403, 201, 401] },
  {
    method: 'PUT',
    route: '/api/calendar-days/:id',
    setup: async () => ({ path: `/api/calendar-days/${(await calendarDay()).id}`, body: { kind: 'workday', name: '改' } }),
    expected: [403, 403, 403, 403, 200, 401],
  },
  { method: 'DELETE', route: '/api/calendar-days/:id', setup: async () => ({ path: `/api/calendar-days/${(await calendarDay()).id}` }), expected: [403, 403, 403, 403, 200, 401] },
  // Comments and 抄送 (issue 12): everyone in the registration's chain; a copy read is 404 where nothing was copied.
  { method: 'GET', route: '/api/registrations/:id/comments', setup: async () => ({ path: `/api/registrations/${(await draft()).id}/comments` }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'POST', route: '/api/registrations/:id/comments', setup: async () => ({ path: `/api/registrations/${(await draft()).id}/comments`, body: { body: '矩阵评论' } }), expected: [201, 201, 201, 201, 201, 401] },
  {
    method: 'POST',
    route: '/api/registrations/:id/comments/files',
    setup: async () => ({ path: `/api/registrations/${(await draft()).id}/comments/files`, body: { dataUrl: `data:image/png;base64,${signaturePng().toString('base64')}` } }),
    expected: [201, 201, 201, 201, 201, 401],
  },
  { method: 'POST', route: '/api/registrations/:id/copies/read', setup: async () => ({ path: `/api/registrations/${(await draft()).id}/copies/read` }), expected: [404, 404, 404, 404, 404, 401] },
  { method: 'GET', route: '/api/copies/unread-count', setup: async () => ({ path: '/api/copies/unread-count' }), expected: [200, 200, 200, 200, 200, 401] },
  { method: 'GET', route: '/api/tasks?filter={"view":"copied"}', setup: async () => ({ path: `/api/tasks?filter=${encodeURIComponent('{"view":"copied"}')}` }), expected: [200, 200, 200, 200, 200, 401] },
];

const rows = CASES.flatMap((c) => WHO.map((who, i) => ({ ...c, who, status: c.expected[i] })));

describe('Role × route matrix', () => {
  test.each(rows)('$method $route as $who answers $status', async ({ method, setup, who, status }) => {
    const { path, body } = await setup();
    const token = who === 'anonymous' ? undefined : tokenFor(sys.config, actors[who]);
    const res = await api(sys, method, path, { token, body });
    expect({ status: res.status, body: res.status === status ? undefined : res.body }).toEqual({ status, body: undefined });
  });
});
