/**
 * The drafter's actions on a registration's process — submit (the first one starts the workflow,
 * later ones resubmit after a return) and withdraw — and the process timeline (the workflow's
 * state query: current step, open task, step history).
 */
import { WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { appendAuditEvent } from '../../domain/audit';
import { findRegistration, lockRegistration } from '../../domain/registrations/repository';
import type { Registration } from '../../domain/registrations/schema';
import { UUID_RE } from '../../domain/validation';
import {
  REGISTRATION_WORKFLOW_TYPE,
  registrationWorkflowId,
  stateQuery,
  submitUpdate,
  WITHDRAWABLE_STATUSES,
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
import { boundedCall, callWorkflow, workflowActorOf, WorkflowBusyError } from './workflow-calls';

const WHAT = '登记 / Registration';

async function registrationInScope(deps: Pick<AppDeps, 'db'>, actor: Actor, id: string): Promise<Registration> {
  if (!UUID_RE.test(id)) throw AppError.notFound(WHAT);
  const registration = await findRegistration(deps.db, id, registrationScopeOf(actor));
  if (!registration) throw AppError.notFound(WHAT);
  return registration;
}

function checkDrafter(actor: Actor, registration: Registration) {
  if (!actor.roles.includes('school_staff') || actor.schoolId !== registration.schoolId) {
    throw AppError.forbidden('只有牵头学校的经办人可以提交或撤回 / Only the lead school\'s staff may submit or withdraw');
  }
}

/** `processing`: the submit reached the workflow but was not applied in time (HTTP 202). */
export type RegistrationWithProcess = Registration & { process?: RegistrationWorkflowState; processing?: boolean; message?: string };

/**
 * Submits a draft. Update-with-start on the workflow id `registration-<id>`: the first submit
 * starts the workflow, a later one reaches the same workflow (waiting in draft after a return),
 * so a repeated submit never starts a second process.
 */
export async function submitRegistration(deps: Pick<AppDeps, 'db' | 'temporal' | 'config'>, actor: Actor, id: string): Promise<RegistrationWithProcess> {
  const registration = await registrationInScope(deps, actor, id);
  checkDrafter(actor, registration);
  if (registration.status !== 'draft') {
    throw AppError.conflict(`只能提交草稿，当前状态为 ${registration.status} / Only a draft can be submitted; this registration is ${registration.status}`);
  }
  const school = await deps.db('schools').where({ id: registration.schoolId }).first('districtId');
  const workflowActor = workflowActorOf(actor);
  const input: RegistrationWorkflowInput = { registrationId: id, schoolId: registration.schoolId, districtId: school.districtId, submittedBy: workflowActor };
  let process: RegistrationWorkflowState;
  try {
    process = await callWorkflow(
      () =>
        deps.temporal.workflow.executeUpdateWithStart(submitUpdate, {
      args: [{ actor: workflowActor }],
      startWorkflowOperation: new WithStartWorkflowOperation(REGISTRATION_WORKFLOW_TYPE, {
        workflowId: registrationWorkflowId(id),
        taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        // A finished process (withdrawn, rejected, closed) is never started again.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    }),
      deps.temporal,
    );
  } catch (err) {
    // Delivered but not yet applied (no worker in time): answered as processing (202), never a hang.
    if (err instanceof WorkflowBusyError) return { ...(await findRegistration(deps.db, id))!, processing: true, message: err.message };
    throw err;
  }
  return { ...(await findRegistration(deps.db, id))!, process };
}

export const withdrawBodySchema = z.object({ reason: z.string().trim().max(500).nullish() }).nullish();

/** Withdraws before approval; a draft never submitted has no process and is withdrawn directly. */
export async function withdrawRegistration(deps: Pick<AppDeps, 'db' | 'temporal'>, actor: Actor, id: string, body: unknown): Promise<Registration & { process?: RegistrationWorkflowState }> {
  const reason = parseBody(withdrawBodySchema, body ?? {})?.reason ?? null;
  const registration = await registrationInScope(deps, actor, id);
  checkDrafter(actor, registration);
  if (!WITHDRAWABLE_STATUSES.includes(registration.status)) {
    throw AppError.conflict(`批准后不能撤回，当前状态为 ${registration.status} / A registration cannot be withdrawn after approval; it is ${registration.status}`);
  }
  const handle = deps.temporal.workflow.getHandle(registrationWorkflowId(id));
  try {
    const process = await callWorkflow(() => handle.executeUpdate(withdrawUpdate, { args: [{ actor: workflowActorOf(actor), reason }] }), deps.temporal);
    return { ...(await findRegistration(deps.db, id))!, process };
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500 || !(await neverSubmitted(deps, id))) throw err;
  }
  await deps.db.transaction(async (trx) => {
    const locked = await lockRegistration(trx, id, registrationScopeOf(actor));
    if (!locked || locked.status !== 'draft') throw AppError.conflict('登记状态已变化，请刷新 / The registration changed; reload');
    await trx('registrations').where({ id }).update({ status: 'withdrawn', currentStep: null, closedAt: trx.fn.now(), updatedAt: trx.fn.now() });
    await appendAuditEvent(trx, { action: 'registration.withdrawn', actorId: actor.id, actorName: actor.name, registrationId: id, details: { reason, submitted: false } });
  });
  return (await findRegistration(deps.db, id))!;
}

async function neverSubmitted(deps: Pick<AppDeps, 'temporal'>, id: string): Promise<boolean> {
  try {
    await boundedCall(deps.temporal, () => deps.temporal.workflow.getHandle(registrationWorkflowId(id)).describe());
    return false;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return true;
    throw err;
  }
}

export interface Timeline extends RegistrationWorkflowState {
  registrationId: string;
  workflowId: string;
  /** False when the registration was never submitted (no process yet). */
  started: boolean;
}

/** The process as the workflow reports it: status, open task, step history. */
export async function registrationTimeline(deps: Pick<AppDeps, 'db' | 'temporal'>, actor: Actor, id: string): Promise<Timeline> {
  const registration = await registrationInScope(deps, actor, id);
  const workflowId = registrationWorkflowId(id);
  try {
    // No answer in time (service down, or no worker to answer the query): a bounded 503, never a hang.
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
