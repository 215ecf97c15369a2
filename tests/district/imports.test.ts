import { randomUUID } from 'node:crypto';
import type { Actor } from '../../api/middleware/auth';
import { api, startSystem, tokenFor, type TestSystem } from '../support/harness';
import { createDistrict, createSchool, createUser } from '../support/fixtures';
import { auditEventsOf, countRows } from '../api/helpers';
import { readWorkbook, upload, workbook, zipBomb } from './xlsx';

let sys: TestSystem;
let admin: Actor;
const as = (a: Actor) => tokenFor(sys.config, a);
const u = () => randomUUID().slice(0, 8);
const SCHOOL_HEADERS = ['学校代码', '学校名称', '所属区', '法人代表', '地址'];
const USER_HEADERS = ['用户名', '姓名', '角色', '学校代码', '所属区', '邮箱', '初始密码'];

beforeAll(async () => {
  sys = await startSystem({ worker: false });
  admin = await createUser(sys.db, { roles: ['admin'] });
});
afterAll(() => sys.close());

describe('Templates', () => {
  test('When an administrator downloads the templates, then they are .xlsx files with Chinese headers', async () => {
    for (const [kind, headers] of [
      ['schools', SCHOOL_HEADERS],
      ['users', USER_HEADERS],
    ] as const) {
      const res = await fetch(`${sys.baseUrl}/api/imports/${kind}/template.xlsx`, { headers: { authorization: `Bearer ${as(admin)}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('spreadsheetml');
      const [header] = await readWorkbook(await res.arrayBuffer());
      expect(header.map((h) => h.replace('*', ''))).toEqual(headers);
    }
  });

  test('When anyone but an administrator asks, then 403 (and 401 without a token)', async () => {
    const bureau = await createUser(sys.db, { roles: ['bureau_approver'], districtId: (await createDistrict(sys.db)).id });
    expect((await api(sys, 'GET', '/api/imports/schools/template.xlsx', { token: as(bureau) })).status).toBe(403);
    expect((await api(sys, 'GET', '/api/imports/users/template.xlsx')).status).toBe(401);
    expect((await upload(sys.baseUrl, '/api/imports/schools?dryRun=true', as(bureau), await workbook(SCHOOL_HEADERS, [['x', 'y', 'z']]))).status).toBe(403);
  });
});

describe('POST /api/imports/schools', () => {
  test('When a file is previewed, then each row says what would happen with errors in Chinese and English, and nothing is written', async () => {
    const district = await createDistrict(sys.db);
    const existing = await createSchool(sys.db, { districtId: district.id });
    const s = u();
    const file = await workbook(SCHOOL_HEADERS, [
      [`n1-${s}`, `新校一${s}`, district.code, '张校长', '一路1号'],
      [existing.code, existing.name, district.name, existing.legalRepresentative ?? '', ''],
      [existing.code, `${existing.name}改`, district.code, '', ''],
      ['bad code!', `新校二${s}`, 'no-such-district', '', ''],
      [`n1-${s}`, `新校三${s}`, district.code, '', ''],
    ]);
    const res = await upload(sys.baseUrl, '/api/imports/schools?dryRun=true', as(admin), file);
    expect(res.status).toBe(200);
    expect(res.body.dryRun).toBe(true);
    expect(res.body.rows.map((r: { row: number; action: string }) => [r.row, r.action])).toEqual([
      [2, 'create'],
      [3, 'unchanged'],
      [4, 'error'], // the same code twice in one file
      [5, 'error'],
      [6, 'error'],
    ]);
    expect(res.body.rows[3].errors.code).toMatch(/代码.*Code/);
    expect(res.body.rows[3].errors.district).toMatch(/区.*不存在 \/ No such district/);
    expect(res.body.rows[4].errors.code).toMatch(/重复 \/ .*repeated/);
    expect(res.body.counts).toEqual({ create: 1, update: 0, unchanged: 1, error: 3 });
    expect(await countRows(sys.db, 'schools', { code: `n1-${s}` })).toBe(0);
    expect(await countRows(sys.db, 'schools', { districtId: district.id })).toBe(1);
  });

  test('When a file with an error is imported for real, then 400 with the rows and nothing stored', async () => {
    const district = await createDistrict(sys.db);
    const s = u();
    const file = await workbook(SCHOOL_HEADERS, [
      [`ok-${s}`, `好学校${s}`, district.code],
      [`ok2-${s}`, '', district.code],
    ]);
    const res = await upload(sys.baseUrl, '/api/imports/schools', as(admin), file);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/未导入任何数据 \/ .*nothing was imported/);
    expect(res.body.rows[1].errors.name).toBe('必填 / Required');
    expect(await countRows(sys.db, 'schools', { code: `ok-${s}` })).toBe(0);
  });

  test('When a valid file is imported twice, then the first creates and updates, the second changes nothing; each import is an audit event', async () => {
    const district = await createDistrict(sys.db);
    const other = await createDistrict(sys.db);
    const existing = await createSchool(sys.db, { districtId: district.id });
    const staff = await createUser(sys.db, { roles: ['school_staff'], schoolId: existing.id });
    const s = u();
    const rows = [
      ...Array.from({ length: 30 }, (_, i) => [`bulk-${s}-${i}`, `批量学校${s}-${i}`, district.code, '李校长', `路${i}号`]),
      [existing.code, `${existing.name}（更名）`, other.code, '新法人', ''],
    ];
    const file = await workbook(SCHOOL_HEADERS, rows);
    const first = await upload(sys.baseUrl, '/api/imports/schools', as(admin), file);
    expect(first.status).toBe(200);
    expect(first.body.counts).toEqual({ create: 30, update: 1, unchanged: 0, error: 0 });
    expect(await countRows(sys.db, 'schools', { districtId: district.id })).toBe(30);
    expect(await sys.db('schools').where({ id: existing.id }).first()).toMatchObject({ name: `${existing.name}（更名）`, districtId: other.id, legalRepresentative: '新法人' });
    // The school's users follow it into its new district.
    expect((await sys.db('users').where({ id: staff.id }).first()).districtId).toBe(other.id);

    const snapshot = await sys.db('schools').whereIn('districtId', [district.id, other.id]).orderBy('id').select('id', 'code', 'name', 'updatedAt');
    const second = await upload(sys.baseUrl, '/api/imports/schools', as(admin), file);
    expect(second.body.counts).toEqual({ create: 0, update: 0, unchanged: 31, error: 0 });
    expect(await sys.db('schools').whereIn('districtId', [district.id, other.id]).orderBy('id').select('id', 'code', 'name', 'updatedAt')).toEqual(snapshot);

    const events = await auditEventsOf(sys.db, 'import.schools');
    const mine = events.filter((e) => e.actorId === admin.id);
    expect(mine[0].details).toMatchObject({ rows: 31, created: 0, updated: 0, unchanged: 31 });
    expect(mine[1].details).toMatchObject({ rows: 31, created: 30, updated: 1 });
  });
});

describe('Files that must never be parsed into anything', () => {
  // Other suites add schools at the same time: "nothing stored" is judged by this file's district and this admin's imports.
  const importsByAdmin = async () => (await auditEventsOf(sys.db, 'import.schools')).filter((e) => e.actorId === admin.id).length;
  const refusedWith = async (bytes: Buffer, pattern: RegExp, modes = ['?dryRun=true', ''], districtId?: number) => {
    const before = await importsByAdmin();
    for (const dry of modes) {
      const res = await upload(sys.baseUrl, `/api/imports/schools${dry}`, as(admin), bytes);
      expect(res.status).toBe(400);
      expect(res.body.errors.file).toMatch(pattern);
    }
    expect(await importsByAdmin()).toBe(before);
    if (districtId) expect(await countRows(sys.db, 'schools', { districtId })).toBe(0);
  };

  test('When the file is not a workbook, then 400 saying so', async () => {
    await refusedWith(Buffer.from('学校代码,学校名称\nx,y\n'), /不是有效的 Excel.*not a valid Excel/);
    await refusedWith(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]), /不是有效的 Excel|无法读取/);
  });

  test('When a cell holds a formula, then 400 naming the cell', async () => {
    const district = await createDistrict(sys.db);
    const file = await workbook(SCHOOL_HEADERS, [[`f-${u()}`, { formula: 'A2&"学校"', result: 'x学校' }, district.code]]);
    await refusedWith(file, /单元格 B2 含公式.*Cell B2 holds a formula/, undefined, district.id);
  });

  test('When the file is 50 MB, then 400 about the size before anything is read', async () => {
    await refusedWith(Buffer.alloc(50 * 1024 * 1024, 1), /不能超过 10 MB.*at most 10 MB/, ['']);
  });

  test('When the file is a zip bomb, then 400 without inflating it', async () => {
    const district = await createDistrict(sys.db);
    const valid = await workbook(SCHOOL_HEADERS, [[`z-${u()}`, `炸弹学校${u()}`, district.code]]);
    const bomb = await zipBomb(valid, 150); // over the 100 MB uncompressed limit
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    await refusedWith(bomb, /压缩炸弹.*zip bomb/, undefined, district.id);
  });

  test('When a header is missing or the sheet has no rows, then 400 naming what is missing', async () => {
    await refusedWith(await workbook(['学校代码', '所属区'], [['a', 'b']]), /缺少列：学校名称 \/ Missing columns: School name/);
    await refusedWith(await workbook(SCHOOL_HEADERS, []), /没有数据行 \/ .*no data rows/);
  });
});

describe('POST /api/imports/users', () => {
  test('When users are previewed, then roles, schools and districts are checked row by row', async () => {
    const school = await createSchool(sys.db);
    const district = await createDistrict(sys.db);
    const s = u();
    const res = await upload(
      sys.baseUrl,
      '/api/imports/users?dryRun=true',
      as(admin),
      await workbook(USER_HEADERS, [
        [`t-${s}`, '王老师', '学校经办人、校长', school.code, '', `w${s}@example.cn`, ''],
        [`b-${s}`, '赵审批', '教育局审批人', '', district.name, '', 'long-enough-1'],
        [`x-${s}`, '钱老师', '校长', '', '', '', ''],
        [`y-${s}`, '孙老师', '园丁', school.code, '', 'not-an-email', 'short'],
        [`T-${s}`, '重复', '校长', school.code, '', '', ''],
      ]),
    );
    expect(res.status).toBe(200);
    const rows = res.body.rows;
    expect(rows.map((r: { action: string }) => r.action)).toEqual(['create', 'create', 'error', 'error', 'error']);
    expect(rows[1].values.password).toBe('••••••'); // never echoed
    expect(rows[2].errors.school).toMatch(/学校角色须填写学校代码 \/ School roles need a school code/);
    expect(rows[3].errors).toMatchObject({ roles: expect.stringMatching(/未知角色：园丁 \/ Unknown roles: 园丁/), email: expect.stringMatching(/邮箱/) });
    expect(rows[3].errors.password).toMatch(/至少 8 位/);
    expect(rows[4].errors.username).toMatch(/重复/);
    expect(await countRows(sys.db, 'users', { username: `t-${s}` })).toBe(0);
  });

  test('When users are imported twice, then created once with their roles and schools, the second import changes nothing, and a given password signs in', async () => {
    const school = await createSchool(sys.db);
    const s = u();
    const file = await workbook(USER_HEADERS, [
      [`p-${s}`, '周校长', 'principal', school.code, '', '', 'initial-pass-1'],
      [`q-${s}`, '吴老师', '学校经办人, 牵头学校负责人', school.code, '', '', ''],
    ]);
    const first = await upload(sys.baseUrl, '/api/imports/users', as(admin), file);
    expect(first.status).toBe(200);
    expect(first.body.counts).toMatchObject({ create: 2, error: 0 });
    const q = await sys.db('users').where({ username: `q-${s}` }).first();
    expect(q).toMatchObject({ name: '吴老师', roles: ['school_staff', 'lead_school_leader'], schoolId: school.id, districtId: school.districtId, active: true });

    const second = await upload(sys.baseUrl, '/api/imports/users', as(admin), file);
    expect(second.body.counts).toEqual({ create: 0, update: 0, unchanged: 2, error: 0 });
    expect((await sys.db('users').where({ username: `q-${s}` }).first()).updatedAt).toEqual(q.updatedAt);

    const login = await api(sys, 'POST', '/api/auth/login', { body: { username: `p-${s}`, password: 'initial-pass-1' } });
    expect(login.status).toBe(200);
    // Without a password the account cannot sign in locally (single sign-on only).
    expect((await api(sys, 'POST', '/api/auth/login', { body: { username: `q-${s}`, password: '!sso-only' } })).status).toBe(401);
    expect((await auditEventsOf(sys.db, 'import.users')).find((e) => e.actorId === admin.id)?.details).toMatchObject({ created: 0, unchanged: 2 });
  });
});
