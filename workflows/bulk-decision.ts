/**
 * A bulk decision (e.g. the bureau clearing 1,000 approvals) as a server-side job: one workflow
 * per job decides each task through the same path as a single decision (an activity sends the
 * registration workflow its Update), a few at a time, and answers its progress and per-item results
 * to a query. Closing the browser tab does not stop it; a worker crash resumes it where it was.
 */
import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../worker/activities/index';
import type { BulkItemOutcome, BulkDecisionInput } from './shared-bulk';

export type { BulkItemOutcome, BulkDecisionInput } from './shared-bulk';

export interface BulkProgress {
  actorId: number;
  action: string;
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  finished: boolean;
  /** One per id, in the order sent; null while not decided yet. */
  results: (BulkItemOutcome | null)[];
}

export const bulkProgressQuery = defineQuery<BulkProgress>('bulkProgress');

/** Decisions in flight at once: each waits on its registration's workflow, not on this machine. */
export const BULK_CONCURRENCY = 8;

const { decideTaskForBulk } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

export async function bulkDecisionWorkflow(input: BulkDecisionInput): Promise<BulkProgress> {
  const results: (BulkItemOutcome | null)[] = input.ids.map(() => null);
  let finished = false;
  const progress = (): BulkProgress => {
    const decided = results.filter((r): r is BulkItemOutcome => r !== null);
    const succeeded = decided.filter((r) => r.ok).length;
    return { actorId: input.actorId, action: input.action, total: results.length, done: decided.length, succeeded, failed: decided.length - succeeded, finished, results };
  };
  setHandler(bulkProgressQuery, progress);

  let next = 0;
  const lane = async () => {
    while (next < input.ids.length) {
      const i = next++;
      try {
        results[i] = await decideTaskForBulk({ actorId: input.actorId, taskId: input.ids[i], action: input.action, comment: input.comment, payload: input.payload });
      } catch {
        results[i] = { id: input.ids[i], ok: false, status: 503, code: 'unavailable', message: '暂时无法处理，请稍后重试 / Could not be decided now; try again later' };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, input.ids.length) }, lane));
  finished = true;
  return progress();
}
