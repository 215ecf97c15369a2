import { Router } from 'express';
import { migrationsCurrent } from '../../db/migrate';
import type { AppDeps } from '../deps';

export function healthRoutes({ db, temporal, config }: AppDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks = { postgres: false, migrations: false, temporal: false };
    try {
      await db.raw('select 1');
      checks.postgres = true;
      checks.migrations = await migrationsCurrent(db);
    } catch {
      /* reported below */
    }
    try {
      await temporal.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE });
      checks.temporal = true;
    } catch {
      /* reported below */
    }
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  return router;
}
