import type { Actor } from '../../api/middleware/auth';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSchool, createSchoolWithStaff, createUser, validRegistrationBody } from '../support/fixtures';
import { auditEventsOf, countRows } from './helpers';

let sys: TestSystem;
let school: Awaited<ReturnType<typeof createSchoolWithStaff>>;
let otherSchool: Awaited<ReturnType<typeof createSchoolWithStaff>>;
let bureau: Actor;
let otherBureau: Actor;
let admin: Actor;

const as = (actor: Actor) => tokenFor(sys.config, actor);
const create = async (actor: Actor, body: object = validRegistrationBody()) => {
  const res = await api(sys, 'POST', '/api/registrations', { token: as(actor), body });
  expect(res.status).toBe(201);
  return res.body;
};

beforeAll(async () => {
  sys = await startSystem({ worker: false });
  school = await createSchoolWithStaff(sys.db);
  // A second school in the same district, and a third school in another district.
  otherSchool = await createSchoolWithStaff(sys.db, { districtId: school.school.districtId });
  bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: school.school.districtId });
  const farSchool = await createSchool(sys.db);
  otherBureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: farSchool.districtId });
  admin = await createUser(sys.db, { roles: ['admin'] });
});
afterAll(() => sys.close());

describe('POST /api/registrations', () => {
  test('When school staff create a registration, then it is a draft of their school at version 1 with its units and goals', async () => {
    const body = validRegistrationBody();
    const res = await api(sys, 'POST', '/api/registrations', { token: as(school.staff), body });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      schoolId: school.school.id,
      schoolName: school.school.name,
      name: body.name,
      legalRepresentative: body.legalRepresentative,
      formedOn: body.formedOn,
      memberSchools: body.memberSchools,
      memberUnits: body.memberUnits,
      introduction: body.introduction,
      status: 'draft',
      version: 1,
      createdBy: school.staff.id,
      extra: {},
    });
    expect(res.body.goals.map((g: { title: string; targetDate: string }) => [g.title, g.targetDate])).toEqual(
      body.goals.map((g) => [g.title, g.targetDate]),
    );
    expect(res.body.goals.every((g: { id: string }) => /^[0-9a-f-]{36}$/.test(g.id))).toBe(true);
  });

  test('When the body names another school, then the answer is a field error on schoolId and nothing is stored', async () => {
    const mine = { createdBy: school.staff.id };
    const before = await countRows(sys.db, 'registrations', mine);
    const res = await api(sys, 'POST', '/api/registrations', {
      token: as(school.staff),
      body: { ...validRegistrationBody(), schoolId: otherSchool.school.id },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.schoolId).toMatch(/本校.*own school/);
    expect(await countRows(sys.db, 'registrations', mine)).toBe(before);
  });

  test('When a registration is created, then an audit event records who did it with the content hash', async () => {
    const created = await create(school.staff);
    const [event] = await sys.db('auditEvents').where({ registrationId: created.id, action: 'registration.created' });
    expect(event).toMatchObject({ actorId: school.staff.id });
    expect(event.afterHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('GET /api/registrations/:id', () => {
  test('When a school user reads their own school’s registration, then it is returned', async () => {
    const created = await create(school.staff);
    for (const actor of [school.staff, school.leader, school.principal]) {
      const res = await api(sys, 'GET', `/api/registrations/${created.id}`, { token: as(actor) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(created);
    }
  });

  test('When a user of another school asks for it, then the answer is 404 (its existence is not revealed)', async () => {
    const created = await create(school.staff);
    for (const actor of [otherSchool.staff, otherSchool.leader, otherSchool.principal]) {
      const res = await api(sys, 'GET', `/api/registrations/${created.id}`, { token: as(actor) });
      expect(res.status).toBe(404);
    }
  });

  test('When a bureau approver of the district reads it, then it is returned; one of another district gets 404', async () => {
    const created = await create(school.staff);
    expect((await api(sys, 'GET', `/api/registrations/${created.id}`, { token: as(bureau) })).status).toBe(200);
    expect((await api(sys, 'GET', `/api/registrations/${created.id}`, { token: as(otherBureau) })).status).toBe(404);
    expect((await api(sys, 'GET', `/api/registrations/${created.id}`, { token: as(admin) })).status).toBe(200);
  });

  test('When the id is not a uuid, then the answer is 404, not a server error', async () => {
    const res = await api(sys, 'GET', '/api/registrations/not-a-uuid', { token: as(school.staff) });
    expect(res.status).toBe(404);
  });
});

describe('PUT /api/registrations/:id', () => {
  test('When the drafter saves with the current version, then the content is replaced and the version goes up by one', async () => {
    const created = await create(school.staff);
    const body = {
      ...created,
      name: '改名后的教联体',
      memberUnits: [created.memberUnits[1]],
      goals: [{ ...created.goals[1], title: '只保留这一个目标' }],
    };
    const res = await api(sys, 'PUT', `/api/registrations/${created.id}`, { token: as(school.staff), body });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: '改名后的教联体', version: 2, memberUnits: [created.memberUnits[1]] });
    expect(res.body.goals).toEqual([{ ...created.goals[1], title: '只保留这一个目标' }]); // the goal keeps its id
    expect(await countRows(sys.db, 'memberUnits', { registrationId: created.id })).toBe(1);
    expect(await countRows(sys.db, 'goals', { registrationId: created.id })).toBe(1);
    const [event] = await sys.db('auditEvents').where({ registrationId: created.id, action: 'registration.updated' });
    expect(event.beforeHash).not.toEqual(event.afterHash);
  });

  test('When the version is stale, then the answer is 409 with a clear message and the row is left as it was', async () => {
    const created = await create(school.staff);
    const first = await api(sys, 'PUT', `/api/registrations/${created.id}`, { token: as(school.staff), body: { ...created, name: '第一次保存' } });
    expect(first.status).toBe(200);

    const stale = await api(sys, 'PUT', `/api/registrations/${created.id}`, { token: as(school.staff), body: { ...created, name: '过期的保存', memberUnits: [] } });

    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/已被他人修改.*changed by someone else/);
    expect(stale.body.errors.version).toBeDefined();
    const now = await api(sys, 'GET', `/api/registrations/${created.id}`, { token: as(school.staff) });
    expect(now.body).toEqual(first.body);
  });

  test('When two saves of the same version race, then exactly one succeeds and the other gets 409', async () => {
    const created = await create(school.staff);
    const results = await Promise.all(
      ['甲', '乙'].map((n) => api(sys, 'PUT', `/api/registrations/${created.id}`, { token: as(school.staff), body: { ...created, name: `并发${n}` } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const now = await api(sys, 'GET', `/api/registrations/${created.id}`, { token: as(school.staff) });
    expect(now.body.version).toBe(2);
  });

  test('When the version is missing, then it is a field error', async () => {
    const created = await create(school.staff);
    const { version: _v, ...withoutVersion } = created;
    const res = await api(sys, 'PUT', `/api/registrations/${created.id}`, { token: as(school.staff), body: withoutVersion });
    expect(res.status).toBe(400);
    expect(res.body.errors.version).toBe('必填 / Required');
  });

  test('When the registration is no longer a draft, then editing answers 409 and changes nothing', async () => {
    const created = await create(school.staff);
    await sys.db('registrations').where({ id: created.id }).update({ status: 'lead_school_opinion', currentStep: 'lead_school_opinion' });
    const res = await api(sys, 'PUT', `/api/registrations/${created.id}`, { token: as(school.staff), body: { ...created, name: '不应保存' } });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/只能修改草稿.*Only drafts/);
    expect((await sys.db('registrations').where({ id: created.id }).first()).name).toBe(created.name);
  });

  test('When staff of another school try to edit it, then the answer is 404', async () => {
    const created = await create(school.staff);
    const res = await api(sys, 'PUT', `/api/registrations/${created.id}`, { token: as(otherSchool.staff), body: { ...created, name: '越权' } });
    expect(res.status).toBe(404);
  });

  test('When an edit is invalid, then nothing changes: not the row, not its units, not its goals', async () => {
    const created = await create(school.staff);
    const bad = { ...created, memberUnits: [...created.memberUnits, { ...created.memberUnits[0] }], goals: [] };
    const res = await api(sys, 'PUT', `/api/registrations/${created.id}`, { token: as(school.staff), body: bad });
    expect(res.status).toBe(400);
    const now = await api(sys, 'GET', `/api/registrations/${created.id}`, { token: as(school.staff) });
    expect(now.body).toEqual(created);
  });
});

describe('DELETE /api/registrations/:id', () => {
  test('When the drafter deletes a draft, then it is gone with its units and goals and the deleted record is answered', async () => {
    const created = await create(school.staff);
    const res = await api(sys, 'DELETE', `/api/registrations/${created.id}`, { token: as(school.staff) });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(created.id);
    expect(await countRows(sys.db, 'registrations', { id: created.id })).toBe(0);
    expect(await countRows(sys.db, 'memberUnits', { registrationId: created.id })).toBe(0);
    expect((await auditEventsOf(sys.db, 'registration.deleted')).some((e) => e.registrationId === created.id)).toBe(true);
  });

  test('When the registration is past draft, or was submitted before, then deleting answers 409', async () => {
    const inReview = await create(school.staff);
    await sys.db('registrations').where({ id: inReview.id }).update({ status: 'bureau_approval' });
    expect((await api(sys, 'DELETE', `/api/registrations/${inReview.id}`, { token: as(school.staff) })).status).toBe(409);

    const returned = await create(school.staff);
    await sys.db('registrations').where({ id: returned.id }).update({ submittedAt: new Date() });
    const res = await api(sys, 'DELETE', `/api/registrations/${returned.id}`, { token: as(school.staff) });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/撤回.*withdraw/);
    expect(await countRows(sys.db, 'registrations', { id: returned.id })).toBe(1);
  });

  test('When staff of another school try to delete it, then the answer is 404 and it stays', async () => {
    const created = await create(school.staff);
    expect((await api(sys, 'DELETE', `/api/registrations/${created.id}`, { token: as(otherSchool.staff) })).status).toBe(404);
    expect(await countRows(sys.db, 'registrations', { id: created.id })).toBe(1);
  });
});

describe('GET /api/registrations (list)', () => {
  let mine: { id: string; name: string }[];
  let theirs: { id: string }[];
  let listSchoolWithStaff: Awaited<ReturnType<typeof createSchoolWithStaff>>;
  const listSchool = () => listSchoolWithStaff;
  beforeAll(async () => {
    const s = await createSchoolWithStaff(sys.db, { districtId: school.school.districtId });
    listSchoolWithStaff = s;
    const names = ['甲 list', '乙 list', '丙 list'];
    mine = [];
    for (const name of names) mine.push(await create(s.staff, validRegistrationBody({ name, introduction: `介绍 ${name} 关键词-${s.school.id}` })));
    await sys.db('registrations').where({ id: mine[2].id }).update({ status: 'bureau_approval', currentStep: 'bureau_approval' });
    theirs = [await create(otherSchool.staff)];
  });

  test('When a school user lists, then only their school’s registrations come back with a Content-Range total', async () => {
    const res = await api(sys, 'GET', '/api/registrations?sort=["name","ASC"]&range=[0,24]', { token: as(listSchool().staff) });
    expect(res.status).toBe(200);
    expect(res.body.map((r: { id: string }) => r.id).sort()).toEqual(mine.map((r) => r.id).sort());
    expect(res.headers.get('content-range')).toBe('registrations 0-2/3');
  });

  test('When the range asks for one page, then the page and the total are answered', async () => {
    const res = await api(sys, 'GET', '/api/registrations?sort=["createdAt","ASC"]&range=[1,1]', { token: as(listSchool().staff) });
    expect(res.body.map((r: { id: string }) => r.id)).toEqual([mine[1].id]);
    expect(res.headers.get('content-range')).toBe('registrations 1-1/3');
  });

  test('When filtered by status, step, school or id list, then only the matching rows come back', async () => {
    const token = as(bureau);
    const sid = listSchool().school.id;
    const byStatus = await api(sys, 'GET', `/api/registrations?filter=${encodeURIComponent(JSON.stringify({ schoolId: sid, status: 'draft' }))}`, { token });
    expect(byStatus.body.map((r: { id: string }) => r.id).sort()).toEqual([mine[0].id, mine[1].id].sort());

    const byStep = await api(sys, 'GET', `/api/registrations?filter=${encodeURIComponent(JSON.stringify({ schoolId: sid, step: 'bureau_approval' }))}`, { token });
    expect(byStep.body.map((r: { id: string }) => r.id)).toEqual([mine[2].id]);

    const byIds = await api(sys, 'GET', `/api/registrations?filter=${encodeURIComponent(JSON.stringify({ id: [mine[0].id, theirs[0].id] }))}`, { token });
    expect(byIds.body.map((r: { id: string }) => r.id).sort()).toEqual([mine[0].id, theirs[0].id].sort());
  });

  test('When searched with q, then name, lead school name and introduction are matched', async () => {
    const token = as(bureau);
    const s = listSchool().school;
    const q = (text: string) => api(sys, 'GET', `/api/registrations?filter=${encodeURIComponent(JSON.stringify({ q: text }))}`, { token });
    expect((await q('乙 list')).body.map((r: { id: string }) => r.id)).toEqual([mine[1].id]);
    expect((await q(`关键词-${s.id}`)).body).toHaveLength(3);
    expect((await q(s.name)).body.map((r: { id: string }) => r.id).sort()).toEqual(mine.map((r) => r.id).sort());
    expect((await q('100%_不存在')).body).toHaveLength(0);
  });

  test('When another district’s bureau approver lists, then none of these registrations appear', async () => {
    const res = await api(sys, 'GET', '/api/registrations?range=[0,999]', { token: as(otherBureau) });
    const ids = new Set(res.body.map((r: { id: string }) => r.id));
    expect([...mine, ...theirs].some((r) => ids.has(r.id))).toBe(false);
  });

  test('When an unknown filter or sort field is sent, then the answer is 400 naming it', async () => {
    const token = as(bureau);
    const badFilter = await api(sys, 'GET', `/api/registrations?filter=${encodeURIComponent('{"colour":"red"}')}`, { token });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.errors['filter.colour']).toMatch(/Unknown field/);
    const badSort = await api(sys, 'GET', `/api/registrations?sort=${encodeURIComponent('["passwordHash","ASC"]')}`, { token });
    expect(badSort.status).toBe(400);
    expect(badSort.body.errors.sort).toMatch(/Cannot sort by passwordHash/);
  });
});

describe('Registration search indexes', () => {
  test('When pg_trgm is installable, then the q search columns have trigram indexes', async () => {
    const { rows: available } = await sys.db.raw("select 1 from pg_available_extensions where name = 'pg_trgm'");
    const { rows } = await sys.db.raw("select indexname from pg_indexes where indexname like '%_trgm' order by indexname");
    expect(rows.map((r: { indexname: string }) => r.indexname)).toEqual(
      available.length ? ['registrations_introduction_trgm', 'registrations_name_trgm', 'schools_name_trgm'] : [],
    );
  });
});
