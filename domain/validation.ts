/**
 * Validation shared by the API and the worker: zod issues become bilingual ("中文 / English")
 * field errors keyed by dotted path, the shape react-admin shows under each input.
 */
import { z } from 'zod';

// The bilingual messages live with the process rules (the workflow's validators use them too).
import { bilingualError, fieldErrorsOf, type FieldErrors } from './process/bilingual';
import { UUID_RE } from './process/payloads';

export { bilingualError, fieldErrorsOf, UUID_RE, type FieldErrors };
export type Validated<T> = { success: true; data: T } | { success: false; errors: FieldErrors };

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
