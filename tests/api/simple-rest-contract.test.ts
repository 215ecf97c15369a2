/**
 * The API driven by the real react-admin data provider (ra-data-simple-rest over ra-core's
 * fetchUtils), unmodified: what the console does is what this test does.
 */
import simpleRestProvider from 'ra-data-simple-rest';
import { fetchUtils, HttpError, type DataProvider } from 'ra-core';
import type { Actor } from '../../api/middleware/auth';
import { startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSchoolWithStaff, createUser, validRegistrationBody } from '../support/fixtures';

let sys: TestSystem;
let staff: Actor;
let schoolId: number;

/** The provider as the console builds it: the access token goes in Authorization. */
const providerFor = (actor: Actor): DataProvider =>
  simpleRestProvider(`${sys.baseUrl}/api`, (url: string, options: fetchUtils.Options = {}) =>
    fetchUtils.fetchJson(url, { ...options, user: { authenticated: true, token: `Bearer ${tokenFor(sys.config, actor)}` } }),
  );

beforeAll(async () => {
  sys = await startSystem({ worker: false });
  const s = await createSchoolWithStaff(sys.db);
  staff = s.staff;
  schoolId = s.school.id;
});
afterAll(() => sys.close());

describe('ra-data-simple-rest against /api/registrations', () => {
  test('create, getOne, getList (sort, filter, range), getMany, getManyReference, update and delete work unmodified', async () => {
    const dp = providerFor(staff);

    const created = [];
    for (const name of ['Charlie contract', 'Alpha contract', 'Bravo contract']) {
      created.push((await dp.create('registrations', { data: validRegistrationBody({ name }) })).data);
    }
    expect(created.every((r) => r.status === 'draft' && r.schoolId === schoolId)).toBe(true);

    const one = await dp.getOne('registrations', { id: created[0].id });
    expect(one.data).toEqual(created[0]);

    const page = await dp.getList('registrations', {
      pagination: { page: 1, perPage: 2 },
      sort: { field: 'name', order: 'ASC' },
      filter: { status: 'draft', q: 'contract' },
    });
    expect(page.total).toBe(3);
    expect(page.data.map((r) => r.name)).toEqual(['Alpha contract', 'Bravo contract']);
    const secondPage = await dp.getList('registrations', { pagination: { page: 2, perPage: 2 }, sort: { field: 'name', order: 'ASC' }, filter: { q: 'contract' } });
    expect(secondPage.total).toBe(3);
    expect(secondPage.data.map((r) => r.name)).toEqual(['Charlie contract']);
    expect(new Set([...page.data, ...secondPage.data].map((r) => r.id))).toEqual(new Set(created.map((r) => r.id)));

    const many = await dp.getMany('registrations', { ids: [created[0].id, created[2].id] });
    expect(many.data.map((r) => r.id).sort()).toEqual([created[0].id, created[2].id].sort());

    const byRef = await dp.getManyReference('registrations', {
      target: 'schoolId',
      id: schoolId,
      pagination: { page: 1, perPage: 10 },
      sort: { field: 'createdAt', order: 'DESC' },
      filter: {},
    });
    expect(byRef.total).toBe(3);

    const updated = await dp.update('registrations', { id: created[1].id, data: { ...created[1], name: 'Alpha contract（改）' }, previousData: created[1] });
    expect(updated.data).toMatchObject({ id: created[1].id, name: 'Alpha contract（改）', version: 2 });

    const deleted = await dp.delete('registrations', { id: created[2].id, previousData: created[2] });
    expect(deleted.data.id).toBe(created[2].id);
    await expect(dp.getOne('registrations', { id: created[2].id })).rejects.toMatchObject({ status: 404 });
  });

  test('When the form has errors, then the provider rejects with an HttpError whose body carries the field errors', async () => {
    const dp = providerFor(staff);
    const body = validRegistrationBody();
    body.memberUnits.push({ ...body.memberUnits[0] });

    const error = await dp.create('registrations', { data: { ...body, introduction: '字'.repeat(801) } }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).message).toMatch(/登记表有误.*has errors/);
    expect(error).toMatchObject({
      status: 400,
      body: {
        errors: {
          introduction: expect.stringMatching(/800/),
          [`memberUnits.${body.memberUnits.length - 1}.name`]: expect.stringMatching(/Duplicate/),
        },
      },
    });
  });

  test('When the version is stale, then update rejects with a 409 HttpError', async () => {
    const dp = providerFor(staff);
    const { data } = await dp.create('registrations', { data: validRegistrationBody() });
    await dp.update('registrations', { id: data.id, data: { ...data, name: '先保存' }, previousData: data });
    const error = await dp.update('registrations', { id: data.id, data: { ...data, name: '后保存' }, previousData: data }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 409 });
  });
});

describe('ra-data-simple-rest against the other resources', () => {
  test('party-types, schools, users and form-fields list through the provider with totals', async () => {
    const admin = await createUser(sys.db, { roles: ['admin'] });
    const dp = providerFor(admin);
    const types = await dp.getList('party-types', { pagination: { page: 1, perPage: 50 }, sort: { field: 'sortOrder', order: 'ASC' }, filter: { category: 'social_resource' } });
    expect(types.total).toBe(6);
    expect(types.data[0].duties[0].code).toBe('social_resource.patriotic_education_base.1');

    const schools = await dp.getMany('schools', { ids: [schoolId] });
    expect(schools.data.map((s) => s.id)).toEqual([schoolId]);

    const users = await dp.getList('users', { pagination: { page: 1, perPage: 5 }, sort: { field: 'id', order: 'ASC' }, filter: { schoolId } });
    expect(users.total).toBe(3);

    const field = await dp.create('form-fields', { data: { key: `c${Date.now().toString(36)}`, labelZh: '契约', labelEn: 'Contract', type: 'boolean', active: false } });
    const fields = await dp.getMany('form-fields', { ids: [field.data.id] });
    expect(fields.data).toEqual([field.data]);
    expect((await dp.delete('form-fields', { id: field.data.id, previousData: field.data })).data.id).toBe(field.data.id);
  });
});
