/**
 * Items of a bulk decision: the same checks and the same Update as a single decision
 * (api/usecases/tasks decideTask), as the user stands now in the database (a deactivated user or
 * a lost role stops the rest of their job).
 *
 * decideTasksForBulk takes a batch: its items' Updates wait on their registrations' workflows (and
 * those workflows' own activities), not on this worker, so one activity slot carries a batch of them
 * at once instead of one slot idling per item while the workflows' activities queue for the rest.
 */
import { Context } from '@temporalio/activity';
import { AppError } from '../../api/errors';
import type { Actor } from '../../api/middleware/auth';
import type { Role } from '../../api/rights';
import { decideTask } from '../../api/usecases/tasks';
import type { BulkBatchInput, BulkItemOutcome } from '../../workflows/shared-bulk';
import type { ActivityDeps } from './context';

type ItemInput = { actorId: number; taskId: string; action: string; comment: string | null; payload: Record<string, unknown> | null };

const UNAVAILABLE = '暂时无法处理，请稍后重试 / Could not be decided now; try again later';

export function bulkActivities(deps: ActivityDeps) {
  const actorOf = async (actorId: number): Promise<Actor | null> => {
    const user = await deps.db('users').where({ id: actorId }).first('id', 'username', 'name', 'roles', 'schoolId', 'districtId', 'active');
    if (!user || !user.active) return null;
    return { id: user.id, username: user.username, name: user.name, roles: user.roles as Role[], schoolId: user.schoolId, districtId: user.districtId };
  };
  const inactive = (id: string): BulkItemOutcome => ({ id, ok: false, status: 403, code: 'forbidden', message: '账号已停用 / The account is no longer active' });

  /** Whether this actor's decision on the task is already applied (an earlier attempt's Update got through). */
  const alreadyDecidedBy = async (actor: Actor, taskId: string) => {
    const row = await deps.db('tasks').where({ id: taskId }).first('status', 'completedBy');
    return row?.status === 'done' && row.completedBy === actor.id;
  };

  /** One item; a client's refusal (4xx) is its outcome, anything else is thrown. */
  const decideOne = async (actor: Actor, input: Omit<ItemInput, 'actorId'>): Promise<BulkItemOutcome> => {
    const id = input.taskId;
    try {
      const decision = await decideTask({ db: deps.db, temporal: Context.current().client }, actor, id, { action: input.action, comment: input.comment, payload: input.payload });
      // Delivered but not applied yet: it will be, without a second Update (a single decision answers 202 here).
      return decision.busy ? { id, ok: true, status: 202, code: decision.busy.code, message: decision.busy.message } : { id, ok: true, status: 200 };
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        return { id, ok: false, status: err.status, code: err.code, message: err.message, ...(err.errors ? { errors: err.errors } : {}) };
      }
      throw err;
    }
  };

  return {
    /** One item per activity: the jobs started before batches replay with it. */
    async decideTaskForBulk(input: ItemInput): Promise<BulkItemOutcome> {
      const id = input.taskId;
      const actor = await actorOf(input.actorId);
      if (!actor) return inactive(id);
      // A retried attempt may find its own earlier decision applied: that is this item's success.
      if (Context.current().info.attempt > 1 && (await alreadyDecidedBy(actor, id))) return { id, ok: true, status: 200 };
      return decideOne(actor, input);
    },

    /**
     * A batch of items, all at once; one outcome per item, in order. An item that failed for a
     * reason other than a refusal (the workflow service or the database away) is answered
     * `retry: true`, and the job sends it again later. Items named in `retried` were sent before:
     * an earlier Update may have got through, which is their success.
     */
    async decideTasksForBulk(input: BulkBatchInput): Promise<BulkItemOutcome[]> {
      const ctx = Context.current();
      // A retried attempt (the worker was lost) resumes from the outcomes it reported so far.
      const known = new Map<string, BulkItemOutcome>(((ctx.info.attempt > 1 ? ctx.info.heartbeatDetails : null) as BulkItemOutcome[] | null)?.map((o) => [o.id, o]) ?? []);
      const actor = await actorOf(input.actorId);
      if (!actor) return input.taskIds.map(inactive);
      const sentBefore = new Set([...(input.retried ?? []), ...(ctx.info.attempt > 1 ? input.taskIds : [])]);
      const outcomes = await Promise.all(
        input.taskIds.map(async (id): Promise<BulkItemOutcome> => {
          const earlier = known.get(id);
          if (earlier) return earlier;
          let outcome: BulkItemOutcome;
          try {
            outcome = sentBefore.has(id) && (await alreadyDecidedBy(actor, id)) ? { id, ok: true, status: 200 } : await decideOne(actor, { taskId: id, action: input.action, comment: input.comment, payload: input.payload });
          } catch (err) {
            deps.logger.warn({ err, taskId: id }, 'bulk item not decided; the job retries it');
            outcome = { id, ok: false, status: 503, code: 'unavailable', message: UNAVAILABLE, retry: true };
          }
          known.set(id, outcome);
          ctx.heartbeat([...known.values()]);
          return outcome;
        }),
      );
      return outcomes;
    },
  };
}
