/**
 * The shape of a step as pure rules: who must decide it (会签 all / 或签 any / a single role task),
 * when it is complete, who may be added to it (加签), and where a return may send the registration.
 * The workflow applies these answers; the API and the console ask them early. No I/O.
 */
import { actorAtStepRefusal, refuse, textRefusal, type ProcessViewer, type Refusal } from './rules';
import {
  ADD_APPROVER_POSITIONS,
  APPROVER_MODES,
  STEP_RULES,
  type AddApproverPosition,
  type ApproverMode,
  type RegistrationScope,
  type ReturnTarget,
  type StepTask,
  type StepTasksState,
  type TaskStep,
} from './vocabulary';

/** Steps whose policy may name several approvers (会签/或签). */
export const APPROVER_MODE_STEPS: readonly TaskStep[] = ['bureau_approval'];
/** Steps where an approver may add another (加签): approval steps, whose decision is approve / return / reject. */
export const ADD_APPROVER_STEPS: readonly TaskStep[] = ['bureau_approval'];
/** At most this many approvers added (加签) to one step in one round. */
export const MAX_ADDED_APPROVERS = 3;
/** At most this many named approvers on a 会签/或签 policy. */
export const MAX_STEP_APPROVERS = 10;
/** The approval chain in order: a return goes to the drafter or to a step before the returning one. */
export const CHAIN_STEPS: readonly TaskStep[] = ['lead_school_opinion', 'principal_signature', 'bureau_approval'];

export const APPROVER_MODE_LABELS: Record<ApproverMode, { zh: string; en: string }> = {
  single: { zh: '单人审批', en: 'Single approver' },
  all: { zh: '会签（全部同意）', en: 'All must approve' },
  any: { zh: '或签（一人同意即可）', en: 'Any one approves' },
};

// --- return to a chosen step ------------------------------------------------------------------

/** Where a return from `step` may go: the drafter first (the default), then every earlier step of the chain. */
export function returnTargetsOf(step: TaskStep): ReturnTarget[] {
  const at = CHAIN_STEPS.indexOf(step);
  return ['draft', ...(at > 0 ? CHAIN_STEPS.slice(0, at) : [])];
}

/** `toStep` of a return: absent (the drafter) or an earlier step of the chain. */
export function returnTargetRefusal(step: TaskStep, toStep: unknown): Refusal | null {
  if (toStep === undefined || toStep === null || toStep === '') return null;
  const targets = returnTargetsOf(step);
  if (typeof toStep === 'string' && (targets as string[]).includes(toStep)) return null;
  return refuse(
    'invalid',
    `只能退回到经办人或之前的步骤：${targets.join('、')}`,
    `A return can go to the drafter or an earlier step only: ${targets.join(', ')}`,
    'payload.toStep',
  );
}

// --- 会签 / 或签 on a policy --------------------------------------------------------------------

/** The shape of a policy's approver fields (the API checks the users themselves against the database). */
export function approverPolicyRefusal(step: string, mode: unknown, userIds: unknown): Refusal | null {
  if (mode === undefined || mode === null) return null;
  if (!APPROVER_MODES.includes(mode as ApproverMode)) {
    return refuse('invalid', '审批方式须为 single、all 或 any', 'approverMode must be single, all or any', 'approverMode');
  }
  const ids = userIds ?? [];
  if (!Array.isArray(ids) || !ids.every((v) => Number.isInteger(v) && (v as number) > 0)) {
    return refuse('invalid', '审批人须为用户编号列表', 'approverUserIds must be a list of user ids', 'approverUserIds');
  }
  if (mode === 'single') {
    return ids.length === 0 ? null : refuse('invalid', '单人审批不指定审批人', 'A single-approver step names no approvers', 'approverUserIds');
  }
  if (!APPROVER_MODE_STEPS.includes(step as TaskStep)) {
    return refuse('invalid', '只有教育局审批步骤可以设置会签或或签', 'Only the bureau approval step can need all or any of several approvers', 'approverMode');
  }
  if (new Set(ids).size !== ids.length) return refuse('invalid', '审批人重复', 'An approver is listed twice', 'approverUserIds');
  if (ids.length < 2) return refuse('invalid', '会签或或签至少需要两位审批人', 'All/any needs at least two approvers', 'approverUserIds');
  if (ids.length > MAX_STEP_APPROVERS) {
    return refuse('invalid', `审批人最多 ${MAX_STEP_APPROVERS} 位`, `At most ${MAX_STEP_APPROVERS} approvers`, 'approverUserIds');
  }
  return null;
}

/** A user named on a step (policy approver, added approver, transfer target): holds the step's role, in scope when one is given. */
export function stepUserRefusal(step: TaskStep, user: ProcessViewer & { active?: boolean }, scope?: RegistrationScope): Refusal | null {
  if (user.active === false) return refuse('invalid', '该用户已停用', 'That user is not active', 'userId');
  const rule = STEP_RULES[step];
  if (!user.roles.includes(rule.role)) return refuse('invalid', `该用户没有此步骤所需的角色（${rule.role}）`, `That user does not hold the step's role (${rule.role})`, 'userId');
  if (scope && actorAtStepRefusal(user, step, scope)) {
    return refuse('invalid', '该用户不在此登记的学校或区县范围内', "That user is outside this registration's school or district", 'userId');
  }
  return null;
}

/** The approvers a step opens with: those of the policy who may act on this registration; fewer than one → the single role task. */
export function approversInScope<U extends ProcessViewer & { id: number; active?: boolean }>(step: TaskStep, mode: ApproverMode | undefined, ids: readonly number[], users: readonly U[], scope: RegistrationScope): U[] {
  if (!mode || mode === 'single' || !APPROVER_MODE_STEPS.includes(step)) return [];
  return ids.map((id) => users.find((u) => u.id === id)).filter((u): u is U => u !== undefined && stepUserRefusal(step, u, scope) === null);
}

// --- the step's tasks -------------------------------------------------------------------------

const live = (t: StepTask) => t.taskStatus === 'open' || t.taskStatus === 'waiting';
export const openStepTasks = (s: StepTasksState | null | undefined): StepTask[] => (s ? s.tasks.filter((t) => t.taskStatus === 'open') : []);

/** What an approval of `taskId` does to the step: which tasks close, which reopen, who is asked next, whether the step is done. */
export interface ApprovalEffects {
  complete: boolean;
  cancel: string[];
  reopen: string[];
  openAfter: { forTaskId: string; userId: number; name: string; reason: string }[];
}

/**
 * The step completion rule. all (会签): every approver approved; any (或签): the first approver's
 * approval wins and the other approvers' tasks (with what was added to them) are cancelled;
 * single: its one task. Either way, approvers added by 加签 must approve too: one added before
 * a task reopens it when they approve, one added after is asked once its adder approved.
 */
export function effectsOfApproval(step: StepTasksState, taskId: string): ApprovalEffects {
  const tasks = step.tasks.map((t) => ({ ...t }));
  const approved = tasks.find((t) => t.taskId === taskId);
  if (!approved) return { complete: false, cancel: [], reopen: [], openAfter: [] };
  approved.taskStatus = 'done';
  const reopen: string[] = [];
  if (approved.kind === 'added' && approved.position === 'before' && approved.forTaskId) {
    const waiting = tasks.find((t) => t.taskId === approved.forTaskId && t.taskStatus === 'waiting');
    const stillBefore = tasks.some((t) => t.forTaskId === approved.forTaskId && t.position === 'before' && live(t));
    if (waiting && !stillBefore) {
      waiting.taskStatus = 'open';
      reopen.push(waiting.taskId);
    }
  }
  const openAfter = (approved.pendingAfter ?? []).map((p) => ({ forTaskId: approved.taskId, ...p }));
  const cancel: string[] = [];
  if (step.mode === 'any' && approved.kind === 'approver') {
    const gone = new Set<string>();
    for (const t of tasks) if (t.kind === 'approver' && t.taskId !== approved.taskId && live(t)) gone.add(t.taskId);
    // What was added to a cancelled approver goes with it (transitively).
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of tasks) {
        if (live(t) && t.forTaskId && gone.has(t.forTaskId) && !gone.has(t.taskId)) {
          gone.add(t.taskId);
          grew = true;
        }
      }
    }
    for (const t of tasks) {
      if (gone.has(t.taskId)) {
        t.taskStatus = 'cancelled';
        cancel.push(t.taskId);
      }
    }
  }
  const approvers = tasks.filter((t) => t.kind === 'approver');
  const ruleMet = step.mode === 'any' ? approvers.some((t) => t.taskStatus === 'done') : approvers.every((t) => t.taskStatus === 'done');
  const complete = ruleMet && openAfter.length === 0 && !tasks.some(live);
  return { complete, cancel, reopen, openAfter };
}

/** A return or rejection ends the step at once: every other live task is cancelled. */
export function tasksEndedWith(step: StepTasksState | null | undefined, taskId: string): string[] {
  return step ? step.tasks.filter((t) => t.taskId !== taskId && live(t)).map((t) => t.taskId) : [];
}

/** 加签: may `actor`, holding task `taskId`, add `user` before or after themselves? */
export function addApproverRefusal(
  position: { phase: string; openTask: { taskId: string; step: TaskStep } | null; stepTasks?: StepTasksState | null },
  scope: RegistrationScope,
  req: { taskId: string; actor: ProcessViewer & { id: number }; user: ProcessViewer & { id: number }; position: unknown; reason: unknown },
): Refusal | null {
  const tasks = position.stepTasks?.tasks ?? [];
  const task = tasks.find((t) => t.taskId === req.taskId) ?? (position.openTask?.taskId === req.taskId ? position.openTask : null);
  const open = task && ('taskStatus' in task ? task.taskStatus === 'open' : true);
  if (!task || !task.taskId || !open) return refuse('conflict', '该任务已不在待办中', 'This task is no longer open');
  if (!ADD_APPROVER_STEPS.includes(task.step)) return refuse('conflict', '此步骤不能加签', 'Approvers cannot be added at this step');
  const who = actorAtStepRefusal(req.actor, task.step, scope);
  if (who) return who;
  const holder = (task as Partial<StepTask>).assigneeUserId;
  if (holder != null && holder !== req.actor.id) return refuse('forbidden', '此任务已指定给他人', 'This task is assigned to someone else');
  if (!ADD_APPROVER_POSITIONS.includes(req.position as AddApproverPosition)) {
    return refuse('invalid', '加签位置须为 before 或 after', 'position must be before or after', 'position');
  }
  if (typeof req.reason !== 'string' || req.reason.trim() === '') return refuse('invalid', '请填写加签理由', 'A reason is required', 'reason');
  const dirty = textRefusal(req.reason, 'reason');
  if (dirty) return dirty;
  if (req.user.id === req.actor.id) return refuse('invalid', '不能给自己加签', 'You cannot add yourself', 'userId');
  const target = stepUserRefusal(task.step, req.user, scope);
  if (target) return target;
  const holders = new Set<number>();
  for (const t of tasks) {
    if (live(t) && t.assigneeUserId != null) holders.add(t.assigneeUserId);
    for (const p of t.pendingAfter ?? []) holders.add(p.userId);
  }
  if (holders.has(req.user.id)) return refuse('conflict', '该用户已是此步骤的审批人', 'That user already approves this step', 'userId');
  const added = tasks.filter((t) => t.kind === 'added').length + tasks.reduce((n, t) => n + (t.pendingAfter?.length ?? 0), 0);
  if (added >= MAX_ADDED_APPROVERS) {
    return refuse('conflict', `每个步骤最多加签 ${MAX_ADDED_APPROVERS} 人`, `At most ${MAX_ADDED_APPROVERS} approvers can be added to a step`);
  }
  return null;
}
