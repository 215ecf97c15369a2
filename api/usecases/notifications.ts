/** The signed-in user's in-app notifications: list (newest first), read one, mark read. */
import { z } from 'zod';
import { findNotification, listNotifications, markNotificationsRead, NOTIFICATION_KINDS, type Notification, type NotificationFilter } from '../../domain/tasks/notifications';
import { UUID_RE } from '../../domain/validation';
import type { Db } from '../../db/connection';
import { AppError } from '../errors';
import type { Actor } from '../middleware/auth';
import { oneOrMany, type ListQuery } from '../simple-rest';
import { parseBody } from './input';

const WHAT = '通知 / Notification';
const flag = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());
const numericId = z.coerce.number().int().positive().transform(String);

export const notificationFilterSchema = z.strictObject({
  id: oneOrMany(numericId).optional(),
  unread: flag.optional(),
  kind: oneOrMany(z.enum(NOTIFICATION_KINDS)).optional(),
  registrationId: z.string().regex(UUID_RE, '不是有效的编号 / Not a valid id').optional(),
});

export function listMyNotifications(db: Db, actor: Actor, list: ListQuery<NotificationFilter>) {
  return listNotifications(db, actor.id, list);
}

const validId = (id: string) => /^[1-9]\d{0,17}$/.test(id);

export async function getMyNotification(db: Db, actor: Actor, id: string): Promise<Notification> {
  const n = validId(id) ? await findNotification(db, actor.id, id) : null;
  if (!n) throw AppError.notFound(WHAT);
  return n;
}

export async function markRead(db: Db, actor: Actor, id: string, body: unknown = { read: true }): Promise<Notification> {
  await getMyNotification(db, actor, id);
  const { read } = parseBody(z.object({ read: z.boolean().default(true) }), body ?? {});
  if (read) await markNotificationsRead(db, actor.id, [id]);
  else await db('notifications').where({ id, recipientUserId: actor.id }).update({ readAt: null });
  return getMyNotification(db, actor, id);
}

export async function markAllRead(db: Db, actor: Actor): Promise<{ updated: number }> {
  return { updated: await markNotificationsRead(db, actor.id) };
}
