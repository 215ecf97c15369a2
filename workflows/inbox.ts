/**
 * The registration workflow's messages: its Updates, signals and query, and the slots where an
 * accepted message waits for the process (registration.ts) to act on it. Validators run the
 * process rules (rules.ts) and admit one human message at a time. An Update's caller is answered
 * once the process has applied its message and is waiting again, so the answer shows the new step
 * (and the next task is already in the inbox) — or the refusal, when the decision's writes failed.
 */
import { condition, currentUpdateInfo, setHandler } from '@temporalio/workflow';
import { BUSY, decisionWhileOpeningRefusal, editVoidsSignature, type Refusal } from '../domain/process/rules';
import { addApproverRefusal } from '../domain/process/steps';
import { checkCompletion, checkSignedEdit, checkSubmit, checkWithdraw, enforce, failureOf } from './rules';
import {
  addApproverUpdate,
  type AddApproverInput,
  completeTaskUpdate,
  contentEditedSignal,
  editSignedContentUpdate,
  policiesChangedSignal,
  stateQuery,
  submitUpdate,
  withdrawUpdate,
  type CompleteTaskInput,
  type CompleteTaskResult,
  type DeadlinePolicy,
  DECIDED_UPDATES_KEPT,
  type DecidedUpdate,
  type DecidedUpdateKind,
  type RegistrationScope,
  type RegistrationWorkflowState,
  type SignedContentEditInput,
  type TaskStep,
  type WorkflowActor,
} from './shared';

/** An accepted message: its number (answers go by it) and the workflow time it arrived. */
export type Pending<T> = T & { seq: number; at: string };

const nowIso = () => new Date().toISOString();

export function upsertPolicy(state: RegistrationWorkflowState, policy: DeadlinePolicy) {
  state.policies = [...state.policies.filter((p) => p.step !== policy.step), policy];
}

/** The message this Update (by its id) already applied, when it is a retry of one. */
function decidedBefore<K extends DecidedUpdateKind>(state: RegistrationWorkflowState, kind: K): Extract<DecidedUpdate, { update?: K }> | null {
  const updateId = currentUpdateInfo()?.id;
  if (!updateId) return null;
  const found = state.decided?.find((d) => d.updateId === updateId && (d.update ?? 'completeTask') === kind);
  return (found as Extract<DecidedUpdate, { update?: K }> | undefined) ?? null;
}

/** Remembers the applied message's answer under its Update id (a retry with the key gets it, also in a later run). */
function rememberDecided(state: RegistrationWorkflowState, decided: DistributiveOmit<DecidedUpdate, 'updateId'>) {
  const updateId = currentUpdateInfo()?.id;
  if (!updateId) return;
  state.decided = [...(state.decided ?? []), { updateId, ...decided } as DecidedUpdate].slice(-DECIDED_UPDATES_KEPT);
}
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface Inbox {
  decision: Pending<CompleteTaskInput> | null;
  submission: Pending<{ actor: WorkflowActor }> | null;
  withdrawal: Pending<{ actor: WorkflowActor; reason: string | null }> | null;
  signedEdit: Pending<SignedContentEditInput> | null;
  /** 加签, waiting for the process. */
  addApprover: Pending<AddApproverInput> | null;
  /** Legacy: the signal histories from before editSignedContentUpdate still carry. */
  contentEdited: { actorId: number; reason: string; at: string } | null;
  policiesChanged: boolean;
  /**
   * The step whose tasks the workflow is opening: their rows are committed (users see them) before
   * the workflow has the activity's answer. A decision on them is admitted and waits for the opening.
   */
  opening: { step: TaskStep; round: number } | null;
  /** A human message is waiting for the process. */
  humanPending(): boolean;
  /** A human message is waiting, or one admitted during an opening waits for it (validators then answer "busy"). */
  busy(): boolean;
  /** Nothing waiting at all (the run may continue as new). */
  quiet(): boolean;
  /** The process has taken this message. */
  consume(message: { seq: number }): void;
  /** The process is waiting again: every message taken so far gets its answer. */
  settle(): void;
  /** The message's caller gets this refusal instead of an answer. */
  refuse(seq: number, refusal: Refusal): void;
}

/** Registers every handler of the workflow over `state`; answers the inbox the process reads. */
export function openInbox(state: RegistrationWorkflowState, scope: RegistrationScope): Inbox {
  let lastSeq = 0;
  let consumedSeq = 0;
  let settledSeq = 0;
  const refusals = new Map<number, Refusal>();
  /** Decisions admitted while their step was opening, waiting for it. */
  let waitingForOpening = 0;

  const inbox: Inbox = {
    decision: null,
    submission: null,
    withdrawal: null,
    signedEdit: null,
    addApprover: null,
    contentEdited: null,
    policiesChanged: false,
    opening: null,
    humanPending: () => inbox.decision !== null || inbox.submission !== null || inbox.withdrawal !== null || inbox.signedEdit !== null || inbox.addApprover !== null,
    busy: () => inbox.humanPending() || waitingForOpening > 0,
    quiet: () => !inbox.busy() && inbox.contentEdited === null && !inbox.policiesChanged,
    consume: (m) => {
      consumedSeq = Math.max(consumedSeq, m.seq);
    },
    settle: () => {
      settledSeq = consumedSeq;
    },
    refuse: (seq, refusal) => {
      refusals.set(seq, refusal);
    },
  };

  const afterSettled = async (seq: number) => {
    await condition(() => settledSeq >= seq);
    const refusal = refusals.get(seq);
    if (refusal) {
      refusals.delete(seq);
      throw failureOf(refusal);
    }
  };

  setHandler(stateQuery, () => state);

  setHandler(
    submitUpdate,
    async ({ actor }) => {
      // A retry of a submit already applied (same Update id, a later run): the state as it stands, nothing submitted again.
      if (decidedBefore(state, 'submit')) return state;
      const seq = ++lastSeq;
      inbox.submission = { actor, seq, at: nowIso() };
      await afterSettled(seq);
      rememberDecided(state, { update: 'submit', result: { status: state.status } });
      return state;
    },
    {
      validator: ({ actor }) => {
        if (decidedBefore(state, 'submit')) return;
        checkSubmit(state, inbox.busy(), scope, actor);
      },
    },
  );

  setHandler(
    withdrawUpdate,
    async ({ actor, reason }) => {
      if (decidedBefore(state, 'withdraw')) return state;
      const seq = ++lastSeq;
      inbox.withdrawal = { actor, reason: reason ?? null, seq, at: nowIso() };
      await afterSettled(seq);
      rememberDecided(state, { update: 'withdraw', result: { status: state.status } });
      return state;
    },
    {
      validator: ({ actor, reason }) => {
        if (decidedBefore(state, 'withdraw')) return;
        checkWithdraw(state, inbox.busy(), scope, actor, reason);
      },
    },
  );

  setHandler(
    completeTaskUpdate,
    async (req): Promise<CompleteTaskResult> => {
      // A retry of a decision already applied (same Update id): its first answer, nothing decided again.
      const earlier = decidedBefore(state, 'completeTask');
      if (earlier) return earlier.result;
      if (inbox.opening) {
        // Admitted while its step was opening: checked in full once the step's tasks are known.
        waitingForOpening++;
        await condition(() => inbox.opening === null);
        waitingForOpening--;
        checkCompletion(state, inbox.humanPending(), scope, req);
      }
      const seq = ++lastSeq;
      const step = state.openTask!.step;
      inbox.decision = { ...req, seq, at: nowIso() };
      await afterSettled(seq);
      const result: CompleteTaskResult = { taskId: req.taskId, step, action: req.action, status: state.status, nextTaskId: state.openTask?.taskId || null };
      rememberDecided(state, { result });
      return result;
    },
    {
      validator: (req) => {
        if (decidedBefore(state, 'completeTask')) return;
        const whileOpening = inbox.opening ? decisionWhileOpeningRefusal(inbox.opening, inbox.busy(), req) : undefined;
        if (whileOpening !== undefined) return enforce(whileOpening);
        checkCompletion(state, inbox.busy(), scope, req);
      },
    },
  );

  setHandler(
    editSignedContentUpdate,
    async (edit) => {
      const seq = ++lastSeq;
      inbox.signedEdit = { ...edit, seq, at: nowIso() };
      await afterSettled(seq);
      return { voidedSignature: editVoidsSignature(edit), status: state.status };
    },
    { validator: (edit) => checkSignedEdit(state, inbox.busy(), scope, edit) },
  );

  setHandler(
    addApproverUpdate,
    async (req) => {
      const earlier = decidedBefore(state, 'addApprover');
      if (earlier) return earlier.result;
      const seq = ++lastSeq;
      inbox.addApprover = { ...req, seq, at: nowIso() };
      await afterSettled(seq);
      const added = state.stepTasks?.tasks.find((t) => t.forTaskId === req.taskId && t.assigneeUserId === req.user.id);
      const result = { taskId: req.taskId, addedTaskId: added?.taskId ?? null, status: state.status };
      rememberDecided(state, { update: 'addApprover', result });
      return result;
    },
    {
      validator: (req) => {
        if (decidedBefore(state, 'addApprover')) return;
        if (inbox.busy()) enforce(BUSY);
        enforce(addApproverRefusal(state, scope, req));
      },
    },
  );

  setHandler(contentEditedSignal, (e) => {
    // Only a registration signed and awaiting the bureau goes back; before signing the edit is simply what gets signed.
    if (state.phase === 'bureau_approval') inbox.contentEdited = { ...e, at: nowIso() };
  });

  setHandler(policiesChangedSignal, ({ policies }) => {
    for (const p of policies) upsertPolicy(state, p);
    inbox.policiesChanged = true;
  });

  return inbox;
}
