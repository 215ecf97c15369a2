import { Router } from 'express';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { getBulkJob, startBulkJob } from '../usecases/bulk-jobs';
import { idempotent } from '../usecases/idempotency';
import './bulk-jobs-openapi';

/** /api/bulk-jobs — bulk decisions as server-side jobs: start one (202), read its progress. */
export function bulkJobRoutes(deps: AppDeps): Router {
  const { db, config } = deps;
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));

  router.post('/', requireRight('tasks.act'), async (req, res) => {
    const actor = actorOf(req);
    const answer = await idempotent(db, req, actor, async () => ({ status: 202, body: await startBulkJob(deps, actor, req.body) }));
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  });

  router.get('/:id', requireRight('tasks.read'), async (req, res) => {
    res.json(await getBulkJob(deps, actorOf(req), String(req.params.id)));
  });
  return router;
}
