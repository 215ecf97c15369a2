/**
 * Deadline policies: read by the bureau and administrators, changed by administrators. A change
 * applies to registrations in flight: every workflow whose running timer depends on the changed
 * policy is signalled (by a propagation workflow) and moves its timers (measured from when its
 * step began; nothing restarts).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAuditEvent } from '../../domain/audit';
import { DEFAULT_URGE_INTERVAL_SECONDS } from '../../domain/process/assignees';
import { ccOf, findPolicy, policiesQuery, POLICY_SORTABLE, toPolicy, updatePolicy, type PolicyRecord } from '../../domain/policies/repository';
import { ccFieldsSchema, checkCcSettings } from './cc-settings';
import { countRegistrationsTimedBy, insertVersion, recentVersions, reserveVersion, type PolicyVersion } from '../../domain/policies/versions';
import type { Db } from '../../db/connection';
import { POLICY_PROPAGATION_WORKFLOW_TYPE, policyPropagationWorkflowId, type PolicyPropagationInput } from '../../workflows/policy-propagation';
import { APPROVER_MODES, POLICY_KEYS, type TaskStep } from '../../workflows/shared';
import { approverPolicyRefusal, MAX_STEP_APPROVERS, stepUserRefusal } from '../../domain/process/steps';
import { appErrorOf } from './workflow-calls';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { ROLES } from '../rights';
import { fetchPage, oneOrMany, whereOneOrMany, type ListQuery } from '../simple-rest';
import { parseBody } from './input';
import { callWorkflow, temporalUnavailable, WorkflowBusyError } from './workflow-calls';

const WHAT = '期限策略 / Deadline policy';
const TEN_YEARS = 10 * 366 * 24 * 3600;

export const policyFilterSchema = z.strictObject({
  id: oneOrMany(z.coerce.number().int().positive()).optional(),
  step: oneOrMany(z.enum(POLICY_KEYS)).optional(),
});
export type PolicyFilter = z.infer<typeof policyFilterSchema>;

const TEN_YEARS_OF_WORKING_DAYS = 2500;
const PERIOD_KEYS: readonly string[] = ['review_period', 'rectification_period'];

/**
 * A policy's due time in exactly one unit: seconds, working days (China's calendar with the
 * administrators' overrides; due at 18:00 China time) or, for the review and rectification
 * periods, calendar months (landing on a working day). The reminder lead in seconds or working days.
 * A unit sent as null counts as absent (the console sends the whole record).
 */
export const policyUpdateSchema = z
  .object({
    dueSeconds: z.number().int().min(1).max(TEN_YEARS).nullish(),
    dueWorkingDays: z.number().int().min(1).max(TEN_YEARS_OF_WORKING_DAYS).nullish(),
    dueWorkingHours: z.number().int().min(1).max(TEN_YEARS_OF_WORKING_DAYS * 9).nullish(),
    dueMonths: z.number().int().min(1).max(120).nullish(),
    remindBeforeSeconds: z.number().int().min(0).max(TEN_YEARS).nullish(),
    remindBeforeWorkingDays: z.number().int().min(0).max(TEN_YEARS_OF_WORKING_DAYS).nullish(),
    escalateToRole: z.enum(ROLES).nullish(),
    /** 催办: how often an open task of this step may be urged (null: the default, one day). */
    urgeIntervalSeconds: z.number().int().min(1).max(TEN_YEARS).nullish(),
    ...ccFieldsSchema,
    // 会签/或签 (design.md): checked by the process rule and against the users below.
    approverMode: z.enum(APPROVER_MODES).optional(),
    approverUserIds: z.array(z.number().int().positive()).max(MAX_STEP_APPROVERS).optional(),
  })
  .superRefine((p, ctx) => {
    const units = [p.dueSeconds, p.dueWorkingDays, p.dueWorkingHours, p.dueMonths].filter((v) => v != null).length;
    if (units !== 1) {
      for (const path of ['dueSeconds', 'dueWorkingDays']) {
        ctx.addIssue({
          code: 'custom',
          path: [path],
          message:
            units === 0
              ? '请填写期限：秒数、工作日、工作小时或月数其中之一 / Give the due time in seconds, working days, working hours or months'
              : '期限只能用一种单位：秒数、工作日、工作小时或月数 / Give the due time in exactly one unit: seconds, working days, working hours or months',
        });
      }
      return;
    }
    if ((p.remindBeforeSeconds ?? 0) > 0 && (p.remindBeforeWorkingDays ?? 0) > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['remindBeforeWorkingDays'],
        message: '提前提醒只能用一种单位 / Give the reminder lead in one unit only',
      });
    }
    if (p.dueSeconds != null && (p.remindBeforeSeconds ?? 0) >= p.dueSeconds) {
      ctx.addIssue({ code: 'custom', path: ['remindBeforeSeconds'], message: '提醒提前量须小于期限 / The reminder lead must be shorter than the due time' });
    }
    if (p.dueWorkingDays != null && (p.remindBeforeWorkingDays ?? 0) >= p.dueWorkingDays) {
      ctx.addIssue({ code: 'custom', path: ['remindBeforeWorkingDays'], message: '提醒提前量须小于期限 / The reminder lead must be shorter than the due time' });
    }
  });

/**
 * 会签/或签: the mode fits the step, and every named approver exists, is active and holds the
 * step's role (their scope is checked when the step opens: a policy serves every district).
 */
async function checkApprovers(db: Db, step: string, change: { approverMode?: string; approverUserIds?: number[] }): Promise<void> {
  if (change.approverMode === undefined) {
    if (change.approverUserIds?.length) throw AppError.badRequest('请同时给出审批方式 / Give the approver mode too', { approverMode: '须给出审批方式 / approverMode is required with approverUserIds' });
    return;
  }
  const ids = change.approverMode === 'single' ? [] : (change.approverUserIds ?? []);
  const shape = approverPolicyRefusal(step, change.approverMode, ids);
  if (shape) throw appErrorOf(shape);
  if (!ids.length) return;
  const users = (await db('users').whereIn('id', ids).select('id', 'name', 'roles', 'schoolId', 'districtId', 'active')) as { id: number; name: string; roles: string[]; schoolId: number | null; districtId: number | null; active: boolean }[];
  for (const id of ids) {
    const user = users.find((u) => u.id === id);
    const refusal = user ? stepUserRefusal(step as TaskStep, user) : null;
    if (!user || refusal) {
      const why = user ? refusal!.message : '用户不存在 / No such user';
      throw AppError.badRequest(`审批人 ${user?.name ?? id} 不可用：${why}`, { approverUserIds: `${user?.name ?? id}: ${why}` });
    }
  }
}

export async function listPolicies(db: Db, list: ListQuery<PolicyFilter>) {
  let base = policiesQuery(db);
  base = whereOneOrMany(base, 'id', list.filter.id);
  base = whereOneOrMany(base, 'step', list.filter.step);
  const page = await fetchPage<Record<string, any>>(base, list, { sortable: POLICY_SORTABLE, tieBreaker: 'id', select: (q) => q.select('*') });
  return {
    rows: page.rows.map((r) => ({ ...toPolicy(r as never), ...ccOf(r as never), id: r.id, urgeIntervalSeconds: r.urgeIntervalSeconds ?? DEFAULT_URGE_INTERVAL_SECONDS, updatedBy: r.updatedBy, updatedAt: new Date(r.updatedAt).toISOString() })),
    total: page.total,
  };
}

export async function getPolicy(db: Db, idOrStep: string): Promise<PolicyRecord> {
  const policy = await findPolicy(db, idOrStep);
  if (!policy) throw AppError.notFound(WHAT);
  return policy;
}

/**
 * Changes one policy and answers at once. The change gets a version; a durable workflow
 * (policyPropagationWorkflow) then signals every registration it governs, in batches, and records
 * its progress on the version. The workflow is started before anything is written: with Temporal
 * unreachable the change is refused (503) and nothing is half-done; should the commit fail after
 * the start, the workflow finds no version and ends without moving anything.
 */
export async function changePolicy(
  deps: Pick<AppDeps, 'db' | 'temporal' | 'logger' | 'config'>,
  actor: Actor,
  idOrStep: string,
  body: unknown,
): Promise<PolicyRecord & { version: number; registrationsToMove: number; movedRegistrations: number; propagation: PolicyVersion }> {
  const before = await getPolicy(deps.db, idOrStep);
  const change = parseBody(policyUpdateSchema, body);
  if (change.dueMonths != null && !PERIOD_KEYS.includes(before.step)) {
    throw AppError.badRequest('输入有误 / Invalid input', { dueMonths: '按月计的期限只用于评估周期和整改期 / Months are for the review and rectification periods only' });
  }
  const cc = await checkCcSettings(deps.db, before, change);
  await checkApprovers(deps.db, before.step, change);
  const version = await reserveVersion(deps.db);
  const workflowId = policyPropagationWorkflowId(version, randomUUID().slice(0, 8));
  try {
    await callWorkflow(
      () =>
        deps.temporal.workflow.start(POLICY_PROPAGATION_WORKFLOW_TYPE, {
          workflowId,
          taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
          args: [{ version } satisfies PolicyPropagationInput],
        }),
      deps.temporal,
    );
  } catch (err) {
    // Not known to have started: the change is not recorded (a workflow that did start finds no version and ends).
    throw err instanceof WorkflowBusyError ? temporalUnavailable() : err;
  }
  const { updated, propagation } = await deps.db.transaction(async (trx) => {
    await trx('deadlinePolicies').where({ id: before.id }).forUpdate().first('id');
    const after = await updatePolicy(trx, before.id, {
      dueSeconds: change.dueSeconds ?? null,
      dueWorkingDays: change.dueWorkingDays ?? null,
      dueWorkingHours: change.dueWorkingHours ?? null,
      dueMonths: change.dueMonths ?? null,
      remindBeforeSeconds: change.remindBeforeSeconds ?? 0,
      remindBeforeWorkingDays: change.remindBeforeWorkingDays || null,
      escalateToRole: change.escalateToRole ?? null,
      ...(change.urgeIntervalSeconds !== undefined ? { urgeIntervalSeconds: change.urgeIntervalSeconds } : {}),
      updatedBy: actor.id,
      ...cc,
      ...(change.approverMode !== undefined ? { approverMode: change.approverMode, approverUserIds: change.approverMode === 'single' ? [] : (change.approverUserIds ?? []) } : {}),
    });
    const total = await countRegistrationsTimedBy(trx, after.step);
    const recorded = await insertVersion(trx, { version, step: after.step, policy: toPolicy(after), total, workflowId, createdBy: actor.id });
    await appendAuditEvent(trx, {
      action: 'deadline_policy.updated',
      actorId: actor.id,
      actorName: actor.name,
      details: { step: after.step, before: { ...toPolicy(before), ...ccOf(before) }, after: { ...toPolicy(after), ...ccOf(after) }, version, registrationsToMove: total },
    });
    return { updated: after, propagation: recorded };
  });
  // movedRegistrations: the name the console has read since before propagation was durable.
  return { ...updated, version, registrationsToMove: propagation.total, movedRegistrations: propagation.total, propagation };
}

/** The latest policy changes and how far each has reached the registrations in flight (from the database: no Temporal call). */
export async function policyPropagations(db: Db, limit = 10): Promise<PolicyVersion[]> {
  return recentVersions(db, limit);
}
