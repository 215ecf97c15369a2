import { loadPolicies } from '../../domain/policies/repository';
import type { DeadlinePolicy } from '../../workflows/shared';
import { assigneeActivities } from './assignees';
import { bulkActivities } from './bulk';
import { createNotifier, type ActivityDeps } from './context';
import { decisionActivities } from './decisions';
import { editActivities } from './edits';
import { withClassifiedErrors } from './errors';
import { policyPropagationActivities } from './policy-propagation';
import { reviewActivities } from './review';
import { stepTaskActivities } from './step-tasks';
import { taskActivities } from './tasks';

export type { ActivityDeps } from './context';

/**
 * All I/O of the registration workflow, built from its dependencies. Every activity is idempotent,
 * and a database refusing the data fails it for good (no retry loop on a value that can never be stored).
 */
export function createActivities(deps: ActivityDeps) {
  const notify = createNotifier(deps);
  return withClassifiedErrors({
    ...taskActivities(deps, notify),
    ...decisionActivities(deps, notify),
    ...reviewActivities(deps, notify),
    ...stepTaskActivities(deps, notify),
    ...editActivities(deps),
    ...policyPropagationActivities(deps),
    ...bulkActivities(deps),
    ...assigneeActivities(deps),
    /** The policies in force (a default stands in for a missing row). */
    async loadDeadlinePolicies(): Promise<DeadlinePolicy[]> {
      return Object.values(await loadPolicies(deps.db));
    },
  });
}
export type Activities = ReturnType<typeof createActivities>;
