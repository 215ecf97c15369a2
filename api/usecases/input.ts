import type { z } from 'zod';
import { validate } from '../../domain/validation';
import { AppError } from '../errors';

/** Parses a request body with a zod schema; bad input answers 400 with bilingual field errors. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, message = '输入有误 / Invalid input'): z.output<S> {
  const result = validate(schema, body);
  if (!result.success) throw AppError.badRequest(message, result.errors);
  return result.data;
}

/** An integer id from the path; a number beyond a database integer is a 400, anything else a record that does not exist. */
export function intId(raw: unknown, what: string): number {
  const s = String(raw);
  if (/^\d+$/.test(s) && Number(s) > 2_147_483_647) {
    throw AppError.badRequest('输入有误 / Invalid input', { id: '编号超出范围 / Id out of range' });
  }
  if (!/^[1-9]\d{0,9}$/.test(s)) throw AppError.notFound(what);
  return Number(s);
}

/** Postgres unique violation → a field error on the given field. */
export function uniqueViolation(err: unknown, constraintToField: Record<string, [string, string]>): AppError | null {
  const e = err as { code?: string; constraint?: string };
  if (e?.code !== '23505' || !e.constraint) return null;
  const hit = constraintToField[e.constraint];
  if (!hit) return null;
  return AppError.badRequest('输入有误 / Invalid input', { [hit[0]]: hit[1] });
}
