import { loadPolicies } from '../../domain/policies/repository';
import type { DeadlinePolicy } from '../../workflows/shared';
import { bulkActivities } from './bulk';
import { createNotifier, type ActivityDeps } from './context';
import { decisionActivities } from './decisions';
import { reviewActivities } from './review';
import { taskActivities } from './tasks';

export type { ActivityDeps } from './context';

/** All I/O of the registration workflow, built from its dependencies. Every activity is idempotent. */
export function createActivities(deps: ActivityDeps) {
  const notify = createNotifier(deps);
  return {
    ...taskActivities(deps, notify),
    ...decisionActivities(deps, notify),
    ...reviewActivities(deps, notify),
    ...bulkActivities(deps),
    /** The policies in force (a default stands in for a missing row). */
    async loadDeadlinePolicies(): Promise<DeadlinePolicy[]> {
      return Object.values(await loadPolicies(deps.db));
    },
  };
}
export type Activities = ReturnType<typeof createActivities>;
