/**
 * Tasks for people: 转交 (POST /api/tasks/:id/transfer), 催办 (POST /api/tasks/:id/urge), the
 * users a task may go to, and the delegations resource (委托, /api/delegations).
 *
 * Transfer and urge are checked here first (scope, role, input: the early answer with field
 * errors), then sent to the registration's workflow as Updates whose validators decide over its
 * state (task still open, the actor, the target, the urge interval). Delegations are plain records:
 * they take effect when a task opens (worker/activities/assignees.ts).
 *
 * Delegation rule: the delegate stands in for the delegator on tasks named for the delegator, so
 * the delegate must be an active user who can see those tasks: for a school user (staff, leader,
 * principal) a user of the same school with a school role; for a bureau approver, a bureau approver
 * of the same district. A user delegates to one person at a time; chains stay acyclic and at most
 * MAX_DELEGATION_CHAIN links long.
 */
import { WorkflowUpdateFailedError, ApplicationFailure } from '@temporalio/client';
import { z } from 'zod';
import { appendAuditEvent } from '../../domain/audit';
import { DEFAULT_URGE_INTERVAL_SECONDS, MAX_DELEGATION_CHAIN, transferRefusal, urgerRefusal } from '../../domain/process/assignees';
import { actorAtStepRefusal } from '../../domain/process/rules';
import { firstUncleanText } from '../../domain/process/text';
import { delegationChainProblem, DELEGATION_SORTABLE, delegationsWithNames, toDelegation, type Delegation } from '../../domain/tasks/delegations';
import type { Task } from '../../domain/tasks/repository';
import type { Db } from '../../db/connection';
import { registrationWorkflowId } from '../../workflows/shared';
import { transferTaskUpdate, urgeTaskUpdate, type TransferTarget, type UrgeTaskResult } from '../../workflows/shared-collaboration';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { fetchPage, oneOrMany, whereOneOrMany, type ListQuery } from '../simple-rest';
import { intId, parseBody } from './input';
import { getTask } from './tasks';
import { boundedCall, enforce, refusalOf, workflowActorOf } from './workflow-calls';

const isAdmin = (a: Actor) => a.roles.includes('admin');
const SCHOOL_ROLES = ['school_staff', 'lead_school_leader', 'principal'];
const scopeOf = (task: Task) => ({ schoolId: task.schoolId ?? -1, districtId: task.districtId ?? -1 });
const TEXT_MAX = 500;
const noControl = (v: string) => firstUncleanText(v) === null;

interface UserRow {
  id: number;
  name: string;
  roles: string[];
  schoolId: number | null;
  districtId: number | null;
  active: boolean;
}
const userRow = (db: Db, id: number) => db('users').where({ id }).first('id', 'name', 'roles', 'schoolId', 'districtId', 'active') as Promise<UserRow | undefined>;

const stillOpen = (task: Task) => {
  if (task.status !== 'open') throw AppError.conflict(`任务已${task.status === 'done' ? '完成' : '取消'} / The task is ${task.status}`);
};

/** Runs an Update on the task's workflow; refusals become AppErrors (an urge too soon: 429 with the time it is next allowed). */
async function updateWorkflow<T>(deps: Pick<AppDeps, 'temporal'>, call: () => Promise<T>): Promise<T> {
  try {
    return await boundedCall(deps.temporal, call);
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const next = (err.cause.details?.[0] as { nextAllowedAt?: string } | undefined)?.nextAllowedAt;
      if (next) throw new UrgeTooSoon(err.cause.message, next);
    }
    throw refusalOf(err) ?? err;
  }
}

/** 催办 again before the interval has passed: 429 with when it is next allowed. */
export class UrgeTooSoon extends AppError {
  constructor(
    message: string,
    public readonly nextAllowedAt: string,
  ) {
    super(429, 'too_soon', message, { nextAllowedAt: `${next(nextAllowedAt)}` });
  }
}
const next = (iso: string) => `${iso} 之后可再次催办 / Can be urged again after ${iso}`;

// --- 转交 ----------------------------------------------------------------------------------------

export const transferBodySchema = z.object({
  toUserId: z.number({ error: '请选择转交对象 / Choose the user to transfer to' }).int('请选择转交对象 / Choose the user to transfer to').positive('请选择转交对象 / Choose the user to transfer to').max(2_147_483_647, '用户不存在 / No such user'),
  reason: z
    .string({ error: '请填写转交理由 / The reason is required' })
    .trim()
    .min(1, '请填写转交理由 / The reason is required')
    .max(TEXT_MAX, `转交理由不能超过 ${TEXT_MAX} 字 / At most ${TEXT_MAX} characters`)
    .refine(noControl, '含有控制字符 / Holds control characters'),
});

export async function transferTask(deps: Pick<AppDeps, 'db' | 'temporal'>, actor: Actor, id: string, rawBody: unknown): Promise<Task> {
  const { db } = deps;
  const task = await getTask(db, actor, id);
  const body = parseBody(transferBodySchema, rawBody);
  stillOpen(task);
  if (!isAdmin(actor) && task.claimedBy != null && task.claimedBy !== actor.id && task.assigneeUserId !== actor.id) {
    throw AppError.conflict('任务已被他人认领 / Someone else has claimed this task');
  }
  const target = await userRow(db, body.toUserId);
  const to: TransferTarget | null = target ? { id: target.id, name: target.name, roles: [...target.roles], schoolId: target.schoolId, districtId: target.districtId, active: target.active } : null;
  enforce(transferRefusal(workflowActorOf(actor), task, scopeOf(task), to, body.reason));
  await updateWorkflow(deps, () =>
    deps.temporal.workflow.getHandle(registrationWorkflowId(task.registrationId)).executeUpdate(transferTaskUpdate, {
      args: [{ taskId: id, actor: workflowActorOf(actor), to: to!, reason: body.reason }],
    }),
  );
  return getTask(db, actor, id);
}

/** The users an open task may be transferred to: active, holding the step's role in its scope, not the one who holds it now. */
export async function transferCandidates(db: Db, actor: Actor, id: string): Promise<{ id: number; name: string }[]> {
  const task = await getTask(db, actor, id);
  stillOpen(task);
  // Who may not transfer gets no list either.
  const who = transferRefusal(workflowActorOf(actor), task, scopeOf(task), null, 'reason');
  if (who?.kind === 'forbidden') enforce(who);
  const users = (await db('users').where({ active: true }).orderBy('name').orderBy('id').limit(500).select('id', 'name', 'roles', 'schoolId', 'districtId')) as UserRow[];
  const holder = task.assigneeUserId ?? (isAdmin(actor) ? null : actor.id);
  return users.filter((u) => u.id !== holder && actorAtStepRefusal(u, task.step, scopeOf(task)) === null).map((u) => ({ id: u.id, name: u.name }));
}

// --- 催办 ----------------------------------------------------------------------------------------

export const urgeBodySchema = z
  .object({
    message: z
      .string()
      .trim()
      .max(TEXT_MAX, `催办留言不能超过 ${TEXT_MAX} 字 / At most ${TEXT_MAX} characters`)
      .refine(noControl, '含有控制字符 / Holds control characters')
      .nullish(),
  })
  .default({});

export async function urgeIntervalSeconds(db: Db, step: string): Promise<number> {
  const row = await db('deadlinePolicies').where({ step }).first('urgeIntervalSeconds');
  return row?.urgeIntervalSeconds ?? DEFAULT_URGE_INTERVAL_SECONDS;
}

export async function urgeTask(deps: Pick<AppDeps, 'db' | 'temporal'>, actor: Actor, id: string, rawBody: unknown): Promise<Task & { urge: UrgeTaskResult }> {
  const { db } = deps;
  const task = await getTask(db, actor, id);
  const body = parseBody(urgeBodySchema, rawBody ?? {});
  stillOpen(task);
  enforce(urgerRefusal(actor, scopeOf(task)));
  const intervalSeconds = await urgeIntervalSeconds(db, task.step);
  const urge = await updateWorkflow(deps, () =>
    deps.temporal.workflow.getHandle(registrationWorkflowId(task.registrationId)).executeUpdate(urgeTaskUpdate, {
      args: [{ taskId: id, actor: workflowActorOf(actor), message: body.message || null, intervalSeconds }],
    }),
  );
  return { ...(await getTask(db, actor, id)), urge };
}

// --- 委托 ----------------------------------------------------------------------------------------

const WHAT = '委托 / Delegation';
const MAX_WINDOW_MS = 366 * 24 * 3600 * 1000;
const when = (field: string) =>
  z
    .string({ error: `请填写时间 / ${field} is required` })
    .refine((v) => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}/.test(v), '不是有效的时间 / Not a valid date and time');
const userId = z.number({ error: '请选择用户 / Choose a user' }).int('请选择用户 / Choose a user').positive('请选择用户 / Choose a user').max(2_147_483_647, '用户不存在 / No such user');

export const delegationBodySchema = z
  .object({
    fromUserId: userId.optional(),
    toUserId: userId,
    startsAt: when('startsAt'),
    endsAt: when('endsAt'),
    reason: z.string().trim().max(TEXT_MAX, `理由不能超过 ${TEXT_MAX} 字 / At most ${TEXT_MAX} characters`).refine(noControl, '含有控制字符 / Holds control characters').nullish(),
  })
  .superRefine((b, ctx) => {
    const s = Date.parse(b.startsAt);
    const e = Date.parse(b.endsAt);
    if (!Number.isNaN(s) && !Number.isNaN(e)) {
      if (e <= s) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: '结束时间须晚于开始时间 / The end must be after the start' });
      else if (e - s > MAX_WINDOW_MS) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: '委托期限不能超过一年 / A delegation lasts at most a year' });
      else if (e <= Date.now()) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: '结束时间已过 / The end is in the past' });
    }
  });

export const delegationFilterSchema = z.strictObject({
  id: oneOrMany(z.coerce.number().int().positive().max(2_147_483_647)).optional(),
  fromUserId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  toUserId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  active: z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean()).optional(),
});
export type DelegationFilter = z.infer<typeof delegationFilterSchema>;

/** A non-admin sees the delegations they gave or received; an administrator sees all. */
function visible(db: Db, actor: Actor) {
  const q = delegationsWithNames(db);
  if (!isAdmin(actor)) q.where((w) => w.where('d.fromUserId', actor.id).orWhere('d.toUserId', actor.id));
  return q;
}

export async function listDelegations(db: Db, actor: Actor, list: ListQuery<DelegationFilter>) {
  const base = visible(db, actor);
  whereOneOrMany(base, 'd.id', list.filter.id);
  if (list.filter.fromUserId !== undefined) base.where('d.fromUserId', list.filter.fromUserId);
  if (list.filter.toUserId !== undefined) base.where('d.toUserId', list.filter.toUserId);
  if (list.filter.active === true) base.where('d.startsAt', '<=', db.fn.now()).where('d.endsAt', '>', db.fn.now());
  if (list.filter.active === false) base.where((w) => w.where('d.startsAt', '>', db.fn.now()).orWhere('d.endsAt', '<=', db.fn.now()));
  const page = await fetchPage<Record<string, unknown>>(base, list, { sortable: DELEGATION_SORTABLE, tieBreaker: 'd.id' });
  return { rows: page.rows.map(toDelegation), total: page.total };
}

export async function getDelegation(db: Db, actor: Actor, rawId: string): Promise<Delegation> {
  const id = intId(rawId, WHAT);
  const row = await visible(db, actor).where('d.id', id).first();
  if (!row) throw AppError.notFound(WHAT);
  return toDelegation(row);
}

/** Whether `to` may stand in for `from` (see the rule above); the refusal names the field. */
function delegateRefusal(from: UserRow, to: UserRow | undefined): AppError | null {
  const bad = (zh: string, en: string) => AppError.badRequest('输入有误 / Invalid input', { toUserId: `${zh} / ${en}` });
  if (!to) return bad('受托人不存在', 'No such user');
  if (!to.active) return bad('受托人已停用', 'The delegate is deactivated');
  if (to.id === from.id) return bad('不能委托给自己', 'You cannot delegate to yourself');
  if (from.roles.includes('bureau_approver')) {
    if (!to.roles.includes('bureau_approver') || to.districtId == null || to.districtId !== from.districtId) return bad('受托人须为本区的教育局审批人', 'The delegate must be a bureau approver of the same district');
    return null;
  }
  if (!to.roles.some((r) => SCHOOL_ROLES.includes(r)) || to.schoolId == null || to.schoolId !== from.schoolId) return bad('受托人须为本校的教职人员', 'The delegate must be a staff member of the same school');
  return null;
}

async function checkedDelegation(db: Db, actor: Actor, rawBody: unknown, excludeId?: number, current?: Delegation) {
  const body = parseBody(delegationBodySchema, rawBody);
  const fromUserId = body.fromUserId ?? current?.fromUserId ?? actor.id;
  if (!isAdmin(actor) && fromUserId !== actor.id) throw AppError.forbidden('只能设置自己的委托 / You can only set your own delegations');
  const from = await userRow(db, fromUserId);
  if (!from) throw AppError.badRequest('输入有误 / Invalid input', { fromUserId: '委托人不存在 / No such user' });
  if (!from.roles.some((r) => SCHOOL_ROLES.includes(r) || r === 'bureau_approver')) {
    throw AppError.badRequest('输入有误 / Invalid input', { fromUserId: '委托人没有待办任务可委托 / This user has no tasks to delegate' });
  }
  const problem = delegateRefusal(from, await userRow(db, body.toUserId));
  if (problem) throw problem;
  const window = { fromUserId, toUserId: body.toUserId, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt) };
  return { body, window, excludeId };
}

async function refuseChainProblem(trx: Db, window: { fromUserId: number; toUserId: number; startsAt: Date; endsAt: Date }, excludeId?: number) {
  // One at a time: two delegations written at once cannot close a cycle between them.
  await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['delegations']);
  const problem = await delegationChainProblem(trx, window, excludeId);
  if (!problem) return;
  if (problem.kind === 'cycle') {
    throw AppError.conflict('该委托会形成循环（受托人在此期间已直接或间接委托给委托人） / This delegation would form a cycle: the delegate already delegates back to the delegator in this period', {
      toUserId: '委托不能形成循环 / A delegation cannot form a cycle',
    });
  }
  if (problem.kind === 'too_long') {
    throw AppError.conflict(`委托链过长（最多 ${MAX_DELEGATION_CHAIN} 级） / The delegation chain would be too long (at most ${MAX_DELEGATION_CHAIN} links)`, {
      toUserId: `委托链最多 ${MAX_DELEGATION_CHAIN} 级 / At most ${MAX_DELEGATION_CHAIN} links`,
    });
  }
  throw AppError.conflict('此期间已有委托，一个人同一时间只能委托一人 / There is already a delegation in this period; a user delegates to one person at a time', {
    startsAt: '与已有委托的时间重叠 / Overlaps an existing delegation',
  });
}

export async function createDelegation(db: Db, actor: Actor, rawBody: unknown): Promise<Delegation> {
  const { body, window } = await checkedDelegation(db, actor, rawBody);
  const id = await db.transaction(async (trx) => {
    await refuseChainProblem(trx as unknown as Db, window);
    const [row] = (await trx('delegations')
      .insert({ ...window, reason: body.reason || null, createdBy: actor.id })
      .returning('id')) as { id: number }[];
    await appendAuditEvent(trx, { action: 'delegation.created', actorId: actor.id, actorName: actor.name, details: { delegationId: row.id, ...window, reason: body.reason || null } });
    return row.id;
  });
  return getDelegation(db, actor, String(id));
}

export async function updateDelegation(db: Db, actor: Actor, rawId: string, rawBody: unknown): Promise<Delegation> {
  const current = await getDelegation(db, actor, rawId);
  if (!isAdmin(actor) && current.fromUserId !== actor.id) throw AppError.forbidden('只能修改自己的委托 / You can only change your own delegations');
  const { body, window } = await checkedDelegation(db, actor, rawBody, current.id, current);
  await db.transaction(async (trx) => {
    await refuseChainProblem(trx as unknown as Db, window, current.id);
    await trx('delegations').where({ id: current.id }).update({ ...window, reason: body.reason || null, updatedAt: trx.fn.now() });
    await appendAuditEvent(trx, { action: 'delegation.updated', actorId: actor.id, actorName: actor.name, details: { delegationId: current.id, ...window, reason: body.reason || null } });
  });
  return getDelegation(db, actor, String(current.id));
}

export async function deleteDelegation(db: Db, actor: Actor, rawId: string): Promise<Delegation> {
  const current = await getDelegation(db, actor, rawId);
  if (!isAdmin(actor) && current.fromUserId !== actor.id) throw AppError.forbidden('只能删除自己的委托 / You can only delete your own delegations');
  await db.transaction(async (trx) => {
    await trx('delegations').where({ id: current.id }).del();
    await appendAuditEvent(trx, { action: 'delegation.deleted', actorId: actor.id, actorName: actor.name, details: { delegationId: current.id, fromUserId: current.fromUserId, toUserId: current.toUserId } });
  });
  return current;
}

/** The users who may stand in for `fromUserId` (yourself, unless an administrator asks). */
export async function delegateCandidates(db: Db, actor: Actor, rawFrom: unknown): Promise<{ id: number; name: string }[]> {
  const fromUserId = rawFrom === undefined || rawFrom === '' ? actor.id : Number(rawFrom);
  if (!Number.isInteger(fromUserId) || fromUserId <= 0 || fromUserId > 2_147_483_647) throw AppError.badRequest('输入有误 / Invalid input', { fromUserId: '不是有效的用户编号 / Not a valid user id' });
  if (!isAdmin(actor) && fromUserId !== actor.id) throw AppError.forbidden('只能查看自己的受托人 / Only for your own delegations');
  const from = await userRow(db, fromUserId);
  if (!from) return [];
  const q = db('users').where({ active: true }).whereNot({ id: from.id }).orderBy('name').orderBy('id').limit(500).select('id', 'name', 'roles', 'schoolId', 'districtId', 'active');
  const users = (await q) as UserRow[];
  return users.filter((u) => delegateRefusal(from, u) === null).map((u) => ({ id: u.id, name: u.name }));
}
