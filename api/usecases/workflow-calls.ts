/**
 * Talking to a registration's workflow from the API: the actor as the workflow sees it, and the
 * translation of Temporal's answers into AppErrors (validator rejections → 403/409/400).
 */
import { WorkflowUpdateFailedError, WorkflowNotFoundError, WorkflowExecutionAlreadyStartedError, ApplicationFailure } from '@temporalio/client';
import { REJECTION, type WorkflowActor } from '../../workflows/shared';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';

export const workflowActorOf = (a: Actor): WorkflowActor => ({
  id: a.id,
  username: a.username,
  name: a.name,
  roles: [...a.roles],
  schoolId: a.schoolId,
  districtId: a.districtId,
});

const NO_PROCESS = '该登记没有进行中的审批流程 / This registration has no process running';

/** An AppError for what the workflow refused, or null when the error is not a refusal. */
export function refusalOf(err: unknown): AppError | null {
  if (err instanceof WorkflowNotFoundError) return AppError.conflict(NO_PROCESS);
  if (err instanceof WorkflowExecutionAlreadyStartedError) return AppError.conflict('该登记的审批流程已结束 / The process of this registration has ended');
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const f = err.cause;
    if (f.type === REJECTION.forbidden) return new AppError(403, 'forbidden', f.message);
    if (f.type === REJECTION.conflict) return AppError.conflict(f.message);
    if (f.type === REJECTION.invalid) return AppError.badRequest(f.message);
  }
  return null;
}

/** Runs a call to the workflow; refusals become AppErrors, anything else propagates (500). */
export async function callWorkflow<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw refusalOf(err) ?? err;
  }
}
