/**
 * The inbox: list, read, claim, unclaim and complete tasks. Completing checks the scope and the
 * claim here, then sends the decision to the registration's workflow as an Update; the workflow's
 * validator has the last word (two users completing one task at once: exactly one is admitted).
 */
import { z } from 'zod';
import { appendAuditEvent } from '../../domain/audit';
import { prepareSignature } from '../../domain/signing/index';
import { actionAtStepRefusal, taskActionRefusal, textRefusal } from '../../domain/process/rules';
import { returnTargetRefusal } from '../../domain/process/steps';
import { ACTION_PAYLOADS, checkPayload, type ActionPayload } from '../../domain/process/payloads';
import { claimTask, findTask, listTasks, TASK_VIEWS, unclaimTask, type Task, type TaskFilter } from '../../domain/tasks/repository';
import { UUID_RE } from '../../domain/validation';
import type { Db } from '../../db/connection';
import {
  ACTIONS_REQUIRING_COMMENT,
  completeTaskUpdate,
  registrationWorkflowId,
  TASK_ACTIONS,
  TASK_STATUSES,
  TASK_STEPS,
  type CompleteTaskResult,
  type TaskAction,
} from '../../workflows/shared';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { ROLES } from '../rights';
import { oneOrMany, type ListQuery } from '../simple-rest';
import { parseBody } from './input';
import { decisionAccepted } from '../metrics';
import { callWorkflow, enforce, orAnsweredByEndedProcess, workflowActorOf, WorkflowBusyError } from './workflow-calls';
import { listCopiedTasks } from './copies';

const WHAT = '任务 / Task';
const uuid = z.string().regex(UUID_RE, '不是有效的编号 / Not a valid id');
const flag = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

export const taskFilterSchema = z.strictObject({
  id: oneOrMany(uuid).optional(),
  mine: flag.optional(),
  role: z.enum(ROLES).optional(),
  step: oneOrMany(z.enum(TASK_STEPS)).optional(),
  overdue: flag.optional(),
  schoolId: oneOrMany(z.coerce.number().int().positive()).optional(),
  status: oneOrMany(z.enum(TASK_STATUSES)).optional(),
  registrationId: uuid.optional(),
  q: z.string().max(100).optional(),
  view: z.enum(TASK_VIEWS).optional(),
});

export function listTasksFor(db: Db, actor: Actor, list: ListQuery<TaskFilter>) {
  // 抄送我的: registrations copied to the caller, wherever they are (api/usecases/copies.ts).
  if (list.filter.view === 'copied') return listCopiedTasks(db, actor, list);
  return listTasks(db, actor, list);
}

export async function getTask(db: Db, actor: Actor, id: string): Promise<Task> {
  if (!UUID_RE.test(id)) throw AppError.notFound(WHAT);
  const task = await findTask(db, id, actor);
  if (!task) throw AppError.notFound(WHAT);
  return task;
}

/** The process rule for acting on a task as its row shows it (role and scope, open, not claimed by another). */
const checkMayActOn = (actor: Actor, task: Task) => enforce(taskActionRefusal(actor, task));

/** Takes the task so that others see it is being handled. DB-atomic: of two claimants exactly one wins. */
export async function claim(db: Db, actor: Actor, id: string): Promise<Task> {
  const task = await getTask(db, actor, id);
  checkMayActOn(actor, task);
  await db.transaction(async (trx) => {
    if (!(await claimTask(trx, id, actor.id))) {
      throw AppError.conflict('任务已被他人认领 / Someone else has claimed this task');
    }
    if (task.claimedBy !== actor.id) {
      await appendAuditEvent(trx, { action: 'task.claimed', actorId: actor.id, actorName: actor.name, registrationId: task.registrationId, details: { taskId: id, step: task.step } });
    }
  });
  return getTask(db, actor, id);
}

export async function unclaim(db: Db, actor: Actor, id: string): Promise<Task> {
  const task = await getTask(db, actor, id);
  // Releasing one's own claim: the task rule without the "claimed by another" part (unclaimTask answers that).
  checkMayActOn(actor, { ...task, claimedBy: null });
  await db.transaction(async (trx) => {
    if (!(await unclaimTask(trx, id, actor.id))) {
      throw AppError.conflict('您没有认领此任务 / You have not claimed this task');
    }
    await appendAuditEvent(trx, { action: 'task.unclaimed', actorId: actor.id, actorName: actor.name, registrationId: task.registrationId, details: { taskId: id, step: task.step } });
  });
  return getTask(db, actor, id);
}

// --- complete ------------------------------------------------------------------------------------


export const completeBodySchema = z
  .object({
    action: z.enum(TASK_ACTIONS),
    comment: z.string().trim().max(2000).nullish(),
    payload: z.record(z.string(), z.unknown()).nullish(),
  })
  .superRefine((b, ctx) => {
    if (ACTIONS_REQUIRING_COMMENT.includes(b.action) && !b.comment) {
      ctx.addIssue({ code: 'custom', path: ['comment'], message: '退回或不予批准须填写理由 / A return or rejection needs a comment' });
    }
  });
export type CompleteBody = z.infer<typeof completeBodySchema>;

/** Each goal of the registration exactly once. */
async function checkCoversGoals(db: Db, registrationId: string, goalIds: string[], field: string): Promise<void> {
  const goals = (await db('goals').where({ registrationId }).pluck('id')) as string[];
  const unknown = goalIds.filter((g) => !goals.includes(g));
  const missing = goals.filter((g) => !goalIds.includes(g));
  const duplicated = goalIds.length !== new Set(goalIds).size;
  if (unknown.length || missing.length || duplicated) {
    throw AppError.badRequest('须对每项目标各填一次 / Every goal of the registration, each once', {
      [field]: unknown.length
        ? `不属于本登记的目标 / Goals not in this registration: ${unknown.join(', ')}`
        : duplicated
          ? '目标重复 / A goal appears twice'
          : `缺少目标 / Missing goals: ${missing.join(', ')}`,
    });
  }
}

/** The payload the workflow receives, checked against the registration (and for `sign`, the stored signature image). */
async function workflowPayload(db: Db, actor: Actor, task: Task, body: CompleteBody): Promise<Record<string, unknown>> {
  // The action's shape (domain/process/payloads.ts, as the workflow checks it): field errors under payload.*.
  const parse = <A extends TaskAction>(action: A): ActionPayload<A> => {
    const checked = checkPayload(ACTION_PAYLOADS, action, body.payload);
    if (!checked.ok) throw AppError.badRequest('输入有误 / Invalid input', checked.errors);
    return checked.payload as ActionPayload<A>;
  };
  switch (body.action) {
    case 'opinion':
      return parse('opinion');
    case 'sign': {
      const { signatureImage } = parse('sign');
      const prepared = await prepareSignature(db, { registrationId: task.registrationId, actor: workflowActorOf(actor), signatureImage });
      return { signatureFileId: prepared.signatureFileId, stampFileId: prepared.stampFileId };
    }
    case 'report': {
      const p = parse('report');
      await checkCoversGoals(db, task.registrationId, p.goals.map((g) => g.goalId), 'payload.goals');
      const evidence = [...new Set(p.goals.flatMap((g) => g.evidenceFileIds))];
      if (evidence.length) {
        const found = (await db('files').whereIn('id', evidence).where((w) => w.where({ schoolId: task.schoolId }).orWhereNull('schoolId')).pluck('id')) as string[];
        const absent = evidence.filter((f) => !found.includes(f));
        if (absent.length) throw AppError.badRequest('佐证材料不存在 / Evidence files not found', { 'payload.goals': `不存在的文件 / Unknown files: ${absent.join(', ')}` });
      }
      return p;
    }
    case 'rate': {
      const p = parse('rate');
      await checkCoversGoals(db, task.registrationId, p.ratings.map((r) => r.goalId), 'payload.ratings');
      return p;
    }
    case 'return': {
      // 退回到: the drafter (default) or an earlier step of the chain.
      // Where this step may return to is said first (it names the targets); then the shape.
      enforce(returnTargetRefusal(task.step, body.payload?.toStep));
      const { toStep } = parse('return');
      return toStep ? { toStep } : {};
    }
    case 'approve':
    case 'reject':
      return parse(body.action);
  }
}

export interface CompletedTask extends Task {
  /** Null while the decision is still processing. */
  result: CompleteTaskResult | null;
  /** True when the decision was delivered but its workflow has not applied it yet (HTTP 202). */
  processing?: boolean;
  message?: string;
}

/** A decision sent and answered: the workflow's result, or null when it was delivered but not yet applied. */
export interface TaskDecision {
  result: CompleteTaskResult | null;
  busy?: WorkflowBusyError;
}

/**
 * Decides a task without reading it back afterwards: scope and claim checked here, the decision sent
 * to the workflow as an Update. 404 outside the scope, 403 not this actor's step, 409 no longer open.
 * A bulk job's items stop here; a single decision (completeTask) answers the task as it then stands.
 */
export async function decideTask(
  deps: Pick<AppDeps, 'db' | 'temporal'>,
  actor: Actor,
  id: string,
  rawBody: unknown,
  /** The decision's stable Update id (from its Idempotency-Key): a retry reaches the workflow as the same Update. */
  updateId: string | null = null,
): Promise<TaskDecision> {
  const { db, temporal } = deps;
  const task = await getTask(db, actor, id);
  const body = parseBody(completeBodySchema, rawBody);
  // A keyed retry of a decision that may have been applied already (the API failed before answering):
  // the workflow knows its Updates, so it answers — the first result, or "no longer open" if this was not it.
  const retryOfApplied = updateId !== null && task.status === 'done';
  // The claim is the inbox's own matter (the workflow knows no claims); the step's role, action and input are the workflow's to judge.
  checkMayActOn(actor, retryOfApplied ? { ...task, status: 'open', claimedBy: null } : task);
  // Checked before the payload is prepared: a `sign` stores its image, and a refused request must store nothing.
  enforce(actionAtStepRefusal(task.step, body.action));
  enforce(textRefusal(body.comment ?? null, 'comment') ?? textRefusal(body.payload ?? null, 'payload'));
  // Nothing is prepared (no signature stored again) for a decision the workflow may already hold.
  const payload = retryOfApplied ? {} : await workflowPayload(db, actor, task, body);
  let result: CompleteTaskResult;
  try {
    const workflowId = registrationWorkflowId(task.registrationId);
    result = await callWorkflow(
      () =>
        orAnsweredByEndedProcess(temporal, workflowId, updateId, 'completeTask', (decided) => decided.result, () =>
          temporal.workflow.getHandle(workflowId).executeUpdate(completeTaskUpdate, {
            args: [{ taskId: id, action: body.action, comment: body.comment ?? null, payload, actor: workflowActorOf(actor) }],
            ...(updateId ? { updateId } : {}),
          }),
        ),
      temporal,
    );
  } catch (err) {
    // Delivered but not yet applied (the worker is slow or away): the caller answers it as processing, never a hang.
    if (err instanceof WorkflowBusyError) return { result: null, busy: err };
    throw err;
  }
  decisionAccepted(task.step, body.action);
  return { result };
}

/**
 * Acts on a task (decideTask) and answers the task as it stands afterwards; 202 (processing) when
 * the decision was delivered but its workflow has not applied it yet.
 */
export async function completeTask(
  deps: Pick<AppDeps, 'db' | 'temporal'>,
  actor: Actor,
  id: string,
  rawBody: unknown,
  updateId: string | null = null,
): Promise<CompletedTask> {
  const decision = await decideTask(deps, actor, id, rawBody, updateId);
  const task = await getTask(deps.db, actor, id);
  if (decision.busy) return { ...task, result: null, processing: true, message: decision.busy.message };
  return { ...task, result: decision.result };
}

// --- bulk ----------------------------------------------------------------------------------------

export const bulkBodySchema = z.object({
  ids: z.array(uuid).min(1).max(100),
  action: z.enum(TASK_ACTIONS),
  comment: z.string().trim().max(2000).nullish(),
  payload: z.record(z.string(), z.unknown()).nullish(),
});

export interface BulkItemResult {
  id: string;
  ok: boolean;
  status: number;
  code?: string;
  message?: string;
  errors?: Record<string, string>;
  task?: CompletedTask;
}

const BULK_PARALLELISM = 4;

/** Completes each task on its own: one failure never stops the others. Answers one result per id, in order. */
export async function completeTasksInBulk(
  deps: Pick<AppDeps, 'db' | 'temporal' | 'logger'>,
  actor: Actor,
  rawBody: unknown,
): Promise<{ results: BulkItemResult[]; succeeded: number; failed: number }> {
  const body = parseBody(bulkBodySchema, rawBody);
  const ids = [...new Set(body.ids)];
  const results: BulkItemResult[] = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const i = next++;
      const id = ids[i];
      try {
        const task = await completeTask(deps, actor, id, { action: body.action, comment: body.comment, payload: body.payload });
        results[i] = { id, ok: true, status: task.processing ? 202 : 200, task };
      } catch (err) {
        if (err instanceof AppError) {
          results[i] = { id, ok: false, status: err.status, code: err.code, message: err.message, ...(err.errors ? { errors: err.errors } : {}) };
        } else {
          deps.logger.error({ err, taskId: id }, 'bulk complete failed');
          results[i] = { id, ok: false, status: 500, code: 'internal', message: '服务器内部错误 / Internal server error' };
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_PARALLELISM, ids.length) }, worker));
  const succeeded = results.filter((r) => r.ok).length;
  return { results, succeeded, failed: results.length - succeeded };
}
