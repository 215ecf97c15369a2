/**
 * The edge check every request passes before any route: text a database or a printed form cannot
 * hold faithfully is refused with 400 and a field message, never stored, never a 500.
 *
 * Refused: invalid UTF-8 in the body; NUL and C0 control characters other than tab, CR and LF, and
 * unpaired surrogates, in any JSON string (keys too), query value or path; nesting deeper than
 * MAX_DEPTH; ids beyond a Postgres integer; non-finite numbers; date-shaped strings that are not
 * a calendar date in years 0001–9999 (domain/validation.ts dateProblem).
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { dateProblem } from '../../domain/validation';
import { AppError } from '../errors';

export const INT4_MAX = 2_147_483_647;
export const MAX_DEPTH = 32;

const MESSAGES = {
  control: '含有不允许的控制字符 / Contains a control character that is not allowed',
  surrogate: '含有无效的 Unicode 字符（不成对的代理项）/ Contains an invalid Unicode character (unpaired surrogate)',
  utf8: '不是有效的 UTF-8 编码 / Not valid UTF-8',
  idRange: `编号超出范围（1–${INT4_MAX}）/ Id out of range (1–${INT4_MAX})`,
  intRange: `整数超出范围（最大 ${INT4_MAX}）/ Integer out of range (at most ${INT4_MAX})`,
  number: '数值超出范围 / Number out of range',
  depth: `嵌套层级过深（最多 ${MAX_DEPTH} 层）/ Nested too deeply (at most ${MAX_DEPTH} levels)`,
} as const;

const INVALID = '输入有误 / Invalid input';

// C0 controls except \t \n \r.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
// A surrogate half without its partner (String.prototype.isWellFormed is not in our TS lib yet).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (s: string) => !LONE_SURROGATE.test(s);

/** What is wrong with a piece of text, or null. */
export function textProblem(text: string): string | null {
  if (CONTROL.test(text)) return MESSAGES.control;
  if (!wellFormed(text)) return MESSAGES.surrogate;
  return dateProblem(text);
}

const ID_KEY = /^(id|ids)$|Ids?$/;

/**
 * The first problem in a parsed JSON value, as [dotted path, message]. Numbers under an id-like key
 * (id, ids, schoolId, …) must fit a Postgres integer.
 */
export function findProblem(value: unknown, path: string[] = [], depth = 0, idKey = false): [string, string] | null {
  const at = (extra?: string) => [...path, ...(extra === undefined ? [] : [extra])].join('.') || '_root';
  if (depth > MAX_DEPTH) return [at(), MESSAGES.depth];
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? [at(), problem] : null;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return [at(), MESSAGES.number];
    if (idKey && Number.isInteger(value) && Math.abs(value) > INT4_MAX) return [at(), MESSAGES.idRange];
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findProblem(value[i], [...path, String(i)], depth + 1, idKey);
      if (p) return p;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const keyProblem = CONTROL.test(key) ? MESSAGES.control : wellFormed(key) ? null : MESSAGES.surrogate;
      if (keyProblem) return [at(key.replace(/[^\x20-\x7e]/g, '?')), keyProblem];
      const p = findProblem(v, [...path, key], depth + 1, ID_KEY.test(key));
      if (p) return p;
    }
  }
  return null;
}

export function refuse(field: string, message: string): AppError {
  return AppError.badRequest(INVALID, { [field]: message });
}

/** express.json's verify hook: the raw body must be valid UTF-8 (JSON.parse would silently replace bad bytes). */
export function requireUtf8Body(_req: IncomingMessage, _res: unknown, buf: Buffer): void {
  if (buf.length && !isUtf8(buf)) throw refuse('body', MESSAGES.utf8);
}

/** Percent-decoding that fails on invalid UTF-8 instead of replacing it. */
function strictDecode(raw: string): string | null {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** Path and query, checked on the raw URL (Express's parser would replace invalid bytes). */
export const refuseHostileUrl: RequestHandler = (req, _res, next) => {
  const url = req.originalUrl ?? req.url;
  const qAt = url.indexOf('?');
  const pathname = qAt === -1 ? url : url.slice(0, qAt);
  for (const segment of pathname.split('/')) {
    const decoded = strictDecode(segment);
    if (decoded === null) return next(refuse('path', MESSAGES.utf8));
    const problem = CONTROL.test(decoded) ? MESSAGES.control : wellFormed(decoded) ? null : MESSAGES.surrogate;
    if (problem) return next(refuse('path', problem));
    if (/^\d{10,}$/.test(decoded) && Number(decoded) > INT4_MAX) return next(refuse('id', MESSAGES.idRange));
  }
  if (qAt !== -1) {
    for (const pair of url.slice(qAt + 1).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      const name = strictDecode(eq === -1 ? pair : pair.slice(0, eq));
      const value = strictDecode(eq === -1 ? '' : pair.slice(eq + 1));
      const field = name && wellFormed(name) && !CONTROL.test(name) ? name : 'query';
      if (name === null || value === null) return next(refuse(field, MESSAGES.utf8));
      const problem = textProblem(name) ?? (CONTROL.test(value) ? MESSAGES.control : wellFormed(value) ? null : MESSAGES.surrogate);
      if (problem) return next(refuse(field, problem));
    }
  }
  next();
};

/** Every string, key and id in the parsed JSON body. */
export const refuseHostileBody: RequestHandler = (req, _res, next) => {
  if (req.body === undefined || req.body === null || typeof req.body !== 'object') return next();
  const problem = findProblem(req.body);
  next(problem ? refuse(problem[0], problem[1]) : undefined);
};

/** After a multipart parse: the file name and the text fields, checked like JSON. */
export function hostileUploadProblem(req: { file?: { originalname?: string }; body?: unknown }): AppError | undefined {
  const name = req.file?.originalname;
  const problem = (typeof name === 'string' ? findProblem(name, ['file.name']) : null) ?? findProblem(req.body ?? {});
  return problem ? refuse(problem[0], problem[1]) : undefined;
}

/** Answers to a signed-in user are never kept by a browser or proxy cache (routes serving files may say otherwise). */
export const noStoreWhenSignedIn: RequestHandler = (req, res, next) => {
  if (req.headers.authorization) res.setHeader('Cache-Control', 'no-store');
  next();
};

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The caller's x-request-id when it is short and plain; otherwise a fresh one (it goes into every log line). */
export function requestIdOf(header: string | string[] | undefined, fresh: () => string): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : fresh();
}
