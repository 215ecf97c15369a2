/**
 * Talking to a registration's workflow from the API: the actor as the workflow sees it, and the
 * translation of Temporal's answers into AppErrors (validator rejections → 403/409/400).
 */
import { WorkflowUpdateFailedError, WorkflowNotFoundError, WorkflowExecutionAlreadyStartedError, ApplicationFailure, type Client } from '@temporalio/client';
import type { Refusal } from '../../domain/process/rules';
import { REJECTION, type DecidedUpdate, type DecidedUpdateKind, type RegistrationWorkflowState, type WorkflowActor } from '../../workflows/shared';
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

/**
 * How long one call to the workflow may take before the API answers anyway: a decision that has
 * reached its workflow but is not applied by then is answered 202 (processing).
 */
export const WORKFLOW_CALL_DEADLINE_MS = 15_000;
/** While a call is pending, the service is probed this often; unreachable ends the call at once with a 503. */
const PROBE_EVERY_MS = 3_000;

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

/** Settles by `ms` at the latest, whatever the SDK's retries do meanwhile. */
function within<T>(ms: number, promise: Promise<T>, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Does the workflow service answer at all (a short system-info call)? */
async function reachable(temporal: Client): Promise<boolean> {
  try {
    const probe = temporal.withDeadline(Date.now() + PROBE_EVERY_MS, () => temporal.workflowService.getSystemInfo({}));
    await within(PROBE_EVERY_MS, probe, () => new Error('probe timed out'));
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a call to Temporal with bounds: a deadline, and a probe of the service while the call is
 * pending. No answer becomes a 503 (service unreachable: found within seconds) or a
 * WorkflowBusyError (reachable, but the call did not finish by the deadline); answers, refusals
 * included, pass through untouched. The SDK's own call is cancelled when the API stops waiting.
 */
export async function boundedCall<T>(temporal: Client, call: () => Promise<T>): Promise<T> {
  const abort = new AbortController();
  let giveUp: (err: Error) => void = () => undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    giveUp = reject;
  });
  // Set up outside the call's scope, so the probes carry neither its deadline nor its abort signal.
  const probes = setInterval(() => {
    void reachable(temporal).then((ok) => {
      if (!ok) giveUp(temporalUnavailable());
    });
  }, PROBE_EVERY_MS);
  const pending = temporal.withAbortSignal(abort.signal, () => temporal.withDeadline(Date.now() + WORKFLOW_CALL_DEADLINE_MS, call));
  pending.catch(() => undefined); // settled after we stop waiting: nobody listens any more
  try {
    return await within(WORKFLOW_CALL_DEADLINE_MS, Promise.race([pending, gaveUp]), () => Object.assign(new Error('deadline exceeded'), { code: 4 }));
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (isNoAnswer(err)) throw (await reachable(temporal)) ? new WorkflowBusyError() : temporalUnavailable();
    throw err;
  } finally {
    clearInterval(probes);
    abort.abort();
  }
}

/**
 * Runs a call to the workflow; refusals become AppErrors, anything else propagates (500). Given
 * the client, the call is bounded (see boundedCall); callers acting on a decision turn a
 * WorkflowBusyError into a 202.
 */
export async function callWorkflow<T>(call: () => Promise<T>, temporal?: Client): Promise<T> {
  try {
    return temporal ? await boundedCall(temporal, call) : await call();
  } catch (err) {
    throw refusalOf(err) ?? err;
  }
}

/**
 * Sends a keyed message (`call`) to a registration's workflow; when the process has ended, a retry is
 * answered from what it did. Temporal answers an Update the last run applied by itself; one applied in
 * an earlier run (before a continue-as-new) is found in the final state's record of applied messages
 * (`decided`), and `answer` turns it into the call's result. Otherwise the error stands (409).
 */
export async function orAnsweredByEndedProcess<K extends DecidedUpdateKind, T>(
  temporal: Client,
  workflowId: string,
  updateId: string | null,
  kind: K,
  answer: (decided: Extract<DecidedUpdate, { update?: K }>, finalState: RegistrationWorkflowState) => T,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!updateId || !(err instanceof WorkflowNotFoundError || err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const handle = temporal.workflow.getHandle(workflowId);
    const description = await handle.describe().catch(() => null);
    if (description?.status.name !== 'COMPLETED') throw err;
    const finalState = (await handle.result()) as RegistrationWorkflowState;
    const decided = finalState.decided?.find((d) => d.updateId === updateId && (d.update ?? 'completeTask') === kind);
    if (!decided) throw err;
    return answer(decided as Extract<DecidedUpdate, { update?: K }>, finalState);
  }
}
