import type { Actor } from '../../api/middleware/auth';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createDistrict, createSchool, createUser, type SchoolRow } from '../support/fixtures';
import { insertAlliance, insertTask } from './seed';

let sys: TestSystem;
let bureau: Actor;
let home: SchoolRow;
let second: SchoolRow;
let elsewhere: SchoolRow;
const as = (a: Actor) => tokenFor(sys.config, a);
const FULL = ['government', 'department.education', 'family', 'community'];

beforeAll(async () => {
  sys = await startSystem({ worker: false });
  const district = await createDistrict(sys.db);
  bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: district.id });
  home = await createSchool(sys.db, { districtId: district.id, name: `一中${Date.now()}` });
  second = await createSchool(sys.db, { districtId: district.id, name: `二中${Date.now()}` });
  await createSchool(sys.db, { districtId: district.id }); // a school without any alliance
  elsewhere = await createSchool(sys.db);

  const a1 = await insertAlliance(sys.db, { schoolId: home.id, name: '全员教联体', status: 'active', parties: [...FULL, 'social_resource.university'], goalsInDays: [10, 40, 400] });
  const a2 = await insertAlliance(sys.db, { schoolId: home.id, name: '缺家庭社区', status: 'bureau_approval', parties: ['government', 'department.health'], currentStep: 'bureau_approval' });
  await insertAlliance(sys.db, { schoolId: home.id, name: '草稿', status: 'draft', parties: [] });
  await insertAlliance(sys.db, { schoolId: second.id, name: '被拒', status: 'rejected', parties: [] }); // not counted for coverage
  const a5 = await insertAlliance(sys.db, { schoolId: second.id, name: '缺政府', status: 'goal_review', parties: ['department.education', 'family', 'community'], goalsInDays: [-5, 20] });
  await insertAlliance(sys.db, { schoolId: elsewhere.id, name: '别区', status: 'active', parties: ['family'], goalsInDays: [5] });

  await insertTask(sys.db, { registrationId: a2, step: 'bureau_approval', schoolId: home.id, districtId: district.id, dueInHours: -30 });
  await insertTask(sys.db, { registrationId: a1, step: 'principal_signature', schoolId: home.id, districtId: district.id, dueInHours: -2 });
  await insertTask(sys.db, { registrationId: a5, step: 'goal_report', schoolId: second.id, districtId: district.id, dueInHours: 48 }); // not yet due
  await sys.db('goalReviews').insert([
    { registrationId: a5, cycle: 1, status: 'failed', overall: 'fail', openedAt: new Date() },
    { registrationId: a5, cycle: 2, status: 'reporting', openedAt: new Date() },
    { registrationId: a1, cycle: 1, status: 'passed', overall: 'pass', openedAt: new Date() },
  ]);
});
afterAll(() => sys.close());

describe('GET /api/overview', () => {
  test('When a bureau approver asks, then one answer describes their district and nothing outside it', async () => {
    const res = await api(sys, 'GET', '/api/overview', { token: as(bureau) });
    expect(res.status).toBe(200);
    const o = res.body;

    expect(o.alliances.total).toBe(5);
    expect(o.alliances.byStatus).toEqual(
      expect.arrayContaining([
        { status: 'active', count: 1 },
        { status: 'bureau_approval', count: 1 },
        { status: 'draft', count: 1 },
        { status: 'rejected', count: 1 },
        { status: 'goal_review', count: 1 },
      ]),
    );
    expect(o.alliances).toMatchObject({ schools: 3, schoolsWithAlliance: 2 });
    expect(o.alliances.bySchool).toEqual([
      { schoolId: home.id, schoolName: home.name, total: 3, active: 1, inApproval: 1, draft: 1 },
      { schoolId: second.id, schoolName: second.name, total: 2, active: 1, inApproval: 0, draft: 0 },
    ]);
  });

  test('When party coverage is read, then each catalog party has its count and the schools whose alliances lack the stressed parties are named', async () => {
    const o = (await api(sys, 'GET', '/api/overview', { token: as(bureau) })).body.partyCoverage;
    expect(o.alliances).toBe(4); // the rejected one does not count
    expect(o.stressedCategories).toEqual(['government', 'department', 'school', 'family', 'community']);
    expect(o.byPartyType).toHaveLength(24);
    const count = (code: string) => o.byPartyType.find((p: { code: string }) => p.code === code).alliances;
    expect([count('government'), count('family'), count('community'), count('department.education'), count('department.health'), count('social_resource.university')]).toEqual([2, 2, 2, 2, 1, 1]);
    expect(count('social_resource.enterprise')).toBe(0);
    expect(o.lackingByCategory).toEqual([
      { category: 'government', alliances: 2 }, // the draft and 缺政府
      { category: 'department', alliances: 1 }, // the draft
      { category: 'school', alliances: 0 }, // the lead school is the school party
      { category: 'family', alliances: 2 },
      { category: 'community', alliances: 2 },
    ]);
    expect(o.schoolsLacking).toEqual([
      {
        schoolId: home.id,
        schoolName: home.name,
        alliances: 3,
        lacking: [
          { category: 'government', alliances: 1 },
          { category: 'department', alliances: 1 },
          { category: 'family', alliances: 2 },
          { category: 'community', alliances: 2 },
        ],
      },
      { schoolId: second.id, schoolName: second.name, alliances: 1, lacking: [{ category: 'government', alliances: 1 }] },
    ]);
  });

  test('When goals, overdue tasks and reviews are read, then they are counted by month, step, school and outcome', async () => {
    const o = (await api(sys, 'GET', '/api/overview', { token: as(bureau) })).body;
    expect(o.goals).toMatchObject({ withinDays: 90, dueSoon: 3, pastTarget: 1 });
    expect(o.goals.byMonth.reduce((n: number, m: { count: number }) => n + m.count, 0)).toBe(3);
    expect(o.goals.soonest.map((g: { title: string }) => g.title)).toEqual(['全员教联体-目标0', '缺政府-目标1', '全员教联体-目标1']);
    expect(o.overdueTasks.total).toBe(2);
    expect(o.overdueTasks.byStep).toEqual(expect.arrayContaining([{ step: 'bureau_approval', count: 1 }, { step: 'principal_signature', count: 1 }]));
    expect(o.overdueTasks.bySchool).toEqual([{ schoolId: home.id, schoolName: home.name, count: 2 }]);
    expect(o.reviewOutcomes).toEqual(expect.arrayContaining([{ cycle: 1, outcome: 'fail', count: 1 }, { cycle: 1, outcome: 'pass', count: 1 }, { cycle: 2, outcome: 'pending', count: 1 }]));
    expect(o.reviewOutcomes).toHaveLength(3);
  });

  test('When an administrator asks, then all districts (or one given district) are counted; school roles are refused', async () => {
    const admin = await createUser(sys.db, { roles: ['admin'] });
    const all = await api(sys, 'GET', '/api/overview', { token: as(admin) });
    expect(all.status).toBe(200);
    expect(all.body.alliances.total).toBeGreaterThanOrEqual(6);
    const one = await api(sys, 'GET', `/api/overview?districtId=${bureau.districtId}`, { token: as(admin) });
    expect(one.body.alliances.total).toBe(5);
    expect((await api(sys, 'GET', '/api/overview?districtId=abc', { token: as(admin) })).status).toBe(400);
    // A bureau approver cannot look at another district by asking.
    const mine = await api(sys, 'GET', `/api/overview?districtId=${elsewhere.districtId}`, { token: as(bureau) });
    expect(mine.body.alliances.total).toBe(5);
    const principal = await createUser(sys.db, { roles: ['principal'], schoolId: home.id });
    expect((await api(sys, 'GET', '/api/overview', { token: as(principal) })).status).toBe(403);
    expect((await api(sys, 'GET', '/api/overview')).status).toBe(401);
  });
});
