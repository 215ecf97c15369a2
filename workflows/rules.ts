/**
 * The checks each Update's validator runs: is this action allowed now, by this actor, with this
 * input? A failed check throws before the update enters history; its type tells the API which
 * status to answer (403 actor, 409 state, 400 input). Pure functions over the workflow state.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import {
  ACTIONS_REQUIRING_COMMENT,
  GOAL_PROGRESS,
  REJECTION,
  REVIEW_RATINGS,
  STEP_RULES,
  WITHDRAWABLE_STATUSES,
  type CompleteTaskInput,
  type RegistrationWorkflowState,
  type TaskStep,
  type WorkflowActor,
} from './shared';

export interface RegistrationScope {
  schoolId: number;
  districtId: number;
}

const fail = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });
export const forbidden = (message: string) => fail(REJECTION.forbidden, message);
export const conflict = (message: string) => fail(REJECTION.conflict, message);
export const invalid = (message: string) => fail(REJECTION.invalid, message);

const BUSY = '该登记的另一操作正在处理，请稍后重试 / Another action on this registration is being processed; try again shortly';

/** Throws unless the actor holds the step's role at the registration's school (or district, for bureau steps). */
export function checkActorForStep(actor: WorkflowActor, step: TaskStep, scope: RegistrationScope): void {
  const rule = STEP_RULES[step];
  if (!actor.roles.includes(rule.role)) {
    throw forbidden(`此步骤需由 ${rule.role} 处理 / This step is for role ${rule.role}`);
  }
  const inScope = rule.scope === 'school' ? actor.schoolId === scope.schoolId : actor.districtId === scope.districtId;
  if (!inScope) {
    throw forbidden(
      rule.scope === 'school'
        ? '只能处理本校的登记 / You can only act on your own school\'s registrations'
        : '只能处理本区学校的登记 / You can only act on registrations of your district',
    );
  }
}

/** The drafter: school staff of the lead school. */
export function checkDrafter(actor: WorkflowActor, scope: RegistrationScope): void {
  if (!actor.roles.includes('school_staff') || actor.schoolId !== scope.schoolId) {
    throw forbidden('只有牵头学校的经办人可以提交或撤回 / Only the lead school\'s staff may submit or withdraw');
  }
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Shape of each action's payload (the API checks the goals against the registration too). */
export function checkPayload(req: Pick<CompleteTaskInput, 'action' | 'comment' | 'payload'>): void {
  if (ACTIONS_REQUIRING_COMMENT.includes(req.action) && !nonEmpty(req.comment)) {
    throw invalid('退回或不予批准须填写理由 / A return or rejection needs a comment');
  }
  const p = req.payload ?? {};
  switch (req.action) {
    case 'opinion':
      if (!nonEmpty(p.opinion)) throw invalid('请填写牵头学校意见 / The opinion is required');
      return;
    case 'sign':
      if (!nonEmpty(p.signatureFileId)) throw invalid('缺少签名 / The signature is missing');
      return;
    case 'report': {
      const goals = p.goals;
      if (!Array.isArray(goals) || goals.length === 0) throw invalid('请逐项报告目标 / Report on every goal');
      const seen = new Set<string>();
      for (const g of goals) {
        if (!isObject(g) || !nonEmpty(g.goalId) || !GOAL_PROGRESS.includes(g.status as never) || !nonEmpty(g.narrative)) {
          throw invalid('每项目标须有 goalId、status、narrative / Each goal needs goalId, status and narrative');
        }
        if (g.evidenceFileIds !== undefined && (!Array.isArray(g.evidenceFileIds) || !g.evidenceFileIds.every(nonEmpty))) {
          throw invalid('evidenceFileIds 须为文件编号列表 / evidenceFileIds must be a list of file ids');
        }
        if (seen.has(g.goalId)) throw invalid('目标重复 / A goal is reported twice');
        seen.add(g.goalId);
      }
      return;
    }
    case 'rate': {
      const ratings = p.ratings;
      if (!Array.isArray(ratings) || ratings.length === 0) throw invalid('请逐项评定目标 / Rate every goal');
      for (const r of ratings) {
        if (!isObject(r) || !nonEmpty(r.goalId) || !REVIEW_RATINGS.includes(r.rating as never)) {
          throw invalid('每项评定须有 goalId 与 rating（pass/conditional/fail）/ Each rating needs goalId and rating (pass/conditional/fail)');
        }
      }
      if (!REVIEW_RATINGS.includes(p.overall as never)) throw invalid('请给出总体评定 / The overall rating (pass/conditional/fail) is required');
      return;
    }
    default:
      return;
  }
}

/** completeTask: the task is the open one, nothing else is in flight, the actor may act, the action fits the step. */
export function checkCompletion(state: RegistrationWorkflowState, busy: boolean, scope: RegistrationScope, req: CompleteTaskInput): void {
  const task = state.openTask;
  if (!task || !task.taskId || task.taskId !== req.taskId) {
    throw conflict('该任务已不在待办中 / This task is no longer open');
  }
  if (busy) throw conflict(BUSY);
  checkActorForStep(req.actor, task.step, scope);
  if (!STEP_RULES[task.step].actions.includes(req.action)) {
    throw conflict(`当前步骤不能执行 ${req.action} / Action ${req.action} is not allowed at step ${task.step}`);
  }
  checkPayload(req);
}

export function checkSubmit(state: RegistrationWorkflowState, busy: boolean, scope: RegistrationScope, actor: WorkflowActor): void {
  checkDrafter(actor, scope);
  if (state.phase !== 'draft') throw conflict(`只能提交草稿，当前状态为 ${state.status} / Only a draft can be submitted; this registration is ${state.status}`);
  if (busy) throw conflict(BUSY);
}

export function checkWithdraw(state: RegistrationWorkflowState, busy: boolean, scope: RegistrationScope, actor: WorkflowActor): void {
  checkDrafter(actor, scope);
  if (!WITHDRAWABLE_STATUSES.includes(state.status)) {
    throw conflict(`批准后不能撤回，当前状态为 ${state.status} / A registration cannot be withdrawn after approval; it is ${state.status}`);
  }
  if (busy) throw conflict(BUSY);
}
