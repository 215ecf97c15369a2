/**
 * Due and reminder times, always measured from when the step (or period) began, so a policy
 * change moves them without restarting anything. Pure: used by the workflow and its activities.
 *
 * A policy gives its due time in exactly one unit: seconds (`dueSeconds`), working days
 * (`dueWorkingDays`: the end of the n-th working day, 18:00 China time), working hours
 * (`dueWorkingHours`: counted 09:00–18:00 China time on working days) or calendar months
 * (`dueMonths`, for the review and rectification periods: landing on a working day). The reminder
 * lead is seconds (`remindBeforeSeconds`) or working days (`remindBeforeWorkingDays`). The
 * working-day calendar is passed in: the worker's activities pass China's official calendar with
 * the administrators' overrides (domain/calendar); the workflow never reads a calendar itself, and
 * without one (histories from before working days) Monday–Friday stands in.
 */
import { dueAfterMonths, dueAfterWorkingDays, dueAfterWorkingHours, remindBeforeWorkingDays, weekdaysOnly, type WorkingDayLookup } from './calendar';
import type { DeadlinePolicy } from './vocabulary';

export interface Deadlines {
  dueAt: string;
  /** Null when the policy has no reminder lead. Never before the start. */
  remindAt: string | null;
}

export type DeadlinePolicyTimes = Pick<DeadlinePolicy, 'dueSeconds' | 'remindBeforeSeconds' | 'dueWorkingDays' | 'remindBeforeWorkingDays' | 'dueMonths' | 'dueWorkingHours'>;

/** Whether the policy's times depend on the working-day calendar (a calendar change moves them). */
export const usesCalendar = (p: Partial<DeadlinePolicyTimes>): boolean => (p.dueWorkingDays ?? 0) > 0 || (p.dueWorkingHours ?? 0) > 0 || (p.dueMonths ?? 0) > 0 || (p.remindBeforeWorkingDays ?? 0) > 0;

export function deadlinesFrom(startedAt: string, policy: DeadlinePolicyTimes, isWorkingDay: WorkingDayLookup = weekdaysOnly): Deadlines {
  const start = Date.parse(startedAt);
  let due: number;
  if (policy.dueWorkingDays != null && policy.dueWorkingDays > 0) due = Date.parse(dueAfterWorkingDays(startedAt, policy.dueWorkingDays, isWorkingDay));
  else if (policy.dueWorkingHours != null && policy.dueWorkingHours > 0) due = Date.parse(dueAfterWorkingHours(startedAt, policy.dueWorkingHours, isWorkingDay));
  else if (policy.dueMonths != null && policy.dueMonths > 0) due = Date.parse(dueAfterMonths(startedAt, policy.dueMonths, isWorkingDay));
  else due = start + (policy.dueSeconds ?? 0) * 1000;
  const dueAt = new Date(due).toISOString();
  let remindAt: string | null = null;
  if (policy.remindBeforeWorkingDays != null && policy.remindBeforeWorkingDays > 0) remindAt = remindBeforeWorkingDays(startedAt, dueAt, policy.remindBeforeWorkingDays, isWorkingDay);
  else if (policy.remindBeforeSeconds > 0) remindAt = new Date(Math.max(start, due - policy.remindBeforeSeconds * 1000)).toISOString();
  return { dueAt, remindAt };
}

/** Step names for people: Chinese first, English second (notification titles read "中文 — 名称 / English"). */
export const STEP_LABELS: Record<string, { zh: string; en: string }> = {
  lead_school_opinion: { zh: '牵头学校意见', en: 'lead-school opinion' },
  principal_signature: { zh: '校长签名盖章', en: 'principal signature and stamp' },
  bureau_approval: { zh: '教育局审批', en: 'bureau approval' },
  goal_report: { zh: '目标达成情况报告', en: 'goal report' },
  goal_rating: { zh: '目标评定', en: 'goal rating' },
};
