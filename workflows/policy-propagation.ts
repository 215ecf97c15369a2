/**
 * Carries a deadline-policy change to the registrations in flight: signals each registration
 * workflow whose running timer the changed policy governs, in batches, recording progress as it
 * goes. Durable (an API restart loses nothing) and resumable: it continues as new with a cursor.
 */
import { continueAsNew, defineQuery, getExternalWorkflowHandle, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PropagationStatus } from '../domain/policies/versions';
import type { Activities } from '../worker/activities/index';
import { policiesChangedSignal, registrationWorkflowId, type PolicyKey } from './shared';

export const POLICY_PROPAGATION_WORKFLOW_TYPE = 'policyPropagationWorkflow';
/**
 * A version number is unique in one database only; the workflow id must be unique in the Temporal
 * namespace, which a restored database or a second deployment may share: hence the random part.
 */
export const policyPropagationWorkflowId = (version: number | string, unique: string) => `policy-propagation-${version}-${unique}`;

export interface PolicyPropagationInput {
  /** The policy_versions row this run carries out. */
  version: number;
  /** Registrations per batch (signalled concurrently). */
  batchSize?: number;
  /** Batches per run before continuing as new (each signal adds a few history events). */
  batchesPerRun?: number;
  /** Carried across continue-as-new. */
  carried?: PolicyPropagationProgress;
}

export interface PolicyPropagationProgress {
  version: number;
  step: PolicyKey | null;
  status: PropagationStatus;
  /** Registrations to move, counted when the change was made. */
  total: number;
  /** Signalled and took it. */
  moved: number;
  /** Whose process had already ended (nothing to move). */
  skipped: number;
  /** The last registration id handled: the next batch starts after it. */
  cursor: string | null;
}

export const propagationProgressQuery = defineQuery<PolicyPropagationProgress>('progress');

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
// The version row is written by the API right after it starts this workflow: wait briefly for it, then give up.
const begin = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 3 },
});

export async function policyPropagationWorkflow(input: PolicyPropagationInput): Promise<PolicyPropagationProgress> {
  const batchSize = input.batchSize ?? 100;
  const batchesPerRun = input.batchesPerRun ?? 10;
  let progress: PolicyPropagationProgress = input.carried ?? { version: input.version, step: null, status: 'propagating', total: 0, moved: 0, skipped: 0, cursor: null };
  setHandler(propagationProgressQuery, () => progress);

  if (!input.carried) {
    try {
      const started = await begin.beginPolicyPropagation({ version: input.version });
      progress = { ...progress, step: started.step, total: started.total };
    } catch {
      // The change was never committed (the API failed after starting us): nothing to carry out.
      progress = { ...progress, status: 'abandoned' };
      return progress;
    }
  }

  for (let batch = 0; ; batch++) {
    if (batch >= batchesPerRun || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof policyPropagationWorkflow>({ ...input, carried: progress });
    }
    const ids = await acts.registrationsToMove({ step: progress.step!, after: progress.cursor, limit: batchSize });
    if (!ids.length) break;
    // The policies in force now (a later change may already have landed; never send an older one).
    const policies = await acts.loadDeadlinePolicies();
    const delivered = await Promise.all(
      ids.map((id) =>
        getExternalWorkflowHandle(registrationWorkflowId(id))
          .signal(policiesChangedSignal, { policies })
          .then(
            () => true,
            () => false, // the registration's process has ended: no timer to move
          ),
      ),
    );
    const moved = delivered.filter(Boolean).length;
    progress = { ...progress, moved: progress.moved + moved, skipped: progress.skipped + ids.length - moved, cursor: ids[ids.length - 1] };
    await acts.recordPropagationProgress({ ...progress });
  }
  progress = { ...progress, status: 'done' };
  await acts.recordPropagationProgress({ ...progress });
  return progress;
}
