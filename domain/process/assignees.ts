/**
 * Tasks for people (转交, 委托, 催办): who may act on a named task, who may hand it on or urge it,
 * and how often. Pure rules, like rules.ts: the workflow's validators, the API's early answers and
 * the console's buttons all call these.
 *
 * - A task may name its assignee (`assigneeUserId`). A named task is for that user alone (a
 *   delegate it was routed to is the named assignee, acting on behalf of `onBehalfOf`); an unnamed
 *   task stays for every holder of the step's role in its scope.
 * - 转交 (transfer): the named assignee, or for an unnamed task anyone who may act on it, or an
 *   administrator, hands the open task to another user who holds the step's role in its scope.
 * - 催办 (urge): the lead school's staff (the drafter's side) or a bureau approver of the district,
 *   at most once per task per interval.
 */
import { actorAtStepRefusal, refuse, textRefusal, type MaybeAssigned, type ProcessViewer, type Refusal } from './rules';
import type { RegistrationScope } from './vocabulary';

/** The part of a task these rules read. */
export type AssignedTask = MaybeAssigned & { onBehalfOf?: number | null };

type Viewer = ProcessViewer & { id?: number };

/** Longest text a transfer reason or urge message may have. */
export const COLLAB_TEXT_MAX = 500;

function requiredText(value: unknown, field: string, zh: string, en: string): Refusal | null {
  if (typeof value !== 'string' || value.trim().length === 0) return refuse('invalid', `请填写${zh}`, `The ${en} is required`, field);
  if (value.length > COLLAB_TEXT_MAX) return refuse('invalid', `${zh}不能超过 ${COLLAB_TEXT_MAX} 字`, `The ${en} must be at most ${COLLAB_TEXT_MAX} characters`, field);
  return textRefusal(value, field);
}

/**
 * 转交: by the named assignee; for an unnamed task, by a user who may act on it; or by an
 * administrator. The target must hold the step's role in the task's scope, and not be the one who
 * holds it now.
 */
export function transferRefusal(
  actor: Viewer,
  task: AssignedTask,
  scope: RegistrationScope,
  target: (ProcessViewer & { id: number; active?: boolean }) | null,
  reason: unknown,
): Refusal | null {
  const isAdmin = actor.roles.includes('admin');
  if (!isAdmin) {
    const who = task.assigneeUserId != null ? (actor.id === task.assigneeUserId ? null : refuse('forbidden', '只有任务的办理人或管理员可以转交', 'Only the task\'s assignee or an administrator may transfer it')) : actorAtStepRefusal(actor, task.step, scope);
    if (who) return who;
  }
  const text = requiredText(reason, 'reason', '转交理由', 'reason for the transfer');
  if (text) return text;
  if (!target) return refuse('invalid', '转交对象不存在', 'The user to transfer to does not exist', 'toUserId');
  if (target.active === false) return refuse('invalid', '转交对象已停用', 'The user to transfer to is deactivated', 'toUserId');
  if (target.id === (task.assigneeUserId ?? null) || (task.assigneeUserId == null && target.id === actor.id)) {
    return refuse('conflict', '任务已由该用户办理', 'The task is already with this user', 'toUserId');
  }
  const fit = actorAtStepRefusal(target, task.step, scope);
  if (fit) return refuse('invalid', `转交对象须在本登记的范围内担任此步骤的角色：${fit.zh}`, `The user must hold this step's role in the registration's scope: ${fit.en}`, 'toUserId');
  return null;
}

/** 催办 is for the drafter's side (the lead school's staff) and the bureau of the district. */
export function urgerRefusal(actor: ProcessViewer, scope: RegistrationScope): Refusal | null {
  const drafterSide = actor.roles.includes('school_staff') && actor.schoolId != null && actor.schoolId === scope.schoolId;
  const bureau = actor.roles.includes('bureau_approver') && actor.districtId != null && actor.districtId === scope.districtId;
  return drafterSide || bureau ? null : refuse('forbidden', '只有登记的经办人或本区教育局审批人可以催办', "Only the registration's drafter or a bureau approver of its district may urge");
}

/** The default interval between two urges of one task: one day. */
export const DEFAULT_URGE_INTERVAL_SECONDS = 24 * 3600;

/** When the task may be urged again (null: now). */
export function nextUrgeAt(urgedAt: string | null | undefined, intervalSeconds: number): string | null {
  if (!urgedAt) return null;
  return new Date(Date.parse(urgedAt) + intervalSeconds * 1000).toISOString();
}

/** At most once per interval; the refusal names when urging is next allowed. */
export function urgeRefusal(actor: ProcessViewer, scope: RegistrationScope, urgedAt: string | null | undefined, intervalSeconds: number, now: number, message: unknown): Refusal | null {
  const who = urgerRefusal(actor, scope);
  if (who) return who;
  const text = message == null || message === '' ? null : typeof message !== 'string' || message.length > COLLAB_TEXT_MAX ? refuse('invalid', `催办留言不能超过 ${COLLAB_TEXT_MAX} 字`, `The message must be at most ${COLLAB_TEXT_MAX} characters`, 'message') : textRefusal(message, 'message');
  if (text) return text;
  const next = nextUrgeAt(urgedAt, intervalSeconds);
  if (next && now < Date.parse(next)) {
    return { ...refuse('conflict', `催办过于频繁，${next} 之后可再次催办`, `This task was urged recently; it can be urged again after ${next}`), nextAllowedAt: next };
  }
  return null;
}

/** The bound on a delegation chain (A→B→C→D is three links). */
export const MAX_DELEGATION_CHAIN = 3;
