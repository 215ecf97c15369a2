/**
 * Deadline policies: read by the bureau and administrators, changed by administrators. A change
 * applies to registrations in flight: every workflow whose running timer depends on the changed
 * policy is signalled and moves its timers (measured from when its step began; nothing restarts).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { appendAuditEvent } from '../../domain/audit';
import { findPolicy, loadPolicies, policiesQuery, POLICY_SORTABLE, registrationsTimedBy, toPolicy, updatePolicy, type PolicyRecord } from '../../domain/policies/repository';
import type { Db } from '../../db/connection';
import { POLICY_KEYS, policiesChangedSignal, registrationWorkflowId } from '../../workflows/shared';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { ROLES } from '../rights';
import { fetchPage, oneOrMany, whereOneOrMany, type ListQuery } from '../simple-rest';
import { parseBody } from './input';

const WHAT = '期限策略 / Deadline policy';
const TEN_YEARS = 10 * 366 * 24 * 3600;

export const policyFilterSchema = z.strictObject({
  id: oneOrMany(z.coerce.number().int().positive()).optional(),
  step: oneOrMany(z.enum(POLICY_KEYS)).optional(),
});
export type PolicyFilter = z.infer<typeof policyFilterSchema>;

export const policyUpdateSchema = z
  .object({
    dueSeconds: z.number().int().min(1).max(TEN_YEARS),
    remindBeforeSeconds: z.number().int().min(0).max(TEN_YEARS).default(0),
    escalateToRole: z.enum(ROLES).nullish(),
  })
  .refine((p) => p.remindBeforeSeconds < p.dueSeconds, {
    path: ['remindBeforeSeconds'],
    message: '提醒提前量须小于期限 / The reminder lead must be shorter than the due time',
  });

export async function listPolicies(db: Db, list: ListQuery<PolicyFilter>) {
  let base = policiesQuery(db);
  base = whereOneOrMany(base, 'id', list.filter.id);
  base = whereOneOrMany(base, 'step', list.filter.step);
  const page = await fetchPage<Record<string, any>>(base, list, { sortable: POLICY_SORTABLE, tieBreaker: 'id', select: (q) => q.select('*') });
  return { rows: page.rows.map((r) => ({ ...toPolicy(r as never), id: r.id, updatedBy: r.updatedBy, updatedAt: new Date(r.updatedAt).toISOString() })), total: page.total };
}

export async function getPolicy(db: Db, idOrStep: string): Promise<PolicyRecord> {
  const policy = await findPolicy(db, idOrStep);
  if (!policy) throw AppError.notFound(WHAT);
  return policy;
}

/** Changes one policy, audits it, then moves the timers of the registrations it governs. */
export async function changePolicy(
  deps: Pick<AppDeps, 'db' | 'temporal' | 'logger'>,
  actor: Actor,
  idOrStep: string,
  body: unknown,
): Promise<PolicyRecord & { movedRegistrations: number }> {
  const before = await getPolicy(deps.db, idOrStep);
  const change = parseBody(policyUpdateSchema, body);
  const updated = await deps.db.transaction(async (trx) => {
    await trx('deadlinePolicies').where({ id: before.id }).forUpdate().first('id');
    const after = await updatePolicy(trx, before.id, {
      dueSeconds: change.dueSeconds,
      remindBeforeSeconds: change.remindBeforeSeconds,
      escalateToRole: change.escalateToRole ?? null,
      updatedBy: actor.id,
    });
    await appendAuditEvent(trx, {
      action: 'deadline_policy.updated',
      actorId: actor.id,
      actorName: actor.name,
      details: { step: after.step, before: toPolicy(before), after: toPolicy(after) },
    });
    return after;
  });
  const movedRegistrations = await signalPolicyChange(deps, updated.step);
  return { ...updated, movedRegistrations };
}

const SIGNAL_PARALLELISM = 8;

/** Signals every workflow timed by this policy with the policies now in force; answers how many took it. */
async function signalPolicyChange(deps: Pick<AppDeps, 'db' | 'temporal' | 'logger'>, step: PolicyRecord['step']): Promise<number> {
  const policies = Object.values(await loadPolicies(deps.db));
  const registrationIds = await registrationsTimedBy(deps.db, step);
  let moved = 0;
  let next = 0;
  const worker = async () => {
    while (next < registrationIds.length) {
      const id = registrationIds[next++];
      try {
        await deps.temporal.workflow.getHandle(registrationWorkflowId(id)).signal(policiesChangedSignal, { policies });
        moved++;
      } catch (err) {
        // A registration whose process has ended (or never ran) has no timer to move.
        if (!(err instanceof WorkflowNotFoundError)) deps.logger.warn({ err, registrationId: id }, 'policy change not delivered');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SIGNAL_PARALLELISM, registrationIds.length) }, worker));
  return moved;
}
