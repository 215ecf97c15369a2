/**
 * A bulk decision (e.g. the bureau clearing 1,000 approvals) as a server-side job: one workflow
 * per job decides each task through the same path as a single decision (an activity sends the
 * registration workflow its Update) and answers its progress and per-item results to a query.
 * Closing the browser tab does not stop it; a worker crash resumes it where it was.
 *
 * Items go out in batches (decideTasksForBulk), several batches at once: an item's Update waits on
 * its registration's workflow, whose own activities write the decision, so a batch holds one activity
 * slot (one of the database pool's share) where one item each would leave those activities queueing.
 * Progress moves a batch at a time. An item not decided for a passing reason is sent again later.
 */
import { defineQuery, patched, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
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

/** Jobs started before batches replay one item per activity. */
export const BULK_BATCHES_PATCH = 'bulk-batches';
/** Items per activity, decided side by side; progress moves by this many. */
export const BULK_BATCH_SIZE = 8;
/** Batches in flight at once (activity slots the job holds; the worker runs as many as its database pool). */
export const BULK_BATCH_LANES = 4;
/** Rounds an item not decided for a passing reason is sent in, before its 503 stands. */
export const BULK_ITEM_ROUNDS = 5;

/** Decisions in flight at once in jobs from before batches. */
export const BULK_CONCURRENCY = 8;

const { decideTaskForBulk } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

// A batch reports each outcome as a heartbeat: a lost worker's batch is retried from there, soon.
const { decideTasksForBulk } = proxyActivities<Activities>({
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

const unavailable = (id: string): BulkItemOutcome => ({ id, ok: false, status: 503, code: 'unavailable', message: '暂时无法处理，请稍后重试 / Could not be decided now; try again later' });

export async function bulkDecisionWorkflow(input: BulkDecisionInput): Promise<BulkProgress> {
  const results: (BulkItemOutcome | null)[] = input.ids.map(() => null);
  let finished = false;
  const progress = (): BulkProgress => {
    const decided = results.filter((r): r is BulkItemOutcome => r !== null);
    const succeeded = decided.filter((r) => r.ok).length;
    return { actorId: input.actorId, action: input.action, total: results.length, done: decided.length, succeeded, failed: decided.length - succeeded, finished, results };
  };
  setHandler(bulkProgressQuery, progress);

  if (patched(BULK_BATCHES_PATCH)) await decideInBatches(input, results);
  else await decideOneByOne(input, results);
  finished = true;
  return progress();
}

async function decideInBatches(input: BulkDecisionInput, results: (BulkItemOutcome | null)[]): Promise<void> {
  let pending = input.ids.map((_, i) => i);
  for (let round = 1; pending.length; round++) {
    const lastRound = round === BULK_ITEM_ROUNDS;
    const queue = pending;
    pending = [];
    const lane = async () => {
      for (let batch = queue.splice(0, BULK_BATCH_SIZE); batch.length; batch = queue.splice(0, BULK_BATCH_SIZE)) {
        const taskIds = batch.map((i) => input.ids[i]);
        let outcomes: BulkItemOutcome[];
        try {
          outcomes = await decideTasksForBulk({ actorId: input.actorId, taskIds, action: input.action, comment: input.comment, payload: input.payload, ...(round > 1 ? { retried: taskIds } : {}) });
        } catch {
          outcomes = taskIds.map(unavailable);
        }
        batch.forEach((i, k) => {
          const { retry, ...outcome } = outcomes[k];
          if (retry && !lastRound) pending.push(i);
          else results[i] = outcome;
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_BATCH_LANES, Math.ceil(queue.length / BULK_BATCH_SIZE)) }, lane));
    if (pending.length) await sleep(1000 * 2 ** (round - 1));
  }
}

async function decideOneByOne(input: BulkDecisionInput, results: (BulkItemOutcome | null)[]): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < input.ids.length) {
      const i = next++;
      try {
        results[i] = await decideTaskForBulk({ actorId: input.actorId, taskId: input.ids[i], action: input.action, comment: input.comment, payload: input.payload });
      } catch {
        results[i] = unavailable(input.ids[i]);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, input.ids.length) }, lane));
}
