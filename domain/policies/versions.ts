/**
 * Policy versions: every deadline-policy change gets a number, and the progress of carrying it to
 * the registrations in flight is kept with it (written by the propagation workflow's activities).
 */
import type { Knex } from 'knex';
import { TASK_STEPS, type DeadlinePolicy, type PolicyKey } from '../process/vocabulary';

type Conn = Knex | Knex.Transaction;

export type PropagationStatus = 'propagating' | 'done' | 'abandoned';

export interface PolicyVersion {
  version: number;
  step: PolicyKey;
  policy: DeadlinePolicy;
  status: PropagationStatus;
  total: number;
  moved: number;
  skipped: number;
  workflowId: string;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

const toVersion = (r: Record<string, any>): PolicyVersion => ({
  version: Number(r.id),
  step: r.step,
  policy: r.policy,
  status: r.status,
  total: r.total,
  moved: r.moved,
  skipped: r.skipped,
  workflowId: r.workflowId,
  createdBy: r.createdBy,
  createdAt: iso(r.createdAt)!,
  updatedAt: iso(r.updatedAt)!,
  finishedAt: iso(r.finishedAt),
});

/** Takes the next version number before anything is written (the propagation workflow is started under it). */
export async function reserveVersion(db: Conn): Promise<number> {
  const { rows } = await db.raw("select nextval(pg_get_serial_sequence('policy_versions', 'id')) as v");
  return Number(rows[0].v);
}

export async function insertVersion(
  trx: Conn,
  row: { version: number; step: PolicyKey; policy: DeadlinePolicy; total: number; workflowId: string; createdBy: number },
): Promise<PolicyVersion> {
  const [inserted] = await trx('policyVersions')
    .insert({ id: row.version, step: row.step, policy: JSON.stringify(row.policy), total: row.total, workflowId: row.workflowId, createdBy: row.createdBy })
    .returning('*');
  return toVersion(inserted);
}

export async function findVersion(db: Conn, version: number): Promise<PolicyVersion | null> {
  const row = await db('policyVersions').where({ id: version }).first();
  return row ? toVersion(row) : null;
}

export async function recentVersions(db: Conn, limit: number): Promise<PolicyVersion[]> {
  return ((await db('policyVersions').orderBy('id', 'desc').limit(limit)) as Record<string, any>[]).map(toVersion);
}

/** The newest version number (0 before any change). */
export async function currentVersion(db: Conn): Promise<number> {
  const row = await db('policyVersions').max({ v: 'id' }).first();
  return Number(row?.v ?? 0);
}

export async function recordProgress(db: Conn, p: { version: number; status: PropagationStatus; moved: number; skipped: number; cursor: string | null }): Promise<void> {
  await db('policyVersions')
    .where({ id: p.version })
    .update({
      status: p.status,
      moved: p.moved,
      skipped: p.skipped,
      cursor: p.cursor,
      updatedAt: db.fn.now(),
      finishedAt: p.status === 'propagating' ? null : db.fn.now(),
    });
}

/**
 * One page (by id) of the registrations whose running timer depends on a policy: for a step,
 * those with that step's task open; for the review period, the active ones; for the rectification
 * period, those in rectification.
 */
export async function registrationsTimedByPage(db: Conn, key: PolicyKey, page: { after: string | null; limit: number }): Promise<string[]> {
  if ((TASK_STEPS as readonly string[]).includes(key)) {
    const q = db('tasks').distinct('registrationId').where({ step: key, status: 'open' }).orderBy('registrationId').limit(page.limit);
    if (page.after) q.where('registrationId', '>', page.after);
    return ((await q) as { registrationId: string }[]).map((r) => r.registrationId);
  }
  const status = key === 'review_period' ? 'active' : 'rectification';
  const q = db('registrations').select('id').where({ status }).orderBy('id').limit(page.limit);
  if (page.after) q.where('id', '>', page.after);
  return ((await q) as { id: string }[]).map((r) => r.id);
}

export async function countRegistrationsTimedBy(db: Conn, key: PolicyKey): Promise<number> {
  if ((TASK_STEPS as readonly string[]).includes(key)) {
    const row = await db('tasks').where({ step: key, status: 'open' }).countDistinct({ n: 'registrationId' }).first();
    return Number(row?.n ?? 0);
  }
  const row = await db('registrations').where({ status: key === 'review_period' ? 'active' : 'rectification' }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
