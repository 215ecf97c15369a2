/**
 * A step holding several tasks, as it lands in Postgres: the approvers of a 会签/或签 step each get
 * their own named task, 加签 adds one (before: the adder's task waits; after: it opens once the
 * adder approved), an approval that does not finish the step closes only its task, and the tasks
 * a finished step no longer needs are cancelled. A return may go to an earlier step, and a signing
 * whose content did not change since is not asked for again. Each activity is one transaction
 * under dedupe keys, so a retry changes nothing twice.
 */
import { appendAuditEvent } from '../../domain/audit';
import { loadWorkingCalendar } from '../../domain/calendar/repository';
import { timeEn, timeZh } from '../../domain/calendar/zone';
import { routeThroughDelegations, type Routed } from '../../domain/tasks/delegations';
import { assigneeAtOpening, assigneeOfRow } from './assignees';
import { loadPolicies } from '../../domain/policies/repository';
import { currentVersion } from '../../domain/policies/versions';
import { approversInScope } from '../../domain/process/steps';
import { findRegistration } from '../../domain/registrations/repository';
import { canonicalContentHash } from '../../domain/signing/index';
import { notifyUsers } from '../../domain/tasks/notifications';
import { completeTaskRow, insertTaskIfMissing, setRegistrationProgress, taskRow } from '../../domain/tasks/repository';
import { deadlinesFrom, STEP_LABELS } from '../../workflows/deadlines';
import { STATUS_OF_STEP, STEP_RULES, type ApproverMode, type DeadlinePolicy, type TaskStep, type WorkflowActor } from '../../workflows/shared';
import { actorFields, registrationFacts, type ActivityDeps, type Conn, type Notifier, type RegistrationFacts } from './context';

type Actor = Pick<WorkflowActor, 'id' | 'name'>;

export interface OpenedStepTask {
  taskId: string;
  slot: number;
  assigneeUserId: number | null;
  assigneeName: string | null;
  /** 委托: the approver (or sole role holder) a delegate holds this task for. */
  onBehalfOf?: number | null;
  onBehalfOfName?: string | null;
}
export interface OpenedStep {
  mode: ApproverMode;
  tasks: OpenedStepTask[];
  dueAt: string;
  remindAt: string | null;
  policy: DeadlinePolicy;
  /** The policy version in force when the step opened (the workflow compares it when a timer wakes it). */
  policyVersion?: number;
}


export function stepTaskActivities(deps: ActivityDeps, notify: Notifier) {
  const { db } = deps;

  /** Tells one named user a task is theirs (in-app, and e-mail through the outbox). */
  async function notifyAssignee(trx: Conn, reg: RegistrationFacts, userId: number, step: TaskStep, taskId: string, dueAt: string | null, dedupeKey: string, lead = '待办', onBehalfOfName: string | null = null) {
    const user = await trx('users').where({ id: userId, active: true }).first('id', 'name', 'email');
    if (!user) return;
    await notifyUsers(
      trx,
      [user],
      {
        schoolId: reg.schoolId,
        registrationId: reg.id,
        kind: 'task_assigned',
        dedupeKey,
        taskId,
        title: `${lead}：${STEP_LABELS[step].zh} — ${reg.name} / To do: ${STEP_LABELS[step].en}`,
        body: dueAt ? `${onBehalfOfName ? `代 ${onBehalfOfName} 办理。/ On behalf of ${onBehalfOfName}. ` : ''}请在 ${timeZh(dueAt)} 前处理 / Please act before ${timeEn(dueAt)}` : null,
      },
      { email: deps.mailer.enabled },
    );
  }

  return {
    /**
     * Opens a step: one task for its role (single), or one named task per approver of the policy
     * who may act on this registration (会签/或签; none left in scope → the single role task).
     */
    async openStepTasks(input: { registrationId: string; step: TaskStep; round: number; startedAt: string; seq?: number }): Promise<OpenedStep> {
      const rule = STEP_RULES[input.step];
      const dedupe = `wf:${input.registrationId}:task:${input.step}:${input.round}`;
      return db.transaction(async (trx) => {
        const policy = (await loadPolicies(trx, { forShare: true }))[input.step];
        const reg = await registrationFacts(trx, input.registrationId);
        const deadlines = deadlinesFrom(input.startedAt, policy, await loadWorkingCalendar(trx));
        const at = new Date(input.startedAt);
        const ids = policy.approverUserIds ?? [];
        const candidates = ids.length
          ? ((await trx('users').whereIn('id', ids).select('id', 'name', 'roles', 'schoolId', 'districtId', 'active')) as { id: number; name: string; roles: string[]; schoolId: number | null; districtId: number | null; active: boolean }[])
          : [];
        const approvers = approversInScope(input.step, policy.approverMode, ids, candidates, { schoolId: reg.schoolId, districtId: reg.districtId });
        const mode: ApproverMode = approvers.length ? (policy.approverMode ?? 'single') : 'single';
        // Each named approver's task goes through their delegations (委托); a single-role step is named
        // when its sole holder signs in person or is away (assigneeAtOpening), else it stays the role's.
        const holders: (Routed | null)[] = approvers.length
          ? await Promise.all(approvers.map((a) => routeThroughDelegations(trx, { id: a.id, name: a.name }, at)))
          : [await assigneeAtOpening(trx, reg, input.step, at)];
        const tasks: OpenedStepTask[] = [];
        for (const [slot, holder] of holders.entries()) {
          const { id: taskId } = await insertTaskIfMissing(trx, {
            registrationId: input.registrationId,
            step: input.step,
            round: input.round,
            slot,
            assigneeRole: rule.role,
            assigneeUserId: holder?.assigneeUserId ?? null,
            onBehalfOf: holder?.onBehalfOf ?? null,
            schoolId: reg.schoolId,
            districtId: reg.districtId,
            dueAt: new Date(deadlines.dueAt),
            remindAt: deadlines.remindAt ? new Date(deadlines.remindAt) : null,
            createdAt: at,
          });
          // The stored row is the truth when this is a retry.
          const stored = await assigneeOfRow(trx, (await taskRow(trx, taskId))!);
          tasks.push({ taskId, slot, assigneeUserId: stored?.assigneeUserId ?? null, assigneeName: stored?.assigneeName ?? null, onBehalfOf: stored?.onBehalfOf ?? null, onBehalfOfName: stored?.onBehalfOfName ?? null });
          const key = slot === 0 ? dedupe : `${dedupe}:slot${slot}`;
          await appendAuditEvent(trx, {
            action: 'task.opened',
            registrationId: input.registrationId,
            details: { taskId, step: input.step, round: input.round, assigneeRole: rule.role, dueAt: deadlines.dueAt, ...(stored ? { assigneeUserId: stored.assigneeUserId, onBehalfOf: stored.onBehalfOf } : {}), ...(approvers.length ? { approverMode: mode, slot } : {}) },
            dedupeKey: `${key}:opened`,
          });
          if (stored) await notifyAssignee(trx, reg, stored.assigneeUserId, input.step, taskId, deadlines.dueAt, `${key}:assigned`, '待办', stored.onBehalfOfName);
        }
        if (!tasks[0].assigneeUserId) {
          await notify.toRole(trx, reg, rule.role, {
            kind: 'task_assigned',
            dedupeKey: `${dedupe}:assigned`,
            taskId: tasks[0].taskId,
            title: `待办：${STEP_LABELS[input.step].zh} — ${reg.name} / To do: ${STEP_LABELS[input.step].en}`,
            body: `请在 ${timeZh(deadlines.dueAt)} 前处理 / Please act before ${timeEn(deadlines.dueAt)}`,
          });
        }
        await setRegistrationProgress(trx, input.registrationId, { status: STATUS_OF_STEP[input.step], currentStep: input.step }, input.seq);
        // The stored rows are the truth when this is a retry.
        const first = await taskRow(trx, tasks[0].taskId);
        return {
          mode,
          tasks,
          dueAt: new Date(first!.dueAt).toISOString(),
          remindAt: first!.remindAt ? new Date(first!.remindAt).toISOString() : null,
          policy,
          policyVersion: await currentVersion(trx),
        };
      });
    },

    /** An approval that does not finish the step (会签 with others still to approve, or 加签 still to come): only its task closes. */
    async recordStepApproval(input: { registrationId: string; taskId: string; step: TaskStep; round: number; actor: Actor; comment: string | null; at: string }): Promise<void> {
      await db.transaction(async (trx) => {
        await completeTaskRow(trx, { taskId: input.taskId, outcome: 'approve', comment: input.comment, completedBy: input.actor.id, completedAt: new Date(input.at) });
        await appendAuditEvent(trx, {
          action: 'task.approved',
          ...actorFields(input.actor),
          registrationId: input.registrationId,
          details: { taskId: input.taskId, step: input.step, round: input.round, comment: input.comment, stepComplete: false },
          dedupeKey: `wf:${input.registrationId}:decision:${input.taskId}`,
        });
      });
    },

    /** Cancels the tasks a step no longer needs (or — 加签 before — reopens the one that waited). */
    async updateStepTasks(input: { registrationId: string; cancel: string[]; reopen: string[]; reason: string; at: string }): Promise<void> {
      await db.transaction(async (trx) => {
        for (const taskId of input.cancel) {
          const n = await trx('tasks')
            .where({ id: taskId })
            .whereIn('status', ['open', 'waiting'])
            .update({ status: 'cancelled', outcome: input.reason, completedAt: new Date(input.at), updatedAt: trx.fn.now() });
          if (n) {
            await appendAuditEvent(trx, { action: 'task.cancelled', registrationId: input.registrationId, details: { taskId, reason: input.reason }, dedupeKey: `task:${taskId}:cancelled` });
          }
        }
        for (const taskId of input.reopen) {
          const n = await trx('tasks').where({ id: taskId, status: 'waiting' }).update({ status: 'open', updatedAt: trx.fn.now() });
          if (n) {
            const row = await taskRow(trx, taskId);
            await appendAuditEvent(trx, { action: 'task.reopened', registrationId: input.registrationId, details: { taskId, step: row?.step }, dedupeKey: `task:${taskId}:reopened:${input.at}` });
            if (row?.assigneeUserId) {
              const reg = await registrationFacts(trx, input.registrationId);
              await notifyAssignee(trx, reg, row.assigneeUserId, row.step, taskId, row.dueAt ? new Date(row.dueAt).toISOString() : null, `task:${taskId}:reopened:${input.at}`, '加签人已处理，请继续');
            }
          }
        }
      });
    },

    /**
     * 加签. before: the added user's task opens now and the adder's task waits for it. after: the
     * adder's task names the adder; the added user's task opens when the adder approves (`openNow`).
     */
    async addStepApprover(input: {
      registrationId: string;
      step: TaskStep;
      round: number;
      forTaskId: string;
      actor: Actor;
      user: { id: number; name: string };
      position: 'before' | 'after';
      reason: string;
      at: string;
      /** Open the added user's task now (before; or after, once the adder approved) in this slot. */
      openSlot: number | null;
      dueAt: string | null;
      remindAt: string | null;
      startedAt: string;
    }): Promise<{ addedTaskId: string | null }> {
      return db.transaction(async (trx) => {
        const reg = await registrationFacts(trx, input.registrationId);
        const forTask = await taskRow(trx, input.forTaskId);
        if (input.position === 'before' || forTask?.status === 'open') {
          await trx('tasks')
            .where({ id: input.forTaskId })
            .whereIn('status', ['open', 'waiting'])
            .update({ assigneeUserId: input.actor.id, ...(input.position === 'before' ? { status: 'waiting' } : {}), updatedAt: trx.fn.now() });
        }
        let addedTaskId: string | null = null;
        if (input.openSlot !== null) {
          const inserted = await insertTaskIfMissing(trx, {
            registrationId: input.registrationId,
            step: input.step,
            round: input.round,
            slot: input.openSlot,
            assigneeRole: STEP_RULES[input.step].role,
            assigneeUserId: input.user.id,
            schoolId: reg.schoolId,
            districtId: reg.districtId,
            dueAt: input.dueAt ? new Date(input.dueAt) : null,
            remindAt: input.remindAt ? new Date(input.remindAt) : null,
            createdAt: new Date(input.at),
            addedForTaskId: input.forTaskId,
            addedPosition: input.position,
            addedBy: input.actor.id,
            addedReason: input.reason,
          });
          addedTaskId = inserted.id;
          await notifyAssignee(trx, reg, input.user.id, input.step, addedTaskId, input.dueAt, `task:${addedTaskId}:assigned`, '加签待办');
        }
        const stage = input.openSlot === null ? 'added' : 'opened';
        await appendAuditEvent(trx, {
          action: stage === 'added' || input.position === 'before' ? 'task.approver_added' : 'task.added_approver_opened',
          ...actorFields(input.actor),
          registrationId: input.registrationId,
          details: { taskId: input.forTaskId, step: input.step, round: input.round, userId: input.user.id, userName: input.user.name, position: input.position, reason: input.reason, addedTaskId },
          dedupeKey: `task:${input.forTaskId}:add:${input.user.id}:${stage}`,
        });
        return { addedTaskId };
      });
    },

    /** A return to an earlier step: the returning task closes, the registration goes back to that step (its task opens next). */
    async returnToStep(input: { registrationId: string; taskId: string; step: TaskStep; toStep: TaskStep; round: number; actor: Actor; comment: string | null; at: string; seq?: number }): Promise<void> {
      const dedupe = `wf:${input.registrationId}:decision:${input.taskId}`;
      await db.transaction(async (trx) => {
        const reg = await registrationFacts(trx, input.registrationId);
        await completeTaskRow(trx, { taskId: input.taskId, outcome: 'return', comment: input.comment, completedBy: input.actor.id, completedAt: new Date(input.at) });
        await setRegistrationProgress(trx, input.registrationId, { status: STATUS_OF_STEP[input.toStep], currentStep: input.toStep }, input.seq);
        await appendAuditEvent(trx, {
          action: 'registration.returned',
          ...actorFields(input.actor),
          registrationId: input.registrationId,
          details: { taskId: input.taskId, step: input.step, toStep: input.toStep, round: input.round, comment: input.comment },
          dedupeKey: dedupe,
        });
        await notify.toDrafter(trx, reg, {
          kind: 'decision',
          dedupeKey: dedupe,
          taskId: input.taskId,
          title: `已退回至${STEP_LABELS[input.toStep].zh}（${STEP_LABELS[input.step].zh}）— ${reg.name} / Returned to ${STEP_LABELS[input.toStep].en} at ${STEP_LABELS[input.step].en}`,
          body: input.comment,
        });
      });
    },

    /**
     * After a return to an earlier step: when the registration still carries a live signature over
     * its content as it stands, signing is not asked for again and the chain goes on to the bureau.
     */
    async skipSigningIfUnchanged(input: { registrationId: string; round: number; at: string; seq?: number }): Promise<{ skipped: boolean }> {
      return db.transaction(async (trx) => {
        const reg = await trx('registrations').where({ id: input.registrationId }).forUpdate().first('signatureId');
        const signature = reg?.signatureId ? await trx('signatures').where({ id: reg.signatureId }).whereNull('voidedAt').first('id', 'contentHash') : null;
        const current = await findRegistration(trx, input.registrationId);
        if (!signature || !current || signature.contentHash !== canonicalContentHash(current)) return { skipped: false };
        await setRegistrationProgress(trx, input.registrationId, { status: 'bureau_approval', currentStep: 'bureau_approval' }, input.seq);
        await appendAuditEvent(trx, {
          action: 'registration.signing_skipped',
          registrationId: input.registrationId,
          afterHash: signature.contentHash,
          details: { round: input.round, signatureId: signature.id, reason: 'content_unchanged' },
          dedupeKey: `wf:${input.registrationId}:signing_skipped:${input.round}`,
        });
        return { skipped: true };
      });
    },
  };
}
