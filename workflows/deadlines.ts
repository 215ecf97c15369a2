/**
 * Due and reminder times, always measured from when the step (or period) began, so a policy
 * change moves them without restarting anything. Pure: used by the workflow and its activities.
 */
import type { DeadlinePolicy } from './shared';

export interface Deadlines {
  dueAt: string;
  /** Null when the policy has no reminder lead. Never before the start. */
  remindAt: string | null;
}

export function deadlinesFrom(startedAt: string, policy: Pick<DeadlinePolicy, 'dueSeconds' | 'remindBeforeSeconds'>): Deadlines {
  const start = Date.parse(startedAt);
  const due = start + policy.dueSeconds * 1000;
  const remind = policy.remindBeforeSeconds > 0 ? Math.max(start, due - policy.remindBeforeSeconds * 1000) : null;
  return { dueAt: new Date(due).toISOString(), remindAt: remind === null ? null : new Date(remind).toISOString() };
}

export const STEP_LABELS: Record<string, string> = {
  lead_school_opinion: '牵头学校意见 / Lead-school opinion',
  principal_signature: '校长签名盖章 / Principal signature and stamp',
  bureau_approval: '教育局审批 / Bureau approval',
  goal_report: '目标达成情况报告 / Goal report',
  goal_rating: '目标评定 / Goal rating',
};
