import { Router } from 'express';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';
import { addComment, listComments, uploadCommentFile } from '../usecases/comments';
import { copiedUnreadCount, markCopiedRead } from '../usecases/copies';
import { idempotent } from '../usecases/idempotency';
import { receiveUpload, uploadInputOf } from './files';
import './collab-openapi';

/**
 * Comments on a registration and the 抄送 (copies) read state:
 * GET/POST /api/registrations/:id/comments, POST /api/registrations/:id/comments/files,
 * POST /api/registrations/:id/copies/read, GET /api/copies/unread-count. Scope is checked in the use cases.
 */
export function collabRoutes(deps: AppDeps): Router {
  const { db, config } = deps;
  const router = Router();
  const auth = requireAuth(config.JWT_SECRET);

  router.get('/registrations/:id/comments', auth, requireRight('registrations.read'), async (req, res) => {
    res.json(await listComments(db, actorOf(req), String(req.params.id)));
  });

  router.post('/registrations/:id/comments', auth, requireRight('registrations.read'), async (req, res) => {
    const actor = actorOf(req);
    const answer = await idempotent(db, req, actor, async () => ({ status: 201, body: await addComment(db, actor, String(req.params.id), req.body, { email: !!config.SMTP_URL }) }));
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  });

  router.post('/registrations/:id/comments/files', auth, requireRight('registrations.read'), receiveUpload(), async (req, res) => {
    res.status(201).json(await uploadCommentFile(db, actorOf(req), String(req.params.id), uploadInputOf(req)));
  });

  router.post('/registrations/:id/copies/read', auth, requireRight('registrations.read'), async (req, res) => {
    res.json(await markCopiedRead(db, actorOf(req), String(req.params.id)));
  });

  router.get('/copies/unread-count', auth, requireRight('tasks.read'), async (req, res) => {
    res.json(await copiedUnreadCount(db, actorOf(req)));
  });

  return router;
}
