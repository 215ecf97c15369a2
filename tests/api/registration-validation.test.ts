import { randomUUID } from 'node:crypto';
import type { Actor } from '../../api/middleware/auth';
import { addDays, addYears, todayIn } from '../../domain/registrations/dates';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSchool, createSchoolWithStaff, createUser, validRegistrationBody } from '../support/fixtures';
import { countRows, type IsolatedApi, startIsolatedApi } from './helpers';

let sys: TestSystem;
let staff: Actor;
let token: string;

beforeAll(async () => {
  sys = await startSystem({ worker: false });
  ({ staff } = await createSchoolWithStaff(sys.db));
  token = tokenFor(sys.config, staff);
});
afterAll(() => sys.close());

/** Rows of this suite's school (other suites write to the same database at the same time). */
async function storedRows() {
  const ids = sys.db('registrations').where({ schoolId: staff.schoolId }).select('id');
  const count = async (q: ReturnType<typeof sys.db>) => Number(((await q.count({ n: '*' }).first()) as { n: string }).n);
  return Promise.all([
    count(sys.db('registrations').where({ schoolId: staff.schoolId })),
    count(sys.db('memberUnits').whereIn('registrationId', ids.clone())),
    count(sys.db('goals').whereIn('registrationId', ids.clone())),
  ]);
}

/** Posts a body that must be refused: 400, the given field errors, and no row written. */
async function expectRejected(body: unknown, errors: Record<string, RegExp>) {
  const before = await storedRows();
  const res = await api(sys, 'POST', '/api/registrations', { token, body });
  expect(res.status).toBe(400);
  expect(res.body.message).toMatch(/.+ \/ .+/);
  for (const [field, message] of Object.entries(errors)) expect(res.body.errors?.[field]).toMatch(message);
  expect(await storedRows()).toEqual(before);
  return res;
}

const post = (body: unknown) => api(sys, 'POST', '/api/registrations', { token, body });

describe('POST /api/registrations — the introduction is at most 800 characters as a reader counts them', () => {
  test('When it has exactly 800 Chinese characters, then it is accepted', async () => {
    const res = await post(validRegistrationBody({ introduction: '教'.repeat(800) }));
    expect(res.status).toBe(201);
  });

  test('When it has 801 Chinese characters, then it is a field error on introduction', async () => {
    await expectRejected(validRegistrationBody({ introduction: '教'.repeat(801) }), { introduction: /800 字.*800 characters/ });
  });

  test('When it has 800 emoji of several code points each, then it is accepted (neither bytes nor UTF-16 units decide)', async () => {
    const family = '👨‍👩‍👧'; // 5 code points, 8 UTF-16 units, 18 bytes, 1 character
    const res = await post(validRegistrationBody({ introduction: family.repeat(800) }));
    expect(res.status).toBe(201);
    expect(res.body.introduction).toBe(family.repeat(800));
  });

  test('When it has 801 letters with combining accents, then it is refused', async () => {
    await expectRejected(validRegistrationBody({ introduction: 'e\u0301'.repeat(801) }), { introduction: /800/ });
  });
});

describe('POST /api/registrations — each bad input is a field error and nothing is stored', () => {
  test('When the date formed is in the future, then formedOn is refused', async () => {
    const tomorrow = addDays(todayIn(), 1);
    await expectRejected(validRegistrationBody({ formedOn: tomorrow, goals: [] }), { formedOn: /不能晚于今天.*future/ });
  });

  test('When the date formed is not a calendar date, then formedOn is refused', async () => {
    await expectRejected({ ...validRegistrationBody(), formedOn: '2025-02-30' }, { formedOn: /有效日期|YYYY-MM-DD/ });
    await expectRejected({ ...validRegistrationBody(), formedOn: '30/01/2025' }, { formedOn: /YYYY-MM-DD/ });
  });

  test('When the staff account belongs to no school, then the lead school is missing (schoolId)', async () => {
    const noSchool = await createUser(sys.db, { roles: ['school_staff'] });
    const res = await api(sys, 'POST', '/api/registrations', { token: tokenFor(sys.config, noSchool), body: validRegistrationBody() });
    expect(res.status).toBe(400);
    expect(res.body.errors.schoolId).toMatch(/牵头学校.*Lead school/);
    expect(await countRows(sys.db, 'registrations', { createdBy: noSchool.id })).toBe(0);
  });

  test('When the name or the legal representative is missing or blank, then each is a field error', async () => {
    const { name: _n, ...noName } = validRegistrationBody();
    await expectRejected({ ...noName, legalRepresentative: '   ' }, { name: /必填 \/ Required/, legalRepresentative: /必填 \/ Required/ });
  });

  test('When two member units have the same name, then the second one’s name is the error', async () => {
    const body = validRegistrationBody();
    body.memberUnits.push({ ...body.memberUnits[0], partyType: 'family' });
    await expectRejected(body, { [`memberUnits.${body.memberUnits.length - 1}.name`]: /成员单位名称重复.*Duplicate/ });
  });

  test('When names differ only by spaces or full-width letters, then they still count as the same', async () => {
    const body = validRegistrationBody();
    body.memberUnits[1].name = 'ＡＢＣ 社区';
    body.memberUnits[2].name = 'abc社区';
    await expectRejected(body, { 'memberUnits.2.name': /Duplicate/ });
  });

  test('When a goal is dated after the two-year cycle, then its targetDate is the error', async () => {
    const body = validRegistrationBody();
    body.goals[1].targetDate = addDays(addYears(body.formedOn, 2), 1);
    await expectRejected(body, { 'goals.1.targetDate': /两年建设周期.*two-year cycle/ });
  });

  test('When a goal is dated on the last day of the cycle, then it is accepted', async () => {
    const body = validRegistrationBody();
    body.goals[0].targetDate = addYears(body.formedOn, 2);
    expect((await post(body)).status).toBe(201);
  });

  test('When a goal is dated before the date formed, then its targetDate is the error', async () => {
    const body = validRegistrationBody();
    body.goals[0].targetDate = addDays(body.formedOn, -1);
    await expectRejected(body, { 'goals.0.targetDate': /早于组建时间.*before the date formed/ });
  });

  test('When a member unit has an unknown party type, then its partyType is the error', async () => {
    const body = validRegistrationBody();
    body.memberUnits[1].partyType = 'department.ministry_of_magic';
    await expectRejected(body, { 'memberUnits.1.partyType': /未知的参与方类型.*Unknown party type/ });
  });

  test('When the body has unknown fields, at the top or inside a member unit, then each is a field error', async () => {
    const body = validRegistrationBody() as Record<string, any>;
    body.colour = 'red';
    body.memberUnits[0].shoeSize = 42;
    await expectRejected(body, { colour: /未知字段 \/ Unknown field/, 'memberUnits.0.shoeSize': /Unknown field/ });
  });

  test('When fields have the wrong type, then they are field errors, not a server error', async () => {
    await expectRejected(validRegistrationBody({ memberUnits: 'many' as never, goals: [{ title: 5 }] as never }), {
      memberUnits: /列表.*list/,
      'goals.0.title': /文本.*text/,
      'goals.0.targetDate': /Required/,
    });
  });

  test('When a phone number has letters, then phone is the error', async () => {
    const body = validRegistrationBody();
    body.memberUnits[0].phone = 'call me maybe';
    await expectRejected(body, { 'memberUnits.0.phone': /电话号码.*phone/ });
  });

  test('When the body is not an object at all, then it is a 400', async () => {
    for (const body of [[1, 2], 'text', null]) {
      const res = await api(sys, 'POST', '/api/registrations', { token, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
    }
  });

  test('When the body is malformed JSON, then the answer is 400 malformed_json', async () => {
    const res = await api(sys, 'POST', '/api/registrations', { token, body: '{"name": "未闭合', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('malformed_json');
  });

  test('When the body is larger than the limit, then the answer is 413 and nothing is stored', async () => {
    const before = await storedRows();
    const res = await post(validRegistrationBody({ remarks: 'x'.repeat(3 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('too_large');
    expect(await storedRows()).toEqual(before);
  });
});

describe('POST /api/registrations — extra values follow the administrators’ form fields', () => {
  let numberKey: string;
  let selectKey: string;
  beforeAll(async () => {
    // Optional fields only: suites running at the same time on this database keep passing.
    numberKey = `n${randomUUID().slice(0, 8)}`;
    selectKey = `s${randomUUID().slice(0, 8)}`;
    await sys.db('formFields').insert([
      { key: numberKey, labelZh: '学生人数', labelEn: 'Pupils', type: 'number', required: false },
      {
        key: selectKey,
        labelZh: '办学性质',
        labelEn: 'Kind',
        type: 'select',
        required: false,
        options: JSON.stringify([
          { value: 'public', labelZh: '公办', labelEn: 'Public' },
          { value: 'private', labelZh: '民办', labelEn: 'Private' },
        ]),
      },
    ]);
  });

  test('When extra values fit their definitions, then they are stored and answered', async () => {
    const res = await post(validRegistrationBody({ extra: { [numberKey]: 1200, [selectKey]: 'public' } }));
    expect(res.status).toBe(201);
    expect(res.body.extra).toEqual({ [numberKey]: 1200, [selectKey]: 'public' });
  });

  test('When a value has the wrong type or is not one of the options, then that extra key is the error', async () => {
    await expectRejected(validRegistrationBody({ extra: { [numberKey]: 'many', [selectKey]: 'charter' } }), {
      [`extra.${numberKey}`]: /数字.*number/,
      [`extra.${selectKey}`]: /public.*private/,
    });
  });

  test('When extra has a key no field defines, then that key is an unknown field', async () => {
    await expectRejected(validRegistrationBody({ extra: { favouriteColour: 'red' } }), { 'extra.favouriteColour': /Unknown field/ });
  });
});

describe('POST /api/registrations — a required extra field (own database: it binds every registration)', () => {
  let iso: IsolatedApi;
  let isoToken: string;
  beforeAll(async () => {
    iso = await startIsolatedApi();
    const school = await createSchool(iso.db);
    isoToken = tokenFor(iso.config, await createUser(iso.db, { roles: ['school_staff'], schoolId: school.id }));
    await iso.db('formFields').insert({ key: 'motto', labelZh: '校训', labelEn: 'Motto', type: 'text', required: true });
  });
  afterAll(() => iso.close());

  test('When a required extra field is missing, then it is a bilingual field error naming the label', async () => {
    const res = await api(iso, 'POST', '/api/registrations', { token: isoToken, body: validRegistrationBody() });
    expect(res.status).toBe(400);
    expect(res.body.errors['extra.motto']).toBe('校训为必填项 / Motto is required');
    expect(await countRows(iso.db, 'registrations')).toBe(0);
  });

  test('When it is given, then the registration is stored', async () => {
    const res = await api(iso, 'POST', '/api/registrations', { token: isoToken, body: validRegistrationBody({ extra: { motto: '厚德博学' } }) });
    expect(res.status).toBe(201);
    expect(res.body.extra).toEqual({ motto: '厚德博学' });
  });

  test('When the field is later deactivated, then a stored value is kept and no longer required', async () => {
    await iso.db('formFields').where({ key: 'motto' }).update({ active: false });
    const withValue = await api(iso, 'POST', '/api/registrations', { token: isoToken, body: validRegistrationBody({ extra: { motto: '旧值' } }) });
    expect(withValue.status).toBe(201);
    expect(withValue.body.extra).toEqual({ motto: '旧值' });
    expect((await api(iso, 'POST', '/api/registrations', { token: isoToken, body: validRegistrationBody() })).status).toBe(201);
  });
});
