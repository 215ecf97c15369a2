/**
 * Talking to a registration's workflow from the API: the actor as the workflow sees it, and the
 * translation of Temporal's answers into AppErrors (validator rejections → 403/409/400).
 */
import { WorkflowUpdateFailedError, WorkflowNotFoundError, WorkflowExecutionAlreadyStartedError, ApplicationFailure } from '@temporalio/client';
import type { Refusal } from '../../domain/process/rules';
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

const STATUS_OF_REFUSAL = { forbidden: 403, conflict: 409, invalid: 400 } as const;

/** The process rules' refusal as the API answers it (the same message the workflow would give). */
export function appErrorOf(refusal: Refusal): AppError {
  const code = refusal.kind === 'invalid' ? 'bad_request' : refusal.kind;
  return new AppError(STATUS_OF_REFUSAL[refusal.kind], code, refusal.message, refusal.field ? { [refusal.field]: refusal.message } : undefined);
}

/** Throws the refusal as an AppError, if there is one. */
export function enforce(refusal: Refusal | null): void {
  if (refusal) throw appErrorOf(refusal);
}

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
