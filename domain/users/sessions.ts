/**
 * What an access token stands for, checked against the user's row on every request, so that a
 * deactivation, a change of roles or school, a new password or a logout ends the token at once.
 *
 * The row is cached in-process for at most SESSION_CACHE_MS; changes made through this process
 * forget the entry at once (forgetSessionState), changes made by another instance are seen within
 * that bound. The database trigger bumps users.session_epoch on every such change.
 */
import type { Knex } from 'knex';
import type { Role } from '../process/vocabulary';

export const SESSION_CACHE_MS = 2000;

export interface SessionState {
  id: number;
  username: string;
  name: string;
  roles: Role[];
  schoolId: number | null;
  districtId: number | null;
  active: boolean;
  sessionEpoch: number;
}

interface Entry {
  db: Knex;
  at: number;
  state: Promise<SessionState | null>;
}

// One map for the process, keyed by user id; an entry read through another database (tests run
// several) is a miss, never a hit.
const cache = new Map<number, Entry>();

export async function readSessionState(db: Knex, userId: number): Promise<SessionState | null> {
  const row = await db('users')
    .where({ id: userId })
    .first('id', 'username', 'name', 'roles', 'schoolId', 'districtId', 'active', 'sessionEpoch');
  return (row as SessionState | undefined) ?? null;
}

/** The user's current state, at most SESSION_CACHE_MS old (0 = always read). */
export function currentSessionState(db: Knex, userId: number, maxAgeMs = SESSION_CACHE_MS): Promise<SessionState | null> {
  const now = Date.now();
  const hit = cache.get(userId);
  if (hit && hit.db === db && now - hit.at < maxAgeMs) return hit.state;
  const state = readSessionState(db, userId);
  const entry: Entry = { db, at: now, state };
  cache.set(userId, entry);
  // A failed read is not remembered.
  state.catch(() => {
    if (cache.get(userId) === entry) cache.delete(userId);
  });
  if (cache.size > 10_000) cache.delete(cache.keys().next().value as number);
  return state;
}

/** Call after committing a change to a user: this process sees it on the very next request. */
export function forgetSessionState(userId: number): void {
  cache.delete(userId);
}

/** Ends every access token of the user (logout). Inside a transaction, forgetSessionState after the commit. */
export async function bumpSessionEpoch(db: Knex | Knex.Transaction, userId: number): Promise<void> {
  await db('users').where({ id: userId }).increment('sessionEpoch', 1);
}
