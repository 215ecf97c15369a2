import { Router } from 'express';
import type { AppDeps } from '../deps';
export function oidcRoutes(_deps: AppDeps): Router {
  return Router();
}
