import { Router } from 'express';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { parseListQuery, sendList } from '../simple-rest';
import { AUDIT_SORTABLE, auditEventFilterSchema, getAuditEvent, listAuditEvents } from '../usecases/audit-events';

/** /api/audit-events: read-only (the chain verification endpoint lives with the signature work). */
export function auditEventRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));
  router.get('/', requireRight('audit.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: AUDIT_SORTABLE, defaultSort: ['id', 'DESC'], filter: auditEventFilterSchema });
    sendList(res, 'audit-events', list, await listAuditEvents(db, actorOf(req), list));
  });
  router.get(
    '/:id',
    (req, _res, next) => next(/^\d+$/.test(String(req.params.id)) ? undefined : 'router'), // e.g. /verify lives in another router
    requireRight('audit.read'),
    async (req, res) => {
      res.json(await getAuditEvent(db, actorOf(req), String(req.params.id)));
    },
  );
  return router;
}
