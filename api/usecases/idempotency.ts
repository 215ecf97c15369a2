/**
 * `Idempotency-Key`: a repeated request with the same key by the same user gets the first answer
 * and acts once. The first request claims the key; a concurrent repeat waits for its answer; a
 * repeat with a different body is refused. An answer that is not final — a failure of our own
 * (5xx), or a decision delivered but still processing (202) — releases the key: the retry runs
 * again, and the decision's stable Update id (decisionUpdateId) keeps the workflow applying it once.
 */
import type { Request } from 'express';
import { sha256, stableStringify } from '../../domain/audit';
import type { Db } from '../../db/connection';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';

export interface Answer {
  status: number;
  body: unknown;
  /** True when this is the stored answer of an earlier request. */
  replayed?: boolean;
  /** Not the request's final answer (a decision still processing): the key is released, not stored. */
  provisional?: boolean;
}

/** Answers a retry must not receive again: our own failures and provisional answers. */
const releasesKey = (answer: Answer) => answer.status >= 500 || answer.provisional === true;

const WAIT_FOR_FIRST_MS = 60_000;
/**
 * A claim with no answer after this long belongs to a request that died (a crash between claim
 * and answer): a repeat takes it over instead of waiting forever. Longer than any request runs.
 */
export const STALE_CLAIM_MS = 2 * 60_000;
/** Bodies nested deeper than this are refused before hashing (the hash recurses per level). */
export const MAX_BODY_DEPTH = 64;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function idempotencyKeyOf(req: Request): string | null {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return null;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key || key.length > 200) {
    throw AppError.badRequest('Idempotency-Key 无效 / Invalid Idempotency-Key', { 'Idempotency-Key': '1–200 个字符 / 1 to 200 characters' });
  }
  return key;
}

/** Runs `act` once per (user, key); AppErrors are answers too (stored and replayed). */
export async function idempotent(db: Db, req: Request, actor: Actor, act: () => Promise<Answer>): Promise<Answer> {
  const run = async (): Promise<Answer> => {
    try {
      return await act();
    } catch (err) {
      if (err instanceof AppError) {
        return { status: err.status, body: { message: err.message, code: err.code, ...(err.errors ? { errors: err.errors } : {}) } };
      }
      throw err;
    }
  };
  const key = idempotencyKeyOf(req);
  if (!key) return run();

  if (depthExceeds(req.body, MAX_BODY_DEPTH)) {
    throw AppError.badRequest(`请求体嵌套过深（最多 ${MAX_BODY_DEPTH} 层）/ Request body nested too deeply (at most ${MAX_BODY_DEPTH} levels)`, { _root: `最多 ${MAX_BODY_DEPTH} 层 / At most ${MAX_BODY_DEPTH} levels` });
  }
  const requestHash = sha256(stableStringify({ method: req.method, path: req.originalUrl.split('?')[0], body: req.body ?? null }));
  const claimed = await db('idempotencyKeys').insert({ key, userId: actor.id, requestHash }).onConflict(['userId', 'key']).ignore().returning('key');
  if (claimed.length) {
    let answer: Answer;
    try {
      answer = await run();
    } catch (err) {
      await db('idempotencyKeys').where({ key, userId: actor.id }).delete();
      throw err;
    }
    if (releasesKey(answer)) await db('idempotencyKeys').where({ key, userId: actor.id }).delete();
    else await db('idempotencyKeys').where({ key, userId: actor.id }).update({ statusCode: answer.status, response: JSON.stringify(answer.body ?? null) });
    return answer;
  }

  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const row = await db('idempotencyKeys').where({ key, userId: actor.id }).first();
    if (!row) return idempotent(db, req, actor, act); // the first attempt failed and released the key
    if (row.requestHash !== requestHash) {
      throw new AppError(422, 'idempotency_key_reused', '同一 Idempotency-Key 已用于另一请求 / This Idempotency-Key was used for a different request');
    }
    if (row.statusCode != null) return { status: row.statusCode, body: row.response, replayed: true };
    if (Date.now() - new Date(row.createdAt).getTime() > STALE_CLAIM_MS) {
      // Released only if still that same unanswered claim; then this request claims the key afresh.
      await db('idempotencyKeys').where({ key, userId: actor.id, createdAt: row.createdAt }).whereNull('statusCode').delete();
      return idempotent(db, req, actor, act);
    }
    if (Date.now() > deadline) throw AppError.conflict('同一请求仍在处理中 / The same request is still being processed');
    await sleep(100);
  }
}

/**
 * The Temporal Update id of a decision sent with an Idempotency-Key: the same for every retry of
 * the same request by the same user (and for nothing else), so the workflow applies it once even
 * when the API failed between the Update and its answer. Null without a key (the SDK picks one).
 */
export function decisionUpdateId(req: Request, actor: Pick<Actor, 'id'>, name: string): string | null {
  const key = idempotencyKeyOf(req);
  if (!key) return null;
  if (depthExceeds(req.body, MAX_BODY_DEPTH)) return null; // refused by idempotent() before any call
  return updateIdOf(name, { userId: actor.id, key, method: req.method, path: req.originalUrl.split('?')[0], body: req.body ?? null });
}

/** The Update id of one keyed request: a hash of who sent what with which key. */
export const updateIdOf = (name: string, request: { userId: number; key: string; method: string; path: string; body: unknown }) => `${name}-${sha256(stableStringify(request))}`;

/** Whether a JSON value nests deeper than `max`, checked without recursion (a hostile body cannot overflow it). */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
