/**
 * 抄送我的: the registrations copied to the caller (GET /api/tasks?filter={"view":"copied"}), their
 * unread count, marking them read, and the read-only access a copy gives: a copied user reads the
 * registration, its timeline, print view and PDF, and its comments, even outside their role's scope
 * (checked here against the copies table), and acts on nothing.
 */
import { isCopiedTo, markCopiesRead, unreadCopiedCount } from '../../domain/collab/copies';
import type { RegistrationScope } from '../../domain/registrations/repository';
import { latestTasksOf, type Task } from '../../domain/tasks/repository';
import { UUID_RE } from '../../domain/validation';
import type { Db } from '../../db/connection';
import { containsPattern } from '../../db/query';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import type { ListQuery } from '../simple-rest';
import { registrationScopeOf } from './scope';

/** A row of 抄送我的: the registration's latest task (where its process stands), with the copy's state. */
export interface CopiedTask extends Task {
  copy: { read: boolean; copiedAt: string; occasions: string[]; steps: string[] };
}

/**
 * One row per registration copied to the caller, unread ones first, then the latest copy first.
 * The filter's `q` (registration or school name) and `registrationId` apply; the others concern tasks one acts on.
 */
export async function listCopiedTasks(db: Db, actor: Actor, list: ListQuery<{ q?: string; registrationId?: string }>): Promise<{ rows: CopiedTask[]; total: number }> {
  const base = db('registrationCopies as c')
    .join('registrations as r', 'r.id', 'c.registrationId')
    .join('schools as s', 's.id', 'r.schoolId')
    .where('c.userId', actor.id)
    // A copy at submission is written just before its task opens: the row appears with the task.
    .whereExists((e) => e.select(1).from('tasks as t').whereRaw('t.registration_id = c.registration_id'));
  if (list.filter.registrationId) base.where('c.registrationId', list.filter.registrationId);
  if (list.filter.q) {
    const pattern = containsPattern(list.filter.q);
    base.where((w) => w.whereILike('r.name', pattern).orWhereILike('s.name', pattern));
  }
  const grouped = base
    .clone()
    .groupBy('c.registrationId')
    .select('c.registrationId')
    .max({ copiedAt: 'c.copiedAt' })
    .select(db.raw('bool_or(c.read_at is null) as unread'), db.raw('array_agg(distinct c.occasion) as occasions'), db.raw('array_agg(distinct c.step) as steps'));
  const [countRow, page] = await Promise.all([
    db.from(base.clone().distinct('c.registrationId').as('x')).count({ total: '*' }).first() as Promise<{ total: string | number } | undefined>,
    db
      .from(grouped.as('g'))
      .select('*')
      .orderBy([{ column: 'unread', order: 'desc' }, { column: 'copiedAt', order: 'desc' }, { column: 'registrationId', order: 'asc' }])
      .offset(list.range.start)
      .limit(list.range.end - list.range.start + 1) as Promise<{ registrationId: string; copiedAt: Date; unread: boolean; occasions: string[]; steps: string[] }[]>,
  ]);
  const latest = await latestTasksOf(db, page.map((g) => g.registrationId));
  const rows: CopiedTask[] = page.flatMap((g) => {
    const task = latest.get(g.registrationId);
    return task ? [{ ...task, copy: { read: !g.unread, copiedAt: new Date(g.copiedAt).toISOString(), occasions: g.occasions, steps: g.steps } }] : [];
  });
  return { rows, total: Number(countRow?.total ?? 0) };
}

export async function copiedUnreadCount(db: Db, actor: Actor): Promise<{ unread: number }> {
  return { unread: await unreadCopiedCount(db, actor.id) };
}

/** POST /api/registrations/:id/copies/read: the caller's copies of it are read (404 when none was copied to them). */
export async function markCopiedRead(db: Db, actor: Actor, id: string): Promise<{ registrationId: string; marked: number; unread: number }> {
  if (!UUID_RE.test(id) || !(await isCopiedTo(db, id, actor.id))) throw AppError.notFound('抄送 / Copy');
  const marked = await markCopiesRead(db, id, actor.id);
  return { registrationId: id, marked, unread: await unreadCopiedCount(db, actor.id) };
}

/**
 * The scope in which the actor may READ this registration: their role's scope, or — when it was
 * copied to them — this registration wherever it is. Never used for a write.
 */
export async function readScopeFor(db: Db, actor: Actor, registrationId: string): Promise<RegistrationScope> {
  const scope = registrationScopeOf(actor);
  if (scope.all || !UUID_RE.test(registrationId)) return scope;
  return (await isCopiedTo(db, registrationId, actor.id)) ? { all: true } : scope;
}
