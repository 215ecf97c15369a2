import { Router } from 'express';
import { loginSchema, refreshSchema } from '../../domain/users/schema';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { actorOf, requireAuth } from '../middleware/auth';
import { parseBody } from '../usecases/input';
import { LOGIN_THROTTLE, login, logout, me, refresh } from '../usecases/auth';

/** /api/auth: login, refresh (rotating), logout, me. */
export function authRoutes({ db, config }: AppDeps): Router {
  const router = Router();

  router.post('/login', async (req, res) => {
    const input = parseBody(loginSchema, req.body);
    try {
      res.json(await login(db, config, { ...input, ip: req.ip ?? 'unknown' }));
    } catch (err) {
      if (err instanceof AppError && err.status === 429) res.setHeader('Retry-After', String(LOGIN_THROTTLE.windowSeconds));
      throw err;
    }
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
