import { Router } from 'express';
import { NOTIFICATION_SORTABLE } from '../../domain/tasks/notifications';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { parseListQuery, sendList } from '../simple-rest';
import { getMyNotification, listMyNotifications, markAllRead, markRead, notificationFilterSchema } from '../usecases/notifications';

/** /api/notifications — the signed-in user's own notifications (X-Unread-Count on the list). */
export function notificationRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET), requireRight('notifications.read'));

  router.get('/', async (req, res) => {
    const list = parseListQuery(req, { sortable: NOTIFICATION_SORTABLE, defaultSort: ['createdAt', 'DESC'], filter: notificationFilterSchema });
    const page = await listMyNotifications(db, actorOf(req), list);
    res.setHeader('X-Unread-Count', String(page.unread));
    sendList(res, 'notifications', list, page);
  });

  router.post('/read-all', async (req, res) => {
    res.json(await markAllRead(db, actorOf(req)));
  });

  router.get('/:id', async (req, res) => {
    res.json(await getMyNotification(db, actorOf(req), String(req.params.id)));
  });

  router.post('/:id/read', async (req, res) => {
    res.json(await markRead(db, actorOf(req), String(req.params.id)));
  });

  // react-admin's update: { read: true | false }.
  router.put('/:id', async (req, res) => {
    res.json(await markRead(db, actorOf(req), String(req.params.id), { read: req.body?.read ?? true }));
  });

  return router;
}
