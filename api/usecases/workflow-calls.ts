/**
 * Talking to a registration's workflow from the API: the actor as the workflow sees it, and the
 * translation of Temporal's answers into AppErrors (validator rejections → 403/409/400).
 */
import { WorkflowUpdateFailedError, WorkflowNotFoundError, WorkflowExecutionAlreadyStartedError, ApplicationFailure, type Client } from '@temporalio/client';
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

/** How long one call to the workflow may take before the API answers anyway (503, or 202 for a decision). */
export const WORKFLOW_CALL_DEADLINE_MS = 6_000;
const PROBE_DEADLINE_MS = 1_500;

export const temporalUnavailable = () =>
  new AppError(503, 'workflow_unavailable', '审批流程服务暂时不可用，请稍后重试；本次操作未生效 / The workflow service is unavailable; nothing was changed, please try again later');

/**
 * The workflow service answered but the call did not finish in time (no worker, or a slow one).
 * A decision sent this way has reached its workflow and is applied once a worker picks it up.
 */
export class WorkflowBusyError extends AppError {
  constructor() {
    super(503, 'workflow_busy', '审批流程正忙，操作已送达、稍后生效 / The workflow is busy; the action was delivered and will take effect shortly');
  }
}

/** A deadline, a cancelled RPC or an unreachable server (as opposed to an answer). */
function isNoAnswer(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 4 || code === 14 || code === 1) return true; // gRPC DEADLINE_EXCEEDED, UNAVAILABLE, CANCELLED
    if (e.name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return true;
    if (/deadline exceeded|unavailable|ECONNREFUSED|failed to connect/i.test(e.message)) return true;
  }
  return false;
}

/** Does the workflow service answer at all (a short system-info call)? */
async function reachable(temporal: Client): Promise<boolean> {
  try {
    await temporal.withDeadline(Date.now() + PROBE_DEADLINE_MS, () => temporal.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a call to the workflow; refusals become AppErrors, anything else propagates (500). Given
 * the client, the call is bounded: when it gets no answer in time, a 503 says so if the service
 * is unreachable, else a WorkflowBusyError (callers acting on a decision turn it into a 202).
 */
export async function callWorkflow<T>(call: () => Promise<T>, temporal?: Client): Promise<T> {
  try {
    return temporal ? await temporal.withDeadline(Date.now() + WORKFLOW_CALL_DEADLINE_MS, call) : await call();
  } catch (err) {
    const refusal = refusalOf(err);
    if (refusal) throw refusal;
    if (temporal && isNoAnswer(err)) throw (await reachable(temporal)) ? new WorkflowBusyError() : temporalUnavailable();
    throw err;
  }
}
