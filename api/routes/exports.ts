import { Router } from 'express';
import { registrationFilterSchema } from '../../domain/registrations/schema';
import { REGISTRATION_SORTABLE } from '../../domain/registrations/repository';
import { TASK_SORTABLE } from '../../domain/tasks/repository';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { parseListQuery } from '../simple-rest';
import { AUDIT_SORTABLE, auditEventFilterSchema } from '../usecases/audit-events';
import { exportAuditEvents, exportRegistrations, exportTasks } from '../usecases/exports/index';
import { taskFilterSchema } from '../usecases/tasks';

/**
 * GET /api/<resource>/export.xlsx: the list's own `filter` and `sort` (its `range` is ignored: an
 * export has every row), the list's own right and scope. Mounted before the resources' /:id routes.
 */
export function exportRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  const auth = requireAuth(config.JWT_SECRET);

  router.get('/registrations/export.xlsx', auth, requireRight('registrations.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: REGISTRATION_SORTABLE, defaultSort: ['updatedAt', 'DESC'], filter: registrationFilterSchema });
    await exportRegistrations(db, res, actorOf(req), list);
  });
  router.get('/tasks/export.xlsx', auth, requireRight('tasks.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: TASK_SORTABLE, defaultSort: ['dueAt', 'ASC'], filter: taskFilterSchema });
    await exportTasks(db, res, actorOf(req), list);
  });
  router.get('/audit-events/export.xlsx', auth, requireRight('audit.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: AUDIT_SORTABLE, defaultSort: ['id', 'DESC'], filter: auditEventFilterSchema });
    await exportAuditEvents(db, res, actorOf(req), list);
  });
  return router;
}
