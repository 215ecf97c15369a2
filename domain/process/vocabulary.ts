/**
 * The process's words: roles, statuses, steps, actions, policy keys, and the shapes of the
 * workflow's state and messages. Pure data: imported by the workflow, the worker, the API and the
 * console alike (no I/O, no Temporal, no Node built-ins).
 */
import type { DecisionPayload } from './payloads';

export const ROLES = ['school_staff', 'lead_school_leader', 'principal', 'bureau_approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const REGISTRATION_STATUSES = [
  'draft',
  'lead_school_opinion',
  'principal_signature',
  'bureau_approval',
  'active',
  'goal_review',
  'rectification',
  'closed',
  'rejected',
  'withdrawn',
] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** Statuses in which the drafter may still withdraw (before approval). */
export const WITHDRAWABLE_STATUSES: readonly RegistrationStatus[] = ['draft', 'lead_school_opinion', 'principal_signature', 'bureau_approval'];

export const TASK_STEPS = ['lead_school_opinion', 'principal_signature', 'bureau_approval', 'goal_report', 'goal_rating'] as const;
export type TaskStep = (typeof TASK_STEPS)[number];

/** `waiting`: a task whose holder added an approver before themselves (加签) and waits for them. */
export const TASK_STATUSES = ['open', 'done', 'cancelled', 'waiting'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Policy keys: every task step, plus the review and rectification periods. */
export const POLICY_KEYS = [...TASK_STEPS, 'review_period', 'rectification_period'] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

export const TASK_ACTIONS = ['opinion', 'sign', 'approve', 'return', 'reject', 'report', 'rate'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** Actions that must carry a comment (the reason the drafter or the school reads). */
export const ACTIONS_REQUIRING_COMMENT: readonly TaskAction[] = ['return', 'reject'];

/** Where a step's actor must belong: `school` — the registration's lead school; `district` — the school's district. */
export type StepScope = 'school' | 'district';

/** Which role acts at each step, which actions it may take there, and where its scope lies. */
export const STEP_RULES: Record<TaskStep, { role: Role; actions: readonly TaskAction[]; scope: StepScope }> = {
  lead_school_opinion: { role: 'lead_school_leader', actions: ['opinion', 'return'], scope: 'school' },
  principal_signature: { role: 'principal', actions: ['sign', 'return'], scope: 'school' },
  bureau_approval: { role: 'bureau_approver', actions: ['approve', 'return', 'reject'], scope: 'district' },
  goal_report: { role: 'school_staff', actions: ['report'], scope: 'school' },
  goal_rating: { role: 'bureau_approver', actions: ['rate'], scope: 'district' },
};

/** The registration status while a step's task is open. */
export const STATUS_OF_STEP: Record<TaskStep, RegistrationStatus> = {
  lead_school_opinion: 'lead_school_opinion',
  principal_signature: 'principal_signature',
  bureau_approval: 'bureau_approval',
  goal_report: 'goal_review',
  goal_rating: 'goal_review',
};

/** A goal's progress as the lead school reports it. */
export const GOAL_PROGRESS = ['achieved', 'in_progress', 'not_achieved'] as const;
export type GoalProgress = (typeof GOAL_PROGRESS)[number];

/** The bureau's rating of one goal and of the whole review: pass, pass with conditions, fail. */
export const REVIEW_RATINGS = ['pass', 'conditional', 'fail'] as const;
export type ReviewRating = (typeof REVIEW_RATINGS)[number];

/**
 * How a registration ended. A failed first review opens rectification and a second review; a
 * failed second review closes the registration with outcome `failed` (no third round).
 */
export type RegistrationOutcome = 'passed' | 'conditional' | 'failed' | 'rejected' | 'withdrawn';

export interface WorkflowActor {
  id: number;
  username: string;
  name: string;
  roles: string[];
  schoolId: number | null;
  districtId: number | null;
}

export interface DeadlinePolicy {
  step: PolicyKey;
  /** The due time in seconds; null when the policy counts in working days or months instead. */
  dueSeconds: number | null;
  remindBeforeSeconds: number;
  escalateToRole: string | null;
  /** The due time in working days (China's calendar with local overrides): the end of the n-th working day. */
  dueWorkingDays?: number | null;
  /** The due time in working hours (09:00–18:00 China time on working days). */
  dueWorkingHours?: number | null;
  /** The reminder lead in working days, instead of remindBeforeSeconds. */
  remindBeforeWorkingDays?: number | null;
  /** The review and rectification periods in calendar months, landing on a working day. */
  dueMonths?: number | null;
  /** Who must decide a step (会签/或签): absent or `single` — one task for the step's role. */
  approverMode?: ApproverMode;
  /** The named approvers of an `all` / `any` step. */
  approverUserIds?: number[];
}

/** Where a registration belongs: its lead school and that school's district. */
export interface RegistrationScope {
  schoolId: number;
  districtId: number;
}

export interface RegistrationWorkflowInput {
  registrationId: string;
  schoolId: number;
  districtId: number;
  submittedBy: WorkflowActor;
  /** Carried across continue-as-new. */
  carried?: RegistrationWorkflowState;
}

export type HistoryStep = TaskStep | 'submit' | 'withdraw' | 'content_edited' | 'review_due' | 'rectification' | 'closed';

export interface StepHistoryEntry {
  step: HistoryStep;
  round: number;
  /** A human action (opinion, sign, approve, return, …) or a system one (reminded, overdue, cancelled, opened). */
  action: string;
  actorId: number | null;
  actorName: string | null;
  comment: string | null;
  at: string; // ISO time
  /** A delegate's action (委托): the user they acted for ("X 代 Y"). */
  onBehalfOfId?: number | null;
  onBehalfOfName?: string | null;
  /** A transfer (转交): the user the task went to. */
  toUserId?: number | null;
  toUserName?: string | null;
}

export interface OpenTaskView {
  taskId: string;
  step: TaskStep;
  round: number;
  assigneeRole: string;
  /** When the step began: due and reminder times are measured from here, also after a policy change. */
  startedAt: string;
  dueAt: string | null;
  remindAt: string | null;
  reminded: boolean;
  overdue: boolean;
  /** The named person who holds the task (absent: anyone with the role in scope). Optional: older runs carry none. */
  assigneeUserId?: number | null;
  /** When the task went to a delegate (委托), the user the delegate acts for. */
  onBehalfOf?: number | null;
  /** Display names of the two above (the timeline shows "X 代 Y"). */
  assigneeName?: string | null;
  onBehalfOfName?: string | null;
  /** When the task was last urged (催办): the next urge waits for the configured interval. */
  urgedAt?: string | null;
}

/** Where the workflow is: the registration status, with the goal review split into its two steps. */
export type WorkflowPhase = Exclude<RegistrationStatus, 'goal_review'> | 'goal_report' | 'goal_rating';
export const FINAL_PHASES: readonly WorkflowPhase[] = ['closed', 'rejected', 'withdrawn'];

export function statusOfPhase(phase: WorkflowPhase): RegistrationStatus {
  return phase === 'goal_report' || phase === 'goal_rating' ? 'goal_review' : phase;
}

export interface RegistrationWorkflowState {
  status: RegistrationStatus;
  phase: WorkflowPhase;
  /** Pass through the approval chain: a return or an edit of signed content starts a new one. */
  round: number;
  /** Goal review cycle: 1 for the first review, 2 after rectification. */
  reviewCycle: number;
  openTask: OpenTaskView | null;
  history: StepHistoryEntry[];
  approvedAt: string | null;
  reviewDueAt: string | null;
  /** When the rectification after a failed review began (its end = this + rectification_period). */
  rectificationStartedAt: string | null;
  rectificationDueAt: string | null;
  /** Whether the lead school was told the running period (review or rectification) is ending. */
  periodReminded: boolean;
  outcome: RegistrationOutcome | null;
  /** The policies in force, as last loaded or signalled. */
  policies: DeadlinePolicy[];
  /** 1 for the first run; +1 at every continue-as-new. */
  runNumber: number;
  /**
   * The number of the workflow's latest status write. Every status write an activity makes carries
   * it and applies only when newer than the stored one, so a late retry never moves status back.
   * Absent in state carried from runs before it existed (read as 0).
   */
  processSeq?: number;
  /**
   * The deadline-policy version this workflow last read on waking for a timer (absent until its
   * first such wake): a newer one means a change it may not have been told of, so it moves its
   * deadlines before reminding or escalating.
   */
  policyVersion?: number;
  /**
   * Every task of the step now open (会签/或签, 加签), with its state; `openTask` is the first
   * open one of them. Absent (null) while a step holds one task the old way.
   */
  stepTasks?: StepTasksState | null;
  /** After a return to an earlier step: the step the chain resumes at once the unchanged steps are skipped. */
  resumeTo?: TaskStep | null;
  /**
   * The latest decisions applied, by Update id, with their answers. A retried request (the same
   * Idempotency-Key, hence the same Update id) gets its first answer instead of a refusal, also
   * after continue-as-new (Temporal deduplicates Update ids within one run only). Newest last.
   */
  decided?: DecidedUpdate[] | null;
}

/**
 * One applied Update and its answer. `update` absent: a decision (completeTask, the only kind
 * remembered before). A submit or withdrawal answers the state, so only its status is kept: its
 * retry is answered the state as it then stands.
 */
export type DecidedUpdate =
  | { updateId: string; update?: 'completeTask'; result: CompleteTaskResult }
  | { updateId: string; update: 'addApprover'; result: AddApproverResult }
  | { updateId: string; update: 'submit' | 'withdraw'; result: { status: RegistrationStatus } };
export type DecidedUpdateKind = NonNullable<DecidedUpdate['update']>;
/** How many applied decisions the state remembers (a retry comes within minutes, after a few decisions at most). */
export const DECIDED_UPDATES_KEPT = 20;

/** A registration before any decision: a new workflow's state, and the API's view of one never started. */
export function initialWorkflowState(): RegistrationWorkflowState {
  return {
    status: 'draft',
    phase: 'draft',
    round: 0,
    reviewCycle: 0,
    openTask: null,
    history: [],
    approvedAt: null,
    reviewDueAt: null,
    rectificationStartedAt: null,
    rectificationDueAt: null,
    periodReminded: false,
    outcome: null,
    policies: [],
    runNumber: 1,
    processSeq: 0,
  };
}

// --- message payloads ----------------------------------------------------------------------------

/** One goal of a goal report, and one goal's rating: the shapes of payloads.ts. */
export type GoalReportItem = DecisionPayload<'report'>['goals'][number];
export type GoalRatingItem = DecisionPayload<'rate'>['ratings'][number];

/**
 * What each action carries in `payload` as the workflow receives it (payloads.ts defines them; the
 * API turns `sign`'s signatureImage into a stored signatureFileId first).
 */
export type ActionPayloads = { [A in TaskAction]: DecisionPayload<A> };

export interface CompleteTaskInput {
  taskId: string;
  action: TaskAction;
  comment?: string | null;
  payload?: Record<string, unknown>;
  actor: WorkflowActor;
}
export interface CompleteTaskResult {
  taskId: string;
  step: TaskStep;
  action: TaskAction;
  status: RegistrationStatus;
  /** The next open task, when the decision opened one. */
  nextTaskId: string | null;
}

/**
 * An edit of a registration that is past draft (signed, awaiting the bureau). The API has checked
 * the form; the hashes say whether the signed content changes (then the signature is void).
 */
export interface SignedContentEditInput {
  actor: WorkflowActor;
  /** The validated form as the API would write it (the activity writes it). */
  content: Record<string, unknown>;
  /** The version the editor started from: a newer stored version refuses the edit. */
  version: number;
  beforeHash: string;
  afterHash: string;
}
export interface SignedContentEditResult {
  /** Whether the edit changed what was signed (signature void, back to signing). */
  voidedSignature: boolean;
  status: RegistrationStatus;
}

// --- collaboration on a step: 会签/或签, 加签, return to a chosen step ------------------------------

/** single: one task for the step's role; all (会签): every named approver; any (或签): the first of them. */
export const APPROVER_MODES = ['single', 'all', 'any'] as const;
export type ApproverMode = (typeof APPROVER_MODES)[number];

export type StepTaskStatus = 'open' | 'waiting' | 'done' | 'cancelled';

/** One task of a step holding several (an approver of 会签/或签, or someone added by 加签). */
export interface StepTask extends OpenTaskView {
  /** Its slot in the step (the inbox row's key with registration, step and round). */
  slot: number;
  taskStatus: StepTaskStatus;
  /** approver: counts for the step's mode; added: put in by 加签. */
  kind: 'approver' | 'added';
  /** For an added task: the task it was added from, by whom, where, and why. */
  forTaskId?: string | null;
  addedBy?: number | null;
  position?: AddApproverPosition | null;
  reason?: string | null;
  assigneeName?: string | null;
  /** Users added after this task's holder: their tasks open once this one is approved. */
  pendingAfter?: { userId: number; name: string; reason: string }[];
  outcome?: string | null;
  completedBy?: number | null;
  completedAt?: string | null;
}

export interface StepTasksState {
  step: TaskStep;
  round: number;
  mode: ApproverMode;
  tasks: StepTask[];
}

export const ADD_APPROVER_POSITIONS = ['before', 'after'] as const;
export type AddApproverPosition = (typeof ADD_APPROVER_POSITIONS)[number];

/** 加签: the task's actor adds `userId` before or after themselves. The API has checked the user exists and is active. */
export interface AddApproverInput {
  taskId: string;
  actor: WorkflowActor;
  /** The added user as the rules see them (role and scope). */
  user: { id: number; name: string; roles: string[]; schoolId: number | null; districtId: number | null };
  position: AddApproverPosition;
  reason: string;
}
export interface AddApproverResult {
  taskId: string;
  /** The added user's task, when it opened now (before); null for after (it opens when the adder approves). */
  addedTaskId: string | null;
  status: RegistrationStatus;
}

/** Where a return may send the registration: the drafter, or an earlier step of the round. */
export type ReturnTarget = 'draft' | TaskStep;
