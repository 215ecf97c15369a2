import { Router } from 'express';
import { loginSchema, refreshSchema } from '../../domain/users/schema';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth } from '../middleware/auth';
import { parseBody } from '../usecases/input';
import { login, logout, me, refresh } from '../usecases/auth';

/** /api/auth: login, refresh (rotating), logout, me. */
export function authRoutes({ db, config }: AppDeps): Router {
  const router = Router();

  router.post('/login', async (req, res) => {
    const input = parseBody(loginSchema, req.body);
    // req.ip honours X-Forwarded-For only when TRUST_PROXY says which proxies to believe.
    res.json(await login(db, config, { ...input, ip: req.ip ?? req.socket.remoteAddress ?? 'unknown' }));
  });

  router.post('/refresh', async (req, res) => {
    const { refreshToken } = parseBody(refreshSchema, req.body);
    res.json(await refresh(db, config, refreshToken));
  });

  router.post('/logout', async (req, res) => {
    const { refreshToken } = parseBody(refreshSchema, req.body);
    await logout(db, refreshToken);
    res.status(204).end();
  });

  router.get('/me', requireAuth(config.JWT_SECRET), async (req, res) => {
    res.json(await me(db, actorOf(req)));
  });

  return router;
}
