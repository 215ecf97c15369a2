import { Router } from 'express';
import { DELEGATION_SORTABLE } from '../../domain/tasks/delegations';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { parseListQuery, sendList } from '../simple-rest';
import {
  createDelegation,
  delegateCandidates,
  delegationFilterSchema,
  deleteDelegation,
  getDelegation,
  listDelegations,
  transferCandidates,
  transferTask,
  updateDelegation,
  UrgeTooSoon,
  urgeTask,
} from '../usecases/collaboration';
import { idempotent } from '../usecases/idempotency';
import './collaboration-openapi';

/** POST /api/tasks/:id/transfer (转交), /urge (催办), GET /transfer-candidates. Mounted at /api/tasks. */
export function collaborationTaskRoutes(deps: AppDeps): Router {
  const { db, config } = deps;
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));

  router.get('/:id/transfer-candidates', requireRight('tasks.transfer'), async (req, res) => {
    res.json(await transferCandidates(db, actorOf(req), String(req.params.id)));
  });

  router.post('/:id/transfer', requireRight('tasks.transfer'), async (req, res) => {
    const actor = actorOf(req);
    const answer = await idempotent(db, req, actor, async () => ({ status: 200, body: await transferTask(deps, actor, String(req.params.id), req.body) }));
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  });

  router.post('/:id/urge', requireRight('tasks.urge'), async (req, res) => {
    try {
      res.json(await urgeTask(deps, actorOf(req), String(req.params.id), req.body));
    } catch (err) {
      if (!(err instanceof UrgeTooSoon)) throw err;
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil((Date.parse(err.nextAllowedAt) - Date.now()) / 1000))));
      res.status(429).json({ message: err.message, code: err.code, errors: err.errors, nextAllowedAt: err.nextAllowedAt });
    }
  });

  return router;
}

/** /api/delegations — 委托, in the ra-data-simple-rest contract. */
export function delegationRoutes(deps: AppDeps): Router {
  const { db, config } = deps;
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));

  router.get('/', requireRight('delegations.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: DELEGATION_SORTABLE, defaultSort: ['startsAt', 'DESC'], filter: delegationFilterSchema });
    sendList(res, 'delegations', list, await listDelegations(db, actorOf(req), list));
  });

  // Before /:id so that "candidates" is never read as an id.
  router.get('/candidates', requireRight('delegations.read'), async (req, res) => {
    res.json(await delegateCandidates(db, actorOf(req), req.query.fromUserId));
  });

  router.get('/:id', requireRight('delegations.read'), async (req, res) => {
    res.json(await getDelegation(db, actorOf(req), String(req.params.id)));
  });

  router.post('/', requireRight('delegations.write'), async (req, res) => {
    res.status(201).json(await createDelegation(db, actorOf(req), req.body));
  });

  router.put('/:id', requireRight('delegations.write'), async (req, res) => {
    res.json(await updateDelegation(db, actorOf(req), String(req.params.id), req.body));
  });

  router.delete('/:id', requireRight('delegations.write'), async (req, res) => {
    res.json(await deleteDelegation(db, actorOf(req), String(req.params.id)));
  });

  return router;
}
