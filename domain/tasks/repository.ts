/**
 * The inbox: one task row per (registration, step, round), projected by the workflow's activities
 * and read, claimed and acted on through the API. Plain objects in the API vocabulary.
 */
import type { Knex } from 'knex';
import { containsPattern, whereOneOrMany } from '../../db/query';
import { appendAuditEvent } from '../audit';
import { DEFAULT_URGE_INTERVAL_SECONDS, nextUrgeAt } from '../process/assignees';
import { mayActAtStep } from '../process/rules';
import { STEP_RULES, type TaskStep, type TaskStatus } from '../process/vocabulary';

type Conn = Knex | Knex.Transaction;

export interface Task {
  id: string;
  registrationId: string;
  registrationName: string;
  registrationStatus: string;
  step: TaskStep;
  round: number;
  assigneeRole: string;
  schoolId: number | null;
  schoolName: string | null;
  districtId: number | null;
  claimedBy: number | null;
  claimedAt: string | null;
  dueAt: string | null;
  remindAt: string | null;
  remindedAt: string | null;
  overdue: boolean;
  escalatedAt: string | null;
  status: TaskStatus;
  outcome: string | null;
  comment: string | null;
  completedBy: number | null;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** The named person who holds the task (null: anyone with the role in scope). */
  assigneeUserId: number | null;
  assigneeName: string | null;
  /** A delegate's task (委托): the user they act for; kept on the completed task beside completedBy. */
  onBehalfOf: number | null;
  onBehalfOfName: string | null;
  completedByName: string | null;
  /** 催办: when the task was last urged, and when it may be urged again (null: now). */
  urgedAt: string | null;
  urgeCount: number;
  nextUrgeAt: string | null;
  /** Its slot in the step (0: the step's first task). */
  slot: number;
  /** 加签: the task it was added from, where, by whom and why. */
  addedForTaskId: string | null;
  addedPosition: string | null;
  addedBy: number | null;
  addedReason: string | null;
}

/** Who is looking: the fields of the access token that decide what they see and may do. */
export interface TaskViewer {
  id: number;
  roles: readonly string[];
  schoolId: number | null;
  districtId: number | null;
}

export const TASK_SORTABLE: Record<string, string> = {
  id: 't.id',
  dueAt: 't.dueAt',
  remindAt: 't.remindAt',
  createdAt: 't.createdAt',
  completedAt: 't.completedAt',
  step: 't.step',
  status: 't.status',
  registrationName: 'r.name',
  schoolName: 's.name',
};

/**
 * A task row with its registration, school and the names it shows. The names and the step's urge
 * interval come from scalar subqueries rather than joins: with four more joins Postgres spent more
 * time planning an inbox page (the join order search) than running it (bench/inbox.ts).
 */
function selectTask(db: Conn): (string | Knex.Raw)[] {
  return [
    't.*',
    'r.name as registrationName',
    'r.status as registrationStatus',
    's.name as schoolName',
    db.raw('(select au.name from users au where au.id = t.assignee_user_id) as assignee_name'),
    db.raw('(select ob.name from users ob where ob.id = t.on_behalf_of) as on_behalf_of_name'),
    db.raw('(select cb.name from users cb where cb.id = t.completed_by) as completed_by_name'),
    db.raw('(select dp.urge_interval_seconds from deadline_policies dp where dp.step = t.step) as urge_interval_seconds'),
  ];
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

function toTask(row: Record<string, any>): Task {
  return {
    id: row.id,
    registrationId: row.registrationId,
    registrationName: row.registrationName,
    registrationStatus: row.registrationStatus,
    step: row.step,
    round: row.round,
    assigneeRole: row.assigneeRole,
    schoolId: row.schoolId,
    schoolName: row.schoolName ?? null,
    districtId: row.districtId,
    claimedBy: row.claimedBy,
    claimedAt: iso(row.claimedAt),
    dueAt: iso(row.dueAt),
    remindAt: iso(row.remindAt),
    remindedAt: iso(row.remindedAt),
    overdue: row.overdue,
    escalatedAt: iso(row.escalatedAt),
    status: row.status,
    outcome: row.outcome,
    comment: row.comment,
    completedBy: row.completedBy,
    completedAt: iso(row.completedAt),
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
    assigneeUserId: row.assigneeUserId ?? null,
    assigneeName: row.assigneeName ?? null,
    onBehalfOf: row.onBehalfOf ?? null,
    onBehalfOfName: row.onBehalfOfName ?? null,
    completedByName: row.completedByName ?? null,
    urgedAt: iso(row.urgedAt),
    urgeCount: row.urgeCount ?? 0,
    nextUrgeAt: row.urgedAt && row.status === 'open' ? nextUrgeAt(iso(row.urgedAt), row.urgeIntervalSeconds ?? DEFAULT_URGE_INTERVAL_SECONDS) : null,
    slot: row.slot ?? 0,
    addedForTaskId: row.addedForTaskId ?? null,
    addedPosition: row.addedPosition ?? null,
    addedBy: row.addedBy ?? null,
    addedReason: row.addedReason ?? null,
  };
}

/** Tasks joined to their registration and school (selectTask adds the names). */
function tasksWithContext(db: Conn): Knex.QueryBuilder {
  return db('tasks as t').join('registrations as r', 'r.id', 't.registrationId').leftJoin('schools as s', 's.id', 't.schoolId');
}

const isAdmin = (v: TaskViewer) => v.roles.includes('admin');
const hasSchoolRole = (v: TaskViewer) => v.roles.some((r) => r === 'school_staff' || r === 'lead_school_leader' || r === 'principal');

/** What a viewer may read: admin everything; school roles their school's tasks; the bureau their district's. */
export function scopedTasks(db: Conn, viewer: TaskViewer): Knex.QueryBuilder {
  return whereInScope(tasksWithContext(db), viewer);
}

/**
 * The viewer's scope (whereInScope) as disjoint parts: their school, their district, the tasks named
 * for them outside those. Each part is served by its own index in due order and counted on its own;
 * one OR over the three made Postgres collect and sort the whole scope for every page (bench/inbox.ts).
 */
function scopeParts(viewer: TaskViewer): ((qb: Knex.QueryBuilder) => Knex.QueryBuilder)[] {
  if (isAdmin(viewer)) return [(qb) => qb];
  const parts: [column: string, value: number][] = [];
  if (hasSchoolRole(viewer) && viewer.schoolId != null) parts.push(['t.schoolId', viewer.schoolId]);
  if (viewer.roles.includes('bureau_approver') && viewer.districtId != null) parts.push(['t.districtId', viewer.districtId]);
  parts.push(['t.assigneeUserId', viewer.id]); // a task named for them (转交, 委托)
  return parts.map(([column, value], i) => (qb) => {
    qb.where(column, value);
    // Not in an earlier part: each task is listed and counted once.
    for (const [earlier, v] of parts.slice(0, i)) qb.whereRaw('?? is distinct from ?', [earlier, v]);
    return qb;
  });
}

function whereInScope(qb: Knex.QueryBuilder, viewer: TaskViewer): Knex.QueryBuilder {
  if (isAdmin(viewer)) return qb;
  return qb.where((w) => {
    w.whereRaw('false');
    if (hasSchoolRole(viewer) && viewer.schoolId != null) w.orWhere('t.schoolId', viewer.schoolId);
    if (viewer.roles.includes('bureau_approver') && viewer.districtId != null) w.orWhere('t.districtId', viewer.districtId);
    w.orWhere('t.assigneeUserId', viewer.id); // a task named for them (转交, 委托)
  });
}

/** Whether the viewer holds the step's role within the step's scope (school or district). */
/** The process rule (domain/process): the viewer holds the step's role in the task's school or district. */
export function mayAct(viewer: TaskViewer, task: Pick<Task, 'step' | 'schoolId' | 'districtId'>): boolean {
  return mayActAtStep({ roles: viewer.roles, schoolId: viewer.schoolId, districtId: viewer.districtId ?? null }, task);
}

/** Open tasks the viewer may act on and nobody else holds: "my inbox". A named task is its assignee's alone. */
export function whereActionableBy(qb: Knex.QueryBuilder, viewer: TaskViewer): Knex.QueryBuilder {
  return qb
    .where('t.status', 'open')
    .where((w) => {
      w.whereNull('t.claimedBy').orWhere('t.claimedBy', viewer.id);
    })
    .where((w) => {
      w.where('t.assigneeUserId', viewer.id).orWhere((unnamed) => void whereRoleMayAct(unnamed.whereNull('t.assigneeUserId'), viewer));
    });
}

/** Tasks whose step's role the viewer holds in the task's scope. */
function whereRoleMayAct(qb: Knex.QueryBuilder, viewer: TaskViewer): Knex.QueryBuilder {
  return qb
    .where((w) => {
      w.whereRaw('false');
      for (const [step, rule] of Object.entries(STEP_RULES)) {
        if (!viewer.roles.includes(rule.role)) continue;
        const scopeValue = rule.scope === 'school' ? viewer.schoolId : viewer.districtId;
        if (scopeValue == null) continue;
        w.orWhere((s) => s.where('t.step', step).where(rule.scope === 'school' ? 't.schoolId' : 't.districtId', scopeValue));
      }
    });
}

export interface TaskFilter {
  id?: string | string[];
  mine?: boolean;
  role?: string;
  step?: string | string[];
  overdue?: boolean;
  schoolId?: number | number[];
  status?: string | string[];
  registrationId?: string;
  q?: string;
  view?: TaskView;
}

/** The inbox tabs (design.md): 待办 / 已办 / 我发起的 / 抄送我的. */
export const TASK_VIEWS = ['todo', 'done', 'started', 'copied'] as const;
export type TaskView = (typeof TASK_VIEWS)[number];

/** The task is the latest of its registration (no later step or round opened since). */
const isLatestOfRegistration = (w: Knex.QueryBuilder) =>
  w.whereNotExists((e) => e.select(1).from('tasks as later').whereRaw('later.registration_id = t.registration_id').whereRaw('later.created_at > t.created_at'));

/**
 * The view's rows, read only from what the workflow's activities wrote. A registration returned to its
 * drafter has no task of its own (the drafter is not a step): the drafter's 待办 shows the returning task,
 * with its reason, while the registration is still the draft that task left behind.
 */
function whereInView(qb: Knex.QueryBuilder, view: TaskView, viewer: TaskViewer): void {
  switch (view) {
    case 'todo':
      qb.where((w) => {
        w.where((a) => void whereActionableBy(a, viewer)).orWhere((back) => {
          back.where('t.outcome', 'return').where('r.status', 'draft').where('r.createdBy', viewer.id);
          isLatestOfRegistration(back);
        });
      });
      return;
    case 'done':
      qb.where('t.status', 'done').where('t.completedBy', viewer.id);
      return;
    case 'started':
      // One row per registration the viewer drafted: where its process stands now.
      qb.where('r.createdBy', viewer.id);
      isLatestOfRegistration(qb);
      return;
    case 'copied':
      qb.whereRaw('false'); // answered by api/usecases/copies.ts (listCopiedTasks); here (e.g. an export) it lists nothing
      return;
  }
}

export function applyTaskFilter(qb: Knex.QueryBuilder, filter: TaskFilter, viewer: TaskViewer): Knex.QueryBuilder {
  whereOneOrMany(qb, 't.id', filter.id);
  whereOneOrMany(qb, 't.step', filter.step);
  whereOneOrMany(qb, 't.schoolId', filter.schoolId);
  whereOneOrMany(qb, 't.status', filter.status);
  whereOneOrMany(qb, 't.registrationId', filter.registrationId);
  if (filter.role !== undefined) qb.where('t.assigneeRole', filter.role);
  if (filter.overdue !== undefined) qb.where('t.overdue', filter.overdue);
  if (filter.mine === true) whereActionableBy(qb, viewer);
  if (filter.view !== undefined) whereInView(qb, filter.view, viewer);
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    qb.where((w) => w.whereILike('r.name', pattern).orWhereILike('s.name', pattern));
  }
  return qb;
}

/** Filters that read only the tasks table: with these (and a sort on a task column) no join is needed to count or page. */
const TASK_ONLY_FILTERS = new Set(['id', 'mine', 'role', 'step', 'overdue', 'schoolId', 'status', 'registrationId']);

export async function listTasks(
  db: Conn,
  viewer: TaskViewer,
  list: { sort: { field: string; order: 'asc' | 'desc' }; range: { start: number; end: number }; filter: TaskFilter },
): Promise<{ rows: Task[]; total: number }> {
  const column = TASK_SORTABLE[list.sort.field] ?? 't.dueAt';
  const order = list.sort.order;
  // Tasks without a due time sort after those with one, whichever the direction: `due_at is null`
  // leads the key, as in the inbox indexes (tasks_*_due), so a page comes from an index in order.
  const sorted = (qb: Knex.QueryBuilder) =>
    qb.orderByRaw(`${column === 't.dueAt' ? 't.due_at is null, ' : ''}?? ${order}`, [column]).orderBy('t.id', order);
  const limit = list.range.end - list.range.start + 1;
  const taskOnly = column.startsWith('t.') && Object.entries(list.filter).every(([k, v]) => v === undefined || TASK_ONLY_FILTERS.has(k));
  if (!taskOnly) {
    const base = applyTaskFilter(scopedTasks(db, viewer), list.filter, viewer);
    const [countRow, rows] = await Promise.all([
      base.clone().count({ total: '*' }).first() as Promise<{ total: string | number } | undefined>,
      sorted(base.clone().select(selectTask(db))).offset(list.range.start).limit(limit),
    ]);
    return { rows: rows.map(toTask), total: Number(countRow?.total ?? 0) };
  }
  // Every task has its registration (a foreign key, not null) and the school join is a left join,
  // so counting the tasks table alone is exact. The page is chosen on the tasks table too (an
  // index-only walk even for a deep offset) and only its rows are joined ("deferred join").
  // The scope is read in its disjoint parts (scopeParts), each in index order, and merged.
  const parts = scopeParts(viewer).map((inPart) => () => applyTaskFilter(inPart(db('tasks as t')), list.filter, viewer));
  let page: Knex.QueryBuilder;
  if (parts.length === 1) {
    page = sorted(parts[0]().select('t.id')).offset(list.range.start).limit(limit);
  } else {
    // Each part's first (offset + limit) rows in order, then the page of their merge.
    const heads = parts.map((part) => sorted(part().select('t.id', db.raw('?? as sort_key', [column]))).limit(list.range.end + 1));
    const merged = db.queryBuilder().select('u.id').from(db.raw(`(${heads.map(() => '(?)').join(' union all ')}) as u`, heads));
    page = merged
      .orderByRaw(`${column === 't.dueAt' ? 'u.sort_key is null, ' : ''}u.sort_key ${order}`)
      .orderBy('u.id', order)
      .offset(list.range.start)
      .limit(limit);
  }
  const counts = parts.map((part) => part().count('*'));
  const [countRow, rows] = await Promise.all([
    db.first(db.raw(`${counts.map(() => '(?)').join(' + ')} as total`, counts)) as Promise<{ total: string | number } | undefined>,
    sorted(tasksWithContext(db).join(page.as('page'), 'page.id', 't.id').select(selectTask(db))),
  ]);
  return { rows: rows.map(toTask), total: Number(countRow?.total ?? 0) };
}

/** One task the viewer may read, or null. */
export async function findTask(db: Conn, id: string, viewer?: TaskViewer): Promise<Task | null> {
  const row = await (viewer ? scopedTasks(db, viewer) : tasksWithContext(db)).where('t.id', id).first(selectTask(db));
  return row ? toTask(row) : null;
}

/** Each registration's latest task (where its process stands), by registration id, in one query. */
export async function latestTasksOf(db: Conn, registrationIds: readonly string[]): Promise<Map<string, Task>> {
  if (!registrationIds.length) return new Map();
  const latest = db('tasks').distinctOn('registrationId').whereIn('registrationId', registrationIds).orderBy([{ column: 'registrationId' }, { column: 'createdAt', order: 'desc' }, { column: 'id', order: 'desc' }]).select('id');
  const rows = (await tasksWithContext(db).whereIn('t.id', latest).select(selectTask(db))) as Record<string, any>[];
  return new Map(rows.map((row) => [row.registrationId as string, toTask(row)]));
}

/** DB-atomic claim: succeeds only while the task is open and nobody holds it (or the claimant already does). */
export async function claimTask(trx: Conn, id: string, userId: number): Promise<boolean> {
  const n = await trx('tasks')
    .where({ id, status: 'open' })
    .where((w) => w.whereNull('claimedBy').orWhere('claimedBy', userId))
    .update({ claimedBy: userId, claimedAt: trx.raw('coalesce(claimed_at, now())'), updatedAt: trx.fn.now() });
  return n === 1;
}

export async function unclaimTask(trx: Conn, id: string, userId: number): Promise<boolean> {
  const n = await trx('tasks').where({ id, status: 'open', claimedBy: userId }).update({ claimedBy: null, claimedAt: null, updatedAt: trx.fn.now() });
  return n === 1;
}

// --- projection (worker side) --------------------------------------------------------------------

export interface NewTask {
  registrationId: string;
  step: TaskStep;
  round: number;
  assigneeRole: string;
  schoolId: number;
  districtId: number;
  dueAt: Date | null;
  remindAt: Date | null;
  createdAt: Date;
  /** Several tasks of one step (会签/或签, 加签) each have their own slot; absent: 0. */
  slot?: number;
  assigneeUserId?: number | null;
  /** 委托: the user a delegate holds the task for. */
  onBehalfOf?: number | null;
  addedForTaskId?: string | null;
  addedPosition?: string | null;
  addedBy?: number | null;
  addedReason?: string | null;
  /** `waiting`: not actionable yet. */
  status?: 'open' | 'waiting';
}

/** Inserts the task unless its (registration, step, round, slot) exists; answers its id either way. */
export async function insertTaskIfMissing(trx: Conn, task: NewTask): Promise<{ id: string; created: boolean }> {
  const slot = task.slot ?? 0;
  const inserted = (await trx('tasks')
    .insert({ ...task, slot, status: task.status ?? 'open', updatedAt: task.createdAt })
    .onConflict(['registrationId', 'step', 'round', 'slot'])
    .ignore()
    .returning('id')) as { id: string }[];
  if (inserted.length) return { id: inserted[0].id, created: true };
  const existing = await trx('tasks').where({ registrationId: task.registrationId, step: task.step, round: task.round, slot }).first('id');
  return { id: existing.id, created: false };
}

/** Closes an open task with its outcome; a second call changes nothing. */
export async function completeTaskRow(
  trx: Conn,
  args: { taskId: string; outcome: string; comment: string | null; completedBy: number | null; completedAt: Date },
): Promise<boolean> {
  const done = (await trx('tasks')
    .where({ id: args.taskId, status: 'open' })
    .update({ status: 'done', outcome: args.outcome, comment: args.comment, completedBy: args.completedBy, completedAt: args.completedAt, updatedAt: trx.fn.now() })
    .returning(['registrationId', 'step', 'onBehalfOf'])) as { registrationId: string; step: string; onBehalfOf: number | null }[];
  // A delegate's decision (委托): the audit log names both, beside the decision's own event.
  const row = done[0];
  if (row?.onBehalfOf != null && args.completedBy != null) {
    const names = (await trx('users').whereIn('id', [args.completedBy, row.onBehalfOf]).select('id', 'name')) as { id: number; name: string }[];
    const nameOf = (id: number) => names.find((u) => u.id === id)?.name ?? null;
    await appendAuditEvent(trx, {
      action: 'task.completed_on_behalf',
      actorId: args.completedBy,
      actorName: nameOf(args.completedBy),
      registrationId: row.registrationId,
      details: { taskId: args.taskId, step: row.step, outcome: args.outcome, completedBy: args.completedBy, onBehalfOf: row.onBehalfOf, onBehalfOfName: nameOf(row.onBehalfOf) },
      dedupeKey: `task:${args.taskId}:completed_on_behalf`,
    });
  }
  return done.length === 1;
}

export async function cancelTaskRow(trx: Conn, args: { taskId: string; reason: string; at: Date }): Promise<boolean> {
  const n = await trx('tasks')
    .where({ id: args.taskId, status: 'open' })
    .update({ status: 'cancelled', outcome: args.reason, completedAt: args.at, updatedAt: trx.fn.now() });
  return n === 1;
}

export async function taskRow(db: Conn, id: string): Promise<Record<string, any> | undefined> {
  return db('tasks').where({ id }).first();
}

/**
 * The registration's projected status and step (and any dates the transition sets). `seq` is the
 * workflow's number for this write: it applies only when newer than the last one applied, so a
 * late attempt of an older activity never moves the status backwards. Answers whether it applied.
 */
export async function setRegistrationProgress(
  trx: Conn,
  registrationId: string,
  change: {
    status: string;
    currentStep: string | null;
    submittedAt?: Date;
    approvedAt?: Date;
    reviewDueAt?: Date | null;
    closedAt?: Date;
    leadSchoolOpinion?: string;
  },
  seq?: number,
): Promise<boolean> {
  // Without a number (a workflow from before numbering), the write is unconditional, as it was.
  const q = trx('registrations').where({ id: registrationId });
  if (seq !== undefined) q.where('processSeq', '<', seq);
  const n = await q.update({ ...change, ...(seq !== undefined ? { processSeq: seq } : {}), updatedAt: trx.fn.now() });
  return n === 1;
}
