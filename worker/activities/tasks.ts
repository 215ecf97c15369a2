/**
 * Inbox activities: open a step's task, remind, flag overdue and escalate, move deadlines,
 * cancel. Each is idempotent (unique task per registration/step/round; dedupe keys on audit
 * events and notifications), so a retry after a crash changes nothing twice.
 */
import { appendAuditEvent } from '../../domain/audit';
import { loadPolicies } from '../../domain/policies/repository';
import { cancelTaskRow, insertTaskIfMissing, setRegistrationProgress, taskRow } from '../../domain/tasks/repository';
import { deadlinesFrom, STEP_LABELS } from '../../workflows/deadlines';
import { STATUS_OF_STEP, STEP_RULES, type DeadlinePolicy, type TaskStep } from '../../workflows/shared';
import { registrationFacts, type ActivityDeps, type Notifier } from './context';

export interface ProjectTaskInput {
  registrationId: string;
  step: TaskStep;
  round: number;
  /** Workflow time the step began: due and reminder times count from here. */
  startedAt: string;
  /** The workflow's number for the status write (applies only if newer). */
  seq?: number;
}
export interface ProjectedTask {
  taskId: string;
  dueAt: string;
  remindAt: string | null;
  policy: DeadlinePolicy;
}

const fmt = (iso: string) => iso.replace('T', ' ').slice(0, 16) + ' UTC';

export function taskActivities(deps: ActivityDeps, notify: Notifier) {
  const { db } = deps;

  return {
    /** Opens the step's task in the inbox (once per registration/step/round) and moves the registration to the step. */
    async projectTask(input: ProjectTaskInput): Promise<ProjectedTask> {
      const rule = STEP_RULES[input.step];
      const dedupe = `wf:${input.registrationId}:task:${input.step}:${input.round}`;
      const result = await db.transaction(async (trx) => {
        // Row locks on the policies: a concurrent policy change waits for this task to exist, so it signals us.
        const policy = (await loadPolicies(trx, { forShare: true }))[input.step];
        const reg = await registrationFacts(trx, input.registrationId);
        const deadlines = deadlinesFrom(input.startedAt, policy);
        const { id: taskId } = await insertTaskIfMissing(trx, {
          registrationId: input.registrationId,
          step: input.step,
          round: input.round,
          assigneeRole: rule.role,
          schoolId: reg.schoolId,
          districtId: reg.districtId,
          dueAt: new Date(deadlines.dueAt),
          remindAt: deadlines.remindAt ? new Date(deadlines.remindAt) : null,
          createdAt: new Date(input.startedAt),
        });
        // The stored row is the truth when this is a retry.
        const row = await taskRow(trx, taskId);
        await setRegistrationProgress(trx, input.registrationId, { status: STATUS_OF_STEP[input.step], currentStep: input.step }, input.seq);
        await appendAuditEvent(trx, {
          action: 'task.opened',
          registrationId: input.registrationId,
          details: { taskId, step: input.step, round: input.round, assigneeRole: rule.role, dueAt: deadlines.dueAt },
          dedupeKey: `${dedupe}:opened`,
        });
        await notify.toRole(trx, reg, rule.role, {
          kind: 'task_assigned',
          dedupeKey: `${dedupe}:assigned`,
          taskId,
          title: `待办：${STEP_LABELS[input.step].zh} — ${reg.name} / To do: ${STEP_LABELS[input.step].en}`,
          body: `请在 ${fmt(deadlines.dueAt)} 前处理 / Please act before ${fmt(deadlines.dueAt)}`,
        });
        return {
          taskId,
          dueAt: new Date(row!.dueAt).toISOString(),
          remindAt: row!.remindAt ? new Date(row!.remindAt).toISOString() : null,
          policy,
        };
      });
      return result;
    },

    /** Reminds the task's assignees before it falls due and stamps reminded_at (once per reminder time). */
    async sendTaskReminder(input: { taskId: string; dueAt: string; remindAt: string }): Promise<void> {
      const dedupe = `task:${input.taskId}:reminder:${input.remindAt}`;
      await db.transaction(async (trx) => {
        const task = await taskRow(trx, input.taskId);
        if (!task || task.status !== 'open') return;
        const reg = await registrationFacts(trx, task.registrationId);
        await notify.toTaskHolder(trx, reg, task as { assigneeRole: string; assigneeUserId: number | null }, {
          kind: 'reminder',
          dedupeKey: dedupe,
          taskId: input.taskId,
          title: `提醒：${STEP_LABELS[task.step].zh}即将到期 — ${reg.name} / Reminder: ${STEP_LABELS[task.step].en} due soon`,
          body: `到期时间 / Due ${fmt(input.dueAt)}`,
        });
        // Stamp once per reminder: a retry keeps the time the reminder really went out.
        const stamped = await trx('auditEvents').where({ dedupeKey: dedupe }).first('id');
        if (!stamped) await trx('tasks').where({ id: input.taskId }).update({ remindedAt: trx.fn.now(), updatedAt: trx.fn.now() });
        await appendAuditEvent(trx, {
          action: 'task.reminded',
          registrationId: task.registrationId,
          details: { taskId: input.taskId, step: task.step, remindAt: input.remindAt, dueAt: input.dueAt },
          dedupeKey: dedupe,
        });
      });
    },

    /** Flags the task overdue and notifies the step's supervisor role (escalation). */
    async markTaskOverdue(input: { taskId: string; dueAt: string; escalateToRole: string | null }): Promise<void> {
      const dedupe = `task:${input.taskId}:overdue:${input.dueAt}`;
      await db.transaction(async (trx) => {
        const task = await taskRow(trx, input.taskId);
        if (!task || task.status !== 'open') return;
        const reg = await registrationFacts(trx, task.registrationId);
        await trx('tasks').where({ id: input.taskId }).update({ overdue: true, escalatedAt: trx.raw('coalesce(escalated_at, now())'), updatedAt: trx.fn.now() });
        await appendAuditEvent(trx, {
          action: 'task.overdue',
          registrationId: task.registrationId,
          details: { taskId: input.taskId, step: task.step, dueAt: input.dueAt, escalateToRole: input.escalateToRole },
          dedupeKey: dedupe,
        });
        await notify.toTaskHolder(trx, reg, task as { assigneeRole: string; assigneeUserId: number | null }, {
          kind: 'overdue',
          dedupeKey: `${dedupe}:assignee`,
          taskId: input.taskId,
          title: `已逾期：${STEP_LABELS[task.step].zh} — ${reg.name} / Overdue: ${STEP_LABELS[task.step].en}`,
          body: `到期时间 / Was due ${fmt(input.dueAt)}`,
        });
        if (input.escalateToRole) {
          await notify.toRole(trx, reg, input.escalateToRole, {
            kind: 'escalation',
            dedupeKey: `${dedupe}:escalation`,
            taskId: input.taskId,
            title: `督办：${STEP_LABELS[task.step].zh}已逾期 — ${reg.name} / Escalation: ${STEP_LABELS[task.step].en} overdue`,
            body: `到期时间 / Was due ${fmt(input.dueAt)}`,
          });
        }
      });
    },

    /** Writes the task's moved due and reminder times (after a policy change); lifts the overdue flag when the due time moved into the future. */
    async rescheduleTask(input: { taskId: string; dueAt: string; remindAt: string | null; overdue: boolean }): Promise<void> {
      await db.transaction(async (trx) => {
        const task = await taskRow(trx, input.taskId);
        if (!task || task.status !== 'open') return;
        await trx('tasks')
          .where({ id: input.taskId })
          .update({ dueAt: new Date(input.dueAt), remindAt: input.remindAt ? new Date(input.remindAt) : null, overdue: input.overdue, updatedAt: trx.fn.now() });
        await appendAuditEvent(trx, {
          action: 'task.rescheduled',
          registrationId: task.registrationId,
          details: { taskId: input.taskId, step: task.step, dueAt: input.dueAt, remindAt: input.remindAt, previousDueAt: new Date(task.dueAt).toISOString() },
          dedupeKey: `task:${input.taskId}:rescheduled:${input.dueAt}:${input.remindAt}`,
        });
      });
    },

    /** Cancels an open task that no longer applies (withdrawal, content edited after signing). */
    async cancelTask(input: { taskId: string; reason: string; at: string }): Promise<void> {
      await db.transaction(async (trx) => {
        const task = await taskRow(trx, input.taskId);
        if (!task) return;
        await cancelTaskRow(trx, { taskId: input.taskId, reason: input.reason, at: new Date(input.at) });
        await appendAuditEvent(trx, {
          action: 'task.cancelled',
          registrationId: task.registrationId,
          details: { taskId: input.taskId, step: task.step, reason: input.reason },
          dedupeKey: `task:${input.taskId}:cancelled`,
        });
      });
    },
  };
}
