/** Administrator-defined extra fields of the registration form: read by all, written by admins. */
import { z } from 'zod';
import { appendAuditEvent } from '../../domain/audit';
import { type FormField, formFieldInputSchema } from '../../domain/registrations/form-fields';
import type { Db } from '../../db/connection';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { fetchPage, type ListQuery, likePattern, oneOrMany, whereOneOrMany } from '../simple-rest';
import { parseBody, uniqueViolation } from './input';

const WHAT = '表单字段 / Form field';

export const formFieldFilterSchema = z.strictObject({
  id: oneOrMany(z.coerce.number().int().positive()).optional(),
  key: oneOrMany(z.string().max(64)).optional(),
  active: z.boolean().optional(),
  q: z.string().trim().max(100).optional(),
});

export const FORM_FIELD_SORTABLE: Record<string, string> = {
  id: 'id', key: 'key', labelZh: 'labelZh', labelEn: 'labelEn', type: 'type', position: 'position', active: 'active', createdAt: 'createdAt', updatedAt: 'updatedAt',
};

const toFormField = (r: any): FormField => ({
  id: r.id,
  key: r.key,
  labelZh: r.labelZh,
  labelEn: r.labelEn,
  type: r.type,
  required: r.required,
  options: r.options ?? [],
  position: r.position,
  active: r.active,
  createdAt: new Date(r.createdAt).toISOString(),
  updatedAt: new Date(r.updatedAt).toISOString(),
});

export async function listFormFields(db: Db, list: ListQuery<z.output<typeof formFieldFilterSchema>>) {
  const base = db('formFields');
  whereOneOrMany(base, 'id', list.filter.id);
  whereOneOrMany(base, 'key', list.filter.key);
  if (list.filter.active !== undefined) base.where('active', list.filter.active);
  if (list.filter.q) {
    const p = likePattern(list.filter.q);
    base.where((w) => w.whereILike('key', p).orWhereILike('labelZh', p).orWhereILike('labelEn', p));
  }
  const page = await fetchPage<any>(base, list, { sortable: FORM_FIELD_SORTABLE, tieBreaker: 'id' });
  return { rows: page.rows.map(toFormField), total: page.total };
}

export async function getFormField(db: Db, id: number): Promise<FormField> {
  const row = await db('formFields').where({ id }).first();
  if (!row) throw AppError.notFound(WHAT);
  return toFormField(row);
}

const UNIQUE = { form_fields_key_unique: ['key', '键名已存在 / Key already in use'] as [string, string] };

/** True when some registration stores a value under this key. */
async function keyInUse(db: Db, key: string): Promise<boolean> {
  return Boolean(await db('registrations').whereRaw('jsonb_exists(extra, ?)', [key]).first('id'));
}

function columns(input: z.output<typeof formFieldInputSchema>) {
  return {
    key: input.key,
    labelZh: input.labelZh,
    labelEn: input.labelEn,
    type: input.type,
    required: input.required,
    options: JSON.stringify(input.options),
    position: input.position,
    active: input.active,
  };
}

export async function createFormField(db: Db, actor: Actor, body: unknown): Promise<FormField> {
  const input = parseBody(formFieldInputSchema, body);
  try {
    return await db.transaction(async (trx) => {
      const [row] = await trx('formFields').insert(columns(input)).returning('*');
      await appendAuditEvent(trx, { action: 'form_field.created', actorId: actor.id, actorName: actor.name, details: { formFieldId: row.id, key: input.key, type: input.type } });
      return toFormField(row);
    });
  } catch (err) {
    throw uniqueViolation(err, UNIQUE) ?? err;
  }
}

export async function updateFormField(db: Db, actor: Actor, id: number, body: unknown): Promise<FormField> {
  const input = parseBody(formFieldInputSchema, body);
  const before = await getFormField(db, id);
  if (input.key !== before.key && (await keyInUse(db, before.key))) {
    throw AppError.badRequest('输入有误 / Invalid input', { key: '已有登记使用此键名，不能修改 / Registrations already hold values under this key; it cannot change' });
  }
  try {
    return await db.transaction(async (trx) => {
      const [row] = await trx('formFields').where({ id }).update({ ...columns(input), updatedAt: trx.fn.now() }).returning('*');
      await appendAuditEvent(trx, {
        action: 'form_field.updated',
        actorId: actor.id,
        actorName: actor.name,
        details: { formFieldId: id, before: { ...before, createdAt: undefined, updatedAt: undefined }, after: columns(input) },
      });
      return toFormField(row);
    });
  } catch (err) {
    throw uniqueViolation(err, UNIQUE) ?? err;
  }
}

/** A field whose key holds values in some registration is deactivated instead (409 says so). */
export async function deleteFormField(db: Db, actor: Actor, id: number): Promise<FormField> {
  const before = await getFormField(db, id);
  if (await keyInUse(db, before.key)) {
    throw AppError.conflict('已有登记填写了此字段，请改为停用 / Registrations hold values for this field; deactivate it instead');
  }
  return db.transaction(async (trx) => {
    await trx('formFields').where({ id }).delete();
    await appendAuditEvent(trx, { action: 'form_field.deleted', actorId: actor.id, actorName: actor.name, details: { formFieldId: id, key: before.key } });
    return before;
  });
}
