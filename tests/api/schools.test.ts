import type { Actor } from '../../api/middleware/auth';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createDistrict, createSchool, createSchoolWithStaff, createUser, validRegistrationBody } from '../support/fixtures';
import { countRows } from './helpers';

let sys: TestSystem;
let admin: Actor;
const uniq = () => Math.random().toString(36).slice(2, 8);
const as = (a: Actor) => tokenFor(sys.config, a);

beforeAll(async () => {
  sys = await startSystem({ worker: false });
  admin = await createUser(sys.db, { roles: ['admin'] });
});
afterAll(() => sys.close());

describe('GET /api/schools — who reads which schools', () => {
  test('When a school user or the district’s bureau approver lists, then the district’s schools come back and no others', async () => {
    const home = await createSchoolWithStaff(sys.db);
    const neighbour = await createSchool(sys.db, { districtId: home.school.districtId });
    const far = await createSchool(sys.db);
    const bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: home.school.districtId });

    for (const actor of [home.staff, home.principal, bureau]) {
      const res = await api(sys, 'GET', '/api/schools?sort=["id","ASC"]&range=[0,99]', { token: as(actor) });
      expect(res.status).toBe(200);
      expect(res.body.map((s: { id: number }) => s.id)).toEqual([home.school.id, neighbour.id]);
      expect(res.headers.get('content-range')).toBe('schools 0-1/2');
      expect((await api(sys, 'GET', `/api/schools/${far.id}`, { token: as(actor) })).status).toBe(404);
    }
    const all = await api(sys, 'GET', `/api/schools?filter=${encodeURIComponent(JSON.stringify({ id: [home.school.id, far.id] }))}`, { token: as(admin) });
    expect(all.body.map((s: { id: number }) => s.id).sort()).toEqual([home.school.id, far.id].sort());
  });

  test('When searched with q, then name and code match', async () => {
    const s = await createSchool(sys.db, { name: `搜索测试学校${uniq()}` });
    const res = await api(sys, 'GET', `/api/schools?filter=${encodeURIComponent(JSON.stringify({ q: s.name.slice(2) }))}`, { token: as(admin) });
    expect(res.body.map((x: { id: number }) => x.id)).toEqual([s.id]);
  });
});

describe('POST/PUT/DELETE /api/schools — administrators only', () => {
  test('When an administrator creates and edits a school, then it is stored with its district name', async () => {
    const district = await createDistrict(sys.db);
    const body = { districtId: district.id, code: `c-${uniq()}`, name: `新学校${uniq()}`, legalRepresentative: '周校长', address: '某路1号' };
    const created = await api(sys, 'POST', '/api/schools', { token: as(admin), body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, districtName: district.name });

    const edited = await api(sys, 'PUT', `/api/schools/${created.body.id}`, { token: as(admin), body: { ...created.body, name: `${body.name}（更名）` } });
    expect(edited.status).toBe(200);
    expect(edited.body.name).toBe(`${body.name}（更名）`);
  });

  test('When the code or name is taken or the district unknown, then field errors and nothing stored', async () => {
    const existing = await createSchool(sys.db);
    const attempts = [
      { districtId: existing.districtId, code: existing.code, name: `x${uniq()}` },
      { districtId: existing.districtId, code: `c-${uniq()}`, name: existing.name },
      { districtId: 987654, code: `c-${uniq()}`, name: `x${uniq()}` },
    ];
    const answers = [];
    for (const body of attempts) answers.push(await api(sys, 'POST', '/api/schools', { token: as(admin), body }));
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400]);
    expect(answers[0].body.errors.code).toMatch(/已存在.*already in use/);
    expect(answers[1].body.errors.name).toMatch(/already in use/);
    expect(answers[2].body.errors.districtId).toMatch(/No such district/);
    expect(await countRows(sys.db, 'schools', { name: attempts[0].name })).toBe(0);
    expect(await countRows(sys.db, 'schools', { code: attempts[1].code })).toBe(0);
    expect(await countRows(sys.db, 'schools', { code: attempts[2].code })).toBe(0);
  });

  test('When a school moves district, then its users follow it', async () => {
    const { school, staff } = await createSchoolWithStaff(sys.db);
    const target = await createDistrict(sys.db);
    const current = (await api(sys, 'GET', `/api/schools/${school.id}`, { token: as(admin) })).body;
    expect((await api(sys, 'PUT', `/api/schools/${school.id}`, { token: as(admin), body: { ...current, districtId: target.id } })).status).toBe(200);
    expect((await sys.db('users').where({ id: staff.id }).first()).districtId).toBe(target.id);
  });

  test('When a school still has users or registrations, then deleting answers 409; an unused one is deleted', async () => {
    const used = await createSchoolWithStaff(sys.db);
    await api(sys, 'POST', '/api/registrations', { token: as(used.staff), body: validRegistrationBody() });
    const refused = await api(sys, 'DELETE', `/api/schools/${used.school.id}`, { token: as(admin) });
    expect(refused.status).toBe(409);
    expect(await countRows(sys.db, 'schools', { id: used.school.id })).toBe(1);

    const unused = await createSchool(sys.db);
    const res = await api(sys, 'DELETE', `/api/schools/${unused.id}`, { token: as(admin) });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(unused.id);
    expect(await countRows(sys.db, 'schools', { id: unused.id })).toBe(0);
  });
});

describe('GET /api/districts', () => {
  test('When listed by id, then the districts come back in the list contract', async () => {
    const d = await createDistrict(sys.db);
    const res = await api(sys, 'GET', `/api/districts?filter=${encodeURIComponent(JSON.stringify({ id: [d.id] }))}`, { token: as(admin) });
    expect(res.body).toEqual([{ id: d.id, code: d.code, name: d.name }]);
    expect(res.headers.get('content-range')).toBe('districts 0-0/1');
    expect((await api(sys, 'GET', `/api/districts/${d.id}`, { token: as(admin) })).body).toEqual({ id: d.id, code: d.code, name: d.name });
  });
});
