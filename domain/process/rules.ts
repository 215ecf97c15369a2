/**
 * The process's rules: who may do what, when. Each check answers a typed refusal (or null when
 * allowed) — the workflow's validators turn it into an ApplicationFailure, the API into its
 * error, the console into a hidden button. Nothing here is written anywhere else.
 */
import { returnTargetRefusal as returnTargetRefusalOf } from './steps';
import { firstUncleanText } from './text';
import { checkPayload, DECISION_PAYLOADS } from './payloads';
import {
  ACTIONS_REQUIRING_COMMENT,
  STEP_RULES,
  WITHDRAWABLE_STATUSES,
  type CompleteTaskInput,
  type RegistrationScope,
  type TaskAction,
  type TaskStep,
  type WorkflowPhase,
} from './vocabulary';

/** forbidden: not this actor (403); conflict: not in this state (409); invalid: bad input (400). */
export type RefusalKind = 'forbidden' | 'conflict' | 'invalid';
export interface Refusal {
  kind: RefusalKind;
  zh: string;
  en: string;
  /** "中文 / English", as every answer of the system reads. */
  message: string;
  /** The input field the refusal is about, when there is one. */
  field?: string;
  /** For a refusal that passes with time (催办 too soon): when it is next allowed. */
  nextAllowedAt?: string;
}

export const refuse = (kind: RefusalKind, zh: string, en: string, field?: string): Refusal => ({ kind, zh, en, message: `${zh} / ${en}`, ...(field ? { field } : {}) });

/** Who is acting, as far as the rules care. `districtId` may be unknown (the console's older sessions). */
export interface ProcessViewer {
  roles: readonly string[];
  schoolId: number | null;
  districtId?: number | null;
}

export const BUSY = refuse('conflict', '该登记的另一操作正在处理，请稍后重试', 'Another action on this registration is being processed; try again shortly');

// --- who ------------------------------------------------------------------------------------

/** The actor must hold the step's role at the registration's school (or district, for bureau steps). */
export function actorAtStepRefusal(actor: ProcessViewer, step: TaskStep, scope: RegistrationScope): Refusal | null {
  const rule = STEP_RULES[step];
  if (!rule || !actor.roles.includes(rule.role)) return refuse('forbidden', `此步骤需由 ${rule?.role} 处理`, `This step is for role ${rule?.role}`);
  const inScope = rule.scope === 'school' ? actor.schoolId != null && actor.schoolId === scope.schoolId : actor.districtId != null && actor.districtId === scope.districtId;
  if (!inScope) {
    return rule.scope === 'school'
      ? refuse('forbidden', '只能处理本校的登记', "You can only act on your own school's registrations")
      : refuse('forbidden', '只能处理本区学校的登记', 'You can only act on registrations of your district');
  }
  return null;
}

/** A task that may name its assignee (转交, 委托): named, it is that user's alone. */
export interface MaybeAssigned {
  step: TaskStep;
  assigneeUserId?: number | null;
}

export const NOT_YOUR_TASK = refuse('forbidden', '此任务已指定给他人', 'This task is assigned to someone else');

/** Who may decide a task: its named assignee, or (unnamed) a holder of the step's role in scope. */
export function taskActorRefusal(actor: ProcessViewer & { id?: number }, task: MaybeAssigned, scope: RegistrationScope): Refusal | null {
  if (task.assigneeUserId != null) return actor.id === task.assigneeUserId ? null : NOT_YOUR_TASK;
  return actorAtStepRefusal(actor, task.step, scope);
}

/** The drafter: school staff of the lead school (submits, withdraws, edits). */
export function drafterRefusal(actor: ProcessViewer, scope: Pick<RegistrationScope, 'schoolId'>): Refusal | null {
  if (!actor.roles.includes('school_staff') || actor.schoolId == null || actor.schoolId !== scope.schoolId) {
    return refuse('forbidden', '只有牵头学校的经办人可以提交、修改或撤回', "Only the lead school's staff may submit, edit or withdraw");
  }
  return null;
}

// --- what, with which input ----------------------------------------------------------------------

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** Text in a message the database must store: no control characters, no unpaired surrogates. */
export function textRefusal(value: unknown, field: string): Refusal | null {
  const at = firstUncleanText(value);
  if (at === null) return null;
  const where = at === '_root' ? field : `${field}.${at}`;
  return refuse('invalid', `${where} 含有控制字符或无效字符`, `${where} holds control characters or invalid characters`, where);
}

/**
 * The decision's input as the workflow receives it: clean text, a comment where one is required, and
 * the action's payload shape (DECISION_PAYLOADS, the same definitions the API parses with).
 */
export function payloadRefusal(req: Pick<CompleteTaskInput, 'action' | 'comment' | 'payload'>): Refusal | null {
  const bad = textRefusal(req.comment ?? null, 'comment') ?? textRefusal(req.payload ?? null, 'payload');
  if (bad) return bad;
  if (ACTIONS_REQUIRING_COMMENT.includes(req.action) && !nonEmpty(req.comment)) {
    return refuse('invalid', '退回或不予批准须填写理由', 'A return or rejection needs a comment', 'comment');
  }
  if (!(req.action in DECISION_PAYLOADS)) return null; // an unknown action is actionAtStepRefusal's to refuse
  const checked = checkPayload(DECISION_PAYLOADS, req.action, req.payload);
  if (checked.ok) return null;
  const [field, message] = Object.entries(checked.errors)[0];
  const [zh, en] = splitBilingual(message);
  return refuse('invalid', `${field}：${zh}`, `${field}: ${en}`, field);
}

/** "中文 / English" → its two halves (a message without the separator is both). */
function splitBilingual(message: string): [string, string] {
  const at = message.indexOf(' / ');
  return at < 0 ? [message, message] : [message.slice(0, at), message.slice(at + 3)];
}

/** The action must be one of the step's. */
export function actionAtStepRefusal(step: TaskStep, action: TaskAction): Refusal | null {
  const allowed = STEP_RULES[step].actions;
  return allowed.includes(action) ? null : refuse('conflict', `当前步骤不能执行 ${action}，可执行：${allowed.join(', ')}`, `Action ${action} is not allowed at step ${step}; the actions are: ${allowed.join(', ')}`, 'action');
}

// --- when: the workflow's own checks (its state is the truth) -------------------------------------

/** What the decision checks need of the workflow's state. */
export interface ProcessPosition {
  phase: WorkflowPhase;
  status: string;
  openTask: { taskId: string; step: TaskStep; assigneeUserId?: number | null } | null;
  /** A step holding several tasks (会签/或签, 加签): each open one may be decided, by its named holder. */
  stepTasks?: { tasks: readonly { taskId: string; step: TaskStep; taskStatus: string; assigneeUserId?: number | null }[] } | null;
}

/** completeTask: the task is the open one, nothing else is in flight, the actor may act, the action fits the step, the input is sound. */
export function completionRefusal(position: ProcessPosition, busy: boolean, scope: RegistrationScope, req: CompleteTaskInput): Refusal | null {
  const inStep = position.stepTasks?.tasks.find((t) => t.taskId === req.taskId && t.taskStatus === 'open');
  const task = inStep ?? (position.openTask?.taskId === req.taskId ? position.openTask : null);
  if (!task || !task.taskId) return refuse('conflict', '该任务已不在待办中', 'This task is no longer open');
  if (busy) return BUSY;
  return (
    taskActorRefusal(req.actor, task, scope) ??
    actionAtStepRefusal(task.step, req.action) ??
    // Where a return may go is named before the payload's shape (the same order as the API's).
    (req.action === 'return' ? returnTargetRefusalOf(task.step, req.payload?.toStep) : null) ??
    payloadRefusal(req)
  );
}

/**
 * completeTask while the workflow opens a step: the activity has committed the step's task rows
 * (users see them in their inbox) but the workflow does not know their ids yet. A decision whose
 * action fits that step is admitted on its input alone; who decides which task is checked in full
 * (completionRefusal) once the opening is known. Null: admitted for now; undefined: the decision does
 * not fit the step being opened, so the usual check answers it.
 */
export function decisionWhileOpeningRefusal(opening: { step: TaskStep }, busy: boolean, req: CompleteTaskInput): Refusal | null | undefined {
  if (!req.taskId || actionAtStepRefusal(opening.step, req.action)) return undefined;
  if (busy) return BUSY;
  return (req.action === 'return' ? returnTargetRefusalOf(opening.step, req.payload?.toStep) : null) ?? payloadRefusal(req);
}

export function submitRefusal(position: Pick<ProcessPosition, 'phase' | 'status'>, busy: boolean, scope: RegistrationScope, actor: ProcessViewer): Refusal | null {
  const who = drafterRefusal(actor, scope);
  if (who) return who;
  if (position.phase !== 'draft') return refuse('conflict', `只能提交草稿，当前状态为 ${position.status}`, `Only a draft can be submitted; this registration is ${position.status}`);
  return busy ? BUSY : null;
}

export function withdrawRefusal(position: Pick<ProcessPosition, 'status'>, busy: boolean, scope: RegistrationScope, actor: ProcessViewer, reason?: unknown): Refusal | null {
  const who = drafterRefusal(actor, scope);
  if (who) return who;
  if (!WITHDRAWABLE_STATUSES.includes(position.status as never)) {
    return refuse('conflict', `批准后不能撤回，当前状态为 ${position.status}`, `A registration cannot be withdrawn after approval; it is ${position.status}`);
  }
  if (busy) return BUSY;
  return textRefusal(reason ?? null, 'reason');
}

/**
 * An edit after draft: only while the signed registration awaits the bureau. Whether it voids the
 * signature is the hashes' answer (see editVoidsSignature).
 */
export function signedEditRefusal(position: Pick<ProcessPosition, 'phase' | 'status'>, busy: boolean, scope: RegistrationScope, actor: ProcessViewer, content?: unknown): Refusal | null {
  const who = drafterRefusal(actor, scope);
  if (who) return who;
  if (position.phase !== 'bureau_approval') {
    return refuse('conflict', `只能修改草稿或待审批的已签署登记，当前状态为 ${position.status}`, `Only drafts, or signed registrations awaiting the bureau, can be edited; this registration is ${position.status}`);
  }
  if (busy) return BUSY;
  return textRefusal(content ?? null, 'content');
}

/** An edit voids the signature exactly when what was signed changes. */
export const editVoidsSignature = (edit: { beforeHash: string; afterHash: string }) => edit.beforeHash !== edit.afterHash;

// --- the same rules over a registration or task row (the API's early answer, the console's buttons) --

export interface RegistrationRow {
  status: string;
  schoolId: number;
  signatureId?: string | null;
  submittedAt?: string | Date | null;
}

export type RegistrationAction = 'edit' | 'delete' | 'submit' | 'withdraw';

/** Only a draft that never entered the process may be deleted (a returned one is withdrawn instead). */
export function deletableRefusal(row: Pick<RegistrationRow, 'status' | 'submittedAt'>): Refusal | null {
  if (row.status !== 'draft') return refuse('conflict', `只能删除草稿，当前状态为 ${row.status}`, `Only drafts can be deleted; this registration is ${row.status}`);
  if (row.submittedAt) return refuse('conflict', '已提交过的登记不能删除，请撤回', 'A registration that was submitted cannot be deleted; withdraw it instead');
  return null;
}

/** What the drafter may do with a registration in the state its row shows. */
export function registrationActionRefusal(viewer: ProcessViewer, action: RegistrationAction, row: RegistrationRow): Refusal | null {
  const who = drafterRefusal(viewer, row);
  if (who) return who;
  switch (action) {
    case 'edit':
      // A signed registration awaiting the bureau may be edited too: the edit voids the signature.
      if (row.status === 'draft' || (row.status === 'bureau_approval' && row.signatureId != null)) return null;
      return refuse('conflict', `只能修改草稿，当前状态为 ${row.status}`, `Only drafts can be edited; this registration is ${row.status}`);
    case 'delete':
      return deletableRefusal(row);
    case 'submit':
      return row.status === 'draft' ? null : refuse('conflict', `只能提交草稿，当前状态为 ${row.status}`, `Only a draft can be submitted; this registration is ${row.status}`);
    case 'withdraw':
      return withdrawRefusal(row, false, { schoolId: row.schoolId, districtId: -1 }, viewer);
  }
}

export interface TaskRow {
  status: string;
  step: TaskStep;
  schoolId: number | null;
  /** Unknown to a console whose session has no district: then the server's list scope stands in. */
  districtId?: number | null;
  claimedBy?: number | null;
  /** A named task is its assignee's alone (absent or null: the step's role in scope) — 委托/转交, 会签/或签, 加签. */
  assigneeUserId?: number | null;
}

/**
 * Whether the viewer may act on (claim, complete) this task as its row shows it. A viewer whose
 * district is unknown (`undefined`: a console session from before districts were sent) is taken
 * to be in the task's district; the server, which always knows it, has the last word.
 */
export function taskActionRefusal(viewer: ProcessViewer & { id: number }, task: TaskRow): Refusal | null {
  if (task.assigneeUserId != null && task.assigneeUserId !== viewer.id) return NOT_YOUR_TASK;
  if (task.assigneeUserId == null && !mayActAtStep(viewer, task)) return refuse('forbidden', '此任务不由您处理', 'This task is not yours to act on');
  if (task.status === 'waiting') return refuse('conflict', '任务正在等待加签人处理', 'The task waits for an added approver');
  if (task.status !== 'open') return refuse('conflict', `任务已${task.status === 'done' ? '完成' : '取消'}`, `The task is ${task.status}`);
  if (task.claimedBy != null && task.claimedBy !== viewer.id) return refuse('conflict', '任务已被他人认领', 'Someone else has claimed this task');
  return null;
}

/** Whether the viewer holds the step's role in the task's scope (claimed or not, open or not). */
export function mayActAtStep(viewer: ProcessViewer, task: Pick<TaskRow, 'step' | 'schoolId' | 'districtId'>): boolean {
  const districtId = viewer.districtId === undefined ? (task.districtId ?? -1) : viewer.districtId;
  return actorAtStepRefusal({ ...viewer, districtId }, task.step, { schoolId: task.schoolId ?? -1, districtId: task.districtId ?? -1 }) === null;
}
