/**
 * 加签 (POST /api/tasks/:id/add-approver): the holder of an open task adds an approver before or
 * after themselves. Checked here as far as the database knows (the task in scope and theirs, the
 * user exists, is active, holds the step's role in its scope); the workflow's validator, over the
 * step's own state, has the last word (open, not a duplicate, within the bound).
 */
import { z } from 'zod';
import { addApproverRefusal, stepUserRefusal } from '../../domain/process/steps';
import { taskActionRefusal } from '../../domain/process/rules';
import type { Db } from '../../db/connection';
import { ADD_APPROVER_POSITIONS, addApproverUpdate, registrationWorkflowId, STEP_RULES, type AddApproverResult, type TaskStep } from '../../workflows/shared';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { parseBody } from './input';
import { getTask } from './tasks';
import { callWorkflow, enforce, orAnsweredByEndedProcess, workflowActorOf, WorkflowBusyError } from './workflow-calls';
import type { Task } from '../../domain/tasks/repository';

export const addApproverBodySchema = z.object({
  userId: z.number({ message: '请选择加签人 / Choose the user to add' }).int().positive(),
  position: z.enum(ADD_APPROVER_POSITIONS, { message: '加签位置须为 before 或 after / position must be before or after' }),
  reason: z.string({ message: '请填写加签理由 / A reason is required' }).trim().min(1, '请填写加签理由 / A reason is required').max(500),
});

async function userToAdd(db: Db, userId: number) {
  const user = await db('users').where({ id: userId }).first('id', 'name', 'roles', 'schoolId', 'districtId', 'active');
  if (!user) throw AppError.badRequest('加签人不存在 / No such user', { userId: '用户不存在 / No such user' });
  return user as { id: number; name: string; roles: string[]; schoolId: number | null; districtId: number | null; active: boolean };
}

export async function addApprover(
  deps: Pick<AppDeps, 'db' | 'temporal'>,
  actor: Actor,
  id: string,
  rawBody: unknown,
  /** The request's stable Update id (from its Idempotency-Key): a retry reaches the workflow as the same Update. */
  updateId: string | null = null,
): Promise<Task & { result: AddApproverResult | null; processing?: boolean; message?: string }> {
  const { db, temporal } = deps;
  const task = await getTask(db, actor, id);
  const body = parseBody(addApproverBodySchema, rawBody);
  // A keyed retry of a 加签 that may have been applied (before: the task now waits): the workflow knows its Updates and answers it.
  const retryOfApplied = updateId !== null && task.status !== 'open';
  enforce(taskActionRefusal(actor, retryOfApplied ? { ...task, status: 'open', claimedBy: null } : task));
  const user = await userToAdd(db, body.userId);
  const scope = { schoolId: task.schoolId ?? -1, districtId: task.districtId ?? -1 };
  enforce(stepUserRefusal(task.step as TaskStep, user, scope));
  // The same rule the workflow runs, over the task row alone (the step's other tasks are the workflow's to know).
  enforce(addApproverRefusal({ phase: task.step, openTask: { taskId: task.id, step: task.step } }, scope, { taskId: task.id, actor, user, position: body.position, reason: body.reason }));
  let result: AddApproverResult;
  try {
    const workflowId = registrationWorkflowId(task.registrationId);
    result = await callWorkflow(
      () =>
        orAnsweredByEndedProcess(temporal, workflowId, updateId, 'addApprover', (decided) => decided.result, () =>
          temporal.workflow.getHandle(workflowId).executeUpdate(addApproverUpdate, {
            args: [{ taskId: id, actor: workflowActorOf(actor), user: { id: user.id, name: user.name, roles: user.roles, schoolId: user.schoolId, districtId: user.districtId }, position: body.position, reason: body.reason }],
            ...(updateId ? { updateId } : {}),
          }),
        ),
      temporal,
    );
  } catch (err) {
    if (err instanceof WorkflowBusyError) return { ...(await getTask(db, actor, id)), result: null, processing: true, message: err.message };
    throw err;
  }
  return { ...(await getTask(db, actor, id)), result };
}

/** Who may be added to a task (加签): active users holding its step's role in its scope, the caller excepted. */
export async function approverCandidates(db: Db, actor: Actor, id: string): Promise<{ id: number; name: string; username: string }[]> {
  const task = await getTask(db, actor, id);
  const rule = STEP_RULES[task.step as TaskStep];
  const q = db('users').where({ active: true }).whereRaw('? = any(roles)', [rule.role]).whereNot('id', actor.id);
  if (rule.scope === 'school') q.where('schoolId', task.schoolId ?? -1);
  else q.where('districtId', task.districtId ?? -1);
  return q.orderBy('name').limit(200).select('id', 'name', 'username');
}
