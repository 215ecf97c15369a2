/**
 * Tasks for people in the registration workflow: 转交 (transfer) and 催办 (urge) as Updates on an
 * open task, found by id (open-tasks.ts). Their validators decide over the workflow's state — the
 * task is open, nothing else is in flight, the actor may, the target fits, the interval has passed —
 * and their handlers change the open task, write the timeline entry and run one activity. Should
 * the activity fail for good, the task and the timeline are put back and the caller refused.
 *
 * Neither message moves the process, so they are handled here and not in the main loop. Registering
 * them changes nothing for histories that never received them (no patched() needed).
 */
import { ActivityFailure, ApplicationFailure, proxyActivities, setHandler } from '@temporalio/workflow';
import { transferRefusal, urgeRefusal } from '../domain/process/assignees';
import { BUSY, refuse, type Refusal } from '../domain/process/rules';
import type { Activities } from '../worker/activities/index';
import type { Inbox } from './inbox';
import { findOpenTask } from './open-tasks';
import { transferTaskUpdate, urgeTaskUpdate, type TransferTaskInput, type UrgeTaskInput } from './shared-collaboration';
import { REJECTION, type OpenTaskView, type RegistrationScope, type RegistrationWorkflowState, type StepHistoryEntry } from './shared';

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const NOT_OPEN = refuse('conflict', '该任务已不在待办中', 'This task is no longer open');

/** A refusal as the validator throws it; details carry when an urge is next allowed. */
const failure = (r: Refusal) =>
  ApplicationFailure.create({ type: REJECTION[r.kind], message: r.message, nonRetryable: true, details: r.nextAllowedAt ? [{ nextAllowedAt: r.nextAllowedAt }] : undefined });
const enforce = (r: Refusal | null) => {
  if (r) throw failure(r);
};

/** The named-assignee fields a projected task brings (none for a task open to its role). */
export function assigneeFields(projected: { assigneeUserId?: number | null; assigneeName?: string | null; onBehalfOf?: number | null; onBehalfOfName?: string | null }): Partial<OpenTaskView> {
  if (projected.assigneeUserId == null) return {};
  return { assigneeUserId: projected.assigneeUserId, assigneeName: projected.assigneeName ?? null, onBehalfOf: projected.onBehalfOf ?? null, onBehalfOfName: projected.onBehalfOfName ?? null };
}

/** A decision on a task a delegate held: the timeline entry names whom they acted for ("X 代 Y"). */
export function markOnBehalf(state: RegistrationWorkflowState, task: OpenTaskView): void {
  const last = state.history[state.history.length - 1];
  if (last && task.onBehalfOf != null) Object.assign(last, { onBehalfOfId: task.onBehalfOf, onBehalfOfName: task.onBehalfOfName ?? null });
}

export function openCollaboration(state: RegistrationWorkflowState, scope: RegistrationScope, inbox: Pick<Inbox, 'busy'>, registrationId: string): void {
  /** One of these messages is being written: the next waits (busy), as a decision does. */
  let inFlight = false;
  const nowIso = () => new Date().toISOString();

  const openOrRefuse = (taskId: string) => {
    const task = findOpenTask(state, taskId);
    if (!task || !task.taskId) throw failure(NOT_OPEN);
    if (inFlight || inbox.busy()) throw failure(BUSY);
    return task;
  };

  /** Runs the change and its activity; a failed activity puts the task and the timeline back. */
  async function changeOrRestore(task: OpenTaskView, entry: StepHistoryEntry, change: Partial<OpenTaskView>, write: () => Promise<void>, what: { zh: string; en: string }) {
    inFlight = true;
    const before = Object.fromEntries(Object.keys(change).map((k) => [k, task[k as keyof OpenTaskView] ?? null]));
    Object.assign(task, change);
    state.history.push(entry);
    try {
      await write();
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      Object.assign(task, before);
      const at = state.history.indexOf(entry);
      if (at >= 0) state.history.splice(at, 1);
      const reason = err.cause?.message ?? err.message;
      throw failure(refuse('conflict', `${what.zh}未能完成：${reason}`, `${what.en} could not be completed: ${reason}`));
    } finally {
      inFlight = false;
    }
  }

  setHandler(
    transferTaskUpdate,
    async (req: TransferTaskInput) => {
      const task = findOpenTask(state, req.taskId)!;
      const at = nowIso();
      const reason = req.reason.trim();
      const from = { id: task.assigneeUserId ?? null, name: task.assigneeName ?? null };
      const entry: StepHistoryEntry = { step: task.step, round: task.round, action: 'transferred', actorId: req.actor.id, actorName: req.actor.name, comment: reason, at, toUserId: req.to.id, toUserName: req.to.name };
      await changeOrRestore(
        task,
        entry,
        { assigneeUserId: req.to.id, assigneeName: req.to.name, onBehalfOf: null, onBehalfOfName: null },
        () =>
          activities.recordTransfer({
            registrationId,
            taskId: task.taskId,
            step: task.step,
            actor: { id: req.actor.id, name: req.actor.name },
            fromUserId: from.id,
            fromUserName: from.name,
            to: { id: req.to.id, name: req.to.name },
            reason,
            at,
          }),
        { zh: '转交', en: 'The transfer' },
      );
      return { taskId: task.taskId, assigneeUserId: req.to.id, assigneeName: req.to.name };
    },
    {
      validator: (req: TransferTaskInput) => {
        const task = openOrRefuse(req.taskId);
        enforce(transferRefusal(req.actor, task, scope, req.to, req.reason));
      },
    },
  );

  setHandler(
    urgeTaskUpdate,
    async (req: UrgeTaskInput) => {
      const task = findOpenTask(state, req.taskId)!;
      const at = nowIso();
      const message = req.message?.trim() || null;
      const entry: StepHistoryEntry = { step: task.step, round: task.round, action: 'urged', actorId: req.actor.id, actorName: req.actor.name, comment: message, at };
      await changeOrRestore(
        task,
        entry,
        { urgedAt: at },
        () => activities.recordUrge({ registrationId, taskId: task.taskId, step: task.step, actor: { id: req.actor.id, name: req.actor.name }, message, at }),
        { zh: '催办', en: 'Urging' },
      );
      return { taskId: task.taskId, urgedAt: at, nextUrgeAt: new Date(Date.parse(at) + req.intervalSeconds * 1000).toISOString() };
    },
    {
      validator: (req: UrgeTaskInput) => {
        const task = openOrRefuse(req.taskId);
        if (!Number.isInteger(req.intervalSeconds) || req.intervalSeconds < 1) throw failure(refuse('invalid', '催办间隔无效', 'The urge interval is invalid', 'intervalSeconds'));
        enforce(urgeRefusal(req.actor, scope, task.urgedAt, req.intervalSeconds, Date.now(), req.message));
      },
    },
  );
}
