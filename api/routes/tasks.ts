import { Router } from 'express';
import { TASK_SORTABLE } from '../../domain/tasks/repository';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { parseListQuery, sendList } from '../simple-rest';
import { decisionUpdateId, idempotent } from '../usecases/idempotency';
import './workflow-openapi';
import { addApprover, approverCandidates } from '../usecases/step-approvers';
import { claim, completeTask, completeTasksInBulk, getTask, listTasksFor, taskFilterSchema, unclaim } from '../usecases/tasks';

/** /api/tasks — the inbox, in the ra-data-simple-rest contract, plus claim/unclaim/complete/bulk. */
export function taskRoutes(deps: AppDeps): Router {
  const { db, config } = deps;
  const router = Router();
  router.use(requireAuth(config.JWT_SECRET));

  router.get('/', requireRight('tasks.read'), async (req, res) => {
    const list = parseListQuery(req, { sortable: TASK_SORTABLE, defaultSort: ['dueAt', 'ASC'], filter: taskFilterSchema });
    sendList(res, 'tasks', list, await listTasksFor(db, actorOf(req), list));
  });

  // Before /:id so that "bulk" is never read as an id.
  router.post('/bulk', requireRight('tasks.act'), async (req, res) => {
    const actor = actorOf(req);
    const answer = await idempotent(db, req, actor, async () => ({ status: 200, body: await completeTasksInBulk(deps, actor, req.body) }));
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  });

  router.get('/:id', requireRight('tasks.read'), async (req, res) => {
    res.json(await getTask(db, actorOf(req), String(req.params.id)));
  });

  router.post('/:id/claim', requireRight('tasks.act'), async (req, res) => {
    res.json(await claim(db, actorOf(req), String(req.params.id)));
  });

  router.post('/:id/unclaim', requireRight('tasks.act'), async (req, res) => {
    res.json(await unclaim(db, actorOf(req), String(req.params.id)));
  });

  router.post('/:id/complete', requireRight('tasks.act'), async (req, res) => {
    const actor = actorOf(req);
    const answer = await idempotent(db, req, actor, async () => {
      const body = await completeTask(deps, actor, String(req.params.id), req.body, decisionUpdateId(req, actor, 'complete'));
      // Still processing is not the final answer: a retry with the key asks again (the same Update).
      return { status: body.processing ? 202 : 200, body, provisional: body.processing === true };
    });
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  });

  router.get('/:id/approver-candidates', requireRight('tasks.act'), async (req, res) => {
    res.json(await approverCandidates(db, actorOf(req), String(req.params.id)));
  });

  // 加签 (design.md): an approver before or after the task's holder.
  router.post('/:id/add-approver', requireRight('tasks.act'), async (req, res) => {
    const actor = actorOf(req);
    const answer = await idempotent(db, req, actor, async () => {
      const body = await addApprover(deps, actor, String(req.params.id), req.body, decisionUpdateId(req, actor, 'add-approver'));
      return { status: body.processing ? 202 : 200, body, provisional: body.processing === true };
    });
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  });

  return router;
}
