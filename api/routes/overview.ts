import { Router } from 'express';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { districtOverview, overviewScopeOf } from '../usecases/overview';

/** GET /api/overview: the district as a whole (bureau: own district; admin: all, or ?districtId=). */
export function overviewRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.get('/', requireAuth(config.JWT_SECRET), requireRight('overview.read'), async (req, res) => {
    const scope = overviewScopeOf(actorOf(req), req.query.districtId);
    res.json(await districtOverview(db, scope));
  });
  return router;
}
