/**
 * Names shared by the api, the worker, the workflows and the tests: task queue, workflow ids,
 * statuses, steps and the workflow's message definitions. Importable from both sides (no I/O).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export const DEFAULT_TASK_QUEUE = 'registrations';
export const registrationWorkflowId = (registrationId: string) => `registration-${registrationId}`;
export const REGISTRATION_WORKFLOW_TYPE = 'registrationWorkflow';

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

export const TASK_STEPS = ['lead_school_opinion', 'principal_signature', 'bureau_approval', 'goal_report', 'goal_rating'] as const;
export type TaskStep = (typeof TASK_STEPS)[number];

/** Policy keys: every task step, plus the review and rectification periods. */
export const POLICY_KEYS = [...TASK_STEPS, 'review_period', 'rectification_period'] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

export const TASK_ACTIONS = ['opinion', 'sign', 'approve', 'return', 'reject', 'report', 'rate'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** Which role acts at each step, and which actions it may take there. */
export const STEP_RULES: Record<TaskStep, { role: string; actions: readonly TaskAction[] }> = {
  lead_school_opinion: { role: 'lead_school_leader', actions: ['opinion', 'return'] },
  principal_signature: { role: 'principal', actions: ['sign', 'return'] },
  bureau_approval: { role: 'bureau_approver', actions: ['approve', 'return', 'reject'] },
  goal_report: { role: 'school_staff', actions: ['report'] },
  goal_rating: { role: 'bureau_approver', actions: ['rate'] },
};

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
  dueSeconds: number;
  remindBeforeSeconds: number;
  escalateToRole: string | null;
}

export interface RegistrationWorkflowInput {
  registrationId: string;
  schoolId: number;
  districtId: number;
  submittedBy: WorkflowActor;
  /** Carried across continue-as-new. */
  carried?: RegistrationWorkflowState;
}

export interface StepHistoryEntry {
  step: TaskStep | 'submit' | 'withdraw' | 'content_edited';
  round: number;
  action: string;
  actorId: number | null;
  actorName: string | null;
  comment: string | null;
  at: string; // ISO time
}

export interface OpenTaskView {
  taskId: string;
  step: TaskStep;
  round: number;
  dueAt: string | null;
  remindAt: string | null;
  overdue: boolean;
}

export interface RegistrationWorkflowState {
  status: RegistrationStatus;
  round: number;
  reviewCycle: number;
  openTask: OpenTaskView | null;
  history: StepHistoryEntry[];
  approvedAt: string | null;
  reviewDueAt: string | null;
}

// --- messages -------------------------------------------------------------------------------

export interface CompleteTaskInput {
  taskId: string;
  action: TaskAction;
  comment?: string;
  payload?: Record<string, unknown>;
  actor: WorkflowActor;
}
export interface CompleteTaskResult {
  taskId: string;
  step: TaskStep;
  action: TaskAction;
  status: RegistrationStatus;
}

/** A human decision on the open task. The validator rejects wrong step, wrong actor, wrong action. */
export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskInput]>('completeTask');
/** The drafter resubmits after a return (the first submit starts the workflow). */
export const resubmitUpdate = defineUpdate<RegistrationWorkflowState, [{ actor: WorkflowActor }]>('resubmit');
/** The drafter withdraws before approval. */
export const withdrawUpdate = defineUpdate<RegistrationWorkflowState, [{ actor: WorkflowActor; reason?: string }]>('withdraw');
/** Signed content was edited: the signature is void and the registration goes back through signing. */
export const contentEditedSignal = defineSignal<[{ actorId: number; reason: string }]>('contentEdited');
/** Administrators changed deadline policies: open timers move to the new due times. */
export const policiesChangedSignal = defineSignal<[{ policies: DeadlinePolicy[] }]>('policiesChanged');
export const stateQuery = defineQuery<RegistrationWorkflowState>('state');
