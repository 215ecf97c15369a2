import { Router } from 'express';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { decisionUpdateId, idempotent } from '../usecases/idempotency';
import { registrationTimeline, submitRegistration, withdrawRegistration } from '../usecases/registration-actions';

/** POST /api/registrations/:id/submit and /withdraw, GET /api/registrations/:id/timeline. Mounted at /api/registrations. */
export function registrationActionRoutes(deps: AppDeps): Router {
  const { db, config } = deps;
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));

  router.post('/:id/submit', requireRight('registrations.submit'), async (req, res) => {
    const actor = actorOf(req);
    const answer = await idempotent(db, req, actor, async () => {
      const body = await submitRegistration(deps, actor, String(req.params.id), decisionUpdateId(req, actor, 'submit'));
      // Still processing is not the final answer: a retry with the key asks again (the same Update).
      return { status: body.processing ? 202 : 200, body, provisional: body.processing === true };
    });
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  });

  router.post('/:id/withdraw', requireRight('registrations.submit'), async (req, res) => {
    const actor = actorOf(req);
    const answer = await idempotent(db, req, actor, async () => {
      const body = await withdrawRegistration(deps, actor, String(req.params.id), req.body, decisionUpdateId(req, actor, 'withdraw'));
      return { status: body.processing ? 202 : 200, body, provisional: body.processing === true };
    });
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  });

  router.get('/:id/timeline', requireRight('registrations.read'), async (req, res) => {
    res.json(await registrationTimeline(deps, actorOf(req), String(req.params.id)));
  });

  return router;
}
