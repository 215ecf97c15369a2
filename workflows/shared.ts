/**
 * The workflow's message definitions (updates, signals, query), its task queue and id, and the
 * failure types its validators throw. The process vocabulary itself lives in domain/process and
 * is re-exported here so that code importing it from this file keeps compiling.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RefusalKind } from '../domain/process/rules';
import type {
  AddApproverInput,
  AddApproverResult,
  CompleteTaskInput,
  CompleteTaskResult,
  DeadlinePolicy,
  RegistrationWorkflowState,
  SignedContentEditInput,
  SignedContentEditResult,
  WorkflowActor,
} from '../domain/process/vocabulary';

export * from '../domain/process/vocabulary';

export const DEFAULT_TASK_QUEUE = 'registrations';
export const registrationWorkflowId = (registrationId: string) => `registration-${registrationId}`;
export const REGISTRATION_WORKFLOW_TYPE = 'registrationWorkflow';

/**
 * Failure types a validator throws (ApplicationFailure.type), one per refusal kind, so the API can
 * answer the right code: the actor may not do this (403), the process is not in a state that
 * allows it (409), the input is bad (400).
 */
export const REJECTION = {
  forbidden: 'ActionForbidden',
  conflict: 'ActionNotAllowedNow',
  invalid: 'ActionInvalid',
} as const satisfies Record<RefusalKind, string>;

/** A human decision on the open task. The validator rejects wrong step, wrong actor, wrong action. */
export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskInput]>('completeTask');
/**
 * The drafter submits. The first submit starts the workflow (update-with-start); after a return
 * the workflow waits in `draft` for this update again.
 */
export const submitUpdate = defineUpdate<RegistrationWorkflowState, [{ actor: WorkflowActor }]>('submit');
/** @deprecated the same update as submitUpdate (the first submit and a resubmit are one message). */
export const resubmitUpdate = submitUpdate;
/** The drafter withdraws before approval; a never-submitted draft too (update-with-start, like submit). */
export const withdrawUpdate = defineUpdate<RegistrationWorkflowState, [{ actor: WorkflowActor; reason?: string | null }]>('withdraw');
/**
 * The drafter edits a signed registration awaiting the bureau. The validator refuses it once the
 * workflow has left bureau_approval; the activity writes the content and, when what was signed
 * changed, voids the signature and sends the registration back to signing.
 */
export const editSignedContentUpdate = defineUpdate<SignedContentEditResult, [SignedContentEditInput]>('editSignedContent');
/**
 * @deprecated Only for workflows that received it before editSignedContentUpdate existed (their
 * histories replay it); nothing sends it any more.
 */
export const contentEditedSignal = defineSignal<[{ actorId: number; reason: string }]>('contentEdited');
/** Administrators changed deadline policies: open timers move to the new due times. */
export const policiesChangedSignal = defineSignal<[{ policies: DeadlinePolicy[] }]>('policiesChanged');
export const stateQuery = defineQuery<RegistrationWorkflowState>('state');
/** 加签: the holder of an open task adds an approver before or after themselves. */
export const addApproverUpdate = defineUpdate<AddApproverResult, [AddApproverInput]>('addApprover');
