/**
 * One item of a bulk decision: the same checks and the same Update as a single decision
 * (api/usecases/tasks completeTask), as the user stands now in the database (a deactivated user or
 * a lost role stops the rest of their job).
 */
import { Context } from '@temporalio/activity';
import { AppError } from '../../api/errors';
import type { Actor } from '../../api/middleware/auth';
import type { Role } from '../../api/rights';
import { completeTask } from '../../api/usecases/tasks';
import type { BulkItemOutcome } from '../../workflows/shared-bulk';
import type { ActivityDeps } from './context';

export function bulkActivities(deps: ActivityDeps) {
  return {
    async decideTaskForBulk(input: { actorId: number; taskId: string; action: string; comment: string | null; payload: Record<string, unknown> | null }): Promise<BulkItemOutcome> {
      const id = input.taskId;
      const user = await deps.db('users').where({ id: input.actorId }).first('id', 'username', 'name', 'roles', 'schoolId', 'districtId', 'active');
      if (!user || !user.active) return { id, ok: false, status: 403, code: 'forbidden', message: '账号已停用 / The account is no longer active' };
      const actor: Actor = { id: user.id, username: user.username, name: user.name, roles: user.roles as Role[], schoolId: user.schoolId, districtId: user.districtId };
      // A retried attempt may find its own earlier decision applied: that is this item's success.
      if (Context.current().info.attempt > 1) {
        const row = await deps.db('tasks').where({ id }).first('status', 'completedBy');
        if (row?.status === 'done' && row.completedBy === actor.id) return { id, ok: true, status: 200 };
      }
      try {
        await completeTask({ db: deps.db, temporal: Context.current().client }, actor, id, { action: input.action, comment: input.comment, payload: input.payload });
        return { id, ok: true, status: 200 };
      } catch (err) {
        if (err instanceof AppError && err.status < 500) {
          return { id, ok: false, status: err.status, code: err.code, message: err.message, ...(err.errors ? { errors: err.errors } : {}) };
        }
        throw err; // retried by the workflow's policy
      }
    },
  };
}
