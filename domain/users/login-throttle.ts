/**
 * Progressive delay of failed sign-ins, per account and per address. Nothing is ever refused: an
 * attempt made while an account or address is cooling down is held until the cool-down ends
 * (at most MAX_DELAY_MS), then checked like any other, so the owner with the right password always
 * gets in. Such a held attempt does not count as a new failure, so an attacker who keeps trying
 * cannot stretch the cool-down; a failure checked outside any cool-down is counted with one atomic
 * upsert, so parallel guesses are all counted and each later one waits longer.
 */
import type { Knex } from 'knex';

export const LOGIN_THROTTLE = {
  /** Failures older than this are forgotten; the next one counts from 1 again. */
  windowSeconds: 15 * 60,
  /** Failures of one account before delays start; of one address (a whole school behind one NAT) more. */
  freeFailures: { account: 3, address: 10 },
  firstDelayMs: 250,
  maxDelayMs: 3000,
};

export type ThrottleKind = 'account' | 'address';
export interface ThrottleKey {
  kind: ThrottleKind;
  key: string;
}

/** The cool-down after the n-th failure: none for the first few, then doubling up to the cap. */
export function delayAfter(kind: ThrottleKind, failures: number): number {
  const over = failures - LOGIN_THROTTLE.freeFailures[kind];
  if (over <= 0) return 0;
  return Math.min(LOGIN_THROTTLE.maxDelayMs, LOGIN_THROTTLE.firstDelayMs * 2 ** Math.min(over - 1, 16));
}

/** How long an attempt now must wait: the longest remaining cool-down of its keys (≤ the cap). */
export async function pendingDelayMs(db: Knex, keys: ThrottleKey[]): Promise<number> {
  const rows = (await db('loginThrottle')
    .whereIn(['kind', 'key'], keys.map((k) => [k.kind, k.key]))
    .where('lastFailureAt', '>', db.raw(`now() - make_interval(secs => ?)`, [LOGIN_THROTTLE.windowSeconds]))
    .select('kind', 'failures', db.raw('extract(epoch from (now() - last_failure_at)) * 1000 as since_ms'))) as {
    kind: ThrottleKind;
    failures: number;
    sinceMs: string | number;
  }[];
  let wait = 0;
  for (const r of rows) wait = Math.max(wait, delayAfter(r.kind, r.failures) - Number(r.sinceMs));
  return Math.min(Math.max(0, Math.ceil(wait)), LOGIN_THROTTLE.maxDelayMs);
}

/** Counts one failure on each key atomically; answers the new counts. */
export async function recordFailure(db: Knex, keys: ThrottleKey[]): Promise<Record<ThrottleKind, number>> {
  const counts: Record<ThrottleKind, number> = { account: 0, address: 0 };
  for (const k of keys) {
    const { rows } = await db.raw(
      `insert into login_throttle (kind, key, failures, last_failure_at) values (?, ?, 1, now())
       on conflict (kind, key) do update set
         failures = case when login_throttle.last_failure_at > now() - make_interval(secs => ?)
                         then login_throttle.failures + 1 else 1 end,
         last_failure_at = now()
       returning failures`,
      [k.kind, k.key, LOGIN_THROTTLE.windowSeconds],
    );
    counts[k.kind] = Number(rows[0].failures);
  }
  return counts;
}

/** A successful sign-in clears its account's count (never the address's: one's own login must not clear a NAT's). */
export async function clearAccount(db: Knex, username: string): Promise<void> {
  await db('loginThrottle').where({ kind: 'account', key: username }).del();
}

export async function failuresOf(db: Knex, key: ThrottleKey): Promise<number> {
  const row = await db('loginThrottle').where(key).first('failures');
  return row ? Number(row.failures) : 0;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
