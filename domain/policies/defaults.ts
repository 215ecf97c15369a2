/**
 * The deadline policies a fresh installation starts with. Administrators change them in the
 * console; the seed only inserts rows that are missing, so their changes survive every restart.
 */
import type { DeadlinePolicy, PolicyKey } from '../process/vocabulary';

const DAY = 24 * 3600;

export const DEFAULT_DEADLINE_POLICIES: Record<PolicyKey, Omit<DeadlinePolicy, 'step'>> = {
  // School steps escalate to the district's bureau; bureau steps to the administrators.
  lead_school_opinion: { dueSeconds: 3 * DAY, remindBeforeSeconds: 1 * DAY, escalateToRole: 'bureau_approver' },
  principal_signature: { dueSeconds: 3 * DAY, remindBeforeSeconds: 1 * DAY, escalateToRole: 'bureau_approver' },
  bureau_approval: { dueSeconds: 5 * DAY, remindBeforeSeconds: 1 * DAY, escalateToRole: 'admin' },
  goal_report: { dueSeconds: 30 * DAY, remindBeforeSeconds: 7 * DAY, escalateToRole: 'bureau_approver' },
  goal_rating: { dueSeconds: 15 * DAY, remindBeforeSeconds: 3 * DAY, escalateToRole: 'admin' },
  // Periods: the review falls due two years after approval; a failed review opens 180 days of rectification.
  // Their reminder lead tells the lead school the review is coming.
  review_period: { dueSeconds: 63_072_000, remindBeforeSeconds: 30 * DAY, escalateToRole: null },
  rectification_period: { dueSeconds: 180 * DAY, remindBeforeSeconds: 14 * DAY, escalateToRole: null },
};

export const defaultPolicy = (step: PolicyKey): DeadlinePolicy => ({ step, ...DEFAULT_DEADLINE_POLICIES[step] });
