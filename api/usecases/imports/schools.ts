/**
 * Schools from a spreadsheet. A row is matched to an existing school by its code: new codes are
 * created, changed rows updated, identical rows left alone, so importing the same file twice
 * changes nothing. The real import runs only when every row is valid, in one transaction.
 */
import { appendAuditEvent } from '../../../domain/audit';
import type { FieldErrors } from '../../../domain/validation';
import type { Db } from '../../../db/connection';
import { AppError } from '../../errors';
import type { Actor } from '../../middleware/auth';
import { chunk, writeProgress, type ImportResult, type ImportRow, markDuplicates, summarize } from './common';
import { noProgress, type ProgressSink } from './progress';
import { type ColumnSpec, readSheet } from './sheet';

export const SCHOOL_COLUMNS = [
  { key: 'code', zh: '学校代码', en: 'School code', required: true, width: 16, hint: '1–32 位字母、数字或 . _ -' },
  { key: 'name', zh: '学校名称', en: 'School name', required: true, width: 30, hint: '全区唯一' },
  { key: 'district', zh: '所属区', en: 'District', required: true, width: 16, hint: '区代码或区名称' },
  { key: 'legalRepresentative', zh: '法人代表', en: 'Legal representative', width: 14, hint: '可空' },
  { key: 'address', zh: '地址', en: 'Address', width: 36, hint: '可空' },
] as const satisfies readonly ColumnSpec[];
type Key = (typeof SCHOOL_COLUMNS)[number]['key'];

const CODE_RE = /^[A-Za-z0-9._-]{1,32}$/;
const LIMITS: Partial<Record<Key, number>> = { name: 200, legalRepresentative: 100, address: 300 };

interface Planned {
  row: number;
  values: Record<Key, string>;
  errors: FieldErrors;
  action?: ImportRow['action'];
  districtId?: number;
  existingId?: number;
}

async function plan(db: Db, bytes: Buffer): Promise<Planned[]> {
  const sheet = await readSheet<Key>(bytes, SCHOOL_COLUMNS);
  const rows: Planned[] = sheet.map((r) => ({ ...r, errors: {} }));

  const districts = await db('districts').select('id', 'code', 'name');
  const districtOf = new Map<string, number>();
  for (const d of districts) {
    districtOf.set(d.code.toLowerCase(), d.id);
    districtOf.set(d.name, d.id);
  }
  const existing = await db('schools').select('id', 'code', 'name', 'districtId', 'legalRepresentative', 'address');
  const byCode = new Map(existing.map((s) => [s.code, s]));
  const byName = new Map(existing.map((s) => [s.name, s]));

  for (const r of rows) {
    const v = r.values;
    if (!v.code) r.errors.code = '必填 / Required';
    else if (!CODE_RE.test(v.code)) r.errors.code = '代码为 1–32 位字母、数字或 . _ - / Code: 1–32 letters, digits or . _ -';
    if (!v.name) r.errors.name = '必填 / Required';
    for (const [k, max] of Object.entries(LIMITS) as [Key, number][]) {
      if (v[k].length > max) r.errors[k] = `不能超过 ${max} 个字符 / At most ${max} characters`;
    }
    if (!v.district) r.errors.district = '必填 / Required';
    else {
      r.districtId = districtOf.get(v.district.toLowerCase()) ?? districtOf.get(v.district);
      if (r.districtId == null) r.errors.district = `区“${v.district}”不存在 / No such district: ${v.district}`;
    }
    const same = byCode.get(v.code);
    const namesake = byName.get(v.name);
    if (namesake && namesake.code !== v.code) r.errors.name = `名称已被学校 ${namesake.code} 使用 / Name already used by school ${namesake.code}`;
    if (same) {
      r.existingId = same.id;
      const unchanged =
        same.name === v.name && same.districtId === r.districtId && (same.legalRepresentative ?? '') === v.legalRepresentative && (same.address ?? '') === v.address;
      r.action = unchanged ? 'unchanged' : 'update';
    } else r.action = 'create';
  }
  markDuplicates(rows, 'code', '文件中学校代码重复 / School code repeated in the file');
  markDuplicates(rows, 'name', '文件中学校名称重复 / School name repeated in the file');
  return rows;
}

const toResult = (rows: Planned[], dryRun: boolean): ImportResult =>
  summarize(
    'schools',
    dryRun,
    rows.map((r) => ({ row: r.row, values: r.values, ...(Object.keys(r.errors).length ? { action: 'error', errors: r.errors } : { action: r.action! }) })),
  );

/** dryRun: the preview, nothing written. Otherwise all rows or none, and one audit event. */
export async function importSchools(db: Db, actor: Actor, bytes: Buffer, dryRun: boolean, onProgress: ProgressSink = noProgress): Promise<ImportResult> {
  onProgress({ phase: 'read', done: 0, total: 0 });
  const rows = await plan(db, bytes);
  onProgress({ phase: 'check', done: rows.length, total: rows.length });
  const result = toResult(rows, dryRun);
  if (dryRun) return result;
  if (result.counts.error > 0) {
    throw Object.assign(AppError.badRequest(`有 ${result.counts.error} 行有误，未导入任何数据 / ${result.counts.error} rows have errors; nothing was imported`), { details: result });
  }
  const column = (r: Planned) => ({
    code: r.values.code,
    name: r.values.name,
    districtId: r.districtId!,
    legalRepresentative: r.values.legalRepresentative || null,
    address: r.values.address || null,
  });
  const creates = rows.filter((r) => r.action === 'create');
  const updates = rows.filter((x) => x.action === 'update');
  const written = writeProgress(onProgress, creates.length + updates.length);
  await db.transaction(async (trx) => {
    // Serializes concurrent imports, so two uploads of one file cannot both "create" a school.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['import:schools']);
    for (const part of chunk(creates, 500)) {
      await trx('schools').insert(part.map(column)).onConflict('code').merge();
      written(part.length);
    }
    for (const r of updates) {
      await trx('schools').where({ id: r.existingId }).update({ ...column(r), updatedAt: trx.fn.now() });
      await trx('users').where({ schoolId: r.existingId }).update({ districtId: r.districtId }); // users follow their school
      written(1);
    }
    await appendAuditEvent(trx, {
      action: 'import.schools',
      actorId: actor.id,
      actorName: actor.name,
      details: { rows: result.total, created: result.counts.create, updated: result.counts.update, unchanged: result.counts.unchanged },
    });
  });
  return result;
}
