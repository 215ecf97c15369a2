/**
 * Deadline policies: each human step's due time, reminder lead and escalation role, plus the
 * review and rectification periods. Read by the API (settings screen) and by the worker.
 */
import type { Knex } from 'knex';
import { POLICY_KEYS, type ApproverMode, type DeadlinePolicy, type PolicyKey } from '../process/vocabulary';
import { DEFAULT_URGE_INTERVAL_SECONDS } from '../process/assignees';
import { defaultPolicy } from './defaults';
import type { CcSettings } from '../collab/cc-policy';

type Conn = Knex | Knex.Transaction;

export interface PolicyRecord extends DeadlinePolicy, CcSettings {
  id: number;
  /** 催办: how often an open task of this step may be urged (the default when unset). */
  urgeIntervalSeconds: number;
  updatedBy: number | null;
  updatedAt: string;
}

interface PolicyRow {
  id: number;
  step: string;
  dueSeconds: number | null;
  remindBeforeSeconds: number;
  dueWorkingDays?: number | null;
  dueWorkingHours?: number | null;
  remindBeforeWorkingDays?: number | null;
  dueMonths?: number | null;
  escalateToRole: string | null;
  urgeIntervalSeconds?: number | null;
  approverMode?: string | null;
  approverUserIds?: number[] | null;
  updatedBy: number | null;
  updatedAt: Date;
  ccRoles?: string[] | null;
  ccUserIds?: number[] | null;
  ccWhen?: CcSettings['ccWhen'];
}

/** The policy's 抄送 settings (domain/collab/cc-policy.ts); not part of what the workflow carries. */
export const ccOf = (r: Pick<PolicyRow, 'ccRoles' | 'ccUserIds' | 'ccWhen'>): CcSettings => ({ ccRoles: r.ccRoles ?? [], ccUserIds: r.ccUserIds ?? [], ccWhen: r.ccWhen ?? null });

export const POLICY_SORTABLE: Record<string, string> = {
  id: 'id',
  step: 'step',
  dueSeconds: 'dueSeconds',
  updatedAt: 'updatedAt',
};

const toRecord = (r: PolicyRow): PolicyRecord => ({
  id: r.id,
  step: r.step as PolicyKey,
  dueSeconds: r.dueSeconds,
  remindBeforeSeconds: r.remindBeforeSeconds,
  escalateToRole: r.escalateToRole,
  urgeIntervalSeconds: r.urgeIntervalSeconds ?? DEFAULT_URGE_INTERVAL_SECONDS,
  dueWorkingDays: r.dueWorkingDays ?? null,
  dueWorkingHours: r.dueWorkingHours ?? null,
  remindBeforeWorkingDays: r.remindBeforeWorkingDays ?? null,
  dueMonths: r.dueMonths ?? null,
  ...ccOf(r),
  approverMode: (r.approverMode ?? 'single') as ApproverMode,
  approverUserIds: r.approverUserIds ?? [],
  updatedBy: r.updatedBy,
  updatedAt: new Date(r.updatedAt).toISOString(),
});

export const toPolicy = (r: PolicyRecord | PolicyRow): DeadlinePolicy => ({
  step: r.step as PolicyKey,
  dueSeconds: r.dueSeconds,
  remindBeforeSeconds: r.remindBeforeSeconds,
  escalateToRole: r.escalateToRole,
  dueWorkingDays: r.dueWorkingDays ?? null,
  dueWorkingHours: r.dueWorkingHours ?? null,
  remindBeforeWorkingDays: r.remindBeforeWorkingDays ?? null,
  dueMonths: r.dueMonths ?? null,
  approverMode: (r.approverMode ?? 'single') as ApproverMode,
  approverUserIds: r.approverUserIds ?? [],
});

export function policiesQuery(db: Conn): Knex.QueryBuilder {
  return db('deadlinePolicies').whereIn('step', POLICY_KEYS as readonly string[]);
}

export async function findPolicy(db: Conn, idOrStep: string): Promise<PolicyRecord | null> {
  const q = db('deadlinePolicies');
  const row = (/^\d+$/.test(idOrStep) ? await q.where({ id: Number(idOrStep) }).first() : await q.where({ step: idOrStep }).first()) as PolicyRow | undefined;
  return row ? toRecord(row) : null;
}

export async function listPolicyRecords(rowsQuery: Knex.QueryBuilder): Promise<PolicyRecord[]> {
  return ((await rowsQuery) as PolicyRow[]).map(toRecord);
}

/**
 * Every policy, a default standing in for a missing row. `forShare` takes row locks so that a
 * policy change either waits for this transaction (and then sees the task it opened) or commits first.
 */
export async function loadPolicies(db: Conn, opts: { forShare?: boolean } = {}): Promise<Record<PolicyKey, DeadlinePolicy>> {
  let q = policiesQuery(db).select('*');
  if (opts.forShare) q = q.forShare();
  const rows = (await q) as PolicyRow[];
  const byStep = new Map(rows.map((r) => [r.step, toPolicy(r)]));
  return Object.fromEntries(POLICY_KEYS.map((k) => [k, byStep.get(k) ?? defaultPolicy(k)])) as Record<PolicyKey, DeadlinePolicy>;
}

export async function updatePolicy(
  trx: Knex.Transaction,
  id: number,
  change: {
    dueSeconds: number | null;
    remindBeforeSeconds: number;
    escalateToRole: string | null;
    dueWorkingDays: number | null;
    dueWorkingHours: number | null;
    remindBeforeWorkingDays: number | null;
    dueMonths: number | null;
    urgeIntervalSeconds?: number | null;
    updatedBy: number;
    approverMode?: ApproverMode;
    approverUserIds?: number[];
  } & Partial<CcSettings>,
): Promise<PolicyRecord> {
  const { approverUserIds, ...rest } = change;
  const [row] = (await trx('deadlinePolicies')
    .where({ id })
    .update({ ...rest, ...(approverUserIds !== undefined ? { approverUserIds: JSON.stringify(approverUserIds) } : {}), updatedAt: trx.fn.now() })
    .returning('*')) as PolicyRow[];
  return toRecord(row);
}
