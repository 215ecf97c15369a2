/**
 * Validation shared by the API and the worker: zod issues become bilingual ("中文 / English")
 * field errors keyed by dotted path, the shape react-admin shows under each input.
 */
import { z } from 'zod';

export type FieldErrors = Record<string, string>;
export type Validated<T> = { success: true; data: T } | { success: false; errors: FieldErrors };

const TYPE_NAMES: Record<string, [string, string]> = {
  string: ['文本', 'text'],
  number: ['数字', 'a number'],
  int: ['整数', 'an integer'],
  boolean: ['是或否', 'true or false'],
  array: ['列表', 'a list'],
  object: ['对象', 'an object'],
  record: ['对象', 'an object'],
};

/** The error map: every message in Chinese first, then English. */
export const bilingualError: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined || iss.input === null) return '必填 / Required';
      {
        const [zh, en] = TYPE_NAMES[iss.expected] ?? [iss.expected, iss.expected];
        return `应为${zh} / Expected ${en}`;
      }
    case 'too_small':
      if (iss.origin === 'string') return Number(iss.minimum) <= 1 ? '必填 / Required' : `至少 ${iss.minimum} 个字符 / At least ${iss.minimum} characters`;
      if (iss.origin === 'array') return `至少 ${iss.minimum} 项 / At least ${iss.minimum} items`;
      return `不能小于 ${iss.minimum} / Must be at least ${iss.minimum}`;
    case 'too_big':
      if (iss.origin === 'string') return `不能超过 ${iss.maximum} 个字符 / At most ${iss.maximum} characters`;
      if (iss.origin === 'array') return `不能超过 ${iss.maximum} 项 / At most ${iss.maximum} items`;
      return `不能大于 ${iss.maximum} / Must be at most ${iss.maximum}`;
    case 'invalid_format':
      if (iss.format === 'email') return '邮箱格式不正确 / Not a valid email address';
      return '格式不正确 / Invalid format';
    case 'invalid_value':
      return `取值应为 ${iss.values.map(String).join('、')} 之一 / Must be one of ${iss.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return '未知字段 / Unknown field';
    default:
      return '输入有误 / Invalid value';
  }
};

/** Issues → {"a.b.0.c": message}; an unknown key is reported on its own path. First message per path wins. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  const put = (path: PropertyKey[], message: string) => {
    const key = path.length ? path.map(String).join('.') : '_root';
    if (!out[key]) out[key] = message;
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) put([...issue.path, key], '未知字段 / Unknown field');
    } else {
      put(issue.path, issue.message);
    }
  }
  return out;
}

export function validate<S extends z.ZodType>(schema: S, input: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(input, { error: bilingualError });
  return result.success ? { success: true, data: result.data } : { success: false, errors: fieldErrorsOf(result.error) };
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/** Characters as a reader counts them: one Chinese character, one emoji, one accented letter = 1. */
export function graphemeLength(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/** Text that is trimmed; empty or null becomes null. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

export const requiredText = (max: number) => z.string().trim().min(1).max(max);

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A date, optionally with a time: the shapes Postgres would parse as a date or timestamp.
const DATE_SHAPED = /^([+-]?\d{4,})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
export const DATE_MESSAGE = '不是有效日期（公元 0001–9999 年）/ Not a valid date (years 0001–9999)';

/** For a date-shaped string: null when it is a real calendar date in years 0001–9999, else the message. Other text: null. */
export function dateProblem(text: string): string | null {
  const date = DATE_SHAPED.exec(text);
  if (!date) return null;
  const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
  if (!/^\d{4}$/.test(date[1]) || y < 1 || y > 9999 || m < 1 || m > 12) return DATE_MESSAGE;
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return DATE_MESSAGE;
  return Number.isNaN(Date.parse(text)) ? DATE_MESSAGE : null;
}

/** An ISO 8601 date or date-time (2026-12-01, 2026-12-01T08:00:00+08:00) that Postgres stores as given. */
export const isoDateTimeString = z
  .string()
  .max(40)
  .refine((s) => DATE_SHAPED.test(s) && dateProblem(s) === null, '不是有效时间（ISO 8601）/ Not a valid time (ISO 8601)');
