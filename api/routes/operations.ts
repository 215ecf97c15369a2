import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireAuth, requireRight } from '../middleware/auth';
import { openApiRegistry } from '../openapi';
import { operationsView } from '../usecases/operations';

openApiRegistry.registerPath({
  method: 'get',
  path: '/api/operations',
  tags: ['operations'],
  security: [{ bearer: [] }],
  summary: 'Administrators: health of Postgres, Temporal and the workers; registrations stuck past their policy; failing activities with their last error; the outbox backlog',
  responses: {
    200: { description: 'The operator view', content: { 'application/json': { schema: z.record(z.string(), z.unknown()).meta({ id: 'OperationsView' }) } } },
    401: { description: 'Not signed in' },
    403: { description: 'Not an administrator' },
  },
});

/** /api/operations — the operator page's one read. */
export function operationRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(deps.config.JWT_SECRET));
  router.get('/', requireRight('operations.read'), async (_req, res) => {
    res.json(await operationsView(deps));
  });
  return router;
}
