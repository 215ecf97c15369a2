/**
 * The workflow's side of the process rules (domain/process): each Update validator runs the
 * rule and throws its refusal as a non-retryable ApplicationFailure, whose type tells the API which
 * status to answer (403 actor, 409 state, 400 input). A thrown validator keeps the update out of history.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import {
  completionRefusal,
  refuse,
  signedEditRefusal,
  submitRefusal,
  withdrawRefusal,
  type Refusal,
  type RefusalKind,
} from '../domain/process/rules';
import type { CompleteTaskInput, RegistrationScope, RegistrationWorkflowState, SignedContentEditInput, WorkflowActor } from '../domain/process/vocabulary';
import { REJECTION } from './shared';

export type { RegistrationScope } from '../domain/process/vocabulary';

export const failureOf = (r: Refusal) => ApplicationFailure.create({ type: REJECTION[r.kind], message: r.message, nonRetryable: true });

/** Throws the refusal, if there is one. */
export function enforce(refusal: Refusal | null): void {
  if (refusal) throw failureOf(refusal);
}

const failure = (kind: RefusalKind) => (message: string) => ApplicationFailure.create({ type: REJECTION[kind], message, nonRetryable: true });
export const forbidden = failure('forbidden');
export const conflict = failure('conflict');
export const invalid = failure('invalid');
export { refuse };

export const checkCompletion = (state: RegistrationWorkflowState, busy: boolean, scope: RegistrationScope, req: CompleteTaskInput) =>
  enforce(completionRefusal(state, busy, scope, req));
export const checkSubmit = (state: RegistrationWorkflowState, busy: boolean, scope: RegistrationScope, actor: WorkflowActor) =>
  enforce(submitRefusal(state, busy, scope, actor));
export const checkWithdraw = (state: RegistrationWorkflowState, busy: boolean, scope: RegistrationScope, actor: WorkflowActor, reason?: unknown) =>
  enforce(withdrawRefusal(state, busy, scope, actor, reason));
export const checkSignedEdit = (state: RegistrationWorkflowState, busy: boolean, scope: RegistrationScope, edit: SignedContentEditInput) =>
  enforce(signedEditRefusal(state, busy, scope, edit.actor, edit.content));
