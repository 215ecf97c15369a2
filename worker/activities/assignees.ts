/**
 * Tasks for people, as they land in Postgres: who a task is named for when it opens (and where
 * delegations send it), a transfer (转交), an urge (催办). Each activity is one transaction under
 * a dedupe key: a retry writes nothing twice.
 */
import { appendAuditEvent } from '../../domain/audit';
import { routeThroughDelegations, type Routed } from '../../domain/tasks/delegations';
import { notifyUsers, recipientsFor, type NewNotification } from '../../domain/tasks/notifications';
import { STEP_LABELS } from '../../workflows/deadlines';
import { STEP_RULES, type TaskStep, type WorkflowActor } from '../../workflows/shared';
import { actorFields, registrationFacts, type ActivityDeps, type Conn, type RegistrationFacts } from './context';

/** Steps whose single holder in scope is named on the task: the school's principal signs in person (with the school's stamp). */
export const NAMED_STEPS: readonly TaskStep[] = ['principal_signature'];

/**
 * Who a task opening at `at` is named for, or null (the step's role in scope, as before):
 * - exactly one active user holds the step's role in the task's scope, and either the step is one
 *   held in person (NAMED_STEPS) or that user is away (has an active delegation): then the task is
 *   named for them, or for the end of their delegation chain, on their behalf;
 * - several holders share the step (a pool: any of them may act; a delegate there is not needed).
 */
export async function assigneeAtOpening(trx: Conn, reg: RegistrationFacts, step: TaskStep, at: Date): Promise<Routed | null> {
  const holders = await recipientsFor(trx, { role: STEP_RULES[step].role, schoolId: reg.schoolId, districtId: reg.districtId });
  if (holders.length !== 1) return null;
  const routed = await routeThroughDelegations(trx, holders[0], at);
  return routed.onBehalfOf != null || NAMED_STEPS.includes(step) ? routed : null;
}

/** The names of a task row's assignee and delegator (the row stores ids). */
export async function assigneeOfRow(trx: Conn, row: { assigneeUserId?: number | null; onBehalfOf?: number | null }): Promise<Routed | null> {
  if (row.assigneeUserId == null) return null;
  const users = (await trx('users').whereIn('id', [row.assigneeUserId, row.onBehalfOf ?? row.assigneeUserId]).select('id', 'name')) as { id: number; name: string }[];
  const name = (id: number | null | undefined) => users.find((u) => u.id === id)?.name ?? null;
  return { assigneeUserId: row.assigneeUserId, assigneeName: name(row.assigneeUserId) ?? '', onBehalfOf: row.onBehalfOf ?? null, onBehalfOfName: name(row.onBehalfOf) };
}

/** Notifies whoever holds the task: its named assignee, or every holder of its role in scope. */
export async function notifyTaskHolders(trx: Conn, deps: ActivityDeps, reg: RegistrationFacts, task: { assigneeRole?: string; assigneeUserId?: number | null } & Record<string, unknown>, n: NewNotification): Promise<number> {
  const base = { schoolId: reg.schoolId, registrationId: reg.id, ...n };
  if (task.assigneeUserId != null) {
    const user = await trx('users').where({ id: task.assigneeUserId }).first('id', 'name', 'email');
    return user ? notifyUsers(trx, [user], base, { email: deps.mailer.enabled }) : 0;
  }
  const role = String(task.assigneeRole);
  const recipients = await recipientsFor(trx, { role, schoolId: reg.schoolId, districtId: reg.districtId });
  return notifyUsers(trx, recipients, { ...base, recipientRole: role }, { email: deps.mailer.enabled });
}

type Who = Pick<WorkflowActor, 'id' | 'name'>;

export function assigneeActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    /** 转交: the task's new assignee (no longer on anyone's behalf), an audit event naming both people, the new assignee notified. */
    async recordTransfer(input: { registrationId: string; taskId: string; step: TaskStep; actor: Who; fromUserId: number | null; fromUserName: string | null; to: Who; reason: string; at: string }): Promise<void> {
      const dedupe = `task:${input.taskId}:transfer:${input.at}`;
      await db.transaction(async (trx) => {
        const reg = await registrationFacts(trx, input.registrationId);
        await trx('tasks').where({ id: input.taskId, status: 'open' }).update({ assigneeUserId: input.to.id, onBehalfOf: null, claimedBy: null, claimedAt: null, updatedAt: trx.fn.now() });
        await appendAuditEvent(trx, {
          action: 'task.transferred',
          ...actorFields(input.actor),
          registrationId: input.registrationId,
          details: { taskId: input.taskId, step: input.step, fromUserId: input.fromUserId, fromUserName: input.fromUserName, toUserId: input.to.id, toUserName: input.to.name, reason: input.reason },
          dedupeKey: dedupe,
        });
        const user = await trx('users').where({ id: input.to.id }).first('id', 'name', 'email');
        if (user) {
          await notifyUsers(
            trx,
            [user],
            {
              kind: 'task_transferred',
              dedupeKey: dedupe,
              taskId: input.taskId,
              schoolId: reg.schoolId,
              registrationId: reg.id,
              title: `转交待办：${STEP_LABELS[input.step].zh} — ${reg.name} / Task transferred to you: ${STEP_LABELS[input.step].en}`,
              body: `${input.actor.name} 转交给您，理由：${input.reason} / ${input.actor.name} transferred it to you: ${input.reason}`,
            },
            { email: deps.mailer.enabled },
          );
        }
      });
    },

    /** 催办: stamps the task, notifies whoever holds it, and records the audit event. */
    async recordUrge(input: { registrationId: string; taskId: string; step: TaskStep; actor: Who; message: string | null; at: string }): Promise<void> {
      const dedupe = `task:${input.taskId}:urge:${input.at}`;
      await db.transaction(async (trx) => {
        const task = await trx('tasks').where({ id: input.taskId }).first();
        if (!task) return;
        const reg = await registrationFacts(trx, input.registrationId);
        const stamped = await trx('auditEvents').where({ dedupeKey: dedupe }).first('id');
        if (!stamped) await trx('tasks').where({ id: input.taskId }).update({ urgedAt: new Date(input.at), urgeCount: trx.raw('urge_count + 1'), updatedAt: trx.fn.now() });
        await appendAuditEvent(trx, {
          action: 'task.urged',
          ...actorFields(input.actor),
          registrationId: input.registrationId,
          details: { taskId: input.taskId, step: input.step, message: input.message, assigneeUserId: task.assigneeUserId ?? null },
          dedupeKey: dedupe,
        });
        await notifyTaskHolders(trx, deps, reg, task, {
          kind: 'urged',
          dedupeKey: dedupe,
          taskId: input.taskId,
          title: `催办：${STEP_LABELS[input.step].zh} — ${reg.name} / Please act: ${STEP_LABELS[input.step].en}`,
          body: `${input.actor.name} 催办${input.message ? `：${input.message}` : ''} / ${input.actor.name} asks you to act${input.message ? `: ${input.message}` : ''}`,
        });
      });
    },
  };
}
