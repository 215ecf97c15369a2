/**
 * Due and reminder times, always measured from when the step (or period) began, so a policy
 * change moves them without restarting anything. Pure: used by the workflow and its activities.
 */
import type { DeadlinePolicy } from './vocabulary';

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

/** Step names for people: Chinese first, English second (notification titles read "中文 — 名称 / English"). */
export const STEP_LABELS: Record<string, { zh: string; en: string }> = {
  lead_school_opinion: { zh: '牵头学校意见', en: 'lead-school opinion' },
  principal_signature: { zh: '校长签名盖章', en: 'principal signature and stamp' },
  bureau_approval: { zh: '教育局审批', en: 'bureau approval' },
  goal_report: { zh: '目标达成情况报告', en: 'goal report' },
  goal_rating: { zh: '目标评定', en: 'goal rating' },
};
