import { Router } from 'express';
import type { AppDeps } from '../deps';

/** Every /api route, mounted in one place. */
export function apiRoutes(deps: AppDeps): Router {
  const router = Router();
  void deps;
  return router;
}
