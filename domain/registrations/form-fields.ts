/**
 * Administrator-defined extra fields of the registration form (低代码字段): their definitions and
 * the check of a registration's `extra` values against the active ones.
 */
import { z } from 'zod';
import type { Knex } from 'knex';
import type { FieldErrors } from '../validation';
import { requiredText } from '../validation';
import { isValidDate } from './dates';

export const FORM_FIELD_TYPES = ['text', 'textarea', 'number', 'date', 'select', 'boolean'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

export const formFieldOptionSchema = z.strictObject({
  value: requiredText(100),
  labelZh: requiredText(200),
  labelEn: requiredText(200),
});

const formFieldShape = {
  key: z
    .string()
    .regex(/^[a-z][a-zA-Z0-9_]{0,63}$/, '键名须以小写字母开头，只含字母、数字、下划线 / Key must start with a lowercase letter and contain only letters, digits and _'),
  labelZh: requiredText(200),
  labelEn: requiredText(200),
  type: z.enum(FORM_FIELD_TYPES),
  required: z.boolean().default(false),
  options: z.array(formFieldOptionSchema).max(200).default([]),
  position: z.number().int().min(0).max(100000).default(0),
  active: z.boolean().default(true),
  // echoed back by react-admin's edit form
  id: z.unknown().optional(),
  createdAt: z.unknown().optional(),
  updatedAt: z.unknown().optional(),
};

function optionsFitType(v: { type: FormFieldType; options: { value: string }[] }, ctx: z.RefinementCtx) {
  if (v.type === 'select' && v.options.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['options'], message: '下拉字段至少需要一个选项 / A select field needs at least one option' });
  }
  const seen = new Set<string>();
  v.options.forEach((o, i) => {
    if (seen.has(o.value)) ctx.addIssue({ code: 'custom', path: ['options', i, 'value'], message: '选项值重复 / Duplicate option value' });
    seen.add(o.value);
  });
}

export const formFieldInputSchema = z.strictObject(formFieldShape).superRefine(optionsFitType).meta({ id: 'FormFieldInput' });
export type FormFieldInput = z.output<typeof formFieldInputSchema>;

export const formFieldSchema = z
  .object({
    id: z.number().int(),
    key: z.string(),
    labelZh: z.string(),
    labelEn: z.string(),
    type: z.enum(FORM_FIELD_TYPES),
    required: z.boolean(),
    options: z.array(z.object({ value: z.string(), labelZh: z.string(), labelEn: z.string() })),
    position: z.number().int(),
    active: z.boolean(),
    createdAt: z.string().meta({ format: 'date-time' }),
    updatedAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'FormField' });
export type FormField = z.infer<typeof formFieldSchema>;

export async function loadFormFields(db: Knex | Knex.Transaction): Promise<FormField[]> {
  return (await db('formFields').orderBy([{ column: 'position' }, { column: 'id' }])) as FormField[];
}

const isBlank = (v: unknown) => v === undefined || v === null || v === '';

/**
 * Checks `extra` against the field definitions: required, type, select options. A key with no
 * definition is an error; a key of a deactivated field keeps its stored value unchecked (it was
 * valid when written, and react-admin sends the whole record back).
 */
export function validateExtra(extra: Record<string, unknown>, fields: FormField[]): { errors: FieldErrors; value: Record<string, unknown> } {
  const errors: FieldErrors = {};
  const value: Record<string, unknown> = {};
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const [key, v] of Object.entries(extra)) {
    const field = byKey.get(key);
    if (!field) errors[`extra.${key}`] = '未知字段 / Unknown field';
    else if (!field.active && v !== undefined) {
      // Kept without the field's checks (react-admin sends the whole record back), but bounded like any value.
      const problem = inactiveValueProblem(v);
      if (problem) errors[`extra.${key}`] = problem;
      else value[key] = v;
    }
  }
  for (const field of fields.filter((f) => f.active)) {
    const path = `extra.${field.key}`;
    const v = extra[field.key];
    if (isBlank(v)) {
      if (field.required) errors[path] = `${field.labelZh}为必填项 / ${field.labelEn} is required`;
      continue;
    }
    const problem = typeProblem(field, v);
    if (problem) errors[path] = problem;
    else value[field.key] = typeof v === 'string' ? v.trim() : v;
  }
  return { errors, value };
}

/** A deactivated field's value: a scalar no larger than the largest an active field takes. */
function inactiveValueProblem(v: unknown): string | null {
  if (v === null || typeof v === 'boolean') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? null : '应为数字 / Expected a number';
  if (typeof v === 'string') return v.length > 10000 ? '不能超过 10000 个字符 / At most 10000 characters' : null;
  return '停用字段只能保留文本、数字或是否 / A deactivated field keeps only text, a number or true/false';
}

function typeProblem(field: FormField, v: unknown): string | null {
  switch (field.type) {
    case 'text':
      if (typeof v !== 'string') return '应为文本 / Expected text';
      return v.length > 500 ? '不能超过 500 个字符 / At most 500 characters' : null;
    case 'textarea':
      if (typeof v !== 'string') return '应为文本 / Expected text';
      return v.length > 10000 ? '不能超过 10000 个字符 / At most 10000 characters' : null;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? null : '应为数字 / Expected a number';
    case 'date':
      return typeof v === 'string' && isValidDate(v) ? null : '日期格式应为 YYYY-MM-DD / Date must be YYYY-MM-DD';
    case 'boolean':
      return typeof v === 'boolean' ? null : '应为是或否 / Expected true or false';
    case 'select':
      return typeof v === 'string' && field.options.some((o) => o.value === v)
        ? null
        : `取值应为 ${field.options.map((o) => o.value).join('、')} 之一 / Must be one of ${field.options.map((o) => o.value).join(', ')}`;
  }
}
