import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../platform/logger';

import { AppError } from '../domain/errors';

// The one error type lives with the domain (which throws it too); the API answers it.
export { AppError };

/** Field errors keyed by dotted path, as react-admin shows them under each input. */
export function zodFieldErrors(err: ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of err.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_root';
    if (!out[key]) out[key] = issue.message;
  }
  return out;
}

/**
 * PostgreSQL down or restarting, as the driver reports it: the connection refused or cut, the server
 * shutting down or recovering (SQLSTATE classes 08 and 57P), or no pooled connection in time.
 */
export function databaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = String((e as { code?: unknown }).code ?? '');
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code) || /^08|^57P/.test(code)) return true;
    if (e.name === 'KnexTimeoutError' || /Connection terminated|not queryable|connection to the database|the database system is (starting up|shutting down|in recovery mode)/i.test(e.message)) return true;
    const errors = (e as { errors?: unknown }).errors; // AggregateError of one connect attempt per address
    if (Array.isArray(errors) && errors.some((x) => databaseUnavailable(x))) return true;
  }
  return false;
}

/** The status and body an error answers with (and whether to ask the client to retry later). */
export function errorAnswer(err: any, log: Logger): { status: number; body: Record<string, unknown>; retryAfter?: number } {
  if (err instanceof AppError) {
    return { status: err.status, body: { message: err.message, code: err.code, ...(err.errors ? { errors: err.errors } : {}) } };
  }
  if (err instanceof ZodError) {
    return { status: 400, body: { message: '输入有误 / Invalid input', code: 'validation', errors: zodFieldErrors(err) } };
  }
  // body-parser errors carry a status and a type.
  const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
  if (err?.type === 'entity.parse.failed') {
    return { status: 400, body: { message: '请求体不是有效的 JSON / Malformed JSON body', code: 'malformed_json' } };
  }
  if (err?.type === 'entity.too.large') {
    return { status: 413, body: { message: '请求体过大 / Request body too large', code: 'too_large' } };
  }
  if (status >= 400 && status < 500) {
    return { status, body: { message: err.message ?? 'Bad request', code: err.type ?? 'bad_request' } };
  }
  if (databaseUnavailable(err)) {
    log.warn({ err: { message: err?.message, code: err?.code } }, 'database unavailable');
    return { status: 503, retryAfter: 5, body: { message: '数据库暂时不可用，请稍后重试 / The database is unavailable, please try again later', code: 'database_unavailable' } };
  }
  log.error({ err }, 'unhandled error');
  return { status: 500, body: { message: '服务器内部错误 / Internal server error', code: 'internal' } };
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    const answer = errorAnswer(err, req.log ?? logger);
    if (answer.retryAfter) res.set('Retry-After', String(answer.retryAfter));
    res.status(answer.status).json(answer.body);
  };
}
