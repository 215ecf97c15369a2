import { appendAuditEvent } from '../../domain/audit';
import type { Actor } from '../../api/middleware/auth';
import { startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createDistrict, createSchool, createUser, type SchoolRow } from '../support/fixtures';
import { insertAlliance, insertTask } from './seed';
import { readWorkbook } from './xlsx';

let sys: TestSystem;
let bureau: Actor;
let admin: Actor;
let school: SchoolRow;
let tag: string;
const as = (a: Actor) => tokenFor(sys.config, a);

async function download(path: string, actor?: Actor) {
  const res = await fetch(`${sys.baseUrl}${path}`, { headers: actor ? { authorization: `Bearer ${as(actor)}` } : {} });
  if (res.status !== 200) return { status: res.status, rows: [] as string[][], body: await res.text() };
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), rows: await readWorkbook(await res.arrayBuffer()) };
}
const q = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => `${k}=${encodeURIComponent(JSON.stringify(v))}`).join('&');

beforeAll(async () => {
  sys = await startSystem({ worker: false });
  tag = `导出${Date.now()}`;
  const district = await createDistrict(sys.db);
  school = await createSchool(sys.db, { districtId: district.id, name: `${tag}实验学校` });
  bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: district.id });
  admin = await createUser(sys.db, { roles: ['admin'] });
  const staff = await createUser(sys.db, { roles: ['school_staff'], schoolId: school.id, name: '钱经办' });
  const ids: string[] = [];
  for (const [i, status] of ['draft', 'bureau_approval', 'active', 'active'].entries()) {
    ids.push(await insertAlliance(sys.db, { schoolId: school.id, createdBy: staff.id, name: `${tag}-${i}`, status, parties: ['family', 'community'], goalsInDays: [30] }));
  }
  await insertTask(sys.db, { registrationId: ids[1], step: 'bureau_approval', schoolId: school.id, districtId: district.id, dueInHours: -5 });
  await insertAlliance(sys.db, { schoolId: (await createSchool(sys.db)).id, name: `${tag}-别区`, status: 'active' });
});
afterAll(() => sys.close());

describe('GET /api/registrations/export.xlsx', () => {
  test('When a bureau approver exports with a filter and sort, then the workbook has Chinese headers, names, Chinese statuses and only their rows', async () => {
    const res = await download(`/api/registrations/export.xlsx?${q({ filter: { q: tag, status: ['active', 'bureau_approval'] }, sort: ['name', 'DESC'], range: [0, 0] })}`, bureau);
    expect(res.status).toBe(200);
    expect(res.type).toContain('spreadsheetml');
    expect(res.disposition).toContain("filename*=UTF-8''");
    const [header, ...rows] = res.rows;
    expect(header.slice(0, 6)).toEqual(['教联体名称', '牵头学校', '学校代码', '法人代表', '组建时间', '状态']);
    // The range is ignored: every matching row, in the list's order; the other district's alliance is not there.
    expect(rows.map((r) => r[0])).toEqual([`${tag}-3`, `${tag}-2`, `${tag}-1`]);
    expect(rows[0][1]).toBe(school.name);
    expect(rows[0][4]).toBe('2026-09-01');
    expect(rows.map((r) => r[5])).toEqual(['已生效', '已生效', '待教育局审批']);
    expect(rows[0][7]).toBe('2'); // member units
    expect(rows[0][9]).toBe('钱经办'); // the drafter by name
    expect(rows[0][13]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  });

  test('When the filter is invalid, then 400 like the list; without the right, 401', async () => {
    expect((await download(`/api/registrations/export.xlsx?${q({ filter: { nope: 1 } })}`, bureau)).status).toBe(400);
    expect((await download(`/api/registrations/export.xlsx?${q({ sort: ['secret', 'ASC'] })}`, bureau)).status).toBe(400);
    expect((await download('/api/registrations/export.xlsx')).status).toBe(401);
  });
});

describe('GET /api/tasks/export.xlsx and /api/audit-events/export.xlsx', () => {
  test('When tasks are exported, then steps, roles and statuses are in Chinese and the due time in Beijing time', async () => {
    const res = await download(`/api/tasks/export.xlsx?${q({ filter: { q: tag, overdue: true } })}`, bureau);
    expect(res.status).toBe(200);
    const [header, ...rows] = res.rows;
    expect(header.slice(0, 8)).toEqual(['教联体名称', '学校', '环节', '办理角色', '认领人', '截止时间', '是否逾期', '状态']);
    expect(rows).toHaveLength(1);
    expect(rows[0].slice(0, 4)).toEqual([`${tag}-1`, school.name, '教育局审批', '教育局审批人']);
    expect(rows[0].slice(6, 8)).toEqual(['是', '待办']);
    const due = await sys.db('tasks').join('registrations', 'registrations.id', 'tasks.registrationId').where('registrations.name', `${tag}-1`).first('tasks.dueAt');
    const beijing = new Date(new Date(due.dueAt).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(rows[0][5]).toBe(beijing);
  });

  test('When audit events are exported by an administrator, then actions read in Chinese; a school user is refused', async () => {
    await appendAuditEvent(sys.db, { action: 'import.schools', actorId: admin.id, actorName: `${tag}管理员`, details: { rows: 1 } });
    const res = await download(`/api/audit-events/export.xlsx?${q({ filter: { action: 'import.schools', actorId: admin.id } })}`, admin);
    expect(res.status).toBe(200);
    expect(res.rows[0].slice(0, 4)).toEqual(['编号', '时间', '操作人', '操作']);
    expect(res.rows.slice(1).map((r) => [r[2], r[3]])).toEqual([[`${tag}管理员`, '导入学校']]);
    const staff = await createUser(sys.db, { roles: ['school_staff'], schoolId: school.id });
    expect((await download('/api/audit-events/export.xlsx', staff)).status).toBe(403);
  });
});
