/**
 * Activities of the policy-propagation workflow (pages of registrations to signal, progress), and
 * the policy version a registration workflow reads on waking to know whether it missed a change.
 */
import { loadPolicies } from '../../domain/policies/repository';
import { countRegistrationsTimedBy, currentVersion, findVersion, recordProgress, registrationsTimedByPage, type PropagationStatus } from '../../domain/policies/versions';
import type { DeadlinePolicy, PolicyKey } from '../../workflows/shared';
import type { ActivityDeps } from './context';

export function policyPropagationActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    /** The change to carry out; fails (and is retried) until the API's transaction has committed it. */
    async beginPolicyPropagation(input: { version: number }): Promise<{ step: PolicyKey; total: number }> {
      // The API commits the version just after starting the workflow: give that commit a moment before failing the attempt.
      let version = await findVersion(db, input.version);
      for (let i = 0; !version && i < 20; i++) {
        await new Promise((r) => setTimeout(r, 100));
        version = await findVersion(db, input.version);
      }
      if (!version) throw new Error(`policy version ${input.version} not recorded`);
      return { step: version.step, total: version.total || (await countRegistrationsTimedBy(db, version.step)) };
    },

    async registrationsToMove(input: { step: PolicyKey; after: string | null; limit: number }): Promise<string[]> {
      return registrationsTimedByPage(db, input.step, { after: input.after, limit: input.limit });
    },

    async recordPropagationProgress(input: { version: number; status: PropagationStatus; moved: number; skipped: number; cursor: string | null }): Promise<void> {
      await recordProgress(db, input);
    },

    /**
     * The newest policy version and the policies in force: a registration workflow that wakes
     * compares the version with the one it last applied, so none stays on an old deadline.
     */
    async currentPolicyVersion(): Promise<{ version: number; policies: DeadlinePolicy[] }> {
      const [version, policies] = await Promise.all([currentVersion(db), loadPolicies(db)]);
      return { version, policies: Object.values(policies) };
    },
  };
}
