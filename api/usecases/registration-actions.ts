/**
 * The drafter's actions on a registration's process — submit (the first one starts the workflow,
 * later ones resubmit after a return) and withdraw — and the process timeline (the workflow's
 * state query: current step, open task, step history).
 */
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client, type UpdateDefinition } from '@temporalio/client';
import { z } from 'zod';
import { drafterRefusal, registrationActionRefusal, type RegistrationAction } from '../../domain/process/rules';
import { findRegistration } from '../../domain/registrations/repository';
import type { Registration } from '../../domain/registrations/schema';
import { UUID_RE } from '../../domain/validation';
import {
  REGISTRATION_WORKFLOW_TYPE,
  registrationWorkflowId,
  stateQuery,
  submitUpdate,
  withdrawUpdate,
  type RegistrationWorkflowInput,
  type RegistrationWorkflowState,
  initialWorkflowState,
} from '../../workflows/shared';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { parseBody } from './input';
import { registrationScopeOf } from './scope';
import { readScopeFor } from './copies';
import { commentTimelineEntries, type CollabHistoryEntry } from './comments';
import { boundedCall, callWorkflow, enforce, orAnsweredByEndedProcess, workflowActorOf, WorkflowBusyError } from './workflow-calls';

const WHAT = '登记 / Registration';

async function registrationInScope(deps: Pick<AppDeps, 'db'>, actor: Actor, id: string): Promise<Registration> {
  if (!UUID_RE.test(id)) throw AppError.notFound(WHAT);
  const registration = await findRegistration(deps.db, id, registrationScopeOf(actor));
  if (!registration) throw AppError.notFound(WHAT);
  return registration;
}

/** `processing`: the message reached the workflow but was not applied in time (HTTP 202). */
export type RegistrationWithProcess = Registration & { process?: RegistrationWorkflowState; processing?: boolean; message?: string };

/**
 * Sends a drafter's message to the registration's workflow, starting it if this is the first
 * (update-with-start on the id `registration-<id>`): a submit or a withdrawal of a draft never
 * submitted starts it, a later one reaches the same workflow, so one registration never has two
 * processes. The workflow's validator decides; the early check here only keeps a process from
 * being started for someone who may not act at all. Sent with an Idempotency-Key, the message's
 * Update id derives from it, so a retry is the same Update and is answered, not applied, again.
 */
async function drafterMessage<Args extends [unknown, ...unknown[]]>(
  deps: Pick<AppDeps, 'db' | 'temporal' | 'config'>,
  registration: Registration,
  update: UpdateDefinition<RegistrationWorkflowState, Args>,
  args: (actor: ReturnType<typeof workflowActorOf>) => Args,
  actor: Actor,
  send: DrafterSend,
): Promise<RegistrationWorkflowState> {
  const workflowActor = workflowActorOf(actor);
  const temporal: Client = deps.temporal;
  const workflowId = registrationWorkflowId(registration.id);
  const updateId = send.updateId ? { updateId: send.updateId } : {};
  // A retry that meets the process ended is answered its final state, when that state shows it applied this Update.
  const orEnded = (call: () => Promise<RegistrationWorkflowState>) =>
    callWorkflow(() => orAnsweredByEndedProcess(temporal, workflowId, send.updateId, update.name === 'submit' ? 'submit' : 'withdraw', (_, finalState) => finalState, call), temporal);
  if (send.toRunningProcess) {
    // A keyed retry the registration's row no longer allows: its workflow, which knows the Update, answers it (never a new start).
    return orEnded(() => temporal.workflow.getHandle(workflowId).executeUpdate(update, { args: args(workflowActor), ...updateId }));
  }
  const school = await deps.db('schools').where({ id: registration.schoolId }).first('districtId');
  const input: RegistrationWorkflowInput = { registrationId: registration.id, schoolId: registration.schoolId, districtId: school.districtId, submittedBy: workflowActor };
  return orEnded(() =>
    temporal.workflow.executeUpdateWithStart(update, {
      args: args(workflowActor),
      ...updateId,
      startWorkflowOperation: new WithStartWorkflowOperation(REGISTRATION_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        // A finished process (withdrawn, rejected, closed) is never started again.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    }),
  );
}

/** How a drafter's message is sent: under its key's Update id, and whether only to a process already running. */
interface DrafterSend {
  updateId: string | null;
  toRunningProcess: boolean;
}

/**
 * The API's early check of a drafter's message. A keyed request the row no longer allows (409) may be
 * the retry of one already applied: the workflow has the last word on it, so only who may send it is checked here.
 */
function checkDrafterMessage(actor: Actor, action: RegistrationAction, registration: Registration, updateId: string | null): DrafterSend {
  const refusal = registrationActionRefusal(actor, action, registration);
  if (updateId !== null && refusal?.kind === 'conflict') {
    enforce(drafterRefusal(actor, registration));
    return { updateId, toRunningProcess: true };
  }
  enforce(refusal);
  return { updateId, toRunningProcess: false };
}

/** The registration after a drafter's message; delivered but not yet applied (no worker in time) is answered as processing (202), never a hang. */
async function afterDrafterMessage(deps: Pick<AppDeps, 'db'>, id: string, send: () => Promise<RegistrationWorkflowState>): Promise<RegistrationWithProcess> {
  try {
    const process = await send();
    return { ...(await findRegistration(deps.db, id))!, process };
  } catch (err) {
    if (err instanceof WorkflowBusyError) return { ...(await findRegistration(deps.db, id))!, processing: true, message: err.message };
    throw err;
  }
}

/** Submits a draft (the first submit starts the workflow; a later one resubmits after a return). */
export async function submitRegistration(deps: Pick<AppDeps, 'db' | 'temporal' | 'config'>, actor: Actor, id: string, updateId: string | null = null): Promise<RegistrationWithProcess> {
  const registration = await registrationInScope(deps, actor, id);
  const send = checkDrafterMessage(actor, 'submit', registration, updateId);
  return afterDrafterMessage(deps, id, () => drafterMessage(deps, registration, submitUpdate, (a) => [{ actor: a }] as [{ actor: typeof a }], actor, send));
}

export const withdrawBodySchema = z.object({ reason: z.string().trim().max(500).nullish() }).nullish();

/** Withdraws before approval, through the workflow in every case (a draft never submitted too). */
export async function withdrawRegistration(deps: Pick<AppDeps, 'db' | 'temporal' | 'config'>, actor: Actor, id: string, body: unknown, updateId: string | null = null): Promise<RegistrationWithProcess> {
  const reason = parseBody(withdrawBodySchema, body ?? {})?.reason ?? null;
  const registration = await registrationInScope(deps, actor, id);
  const send = checkDrafterMessage(actor, 'withdraw', registration, updateId);
  return afterDrafterMessage(deps, id, () =>
    drafterMessage(deps, registration, withdrawUpdate, (a) => [{ actor: a, reason }] as [{ actor: typeof a; reason: string | null }], actor, send),
  );
}

export interface Timeline extends Omit<RegistrationWorkflowState, 'history'> {
  /** The workflow's step history, with copies (抄送) and comments merged in by time. */
  history: (RegistrationWorkflowState['history'][number] | CollabHistoryEntry)[];
  registrationId: string;
  workflowId: string;
  /** False when the registration was never submitted (no process yet). */
  started: boolean;
}

/** The process as the workflow reports it: status, open task, step history. */
export async function registrationTimeline(deps: Pick<AppDeps, 'db' | 'temporal'>, actor: Actor, id: string): Promise<Timeline> {
  // Read-only: a user the registration was copied to reads it too.
  if (!UUID_RE.test(id)) throw AppError.notFound(WHAT);
  const registration = await findRegistration(deps.db, id, await readScopeFor(deps.db, actor, id));
  if (!registration) throw AppError.notFound(WHAT);
  const timeline = await processTimeline(deps, registration, id);
  // 抄送 and comments are not process decisions: they are merged in from their tables, in time order.
  const extra = await commentTimelineEntries(deps.db, id);
  if (extra.length) timeline.history = [...timeline.history, ...extra].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return timeline;
}

async function processTimeline(deps: Pick<AppDeps, 'db' | 'temporal'>, registration: Registration, id: string): Promise<Timeline> {
  const workflowId = registrationWorkflowId(id);
  try {
    const state = await boundedCall(deps.temporal, () => deps.temporal.workflow.getHandle(workflowId).query(stateQuery));
    return { registrationId: id, workflowId, started: true, ...state };
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  return {
    registrationId: id,
    workflowId,
    started: false,
    ...initialWorkflowState(),
    status: registration.status,
    phase: registration.status === 'goal_review' ? 'goal_report' : registration.status,
    runNumber: 0,
  };
}
