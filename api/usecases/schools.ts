/**
 * Schools and districts. Everyone signed in reads the schools of their own district (admin: all);
 * only administrators write.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { appendAuditEvent } from '../../domain/audit';
import { optionalText, requiredText } from '../../domain/validation';
import type { Db } from '../../db/connection';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { fetchPage, type ListQuery, oneOrMany, whereOneOrMany, likePattern } from '../simple-rest';
import { parseBody, uniqueViolation } from './input';
import { schoolScopeOf } from './scope';

const WHAT = '学校 / School';

export const schoolInputSchema = z
  .strictObject({
    districtId: z.number().int().positive(),
    code: z.string().trim().regex(/^[A-Za-z0-9._-]{1,32}$/, '代码为 1–32 位字母、数字或 . _ - / Code: 1–32 letters, digits or . _ -'),
    name: requiredText(200),
    legalRepresentative: optionalText(100),
    address: optionalText(300),
    // echoed back by react-admin's edit form
    id: z.unknown().optional(),
    districtName: z.unknown().optional(),
    stampFileId: z.unknown().optional(),
    createdAt: z.unknown().optional(),
    updatedAt: z.unknown().optional(),
  })
  .meta({ id: 'SchoolInput' });

export const schoolSchema = z
  .object({
    id: z.number().int(),
    districtId: z.number().int(),
    districtName: z.string(),
    code: z.string(),
    name: z.string(),
    legalRepresentative: z.string().nullable(),
    address: z.string().nullable(),
    stampFileId: z.string().nullable(),
    createdAt: z.string().meta({ format: 'date-time' }),
    updatedAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'School' });
export type School = z.infer<typeof schoolSchema>;

export const schoolFilterSchema = z.strictObject({
  id: oneOrMany(z.coerce.number().int().positive()).optional(),
  districtId: oneOrMany(z.coerce.number().int().positive()).optional(),
  q: z.string().trim().max(100).optional(),
});

export const SCHOOL_SORTABLE: Record<string, string> = {
  id: 's.id',
  code: 's.code',
  name: 's.name',
  districtId: 's.districtId',
  districtName: 'd.name',
  createdAt: 's.createdAt',
  updatedAt: 's.updatedAt',
};

const COLUMNS = ['s.*', 'd.name as districtName'];

function scopedSchools(db: Db | Knex.Transaction, actor: Actor) {
  const qb = db('schools as s').join('districts as d', 'd.id', 's.districtId');
  const scope = schoolScopeOf(actor);
  if (scope.all) return qb;
  return qb.where((w) => {
    w.whereRaw('false');
    if (scope.schoolId != null) w.orWhere('s.id', scope.schoolId);
    if (scope.districtId != null) w.orWhere('s.districtId', scope.districtId);
  });
}

function toSchool(row: any): School {
  return {
    id: row.id,
    districtId: row.districtId,
    districtName: row.districtName,
    code: row.code,
    name: row.name,
    legalRepresentative: row.legalRepresentative,
    address: row.address,
    stampFileId: row.stampFileId,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export async function getSchool(db: Db | Knex.Transaction, actor: Actor, id: number): Promise<School> {
  const row = await scopedSchools(db, actor).where('s.id', id).first(COLUMNS);
  if (!row) throw AppError.notFound(WHAT);
  return toSchool(row);
}

export async function listSchools(db: Db, actor: Actor, list: ListQuery<z.output<typeof schoolFilterSchema>>) {
  const base = scopedSchools(db, actor);
  whereOneOrMany(base, 's.id', list.filter.id);
  whereOneOrMany(base, 's.districtId', list.filter.districtId);
  if (list.filter.q) {
    const pattern = likePattern(list.filter.q);
    base.where((w) => w.whereILike('s.name', pattern).orWhereILike('s.code', pattern));
  }
  const page = await fetchPage<any>(base, list, { sortable: SCHOOL_SORTABLE, tieBreaker: 's.id', select: (qb) => qb.select(COLUMNS) });
  return { rows: page.rows.map(toSchool), total: page.total };
}

const UNIQUE = {
  schools_code_unique: ['code', '学校代码已存在 / School code already in use'] as [string, string],
  schools_name_unique: ['name', '学校名称已存在 / School name already in use'] as [string, string],
};

async function checkDistrict(db: Db, districtId: number) {
  if (!(await db('districts').where({ id: districtId }).first('id'))) {
    throw AppError.badRequest('输入有误 / Invalid input', { districtId: '区不存在 / No such district' });
  }
}

export async function createSchool(db: Db, actor: Actor, body: unknown): Promise<School> {
  const input = parseBody(schoolInputSchema, body);
  await checkDistrict(db, input.districtId);
  try {
    return await db.transaction(async (trx) => {
      const [{ id }] = await trx('schools')
        .insert({ districtId: input.districtId, code: input.code, name: input.name, legalRepresentative: input.legalRepresentative, address: input.address })
        .returning('id');
      await appendAuditEvent(trx, { action: 'school.created', actorId: actor.id, actorName: actor.name, details: { schoolId: id, code: input.code, name: input.name } });
      return getSchool(trx, actor, id);
    });
  } catch (err) {
    throw uniqueViolation(err, UNIQUE) ?? err;
  }
}

export async function updateSchool(db: Db, actor: Actor, id: number, body: unknown): Promise<School> {
  const input = parseBody(schoolInputSchema, body);
  const before = await getSchool(db, actor, id);
  await checkDistrict(db, input.districtId);
  try {
    return await db.transaction(async (trx) => {
      await trx('schools')
        .where({ id })
        .update({ districtId: input.districtId, code: input.code, name: input.name, legalRepresentative: input.legalRepresentative, address: input.address, updatedAt: trx.fn.now() });
      // School users follow their school into another district.
      if (input.districtId !== before.districtId) await trx('users').where({ schoolId: id }).update({ districtId: input.districtId });
      await appendAuditEvent(trx, {
        action: 'school.updated',
        actorId: actor.id,
        actorName: actor.name,
        details: { schoolId: id, before: { code: before.code, name: before.name, districtId: before.districtId }, after: { code: input.code, name: input.name, districtId: input.districtId } },
      });
      return getSchool(trx, actor, id);
    });
  } catch (err) {
    throw uniqueViolation(err, UNIQUE) ?? err;
  }
}

/** Only a school nothing refers to can go; otherwise the answer says why. */
export async function deleteSchool(db: Db, actor: Actor, id: number): Promise<School> {
  const before = await getSchool(db, actor, id);
  const [users, registrations] = await Promise.all([
    db('users').where({ schoolId: id }).first('id'),
    db('registrations').where({ schoolId: id }).first('id'),
  ]);
  if (users || registrations) {
    throw AppError.conflict('该学校仍有用户或登记，不能删除 / The school still has users or registrations and cannot be deleted');
  }
  return db.transaction(async (trx) => {
    await trx('schools').where({ id }).delete();
    await appendAuditEvent(trx, { action: 'school.deleted', actorId: actor.id, actorName: actor.name, details: { schoolId: id, code: before.code, name: before.name } });
    return before;
  });
}

export const districtSchema = z.object({ id: z.number().int(), code: z.string(), name: z.string() }).meta({ id: 'District' });

export async function listDistricts(db: Db, list: ListQuery<{ id?: number | number[] }>) {
  const base = db('districts');
  whereOneOrMany(base, 'id', list.filter.id);
  return fetchPage<{ id: number; code: string; name: string }>(base, list, {
    sortable: { id: 'id', code: 'code', name: 'name' },
    tieBreaker: 'id',
    select: (qb) => qb.select('id', 'code', 'name'),
  });
}
