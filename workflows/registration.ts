/**
 * One registration's whole process, from the first submit to closed:
 *
 *   draft → lead_school_opinion → principal_signature → bureau_approval → active
 *         → goal_report → goal_rating → closed (pass / conditional)
 *                                     → rectification → goal_report → goal_rating → closed (any rating)
 *
 * Any reviewing step can return to draft (the drafter resubmits, a new round begins), the bureau
 * can reject, the drafter can withdraw before approval, and an edit of signed content sends a
 * registration awaiting bureau approval back to signing. Human decisions arrive as Updates whose
 * validators (rules.ts) refuse what is not allowed now or not by this actor. All I/O is in activities.
 *
 * Deterministic orchestration only. Behaviour changes from now on go behind patched().
 */
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../worker/activities/index';
import { deadlinesFrom } from './deadlines';
import { checkCompletion, checkSubmit, checkWithdraw, conflict, type RegistrationScope } from './rules';
import {
  completeTaskUpdate,
  contentEditedSignal,
  FINAL_PHASES,
  policiesChangedSignal,
  stateQuery,
  statusOfPhase,
  STEP_RULES,
  submitUpdate,
  withdrawUpdate,
  type CompleteTaskInput,
  type CompleteTaskResult,
  type DeadlinePolicy,
  type HistoryStep,
  type OpenTaskView,
  type PolicyKey,
  type RegistrationOutcome,
  type RegistrationWorkflowInput,
  type RegistrationWorkflowState,
  type ReviewRating,
  type TaskStep,
  type WorkflowActor,
  type WorkflowPhase,
  initialWorkflowState,
} from './shared';

// Activities are short Postgres transactions: a lost worker's attempt is retried after 15 s.
const acts = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// Signing depends on the content and the school's stamp: after a few attempts the principal is told, not the retry loop.
const signing = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 4 },
});

/** Return loops per run before continuing as new (each loop adds ~30 events). */
export const MAX_SUBMITS_PER_RUN = 5;
/** A safety net below Temporal's own limits, in case continueAsNewSuggested never comes. */
const HISTORY_EVENT_LIMIT = 10_000;
/** A failed first review opens rectification and a second review; a failed second review closes the registration as failed. */
export const MAX_REVIEW_CYCLES = 2;

type Pending<T> = T & { seq: number; at: string };

const ms = (iso: string) => Date.parse(iso);
const nowIso = () => new Date().toISOString();
const who = (a: WorkflowActor) => ({ id: a.id, name: a.name });

export async function registrationWorkflow(input: RegistrationWorkflowInput): Promise<RegistrationWorkflowState> {
  const { registrationId } = input;
  const scope: RegistrationScope = { schoolId: input.schoolId, districtId: input.districtId };
  const state: RegistrationWorkflowState = input.carried ? { ...input.carried, runNumber: input.carried.runNumber + 1 } : initialWorkflowState();
  const runBeganIn = state.phase;
  let submitsThisRun = 0;

  // --- messages waiting for the main loop (validators admit one human message at a time) ------
  let decision: Pending<CompleteTaskInput> | null = null;
  let submission: Pending<{ actor: WorkflowActor }> | null = null;
  let withdrawal: Pending<{ actor: WorkflowActor; reason: string | null }> | null = null;
  let contentEdited: { actorId: number; reason: string; at: string } | null = null;
  let policiesChanged = false;

  // An update handler returns once the main loop has applied its message and is waiting again,
  // so the caller's answer reflects the new step (and the next task is already in the inbox).
  let lastSeq = 0;
  let consumedSeq = 0;
  let settledSeq = 0;
  const refusals = new Map<number, string>();
  const humanPending = () => decision !== null || submission !== null || withdrawal !== null;
  const consume = (m: { seq: number }) => {
    consumedSeq = Math.max(consumedSeq, m.seq);
  };
  const afterSettled = async (seq: number) => {
    await condition(() => settledSeq >= seq);
    const refusal = refusals.get(seq);
    if (refusal) {
      refusals.delete(seq);
      throw conflict(refusal);
    }
  };

  setHandler(stateQuery, () => state);

  setHandler(
    submitUpdate,
    async ({ actor }) => {
      const seq = ++lastSeq;
      submission = { actor, seq, at: nowIso() };
      await afterSettled(seq);
      return state;
    },
    { validator: ({ actor }) => checkSubmit(state, humanPending(), scope, actor) },
  );

  setHandler(
    withdrawUpdate,
    async ({ actor, reason }) => {
      const seq = ++lastSeq;
      withdrawal = { actor, reason: reason ?? null, seq, at: nowIso() };
      await afterSettled(seq);
      return state;
    },
    { validator: ({ actor }) => checkWithdraw(state, humanPending(), scope, actor) },
  );

  setHandler(
    completeTaskUpdate,
    async (req): Promise<CompleteTaskResult> => {
      const seq = ++lastSeq;
      const step = state.openTask!.step;
      decision = { ...req, seq, at: nowIso() };
      await afterSettled(seq);
      return { taskId: req.taskId, step, action: req.action, status: state.status, nextTaskId: state.openTask?.taskId || null };
    },
    { validator: (req) => checkCompletion(state, humanPending(), scope, req) },
  );

  setHandler(contentEditedSignal, (e) => {
    // Only a registration signed and awaiting the bureau goes back; before signing the edit is simply what gets signed.
    if (state.phase === 'bureau_approval') contentEdited = { ...e, at: nowIso() };
  });

  setHandler(policiesChangedSignal, ({ policies }) => {
    for (const p of policies) upsertPolicy(p);
    policiesChanged = true;
  });

  // --- helpers --------------------------------------------------------------------------------

  function upsertPolicy(p: DeadlinePolicy) {
    state.policies = [...state.policies.filter((x) => x.step !== p.step), p];
  }
  const policyOf = (key: PolicyKey) => state.policies.find((p) => p.step === key) ?? null;

  function toPhase(phase: WorkflowPhase) {
    state.phase = phase;
    state.status = statusOfPhase(phase);
  }

  function record(step: HistoryStep, action: string, actor: { id: number; name: string | null } | null, comment: string | null, at = nowIso()) {
    state.history.push({ step, round: step === 'goal_report' || step === 'goal_rating' ? state.reviewCycle : state.round, action, actorId: actor?.id ?? null, actorName: actor?.name ?? null, comment, at });
  }

  const rollOverDue = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_EVENT_LIMIT;
  const quiet = () => !humanPending() && contentEdited === null && !policiesChanged;

  /** Continues as new, carrying the state, once every handler has answered; gives up (false) if a message arrives first. */
  async function rollOver(): Promise<boolean> {
    settledSeq = consumedSeq;
    await condition(() => !quiet() || allHandlersFinished());
    if (!quiet()) return false;
    return continueAsNew<typeof registrationWorkflow>({ ...input, carried: state });
  }

  /**
   * Waits for `arrived` (or the timeout). Answers whether it arrived in time. While waiting, an
   * overlong history rolls over into a new run at this same point.
   */
  async function waitFor(arrived: () => boolean, timeoutMs?: number, summary?: string): Promise<boolean> {
    settledSeq = consumedSeq;
    const rollOverNow = () => rollOverDue() && quiet() && allHandlersFinished();
    const wake = () => arrived() || rollOverNow();
    // The summary names the timer in `temporal workflow show` and the UI.
    const inTime = timeoutMs === undefined ? (await condition(wake), true) : await condition(wake, timeoutMs, { summary });
    if (!arrived() && rollOverNow()) await continueAsNew<typeof registrationWorkflow>({ ...input, carried: state });
    return inTime;
  }

  // --- phases ---------------------------------------------------------------------------------

  async function draft(): Promise<void> {
    // Repeated return loops: start the next one in a fresh run.
    if (submitsThisRun >= MAX_SUBMITS_PER_RUN) await rollOver();
    setCurrentDetails(state.round === 0 ? 'Draft: waiting for the first submit' : `Returned: waiting for the drafter to resubmit (round ${state.round + 1}) or withdraw`);
    await waitFor(() => submission !== null || withdrawal !== null);
    if (withdrawal) return withdraw();
    const s = submission!;
    submission = null;
    consume(s);
    submitsThisRun++;
    state.round += 1;
    toPhase('lead_school_opinion');
    record('submit', state.round === 1 ? 'submit' : 'resubmit', who(s.actor), null, s.at);
    await acts.recordSubmission({ registrationId, round: state.round, actor: who(s.actor), at: s.at });
  }

  async function withdraw(): Promise<void> {
    const w = withdrawal!;
    withdrawal = null;
    consume(w);
    const task = state.openTask;
    state.openTask = null;
    toPhase('withdrawn');
    state.outcome = 'withdrawn';
    record('withdraw', 'withdraw', who(w.actor), w.reason, w.at);
    await acts.recordWithdrawal({ registrationId, taskId: task?.taskId || null, round: state.round, actor: who(w.actor), reason: w.reason, at: w.at });
  }

  /** One human step: open its task, remind, flag overdue, move deadlines on policy changes, until a decision (or withdrawal, or an edit) ends it. */
  async function humanStep(step: TaskStep): Promise<void> {
    const round = step === 'goal_report' || step === 'goal_rating' ? state.reviewCycle : state.round;
    let task = state.openTask;
    if (!task || task.step !== step || task.round !== round) {
      const startedAt = nowIso();
      task = state.openTask = { taskId: '', step, round, assigneeRole: STEP_RULES[step].role, startedAt, dueAt: null, remindAt: null, reminded: false, overdue: false };
      const projected = await acts.projectTask({ registrationId, step, round, startedAt });
      Object.assign(task, { taskId: projected.taskId, dueAt: projected.dueAt, remindAt: projected.remindAt });
      upsertPolicy(projected.policy);
    } else {
      // Carried over from the previous run: a policy may have changed just before it ended.
      policiesChanged = true;
    }
    const t: OpenTaskView = task;
    const label = `${step} round ${round}`;

    for (;;) {
      setCurrentDetails(`Waiting for ${STEP_RULES[step].role}: ${label}, task ${t.taskId}, due ${t.dueAt}${t.overdue ? ' (overdue)' : ''}`);
      const arrived = () => humanPending() || contentEdited !== null || policiesChanged;
      const now = Date.now();
      if (!t.reminded && t.remindAt !== null && now < ms(t.remindAt)) {
        const arrivedBeforeReminder = await waitFor(arrived, ms(t.remindAt) - now, `reminder for ${label} at ${t.remindAt}`);
        if (!arrivedBeforeReminder) {
          await remind(t);
          continue;
        }
      } else if (!t.reminded && t.remindAt !== null && now < ms(t.dueAt!)) {
        await remind(t);
        continue;
      } else if (!t.overdue && now < ms(t.dueAt!)) {
        const decidedInTime = await waitFor(arrived, ms(t.dueAt!) - now, `${label} due at ${t.dueAt}`);
        if (!decidedInTime) {
          await escalate(t);
          continue;
        }
      } else if (!t.overdue) {
        await escalate(t);
        continue;
      } else {
        await waitFor(arrived);
      }

      if (withdrawal) return withdraw();
      if (contentEdited) return backToSigning(t);
      if (policiesChanged) {
        policiesChanged = false;
        await moveDeadlines(t);
        continue;
      }
      if (decision) return decide(step, t);
    }
  }

  async function remind(t: OpenTaskView) {
    await acts.sendTaskReminder({ taskId: t.taskId, dueAt: t.dueAt!, remindAt: t.remindAt! });
    t.reminded = true;
    record(t.step, 'reminded', null, null);
  }

  async function escalate(t: OpenTaskView) {
    await acts.markTaskOverdue({ taskId: t.taskId, dueAt: t.dueAt!, escalateToRole: policyOf(t.step)?.escalateToRole ?? null });
    t.overdue = true;
    record(t.step, 'overdue', null, null);
  }

  /** Recomputes the open task's times from when it began under the policy now in force. */
  async function moveDeadlines(t: OpenTaskView) {
    const policy = policyOf(t.step);
    if (!policy) return;
    const d = deadlinesFrom(t.startedAt, policy);
    if (d.dueAt === t.dueAt && d.remindAt === t.remindAt) return;
    const now = Date.now();
    t.dueAt = d.dueAt;
    t.remindAt = d.remindAt;
    if (t.overdue && now < ms(d.dueAt)) t.overdue = false; // the due time moved out: no longer overdue
    if (t.reminded && d.remindAt !== null && now < ms(d.remindAt)) t.reminded = false; // remind again at the new time
    record(t.step, 'rescheduled', null, null);
    await acts.rescheduleTask({ taskId: t.taskId, dueAt: d.dueAt, remindAt: d.remindAt, overdue: t.overdue });
  }

  /** Signed content was edited while awaiting the bureau: cancel that task and sign again in a new round. */
  async function backToSigning(t: OpenTaskView) {
    const edit = contentEdited!;
    contentEdited = null;
    if (decision) {
      refusals.set(decision.seq, '已签署的内容被修改，需重新签署 / The signed content was edited; it must be signed again');
      consume(decision);
      decision = null;
    }
    state.openTask = null;
    state.round += 1;
    toPhase('principal_signature');
    record('content_edited', 'back_to_signing', { id: edit.actorId, name: null }, edit.reason, edit.at);
    await acts.cancelTask({ taskId: t.taskId, reason: 'content_edited', at: edit.at });
  }

  async function decide(step: TaskStep, t: OpenTaskView): Promise<void> {
    const d = decision!;
    decision = null;
    consume(d);
    state.openTask = null;
    const comment = d.comment?.trim() || null;
    const payload = d.payload ?? {};
    const base = { registrationId, taskId: t.taskId, round: t.round, actor: who(d.actor), comment, at: d.at };
    record(step, d.action, who(d.actor), comment, d.at);

    switch (d.action) {
      case 'return':
        toPhase('draft');
        await acts.returnToDrafter({ ...base, step });
        return;
      case 'opinion':
        toPhase('principal_signature');
        await acts.recordLeadSchoolOpinion({ ...base, opinion: String(payload.opinion).trim() });
        return;
      case 'sign':
        toPhase('bureau_approval');
        try {
          await signing.recordPrincipalSignature({ ...base, signatureFileId: String(payload.signatureFileId), stampFileId: typeof payload.stampFileId === 'string' ? payload.stampFileId : null });
        } catch (err) {
          if (!(err instanceof ActivityFailure)) throw err;
          // Signing failed for good: the task stays open and the principal is told why.
          const reason = err.cause?.message ?? err.message;
          refusals.set(d.seq, `签署未能完成：${reason} / Signing failed: ${reason}`);
          state.history.pop();
          toPhase('principal_signature');
          state.openTask = t;
        }
        return;
      case 'approve': {
        toPhase('active');
        state.approvedAt = d.at;
        state.periodReminded = false;
        const approval = await acts.recordApproval(base);
        state.reviewDueAt = approval.reviewDueAt;
        upsertPolicy({ step: 'review_period', dueSeconds: approval.reviewPeriodSeconds, remindBeforeSeconds: approval.remindBeforeSeconds, escalateToRole: policyOf('review_period')?.escalateToRole ?? null });
        return;
      }
      case 'reject':
        toPhase('rejected');
        state.outcome = 'rejected';
        await acts.recordRejection(base);
        return;
      case 'report':
        toPhase('goal_rating');
        await acts.recordGoalReport({ ...base, cycle: state.reviewCycle, goals: payload.goals as never });
        return;
      case 'rate': {
        const overall = payload.overall as ReviewRating;
        const rating = { ...base, cycle: state.reviewCycle, ratings: payload.ratings as never, overall };
        if (overall === 'fail' && state.reviewCycle < MAX_REVIEW_CYCLES) {
          toPhase('rectification');
          state.rectificationStartedAt = d.at;
          state.periodReminded = false;
          await acts.recordGoalRating(rating);
          const r = await acts.startRectification({ registrationId, cycle: state.reviewCycle, at: d.at });
          state.rectificationDueAt = r.rectificationDueAt;
          state.reviewDueAt = r.rectificationDueAt;
          upsertPolicy({ step: 'rectification_period', dueSeconds: r.periodSeconds, remindBeforeSeconds: r.remindBeforeSeconds, escalateToRole: null });
          record('rectification', 'started', null, null, d.at);
          return;
        }
        const outcome: RegistrationOutcome = overall === 'pass' ? 'passed' : overall === 'conditional' ? 'conditional' : 'failed';
        toPhase('closed');
        state.outcome = outcome;
        await acts.recordGoalRating(rating);
        await acts.closeRegistration({ registrationId, outcome, cycle: state.reviewCycle, at: d.at });
        record('closed', outcome, null, null, d.at);
        return;
      }
    }
  }

  /**
   * The long waits: the review period after approval, the rectification period after a failed
   * review. Both end at (their start + the policy), recomputed whenever the policy changes.
   */
  async function period(key: 'review_period' | 'rectification_period'): Promise<void> {
    // Start the wait in a fresh run, so months of waiting replay from a short history.
    if (runBeganIn !== state.phase) await rollOver();
    const startedAt = key === 'review_period' ? state.approvedAt! : state.rectificationStartedAt!;
    for (;;) {
      const policy = policyOf(key);
      if (policy) {
        const d = deadlinesFrom(startedAt, policy);
        if (d.dueAt !== state.reviewDueAt) {
          state.reviewDueAt = d.dueAt;
          if (key === 'rectification_period') state.rectificationDueAt = d.dueAt;
          await acts.moveReviewDueDate({ registrationId, reviewDueAt: d.dueAt });
        }
      }
      const dueAt = ms(state.reviewDueAt!);
      const remindAt = policy && policy.remindBeforeSeconds > 0 ? dueAt - policy.remindBeforeSeconds * 1000 : null;
      const now = Date.now();
      if (now >= dueAt) break;
      setCurrentDetails(`${key === 'review_period' ? 'Active' : 'Rectification'}: goal review ${state.reviewCycle + 1} falls due at ${state.reviewDueAt}`);
      if (!state.periodReminded && remindAt !== null) {
        if (now < remindAt) {
          const changedBeforeReminder = await waitFor(() => policiesChanged, remindAt - now, `goal review ${state.reviewCycle + 1} reminder at ${new Date(remindAt).toISOString()}`);
          if (changedBeforeReminder) policiesChanged = false;
          else await remindPeriod();
          continue;
        }
        await remindPeriod();
        continue;
      }
      const changedBeforeDue = await waitFor(() => policiesChanged, dueAt - now, `goal review ${state.reviewCycle + 1} due at ${state.reviewDueAt}`);
      if (!changedBeforeDue) break;
      policiesChanged = false;
    }
    state.reviewCycle += 1;
    state.periodReminded = false;
    toPhase('goal_report');
    record('review_due', 'opened', null, null);
    await acts.openGoalReview({ registrationId, cycle: state.reviewCycle, at: nowIso() });
  }

  async function remindPeriod() {
    await acts.notifyReviewDueSoon({ registrationId, cycle: state.reviewCycle + 1, reviewDueAt: state.reviewDueAt! });
    state.periodReminded = true;
  }

  // --- main loop ------------------------------------------------------------------------------

  while (!FINAL_PHASES.includes(state.phase)) {
    switch (state.phase) {
      case 'draft':
        await draft();
        break;
      case 'active':
        await period('review_period');
        break;
      case 'rectification':
        await period('rectification_period');
        break;
      default:
        await humanStep(state.phase as TaskStep);
    }
  }
  settledSeq = consumedSeq;
  await condition(allHandlersFinished);
  return state;
}
