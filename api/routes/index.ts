import { Router } from 'express';
import type { AppDeps } from '../deps';
import { registrationRoutes } from './registrations';

/** Every /api route, mounted in one place. */
export function apiRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use('/registrations', registrationRoutes(deps));
  return router;
}
