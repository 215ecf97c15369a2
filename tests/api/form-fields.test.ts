import type { Actor } from '../../api/middleware/auth';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSchoolWithStaff, createUser, validRegistrationBody } from '../support/fixtures';
import { auditEventsOf, countRows } from './helpers';

let sys: TestSystem;
let admin: Actor;
let school: Awaited<ReturnType<typeof createSchoolWithStaff>>;
const uniq = () => Math.random().toString(36).slice(2, 8);
const as = (a: Actor) => tokenFor(sys.config, a);

// Fields made here are optional, so registrations of suites running at the same time stay valid.
const fieldBody = (over: Record<string, unknown> = {}) => ({
  key: `k${uniq()}`,
  labelZh: '办学规模',
  labelEn: 'Scale',
  type: 'select',
  required: false,
  options: [
    { value: 'small', labelZh: '小', labelEn: 'Small' },
    { value: 'large', labelZh: '大', labelEn: 'Large' },
  ],
  position: 5,
  ...over,
});

beforeAll(async () => {
  sys = await startSystem({ worker: false });
  admin = await createUser(sys.db, { roles: ['admin'] });
  school = await createSchoolWithStaff(sys.db);
});
afterAll(() => sys.close());

describe('/api/form-fields', () => {
  test('When an administrator defines a field, then everyone can read it and it is audited', async () => {
    const body = fieldBody();
    const created = await api(sys, 'POST', '/api/form-fields', { token: as(admin), body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, active: true });

    const read = await api(sys, 'GET', `/api/form-fields?filter=${encodeURIComponent(JSON.stringify({ key: body.key }))}`, { token: as(school.staff) });
    expect(read.body).toEqual([created.body]);
    expect((await auditEventsOf(sys.db, 'form_field.created', { key: body.key })).length).toBe(1);
  });

  test('When the definition is bad, then field errors: key pattern, unknown type, select without options, duplicate option', async () => {
    const res = await api(sys, 'POST', '/api/form-fields', { token: as(admin), body: fieldBody({ key: '9 bad key', type: 'colour' }) });
    expect(res.status).toBe(400);
    expect(res.body.errors.key).toMatch(/小写字母.*lowercase letter/);
    expect(res.body.errors.type).toMatch(/text.*select/);

    const noOptions = await api(sys, 'POST', '/api/form-fields', { token: as(admin), body: fieldBody({ options: [] }) });
    expect(noOptions.body.errors.options).toMatch(/至少需要一个选项.*at least one option/);
    const dup = await api(sys, 'POST', '/api/form-fields', {
      token: as(admin),
      body: fieldBody({ options: [{ value: 'a', labelZh: '甲', labelEn: 'A' }, { value: 'a', labelZh: '乙', labelEn: 'B' }] }),
    });
    expect(dup.body.errors['options.1.value']).toMatch(/Duplicate option/);
  });

  test('When the key is taken, then it is a field error on key', async () => {
    const body = fieldBody();
    await api(sys, 'POST', '/api/form-fields', { token: as(admin), body });
    const res = await api(sys, 'POST', '/api/form-fields', { token: as(admin), body: { ...body, labelZh: '另一个' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.key).toMatch(/already in use/);
  });

  test('When a field is edited, then the new definition applies to registrations', async () => {
    const created = (await api(sys, 'POST', '/api/form-fields', { token: as(admin), body: fieldBody() })).body;
    const edited = await api(sys, 'PUT', `/api/form-fields/${created.id}`, {
      token: as(admin),
      body: { ...created, options: [...created.options, { value: 'medium', labelZh: '中', labelEn: 'Medium' }] },
    });
    expect(edited.status).toBe(200);
    const reg = await api(sys, 'POST', '/api/registrations', { token: as(school.staff), body: validRegistrationBody({ extra: { [created.key]: 'medium' } }) });
    expect(reg.status).toBe(201);
  });

  test('When registrations hold values of a field, then its key cannot change and it cannot be deleted (deactivate instead)', async () => {
    const created = (await api(sys, 'POST', '/api/form-fields', { token: as(admin), body: fieldBody() })).body;
    await api(sys, 'POST', '/api/registrations', { token: as(school.staff), body: validRegistrationBody({ extra: { [created.key]: 'small' } }) });

    const rekey = await api(sys, 'PUT', `/api/form-fields/${created.id}`, { token: as(admin), body: { ...created, key: `${created.key}x` } });
    expect(rekey.status).toBe(400);
    expect(rekey.body.errors.key).toMatch(/cannot change/);
    const del = await api(sys, 'DELETE', `/api/form-fields/${created.id}`, { token: as(admin) });
    expect(del.status).toBe(409);
    expect(await countRows(sys.db, 'formFields', { id: created.id })).toBe(1);
  });

  test('When an unused field is deleted, then it is gone', async () => {
    const created = (await api(sys, 'POST', '/api/form-fields', { token: as(admin), body: fieldBody({ active: false }) })).body;
    const res = await api(sys, 'DELETE', `/api/form-fields/${created.id}`, { token: as(admin) });
    expect(res.status).toBe(200);
    expect(await countRows(sys.db, 'formFields', { id: created.id })).toBe(0);
  });
});
