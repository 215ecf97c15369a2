import { Router } from 'express';
import { POLICY_SORTABLE } from '../../domain/policies/repository';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { parseListQuery, sendList } from '../simple-rest';
import { changePolicy, getPolicy, listPolicies, policyFilterSchema, policyPropagations } from '../usecases/deadline-policies';

/** /api/deadline-policies — read by bureau and admin, changed by admin (moves in-flight timers); /propagation: how far each change has got. */
export function deadlinePolicyRoutes(deps: AppDeps): Router {
  const { db, config } = deps;
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));

  router.get('/', requireRight('policies.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: POLICY_SORTABLE, defaultSort: ['id', 'ASC'], filter: policyFilterSchema });
    sendList(res, 'deadline-policies', list, await listPolicies(db, list));
  });

  // Before /:id so that "propagation" is never read as an id.
  router.get('/propagation', requireRight('policies.read'), async (_req, res) => {
    res.json(await policyPropagations(db));
  });

  router.get('/:id', requireRight('policies.read'), async (req, res) => {
    res.json(await getPolicy(db, String(req.params.id)));
  });

  router.put('/:id', requireRight('policies.write'), async (req, res) => {
    res.json(await changePolicy(deps, actorOf(req), String(req.params.id), req.body));
  });

  return router;
}
