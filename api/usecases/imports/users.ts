/**
 * Users with their roles and schools from a spreadsheet. A row is matched to an existing user by
 * username (case-insensitive): new users are created, changed rows updated, identical rows left
 * alone, so importing the same file twice changes nothing. A password is only read for a new
 * user; left empty, the account has no usable password and signs in through single sign-on (or an
 * administrator sets one later). Passwords of existing users are never touched by an import.
 */
import { appendAuditEvent } from '../../../domain/audit';
import { hashPassword } from '../../../domain/users/passwords';
import { PASSWORD_MIN } from '../../../domain/users/schema';
import type { FieldErrors } from '../../../domain/validation';
import type { Db } from '../../../db/connection';
import { AppError } from '../../errors';
import type { Actor } from '../../middleware/auth';
import { ROLES, type Role, SCHOOL_SCOPED_ROLES } from '../../rights';
import { ROLE_ZH } from '../exports/labels';
import { chunk, writeProgress, type ImportResult, type ImportRow, markDuplicates, summarize } from './common';
import { noProgress, type ProgressSink } from './progress';
import { type ColumnSpec, readSheet } from './sheet';

const ROLE_NAMES_ZH = ROLE_ZH as Record<Role, string>;

export const USER_COLUMNS = [
  { key: 'username', zh: '用户名', en: 'Username', required: true, width: 18, hint: '3–64 位字母、数字或 . _ -' },
  { key: 'name', zh: '姓名', en: 'Name', required: true, width: 12, hint: '' },
  { key: 'roles', zh: '角色', en: 'Roles', required: true, width: 28, hint: Object.values(ROLE_NAMES_ZH).join('、') + '（多个用、分隔）' },
  { key: 'school', zh: '学校代码', en: 'School code', width: 16, hint: '学校角色必填' },
  { key: 'district', zh: '所属区', en: 'District', width: 14, hint: '教育局审批人必填：区代码或名称' },
  { key: 'email', zh: '邮箱', en: 'Email', width: 26, hint: '可空' },
  { key: 'password', zh: '初始密码', en: 'Initial password', width: 16, hint: '仅新用户；留空则只能单点登录' },
] as const satisfies readonly ColumnSpec[];
type Key = (typeof USER_COLUMNS)[number]['key'];

const USERNAME_RE = /^[a-zA-Z0-9._-]{3,64}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** An account created without a password: no argon2 hash matches it. */
const NO_PASSWORD = '!sso-only';

interface Planned {
  row: number;
  values: Record<Key, string>;
  errors: FieldErrors;
  action?: ImportRow['action'];
  existingId?: number;
  roles: Role[];
  schoolId: number | null;
  districtId: number | null;
}

function parseRoles(text: string): { roles: Role[]; unknown: string[] } {
  const roles: Role[] = [];
  const unknown: string[] = [];
  for (const part of text.split(/[,，、;；\s]+/).filter(Boolean)) {
    const role = (ROLES as readonly string[]).includes(part) ? (part as Role) : (Object.entries(ROLE_NAMES_ZH).find(([, zh]) => zh === part)?.[0] as Role | undefined);
    if (role) {
      if (!roles.includes(role)) roles.push(role);
    } else unknown.push(part);
  }
  return { roles, unknown };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

async function plan(db: Db, bytes: Buffer): Promise<Planned[]> {
  const sheet = await readSheet<Key>(bytes, USER_COLUMNS);
  const [schools, districts, existing] = await Promise.all([
    db('schools').select('id', 'code', 'districtId'),
    db('districts').select('id', 'code', 'name'),
    db('users').select('id', 'username', 'name', 'roles', 'schoolId', 'districtId', 'email'),
  ]);
  const schoolByCode = new Map(schools.map((s) => [s.code.toLowerCase(), s]));
  const districtOf = new Map<string, number>();
  for (const d of districts) {
    districtOf.set(d.code.toLowerCase(), d.id);
    districtOf.set(d.name, d.id);
  }
  const userByName = new Map(existing.map((u) => [u.username.toLowerCase(), u]));

  const rows: Planned[] = sheet.map((r) => ({ ...r, errors: {}, roles: [], schoolId: null, districtId: null }));
  for (const r of rows) {
    const v = r.values;
    const e = r.errors;
    if (!v.username) e.username = '必填 / Required';
    else if (!USERNAME_RE.test(v.username)) e.username = '用户名为 3–64 位字母、数字或 . _ - / Username: 3–64 letters, digits or . _ -';
    if (!v.name) e.name = '必填 / Required';
    else if (v.name.length > 100) e.name = '不能超过 100 个字符 / At most 100 characters';
    const { roles, unknown } = parseRoles(v.roles);
    r.roles = roles;
    if (unknown.length) e.roles = `未知角色：${unknown.join('、')} / Unknown roles: ${unknown.join(', ')}`;
    else if (!roles.length) e.roles = '至少一个角色 / At least one role';
    if (v.email && (!EMAIL_RE.test(v.email) || v.email.length > 200)) e.email = '邮箱格式不正确 / Not a valid email address';

    if (v.school) {
      const school = schoolByCode.get(v.school.toLowerCase());
      if (!school) e.school = `学校代码“${v.school}”不存在 / No school with code ${v.school}`;
      else {
        r.schoolId = school.id;
        r.districtId = school.districtId;
      }
    }
    if (v.district) {
      const d = districtOf.get(v.district.toLowerCase()) ?? districtOf.get(v.district);
      if (d == null) e.district = `区“${v.district}”不存在 / No such district: ${v.district}`;
      else if (r.schoolId != null && d !== r.districtId) e.district = '与所在学校的区不一致 / Does not match the school’s district';
      else r.districtId = d;
    }
    if (roles.some((x) => SCHOOL_SCOPED_ROLES.includes(x)) && !v.school && !e.school) e.school = '学校角色须填写学校代码 / School roles need a school code';
    if (roles.includes('bureau_approver') && r.districtId == null && !e.district) e.district = '教育局审批人须填写所属区 / A bureau approver needs a district';

    const same = userByName.get(v.username.toLowerCase());
    if (same) {
      r.existingId = same.id;
      const unchanged =
        same.name === v.name && sameSet(same.roles, roles) && same.schoolId === r.schoolId && same.districtId === r.districtId && (same.email ?? '') === v.email;
      r.action = unchanged ? 'unchanged' : 'update';
    } else {
      r.action = 'create';
      if (v.password && (v.password.length < PASSWORD_MIN || v.password.length > 200)) e.password = `密码至少 ${PASSWORD_MIN} 位 / Password must be at least ${PASSWORD_MIN} characters`;
    }
  }
  markDuplicates(rows, 'username', '文件中用户名重复 / Username repeated in the file', (s) => s.toLowerCase());
  return rows;
}

// Passwords are never echoed back, not even in the preview.
const shown = (v: Record<Key, string>) => ({ ...v, password: v.password ? '••••••' : '' });

const toResult = (rows: Planned[], dryRun: boolean): ImportResult =>
  summarize(
    'users',
    dryRun,
    rows.map((r) => ({ row: r.row, values: shown(r.values), ...(Object.keys(r.errors).length ? { action: 'error', errors: r.errors } : { action: r.action! }) })),
  );

/** Hashes the given passwords a few at a time (argon2 is deliberately slow). */
async function passwordHashes(rows: Planned[], onProgress: ProgressSink): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const withPassword = rows.filter((r) => r.values.password);
  if (withPassword.length) onProgress({ phase: 'passwords', done: 0, total: withPassword.length });
  for (const part of chunk(withPassword, 4)) {
    await Promise.all(part.map(async (r) => out.set(r.row, await hashPassword(r.values.password))));
    onProgress({ phase: 'passwords', done: out.size, total: withPassword.length });
  }
  return out;
}

export async function importUsers(db: Db, actor: Actor, bytes: Buffer, dryRun: boolean, onProgress: ProgressSink = noProgress): Promise<ImportResult> {
  onProgress({ phase: 'read', done: 0, total: 0 });
  const rows = await plan(db, bytes);
  onProgress({ phase: 'check', done: rows.length, total: rows.length });
  const result = toResult(rows, dryRun);
  if (dryRun) return result;
  if (result.counts.error > 0) {
    throw Object.assign(AppError.badRequest(`有 ${result.counts.error} 行有误，未导入任何数据 / ${result.counts.error} rows have errors; nothing was imported`), { details: result });
  }
  const creates = rows.filter((r) => r.action === 'create');
  const hashes = await passwordHashes(creates, onProgress);
  const updates = rows.filter((x) => x.action === 'update');
  const written = writeProgress(onProgress, creates.length + updates.length);
  const place = (r: Planned) => ({ name: r.values.name, roles: r.roles, schoolId: r.schoolId, districtId: r.districtId, email: r.values.email || null });
  await db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['import:users']);
    for (const part of chunk(creates, 500)) {
      await trx('users')
        .insert(part.map((r) => ({ username: r.values.username, passwordHash: hashes.get(r.row) ?? NO_PASSWORD, active: true, ...place(r) })))
        .onConflict('username')
        .ignore();
      written(part.length);
    }
    for (const r of updates) {
      await trx('users').where({ id: r.existingId }).update({ ...place(r), updatedAt: trx.fn.now() });
      written(1);
    }
    await appendAuditEvent(trx, {
      action: 'import.users',
      actorId: actor.id,
      actorName: actor.name,
      details: { rows: result.total, created: result.counts.create, updated: result.counts.update, unchanged: result.counts.unchanged },
    });
  });
  return result;
}
