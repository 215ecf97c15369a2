/**
 * Inbox activities: open a step's task, remind, flag overdue and escalate, move deadlines,
 * cancel. Each is idempotent (unique task per registration/step/round; dedupe keys on audit
 * events and notifications), so a retry after a crash changes nothing twice.
 */
import { appendAuditEvent } from '../../domain/audit';
import { loadWorkingCalendar } from '../../domain/calendar/repository';
import { timeEn, timeZh } from '../../domain/calendar/zone';
import { loadPolicies } from '../../domain/policies/repository';
import { cancelTaskRow, insertTaskIfMissing, setRegistrationProgress, taskRow } from '../../domain/tasks/repository';
import { deadlinesFrom, STEP_LABELS, type Deadlines } from '../../workflows/deadlines';
import { STATUS_OF_STEP, STEP_RULES, type DeadlinePolicy, type TaskStep } from '../../workflows/shared';
import { assigneeAtOpening, assigneeOfRow, notifyTaskHolders } from './assignees';
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
  /** Who the task is named for (absent: the step's role in scope), and whom a delegate stands in for. */
  assigneeUserId?: number | null;
  assigneeName?: string | null;
  onBehalfOf?: number | null;
  onBehalfOfName?: string | null;
}

export interface ComputeDeadlinesInput {
  /** When the step (or period) began. */
  startedAt: string;
  /** The policy in force, as the workflow holds it. */
  policy: DeadlinePolicy;
}

export function taskActivities(deps: ActivityDeps, notify: Notifier) {
  const { db } = deps;

  return {
    /**
     * Due and reminder times under a policy, with the working-day calendar in force (official
     * holidays, make-up workdays, the administrators' overrides). The workflow asks this when a
     * policy or the calendar changed: it never reads the calendar itself.
     */
    async computeDeadlines(input: ComputeDeadlinesInput): Promise<Deadlines> {
      return deadlinesFrom(input.startedAt, input.policy, await loadWorkingCalendar(db));
    },

    /** Opens the step's task in the inbox (once per registration/step/round) and moves the registration to the step. */
    async projectTask(input: ProjectTaskInput): Promise<ProjectedTask> {
      const rule = STEP_RULES[input.step];
      const dedupe = `wf:${input.registrationId}:task:${input.step}:${input.round}`;
      const result = await db.transaction(async (trx) => {
        // Row locks on the policies: a concurrent policy change waits for this task to exist, so it signals us.
        const policy = (await loadPolicies(trx, { forShare: true }))[input.step];
        const reg = await registrationFacts(trx, input.registrationId);
        const deadlines = deadlinesFrom(input.startedAt, policy, await loadWorkingCalendar(trx));
        const { id: taskId, created } = await insertTaskIfMissing(trx, {
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
        // Named for one person (and sent on through their delegations) when the task is new; a retry keeps what was stored.
        if (created) {
          const named = await assigneeAtOpening(trx, reg, input.step, new Date(input.startedAt));
          if (named) await trx('tasks').where({ id: taskId }).update({ assigneeUserId: named.assigneeUserId, onBehalfOf: named.onBehalfOf });
        }
        // The stored row is the truth when this is a retry.
        const row = await taskRow(trx, taskId);
        const assignee = await assigneeOfRow(trx, row!);
        await setRegistrationProgress(trx, input.registrationId, { status: STATUS_OF_STEP[input.step], currentStep: input.step }, input.seq);
        await appendAuditEvent(trx, {
          action: 'task.opened',
          registrationId: input.registrationId,
          details: { taskId, step: input.step, round: input.round, assigneeRole: rule.role, dueAt: deadlines.dueAt, ...(assignee ? { assigneeUserId: assignee.assigneeUserId, onBehalfOf: assignee.onBehalfOf } : {}) },
          dedupeKey: `${dedupe}:opened`,
        });
        await notifyTaskHolders(trx, deps, reg, { assigneeRole: rule.role, assigneeUserId: assignee?.assigneeUserId ?? null }, {
          kind: 'task_assigned',
          dedupeKey: `${dedupe}:assigned`,
          taskId,
          title: `待办：${STEP_LABELS[input.step].zh} — ${reg.name} / To do: ${STEP_LABELS[input.step].en}`,
          body: `${assignee?.onBehalfOfName ? `代 ${assignee.onBehalfOfName} 办理。/ On behalf of ${assignee.onBehalfOfName}. ` : ''}请在 ${timeZh(deadlines.dueAt)} 前处理 / Please act before ${timeEn(deadlines.dueAt)}`,
        });
        return {
          taskId,
          dueAt: new Date(row!.dueAt).toISOString(),
          remindAt: row!.remindAt ? new Date(row!.remindAt).toISOString() : null,
          policy,
          ...(assignee ?? {}),
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
        await notifyTaskHolders(trx, deps, reg, task, {
          kind: 'reminder',
          dedupeKey: dedupe,
          taskId: input.taskId,
          title: `提醒：${STEP_LABELS[task.step].zh}即将到期 — ${reg.name} / Reminder: ${STEP_LABELS[task.step].en} due soon`,
          body: `到期时间 ${timeZh(input.dueAt)} / Due ${timeEn(input.dueAt)}`,
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
        await notifyTaskHolders(trx, deps, reg, task, {
          kind: 'overdue',
          dedupeKey: `${dedupe}:assignee`,
          taskId: input.taskId,
          title: `已逾期：${STEP_LABELS[task.step].zh} — ${reg.name} / Overdue: ${STEP_LABELS[task.step].en}`,
          body: `到期时间 ${timeZh(input.dueAt)} / Was due ${timeEn(input.dueAt)}`,
        });
        if (input.escalateToRole) {
          await notify.toRole(trx, reg, input.escalateToRole, {
            kind: 'escalation',
            dedupeKey: `${dedupe}:escalation`,
            taskId: input.taskId,
            title: `督办：${STEP_LABELS[task.step].zh}已逾期 — ${reg.name} / Escalation: ${STEP_LABELS[task.step].en} overdue`,
            body: `到期时间 ${timeZh(input.dueAt)} / Was due ${timeEn(input.dueAt)}`,
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
