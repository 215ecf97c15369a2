/**
 * In-app notifications: one row per recipient user, written by the workflow's activities with a
 * dedupe key so a retried activity never notifies twice, and read by the signed-in user.
 */
import type { Knex } from 'knex';
import { renderTimes } from '../calendar/zone';
import { enqueueEmails } from '../outbox/repository';

type Conn = Knex | Knex.Transaction;

export const NOTIFICATION_KINDS = ['task_assigned', 'reminder', 'overdue', 'escalation', 'decision', 'review_due', 'task_transferred', 'urged', 'copied', 'commented'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface Notification {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string | null;
  registrationId: string | null;
  taskId: string | null;
  schoolId: number | null;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

export interface Recipient {
  id: number;
  name: string;
  email: string | null;
  /** The reader's zone for times in the text (Asia/Shanghai when absent). */
  timeZone?: string | null;
}

const SCHOOL_ROLES = ['school_staff', 'lead_school_leader', 'principal'];

/**
 * The active users holding a role for a school: school roles at that school, the bureau of its
 * district, administrators everywhere.
 */
export async function recipientsFor(db: Conn, where: { role: string; schoolId: number | null; districtId: number | null }): Promise<Recipient[]> {
  const q = db('users').select('id', 'name', 'email', 'timeZone').where({ active: true }).whereRaw('? = any(roles)', [where.role]);
  if (SCHOOL_ROLES.includes(where.role)) {
    if (where.schoolId == null) return [];
    q.where('schoolId', where.schoolId);
  } else if (where.role === 'bureau_approver') {
    if (where.districtId == null) return [];
    q.where('districtId', where.districtId);
  }
  return (await q.orderBy('id')) as Recipient[];
}

export interface NewNotification {
  kind: NotificationKind;
  /** Unique per event; each recipient's row gets `<dedupeKey>:u<userId>`. */
  dedupeKey: string;
  title: string;
  body?: string | null;
  registrationId?: string | null;
  taskId?: string | null;
  schoolId?: number | null;
  recipientRole?: string | null;
}

/**
 * Writes one row per recipient, its times (domain/calendar/zone tokens) written out in the
 * recipient's zone; rows already written for this event are left alone. With
 * `email`, each new row's e-mail goes to the outbox in the same transaction (a retried activity
 * writes no new rows, so it queues no second e-mail).
 */
/** notifications.title holds 300 characters: long names (a registration's may be 200) are cut, not refused. */
const TITLE_MAX = 300;
const clipTitle = (title: string) => {
  const chars = Array.from(title); // characters, as Postgres counts them
  return chars.length > TITLE_MAX ? `${chars.slice(0, TITLE_MAX - 1).join('')}…` : title;
};

export async function notifyUsers(trx: Conn, recipients: readonly Recipient[], n: NewNotification, opts: { email?: boolean } = {}): Promise<number> {
  if (!recipients.length) return 0;
  const rows = recipients.map((r) => ({
    dedupeKey: `${n.dedupeKey}:u${r.id}`,
    kind: n.kind,
    recipientRole: n.recipientRole ?? null,
    recipientUserId: r.id,
    schoolId: n.schoolId ?? null,
    registrationId: n.registrationId ?? null,
    taskId: n.taskId ?? null,
    title: clipTitle(renderTimes(n.title, r.timeZone)),
    body: n.body == null ? null : renderTimes(n.body, r.timeZone),
  }));
  const inserted = (await trx('notifications').insert(rows).onConflict('dedupeKey').ignore().returning(['id', 'recipientUserId'])) as { id: string; recipientUserId: number }[];
  if (opts.email) {
    const byId = new Map(recipients.map((r) => [r.id, r]));
    await enqueueEmails(
      trx,
      inserted.flatMap((row) => {
        const r = byId.get(row.recipientUserId);
        const subject = clipTitle(renderTimes(n.title, r?.timeZone));
        return r?.email ? [{ to: r.email, subject, text: n.body == null ? subject : renderTimes(n.body, r.timeZone), notificationId: String(row.id) }] : [];
      }),
    );
  }
  return inserted.length;
}

// --- reading (API side) ------------------------------------------------------------------------

export const NOTIFICATION_SORTABLE: Record<string, string> = { id: 'id', createdAt: 'createdAt', kind: 'kind' };

export interface NotificationFilter {
  id?: string | string[];
  unread?: boolean;
  kind?: string | string[];
  registrationId?: string;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

function toNotification(r: Record<string, any>): Notification {
  return {
    id: String(r.id),
    kind: r.kind,
    title: r.title,
    body: r.body,
    registrationId: r.registrationId,
    taskId: r.taskId,
    schoolId: r.schoolId,
    read: r.readAt != null,
    readAt: iso(r.readAt),
    createdAt: iso(r.createdAt)!,
  };
}

export function notificationsOf(db: Conn, userId: number, filter: NotificationFilter): Knex.QueryBuilder {
  const qb = db('notifications').where({ recipientUserId: userId });
  if (Array.isArray(filter.id)) qb.whereIn('id', filter.id.length ? filter.id : ['0']);
  else if (filter.id !== undefined) qb.where('id', filter.id);
  if (filter.unread === true) qb.whereNull('readAt');
  if (filter.unread === false) qb.whereNotNull('readAt');
  if (Array.isArray(filter.kind)) qb.whereIn('kind', filter.kind);
  else if (filter.kind !== undefined) qb.where('kind', filter.kind);
  if (filter.registrationId !== undefined) qb.where('registrationId', filter.registrationId);
  return qb;
}

export async function listNotifications(
  db: Conn,
  userId: number,
  list: { sort: { field: string; order: 'asc' | 'desc' }; range: { start: number; end: number }; filter: NotificationFilter },
): Promise<{ rows: Notification[]; total: number; unread: number }> {
  const base = notificationsOf(db, userId, list.filter);
  const [countRow, unreadRow] = await Promise.all([
    base.clone().count({ total: '*' }).first(),
    db('notifications').where({ recipientUserId: userId }).whereNull('readAt').count({ total: '*' }).first(),
  ]);
  const rows = await base
    .clone()
    .select('*')
    .orderBy(NOTIFICATION_SORTABLE[list.sort.field] ?? 'createdAt', list.sort.order)
    .orderBy('id', list.sort.order)
    .offset(list.range.start)
    .limit(list.range.end - list.range.start + 1);
  return { rows: rows.map(toNotification), total: Number(countRow?.total ?? 0), unread: Number(unreadRow?.total ?? 0) };
}

export async function findNotification(db: Conn, userId: number, id: string): Promise<Notification | null> {
  const row = await db('notifications').where({ id, recipientUserId: userId }).first();
  return row ? toNotification(row) : null;
}

/** Marks one (or, without ids, every) unread notification of the user as read; answers how many. */
export async function markNotificationsRead(db: Conn, userId: number, ids?: string[]): Promise<number> {
  const q = db('notifications').where({ recipientUserId: userId }).whereNull('readAt');
  if (ids) q.whereIn('id', ids);
  return q.update({ readAt: db.fn.now() });
}
