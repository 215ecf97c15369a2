/**
 * One registration's whole process, from the first submit to closed:
 *
 *   draft → lead_school_opinion → principal_signature → bureau_approval → active
 *         → goal_report → goal_rating → closed (pass / conditional)
 *                                     → rectification → goal_report → goal_rating → closed (any rating)
 *
 * Any reviewing step can return to draft (the drafter resubmits, a new round begins), the bureau
 * can reject, the drafter can withdraw before approval, and an edit of signed content sends a
 * registration awaiting bureau approval back to signing. Human decisions arrive as Updates (their
 * wiring is inbox.ts) whose validators (rules.ts, over the process rules of domain/process) refuse what is not allowed now or
 * not by this actor. All I/O is in activities, and the workflow is the only writer of process
 * state: when a decision's writes fail for good, the state is put back and the decision refused,
 * so the workflow and the database never disagree.
 *
 * Deterministic orchestration only. Behaviour changes from now on go behind patched().
 */
import { ActivityFailure, allHandlersFinished, condition, continueAsNew, patched, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import { editVoidsSignature, refuse } from '../domain/process/rules';
import { effectsOfApproval, tasksEndedWith } from '../domain/process/steps';
import type { Activities } from '../worker/activities/index';
import { deadlinesFrom } from './deadlines';
import { assigneeFields, markOnBehalf, openCollaboration } from './collaboration';
import { openInbox, upsertPolicy as upsertPolicyOf, type Pending } from './inbox';
import type { RegistrationScope } from './rules';
import {
  FINAL_PHASES,
  initialWorkflowState,
  statusOfPhase,
  STEP_RULES,
  type CompleteTaskInput,
  type DeadlinePolicy,
  type HistoryStep,
  type OpenTaskView,
  type PolicyKey,
  type RegistrationOutcome,
  type RegistrationWorkflowInput,
  type RegistrationWorkflowState,
  type ReviewRating,
  type StepTask,
  type TaskStep,
  type WorkflowActor,
  type WorkflowPhase,
} from './shared';

// Activities are short Postgres transactions: a lost worker's attempt is retried after 15 s.
// A database refusing the data fails an activity for good (worker/activities/errors.ts).
const activities = proxyActivities<Activities>({
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


/** Steps open with openStepTasks (会签/或签 named approvers, 加签, several tasks per step); returns may go to an earlier step. */
export const STEP_TASKS_PATCH = 'step-tasks';
export const RETURN_TO_STEP_PATCH = 'return-to-step';
/** A goal rating and its consequence (rectification or the close) are one activity, one transaction. */
export const ATOMIC_GOAL_RATING_PATCH = 'atomic-goal-rating';
/**
 * A decision on a task whose row is committed while the workflow still waits for openStepTasks'
 * answer is admitted and applied once the opening is known (before: refused as no longer open).
 */
export const DECIDE_WHILE_OPENING_PATCH = 'decide-while-opening';

const ms = (iso: string) => Date.parse(iso);
/**
 * Deadlines may count working days (China's calendar with local overrides): the workflow asks an
 * activity (computeDeadlines) for moved times instead of computing them, so the calendar is read
 * by the worker, never here. Histories from before replay the in-workflow arithmetic.
 */
const CALENDAR_DEADLINES = 'calendar-deadlines';
/** A timer that fires first asks for the policy version, so a change whose signal never came still moves it. */
const READ_POLICY_ON_WAKE = 'read-policy-on-wake';
const nowIso = () => new Date().toISOString();
const who = (a: WorkflowActor) => ({ id: a.id, name: a.name });
const SIGNED_CONTENT_EDITED = '已签署的内容被修改，需重新签署 / The signed content was edited; it must be signed again';
/** What a failed decision is called in its refusal. */
const WHAT_FAILED: Record<string, { zh: string; en: string }> = {
  submit: { zh: '提交', en: 'Submitting' },
  withdraw: { zh: '撤回', en: 'Withdrawing' },
  edit: { zh: '修改', en: 'Editing' },
  opinion: { zh: '意见', en: 'The opinion' },
  sign: { zh: '签署', en: 'Signing' },
  approve: { zh: '批准', en: 'Approving' },
  return: { zh: '退回', en: 'Returning' },
  add_approver: { zh: '加签', en: 'Adding an approver' },
  reject: { zh: '不予批准', en: 'Rejecting' },
  report: { zh: '目标报告', en: 'The goal report' },
  rate: { zh: '目标评定', en: 'The goal rating' },
};

export async function registrationWorkflow(input: RegistrationWorkflowInput): Promise<RegistrationWorkflowState> {
  const { registrationId } = input;
  const scope: RegistrationScope = { schoolId: input.schoolId, districtId: input.districtId };
  const state: RegistrationWorkflowState = input.carried ? { ...input.carried, runNumber: input.carried.runNumber + 1 } : initialWorkflowState();
  const runBeganIn = state.phase;
  let submitsThisRun = 0;

  const inbox = openInbox(state, scope);
  openCollaboration(state, scope, inbox, registrationId);

  // --- helpers --------------------------------------------------------------------------------

  const upsertPolicy = (p: DeadlinePolicy) => upsertPolicyOf(state, p);
  const policyOf = (key: PolicyKey) => state.policies.find((p) => p.step === key) ?? null;

  /** The number of the next status write (activities apply a write only when it is newer than the stored one). */
  const nextWriteSeq = () => (state.processSeq = (state.processSeq ?? 0) + 1);

  /**
   * Runs a decision: its state changes and its writes. When a write fails for good (the database
   * refused the data, or the data no longer allows it), the state is put back as it was — phase,
   * open task, history — and the decision's caller is refused with the reason. Nothing is half-done:
   * each activity is one transaction.
   */
  async function decideOrRestore(messageSeq: number, what: string, apply: () => Promise<void>): Promise<boolean> {
    const before = JSON.parse(JSON.stringify(state)) as RegistrationWorkflowState;
    try {
      await apply();
      return true;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const writesSoFar = state.processSeq;
      Object.assign(state, before, { processSeq: writesSoFar });
      const reason = err.cause?.message ?? err.message;
      const dataRejected = (err.cause as { type?: string } | undefined)?.type === 'DataRejected';
      const label = WHAT_FAILED[what] ?? { zh: what, en: what };
      inbox.refuse(messageSeq, refuse(dataRejected ? 'invalid' : 'conflict', `${label.zh}未能完成：${reason}`, `${label.en} could not be completed: ${reason}`));
      return false;
    }
  }

  function toPhase(phase: WorkflowPhase) {
    state.phase = phase;
    state.status = statusOfPhase(phase);
  }

  /** The step's tasks when it holds several (null: one task, the old way). */
  const stepTasksOf = (task: OpenTaskView) => (state.stepTasks && state.stepTasks.step === task.step && state.stepTasks.round === task.round ? state.stepTasks : null);

  /** `openTask` is the step's first open task (the same object as in stepTasks). */
  function syncOpenTask() {
    const steps = state.stepTasks;
    if (!steps) return;
    state.openTask = steps.tasks.find((t) => t.taskStatus === 'open') ?? steps.tasks.find((t) => t.taskStatus === 'waiting') ?? null;
  }

  /** The tasks a step's timers act on: every live one of the step, or the one task. */
  function timedTasks(task: OpenTaskView): OpenTaskView[] {
    const steps = stepTasksOf(task);
    return steps ? steps.tasks.filter((t) => t.taskStatus === 'open' || t.taskStatus === 'waiting') : [task];
  }

  /** Cancels the step's other live tasks (a return, rejection, withdrawal or edit ended it); forgets the step's tasks. */
  async function endStepTasks(steps: RegistrationWorkflowState['stepTasks'], task: OpenTaskView | null, reason: string, at: string) {
    if (!steps || !task) return;
    const cancel = tasksEndedWith(steps, task.taskId);
    if (cancel.length) await activities.updateStepTasks({ registrationId, cancel, reopen: [], reason, at });
  }

  function record(step: HistoryStep, action: string, actor: { id: number; name: string | null } | null, comment: string | null, at = nowIso()) {
    state.history.push({ step, round: step === 'goal_report' || step === 'goal_rating' ? state.reviewCycle : state.round, action, actorId: actor?.id ?? null, actorName: actor?.name ?? null, comment, at });
  }

  const rollOverDue = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_EVENT_LIMIT;

  /** Continues as new, carrying the state, once every handler has answered; gives up (false) if a message arrives first. */
  async function rollOver(): Promise<boolean> {
    inbox.settle();
    await condition(() => !inbox.quiet() || allHandlersFinished());
    if (!inbox.quiet()) return false;
    return continueAsNew<typeof registrationWorkflow>({ ...input, carried: state });
  }

  /**
   * Waits for `arrived` (or the timeout). Answers whether it arrived in time. While waiting, an
   * overlong history rolls over into a new run at this same point.
   */
  async function waitFor(arrived: () => boolean, timeoutMs?: number, summary?: string): Promise<boolean> {
    inbox.settle();
    const rollOverNow = () => rollOverDue() && inbox.quiet() && allHandlersFinished();
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
    await waitFor(() => inbox.submission !== null || inbox.withdrawal !== null);
    if (inbox.withdrawal) return withdraw();
    const submitted = inbox.submission!;
    inbox.submission = null;
    inbox.consume(submitted);
    submitsThisRun++;
    await decideOrRestore(submitted.seq, 'submit', async () => {
      state.round += 1;
      toPhase('lead_school_opinion');
      record('submit', state.round === 1 ? 'submit' : 'resubmit', who(submitted.actor), null, submitted.at);
      await activities.recordSubmission({ registrationId, round: state.round, actor: who(submitted.actor), at: submitted.at, seq: nextWriteSeq() });
    });
  }

  async function withdraw(): Promise<void> {
    const withdrawn = inbox.withdrawal!;
    inbox.withdrawal = null;
    inbox.consume(withdrawn);
    await decideOrRestore(withdrawn.seq, 'withdraw', async () => {
      const task = state.openTask;
      const steps = task ? stepTasksOf(task) : null;
      state.openTask = null;
      state.stepTasks = null;
      toPhase('withdrawn');
      state.outcome = 'withdrawn';
      record('withdraw', 'withdraw', who(withdrawn.actor), withdrawn.reason, withdrawn.at);
      await activities.recordWithdrawal({ registrationId, taskId: task?.taskId || null, round: state.round, actor: who(withdrawn.actor), reason: withdrawn.reason, at: withdrawn.at, seq: nextWriteSeq() });
      await endStepTasks(steps, task, 'withdrawn', withdrawn.at);
    });
  }

  /** One human step: open its task, remind, flag overdue, move deadlines on policy changes, until a decision (or withdrawal, or an edit) ends it. */
  async function humanStep(step: TaskStep): Promise<void> {
    const round = step === 'goal_report' || step === 'goal_rating' ? state.reviewCycle : state.round;
    let task = state.openTask;
    if (!task || task.step !== step || task.round !== round) {
      const startedAt = nowIso();
      if (patched(STEP_TASKS_PATCH)) {
        // One task for the role, or one per named approver (会签/或签); 加签 may add more.
        state.stepTasks = null;
        state.openTask = { taskId: '', step, round, assigneeRole: STEP_RULES[step].role, startedAt, dueAt: null, remindAt: null, reminded: false, overdue: false };
        // The task rows are in the inbox once the activity commits, a moment before its answer arrives.
        if (patched(DECIDE_WHILE_OPENING_PATCH)) inbox.opening = { step, round };
        let opened: Awaited<ReturnType<Activities['openStepTasks']>>;
        try {
          opened = await activities.openStepTasks({ registrationId, step, round, startedAt, seq: nextWriteSeq() });
        } catch (err) {
          inbox.opening = null;
          throw err;
        }
        upsertPolicy(opened.policy);
        if (opened.policyVersion !== undefined) state.policyVersion = opened.policyVersion;
        state.stepTasks = {
          step,
          round,
          mode: opened.mode,
          tasks: opened.tasks.map((t): StepTask => ({
            taskId: t.taskId,
            step,
            round,
            assigneeRole: STEP_RULES[step].role,
            startedAt,
            dueAt: opened.dueAt,
            remindAt: opened.remindAt,
            reminded: false,
            overdue: false,
            assigneeUserId: t.assigneeUserId,
            assigneeName: t.assigneeName,
            onBehalfOf: t.onBehalfOf ?? null,
            onBehalfOfName: t.onBehalfOfName ?? null,
            slot: t.slot,
            taskStatus: 'open',
            kind: 'approver',
          })),
        };
        syncOpenTask();
        task = state.openTask!;
        inbox.opening = null;
      } else {
        task = state.openTask = { taskId: '', step, round, assigneeRole: STEP_RULES[step].role, startedAt, dueAt: null, remindAt: null, reminded: false, overdue: false };
        const projected = await activities.projectTask({ registrationId, step, round, startedAt, seq: nextWriteSeq() });
        Object.assign(task, { taskId: projected.taskId, dueAt: projected.dueAt, remindAt: projected.remindAt, ...assigneeFields(projected) });
        upsertPolicy(projected.policy);
      }
    } else {
      syncOpenTask();
      task = state.openTask!;
      // Carried over from the previous run: a policy may have changed just before it ended.
      inbox.policiesChanged = true;
    }
    const openTask: OpenTaskView = task;
    const label = `${step} round ${round}`;

    for (;;) {
      setCurrentDetails(`Waiting for ${STEP_RULES[step].role}: ${label}, task ${openTask.taskId}, due ${openTask.dueAt}${openTask.overdue ? ' (overdue)' : ''}`);
      const arrived = () => inbox.humanPending() || inbox.contentEdited !== null || inbox.policiesChanged;
      const now = Date.now();
      if (!openTask.reminded && openTask.remindAt !== null && now < ms(openTask.remindAt)) {
        const arrivedBeforeReminder = await waitFor(arrived, ms(openTask.remindAt) - now, `reminder for ${label} at ${openTask.remindAt}`);
        if (!arrivedBeforeReminder) {
          if (!(await deadlinesMovedOnWake(openTask))) await remind(openTask);
          continue;
        }
      } else if (!openTask.reminded && openTask.remindAt !== null && now < ms(openTask.dueAt!)) {
        if (!(await deadlinesMovedOnWake(openTask))) await remind(openTask);
        continue;
      } else if (!openTask.overdue && now < ms(openTask.dueAt!)) {
        const decidedInTime = await waitFor(arrived, ms(openTask.dueAt!) - now, `${label} due at ${openTask.dueAt}`);
        if (!decidedInTime) {
          if (!(await deadlinesMovedOnWake(openTask))) await escalate(openTask);
          continue;
        }
      } else if (!openTask.overdue) {
        if (!(await deadlinesMovedOnWake(openTask))) await escalate(openTask);
        continue;
      } else {
        await waitFor(arrived);
      }

      if (inbox.withdrawal) return withdraw();
      if (inbox.contentEdited) return backToSigning(openTask);
      if (inbox.signedEdit) {
        if (await applySignedEdit(openTask)) return;
        continue;
      }
      if (inbox.policiesChanged) {
        inbox.policiesChanged = false;
        await moveDeadlines(openTask);
        continue;
      }
      if (inbox.addApprover) return addApprover(openTask);
      if (inbox.decision) return decide(step, openTask);
    }
  }

  /**
   * Before a reminder or an escalation: reads the policy version, and when it is not the one last
   * read, takes the policies in force and moves the task's deadlines (the loop then looks again). A
   * propagation signal that was lost or is still on its way can then never leave a registration on an
   * old deadline.
   */
  async function deadlinesMovedOnWake(task: OpenTaskView): Promise<boolean> {
    if (!patched(READ_POLICY_ON_WAKE)) return false;
    const current = await activities.currentPolicyVersion();
    const known = state.policyVersion;
    state.policyVersion = current.version;
    // Unknown (a step opened before steps reported their version): from now on it is known.
    if (known === undefined || current.version === known) return false;
    for (const p of current.policies) upsertPolicy(p);
    await moveDeadlines(task);
    return true;
  }

  async function remind(task: OpenTaskView) {
    for (const t of timedTasks(task)) await activities.sendTaskReminder({ taskId: t.taskId, dueAt: t.dueAt!, remindAt: t.remindAt! });
    for (const t of timedTasks(task)) t.reminded = true;
    task.reminded = true;
    record(task.step, 'reminded', null, null);
  }

  async function escalate(task: OpenTaskView) {
    for (const t of timedTasks(task)) await activities.markTaskOverdue({ taskId: t.taskId, dueAt: t.dueAt!, escalateToRole: policyOf(task.step)?.escalateToRole ?? null });
    for (const t of timedTasks(task)) t.overdue = true;
    task.overdue = true;
    record(task.step, 'overdue', null, null);
  }

  /** Recomputes the open task's times from when it began under the policy now in force. */
  async function moveDeadlines(task: OpenTaskView) {
    const policy = policyOf(task.step);
    if (!policy) return;
    const next = patched(CALENDAR_DEADLINES) ? await activities.computeDeadlines({ startedAt: task.startedAt, policy }) : deadlinesFrom(task.startedAt, policy);
    if (next.dueAt === task.dueAt && next.remindAt === task.remindAt) return;
    const now = Date.now();
    const all = timedTasks(task);
    for (const t of all.includes(task) ? all : [task, ...all]) {
      t.dueAt = next.dueAt;
      t.remindAt = next.remindAt;
      if (t.overdue && now < ms(next.dueAt)) t.overdue = false; // the due time moved out: no longer overdue
      if (t.reminded && next.remindAt !== null && now < ms(next.remindAt)) t.reminded = false; // remind again at the new time
    }
    record(task.step, 'rescheduled', null, null);
    for (const t of all) await activities.rescheduleTask({ taskId: t.taskId, dueAt: next.dueAt, remindAt: next.remindAt, overdue: t.overdue });
  }

  /** Signed content was edited while awaiting the bureau: cancel that task and sign again in a new round. */
  /** Legacy (contentEditedSignal, before the edit was an Update): the API had already voided the signature. */
  async function backToSigning(bureauTask: OpenTaskView) {
    const edit = inbox.contentEdited!;
    inbox.contentEdited = null;
    if (inbox.decision) {
      inbox.refuse(inbox.decision.seq, refuse('conflict', '已签署的内容被修改，需重新签署', 'The signed content was edited; it must be signed again'));
      inbox.consume(inbox.decision);
      inbox.decision = null;
    }
    const steps = stepTasksOf(bureauTask);
    state.openTask = null;
    state.stepTasks = null;
    state.round += 1;
    toPhase('principal_signature');
    record('content_edited', 'back_to_signing', { id: edit.actorId, name: null }, edit.reason, edit.at);
    await activities.cancelTask({ taskId: bureauTask.taskId, reason: 'content_edited', at: edit.at });
    await endStepTasks(steps, bureauTask, 'content_edited', edit.at);
  }

  /**
   * The drafter edited the registration awaiting the bureau. The activity writes the content; when
   * what was signed changed, it also voids the signature and cancels the bureau's task, and a new
   * round goes back to signing. Answers whether the registration left bureau_approval.
   */
  async function applySignedEdit(bureauTask: OpenTaskView): Promise<boolean> {
    const edit = inbox.signedEdit!;
    inbox.signedEdit = null;
    inbox.consume(edit);
    const voids = editVoidsSignature(edit);
    const steps = stepTasksOf(bureauTask);
    const applied = await decideOrRestore(edit.seq, 'edit', async () => {
      if (voids) {
        state.openTask = null;
        state.stepTasks = null;
        state.round += 1;
        toPhase('principal_signature');
        record('content_edited', 'back_to_signing', who(edit.actor), SIGNED_CONTENT_EDITED, edit.at);
      }
      await activities.applySignedContentEdit({
        registrationId,
        taskId: bureauTask.taskId,
        actor: who(edit.actor),
        content: edit.content,
        version: edit.version,
        voidsSignature: voids,
        beforeHash: edit.beforeHash,
        afterHash: edit.afterHash,
        reason: SIGNED_CONTENT_EDITED,
        at: edit.at,
        seq: nextWriteSeq(),
      });
      if (voids) await endStepTasks(steps, bureauTask, 'content_edited', edit.at);
    });
    return applied && voids;
  }

  /** A human decision on the open task: the workflow moves on, then its activity writes it. */
  async function decide(step: TaskStep, primary: OpenTaskView): Promise<void> {
    const taken = inbox.decision!;
    inbox.decision = null;
    inbox.consume(taken);
    // A step holding several tasks: the decision is on the task it names.
    const task = stepTasksOf(primary)?.tasks.find((t) => t.taskId === taken.taskId) ?? primary;
    await decideOrRestore(taken.seq, taken.action, () => applyDecision(step, task, taken));
  }

  /**
   * 加签 on one of the step's tasks. before: the added user's task opens now and the adder's task
   * waits for it; after: the added user is asked once the adder approves.
   */
  async function addApprover(primary: OpenTaskView): Promise<void> {
    const req = inbox.addApprover!;
    inbox.addApprover = null;
    inbox.consume(req);
    await decideOrRestore(req.seq, 'add_approver', async () => {
      if (!stepTasksOf(primary)) {
        // A step opened before steps held several tasks: it becomes one with its one task.
        state.stepTasks = { step: primary.step, round: primary.round, mode: 'single', tasks: [{ ...primary, slot: 0, taskStatus: 'open', kind: 'approver' }] };
        syncOpenTask();
      }
      const steps = state.stepTasks!;
      const task = steps.tasks.find((t) => t.taskId === req.taskId)!;
      const user = { id: req.user.id, name: req.user.name };
      task.assigneeUserId = req.actor.id;
      task.assigneeName = req.actor.name;
      record(steps.step, `add_approver_${req.position}`, who(req.actor), `${req.user.name}：${req.reason}`, req.at);
      if (req.position === 'after') {
        task.pendingAfter = [...(task.pendingAfter ?? []), { userId: user.id, name: user.name, reason: req.reason }];
        await activities.addStepApprover({ registrationId, step: steps.step, round: steps.round, forTaskId: task.taskId, actor: who(req.actor), user, position: 'after', reason: req.reason, at: req.at, openSlot: null, dueAt: task.dueAt, remindAt: task.remindAt, startedAt: task.startedAt });
      } else {
        task.taskStatus = 'waiting';
        await openAddedTask(task, user, 'before', req.reason, who(req.actor), req.at);
      }
      syncOpenTask();
    });
  }

  /** The added user's task, in the step's next slot, timed like the step. */
  async function openAddedTask(forTask: StepTask, user: { id: number; name: string }, position: 'before' | 'after', reason: string, actor: { id: number; name: string }, at: string) {
    const steps = state.stepTasks!;
    const slot = Math.max(...steps.tasks.map((t) => t.slot)) + 1;
    const opened = await activities.addStepApprover({ registrationId, step: steps.step, round: steps.round, forTaskId: forTask.taskId, actor, user, position, reason, at, openSlot: slot, dueAt: forTask.dueAt, remindAt: forTask.remindAt, startedAt: forTask.startedAt });
    steps.tasks.push({
      taskId: opened.addedTaskId!,
      step: steps.step,
      round: steps.round,
      assigneeRole: forTask.assigneeRole,
      startedAt: forTask.startedAt,
      dueAt: forTask.dueAt,
      remindAt: forTask.remindAt,
      reminded: forTask.reminded,
      overdue: forTask.overdue,
      assigneeUserId: user.id,
      assigneeName: user.name,
      slot,
      taskStatus: 'open',
      kind: 'added',
      forTaskId: forTask.taskId,
      addedBy: actor.id,
      position,
      reason,
    });
  }

  /** An approval that leaves the step open (会签 others still to approve, 加签 still to come): its task closes, the step goes on. */
  async function approveWithinStep(task: StepTask, taken: Pending<CompleteTaskInput>, comment: string | null, effects: ReturnType<typeof effectsOfApproval>) {
    const steps = state.stepTasks!;
    Object.assign(task, { taskStatus: 'done', outcome: 'approve', completedBy: taken.actor.id, completedAt: taken.at });
    for (const t of steps.tasks) {
      if (effects.cancel.includes(t.taskId)) t.taskStatus = 'cancelled';
      if (effects.reopen.includes(t.taskId)) t.taskStatus = 'open';
    }
    record(steps.step, 'approve', who(taken.actor), comment, taken.at);
    await activities.recordStepApproval({ registrationId, taskId: task.taskId, step: steps.step, round: steps.round, actor: who(taken.actor), comment, at: taken.at });
    if (effects.cancel.length || effects.reopen.length) {
      await activities.updateStepTasks({ registrationId, cancel: effects.cancel, reopen: effects.reopen, reason: 'another_approver_approved', at: taken.at });
    }
    for (const next of effects.openAfter) await openAddedTask(task, { id: next.userId, name: next.name }, 'after', next.reason, who(taken.actor), taken.at);
    task.pendingAfter = [];
    syncOpenTask();
  }

  async function applyDecision(step: TaskStep, task: OpenTaskView, taken: Pending<CompleteTaskInput>): Promise<void> {
    const steps = stepTasksOf(task);
    const stepTask = steps?.tasks.find((t) => t.taskId === task.taskId);
    const approval = steps && stepTask && taken.action === 'approve' ? effectsOfApproval(steps, task.taskId) : null;
    if (approval && !approval.complete) return approveWithinStep(stepTask!, taken, taken.comment?.trim() || null, approval);
    // The decision ends the step: the other tasks it held are cancelled once it is written.
    const endsWith = steps ? async () => {
      const cancel = tasksEndedWith(steps, task.taskId);
      if (cancel.length) await activities.updateStepTasks({ registrationId, cancel, reopen: [], reason: taken.action === 'approve' ? 'another_approver_approved' : 'step_ended', at: taken.at });
    } : async () => undefined;
    state.openTask = null;
    state.stepTasks = null;
    const comment = taken.comment?.trim() || null;
    const payload = taken.payload ?? {};
    const base = { registrationId, taskId: task.taskId, round: task.round, actor: who(taken.actor), comment, at: taken.at };
    record(step, taken.action, who(taken.actor), comment, taken.at);
    markOnBehalf(state, task);

    switch (taken.action) {
      case 'return': {
        const toStep = typeof payload.toStep === 'string' && payload.toStep !== 'draft' ? (payload.toStep as TaskStep) : null;
        if (toStep && patched(RETURN_TO_STEP_PATCH)) {
          // Back to an earlier step in a new round; the chain resumes there and skips what did not change.
          state.round += 1;
          state.resumeTo = step;
          toPhase(toStep);
          await activities.returnToStep({ ...base, step, toStep, seq: nextWriteSeq() });
          await endsWith();
          return;
        }
        if (state.resumeTo) state.resumeTo = null;
        toPhase('draft');
        await activities.returnToDrafter({ ...base, step, seq: nextWriteSeq() });
        await endsWith();
        return;
      }
      case 'opinion':
        toPhase('principal_signature');
        await activities.recordLeadSchoolOpinion({ ...base, opinion: String(payload.opinion).trim(), seq: nextWriteSeq() });
        if (state.resumeTo) {
          // Returned here from the bureau: a signature still valid over the unchanged content is not asked for again.
          const resumeTo = state.resumeTo;
          state.resumeTo = null;
          if (resumeTo === 'bureau_approval') {
            const skip = await activities.skipSigningIfUnchanged({ registrationId, round: state.round, at: taken.at, seq: nextWriteSeq() });
            if (skip.skipped) {
              toPhase('bureau_approval');
              record('principal_signature', 'skipped', null, '签署内容未变，签名仍然有效 / The signed content is unchanged and the signature still valid', taken.at);
            }
          }
        }
        return;
      case 'sign':
        toPhase('bureau_approval');
        // Signing depends on the school's stamp: after a few attempts the principal is told (decideOrRestore), not the retry loop.
        await signing.recordPrincipalSignature({
          ...base,
          signatureFileId: String(payload.signatureFileId),
          stampFileId: typeof payload.stampFileId === 'string' ? payload.stampFileId : null,
          seq: nextWriteSeq(),
        });
        if (state.resumeTo) state.resumeTo = null;
        return;
      case 'approve': {
        toPhase('active');
        state.approvedAt = taken.at;
        state.periodReminded = false;
        const approval = await activities.recordApproval({ ...base, seq: nextWriteSeq() });
        state.reviewDueAt = approval.reviewDueAt;
        upsertPolicy(approval.policy ?? { step: 'review_period', dueSeconds: approval.reviewPeriodSeconds, remindBeforeSeconds: approval.remindBeforeSeconds, escalateToRole: policyOf('review_period')?.escalateToRole ?? null });
        await endsWith();
        return;
      }
      case 'reject':
        toPhase('rejected');
        state.outcome = 'rejected';
        await activities.recordRejection({ ...base, seq: nextWriteSeq() });
        await endsWith();
        return;
      case 'report':
        toPhase('goal_rating');
        await activities.recordGoalReport({ ...base, cycle: state.reviewCycle, goals: payload.goals as never });
        return;
      case 'rate':
        return rate(taken, base, payload.overall as ReviewRating, payload.ratings);
    }
  }

  /** The bureau's rating closes the review: a failed first review opens rectification, anything else closes the registration. */
  async function rate(taken: Pending<CompleteTaskInput>, base: { registrationId: string; taskId: string; round: number; actor: { id: number; name: string }; comment: string | null; at: string }, overall: ReviewRating, ratings: unknown) {
    const rating = { ...base, cycle: state.reviewCycle, ratings: ratings as never, overall };
    // The rating and its consequence in one activity (one transaction, ordered by seq); histories from before write them in two.
    const atomic = patched(ATOMIC_GOAL_RATING_PATCH);
    if (overall === 'fail' && state.reviewCycle < MAX_REVIEW_CYCLES) {
      toPhase('rectification');
      state.rectificationStartedAt = taken.at;
      state.periodReminded = false;
      let rectification: Awaited<ReturnType<Activities['startRectification']>>;
      if (atomic) {
        rectification = (await activities.recordGoalRatingOutcome({ ...rating, next: { kind: 'rectification' }, seq: nextWriteSeq() })).rectification!;
      } else {
        await activities.recordGoalRating(rating);
        rectification = await activities.startRectification({ registrationId, cycle: state.reviewCycle, at: taken.at, seq: nextWriteSeq() });
      }
      state.rectificationDueAt = rectification.rectificationDueAt;
      state.reviewDueAt = rectification.rectificationDueAt;
      upsertPolicy(rectification.policy ?? { step: 'rectification_period', dueSeconds: rectification.periodSeconds, remindBeforeSeconds: rectification.remindBeforeSeconds, escalateToRole: null });
      record('rectification', 'started', null, null, taken.at);
      return;
    }
    const outcome: RegistrationOutcome = overall === 'pass' ? 'passed' : overall === 'conditional' ? 'conditional' : 'failed';
    toPhase('closed');
    state.outcome = outcome;
    if (atomic) {
      await activities.recordGoalRatingOutcome({ ...rating, next: { kind: 'closed', outcome }, seq: nextWriteSeq() });
    } else {
      await activities.recordGoalRating(rating);
      await activities.closeRegistration({ registrationId, outcome, cycle: state.reviewCycle, at: taken.at, seq: nextWriteSeq() });
    }
    record('closed', outcome, null, null, taken.at);
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
      const calendarAware = patched(CALENDAR_DEADLINES);
      let calendarRemindAt: string | null = null;
      if (policy) {
        const due = calendarAware ? await activities.computeDeadlines({ startedAt, policy }) : deadlinesFrom(startedAt, policy);
        calendarRemindAt = due.remindAt;
        if (due.dueAt !== state.reviewDueAt) {
          state.reviewDueAt = due.dueAt;
          if (key === 'rectification_period') state.rectificationDueAt = due.dueAt;
          await activities.moveReviewDueDate({ registrationId, reviewDueAt: due.dueAt });
        }
      }
      const dueAt = ms(state.reviewDueAt!);
      const remindAt = calendarAware
        ? calendarRemindAt === null ? null : ms(calendarRemindAt)
        : policy && policy.remindBeforeSeconds > 0 ? dueAt - policy.remindBeforeSeconds * 1000 : null;
      const now = Date.now();
      if (now >= dueAt) break;
      setCurrentDetails(`${key === 'review_period' ? 'Active' : 'Rectification'}: goal review ${state.reviewCycle + 1} falls due at ${state.reviewDueAt}`);
      if (!state.periodReminded && remindAt !== null) {
        if (now < remindAt) {
          const changedBeforeReminder = await waitFor(() => inbox.policiesChanged, remindAt - now, `goal review ${state.reviewCycle + 1} reminder at ${new Date(remindAt).toISOString()}`);
          if (changedBeforeReminder) inbox.policiesChanged = false;
          else await remindPeriod();
          continue;
        }
        await remindPeriod();
        continue;
      }
      const changedBeforeDue = await waitFor(() => inbox.policiesChanged, dueAt - now, `goal review ${state.reviewCycle + 1} due at ${state.reviewDueAt}`);
      if (!changedBeforeDue) break;
      inbox.policiesChanged = false;
    }
    state.reviewCycle += 1;
    state.periodReminded = false;
    toPhase('goal_report');
    record('review_due', 'opened', null, null);
    await activities.openGoalReview({ registrationId, cycle: state.reviewCycle, at: nowIso(), seq: nextWriteSeq() });
  }

  async function remindPeriod() {
    await activities.notifyReviewDueSoon({ registrationId, cycle: state.reviewCycle + 1, reviewDueAt: state.reviewDueAt! });
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
  inbox.settle();
  await condition(allHandlersFinished);
  return state;
}
