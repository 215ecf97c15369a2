import fs from 'node:fs';
import path from 'node:path';
import { CATALOG, seedCatalog } from '../../db/seeds/catalog';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createSchool, createUser } from '../support/fixtures';
import { countRows } from './helpers';

const POLICY = fs.readFileSync(path.resolve(__dirname, '../../db/seeds/source/alliance-duties-and-registration-form.zh.txt'), 'utf8');

let sys: TestSystem;
let token: string;
beforeAll(async () => {
  sys = await startSystem({ worker: false });
  const school = await createSchool(sys.db);
  token = tokenFor(sys.config, await createUser(sys.db, { roles: ['school_staff'], schoolId: school.id }));
});
afterAll(() => sys.close());

describe('The responsibility catalog seed', () => {
  test('When seeded, then every party of part one is a type: government, 14 departments, school, family, community, 6 social resource kinds', async () => {
    const rows = await sys.db('partyTypes').orderBy('sortOrder');
    const byCategory = (c: string) => rows.filter((r) => r.category === c).length;
    expect([byCategory('government'), byCategory('department'), byCategory('school'), byCategory('family'), byCategory('community'), byCategory('social_resource')]).toEqual([1, 14, 1, 1, 1, 6]);
    expect(rows.find((r) => r.code === 'community').nameZh).toBe('街道社区');
    expect(rows.every((r) => r.nameZh && r.nameEn)).toBe(true);
  });

  test('When seeded, then every numbered duty is its own row, with a stable code, copied verbatim from the policy', async () => {
    const duties = await sys.db('partyDuties').orderBy('code');
    expect(duties).toHaveLength(35); // 1 + 14 + 6 + 5 + 3 + 6
    expect(duties.find((d) => d.code === 'school.3').textZh).toBe('听取家长、社会对学校的意见建议，及时改进教育教学和学校管理工作。');
    expect(duties.find((d) => d.code === 'department.public_security.1').textZh).toMatch(/^加强警校协同/);
    for (const d of duties) expect(POLICY).toContain(d.textZh);
    expect(await countRows(sys.db, 'partyDuties', { partyTypeCode: 'family' })).toBe(5);
  });

  test('When the seed runs again, then nothing is duplicated and edited text is restored from the policy', async () => {
    await sys.db('partyDuties').where({ code: 'family.1' }).update({ textZh: '被改动' });
    await seedCatalog(sys.db);
    expect(await countRows(sys.db, 'partyTypes')).toBe(CATALOG.length);
    expect(await countRows(sys.db, 'partyDuties')).toBe(35);
    expect((await sys.db('partyDuties').where({ code: 'family.1' }).first()).textZh).toBe(CATALOG.find((p) => p.code === 'family')!.duties[0]);
  });
});

describe('GET /api/party-types', () => {
  test('When filtered by category, then each type comes with its duties in document order', async () => {
    const res = await api(sys, 'GET', `/api/party-types?filter=${encodeURIComponent('{"category":"department"}')}&sort=["sortOrder","ASC"]&range=[0,24]`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBe('party-types 0-13/14');
    expect(res.body[0]).toMatchObject({ id: 'department.education', code: 'department.education', nameZh: '教育部门', category: 'department' });
    expect(res.body.every((t: { duties: unknown[] }) => t.duties.length === 1)).toBe(true);
  });

  test('When one type is read, then its duties come numbered', async () => {
    const res = await api(sys, 'GET', '/api/party-types/school', { token });
    expect(res.body.duties.map((d: { code: string; seq: number }) => [d.code, d.seq])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [`school.${n}`, n]));
    expect((await api(sys, 'GET', '/api/party-types/nope', { token })).status).toBe(404);
  });

  test('When many are asked for by id, then exactly those come back', async () => {
    const res = await api(sys, 'GET', `/api/party-types?filter=${encodeURIComponent('{"id":["family","community"]}')}`, { token });
    expect(res.body.map((t: { id: string }) => t.id).sort()).toEqual(['community', 'family']);
  });
});
