/**
 * Helpers for the API suites. `startIsolatedApi` runs the real app over a database of its own
 * (migrated, seeded), for tests that change global settings (required form fields, demo seeds)
 * which would otherwise disturb suites running at the same time on the run's shared database.
 */
import type { Db } from '../../db/connection';
import { createIsolatedDatabase, startSystem, type TestSystem } from '../support/harness';

/** The real app over a database of its own (no worker): see startSystem's isolatedDatabase. */
export type IsolatedApi = TestSystem;
export { createIsolatedDatabase };

export function startIsolatedApi(opts: { demo?: boolean } = {}): Promise<IsolatedApi> {
  return startSystem({ worker: false, isolatedDatabase: opts });
}

/** Audit events of one action whose details match, newest first. */
export async function auditEventsOf(db: Db, action: string, details: Record<string, unknown> = {}) {
  const q = db('auditEvents').where({ action }).orderBy('id', 'desc');
  for (const [k, v] of Object.entries(details)) q.whereRaw('details->>? = ?', [k, String(v)]);
  return q;
}

export const countRows = async (db: Db, table: string, where: Record<string, unknown> = {}) =>
  Number(((await db(table).where(where).count({ n: '*' }).first()) as { n: string }).n);
