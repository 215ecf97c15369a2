import { Router, type Request } from 'express';
import jwt from 'jsonwebtoken';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { finishLogin, oidcEnabled, type PendingLogin, providers, startLogin } from '../usecases/oidc';

const COOKIE = 'jlt_oidc';
const COOKIE_PATH = '/api/auth/oidc';
const PENDING_SECONDS = 600;

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * /api/auth/providers (public), /api/auth/oidc/login and /api/auth/oidc/callback. The pending
 * login (state, nonce, PKCE verifier) travels in an HttpOnly cookie signed with the JWT secret, so
 * any API instance can finish what another started. The console receives the session as a
 * refresh token in its URL fragment, which it rotates at once (a replayed one ends every session).
 */
export function oidcRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  const toConsole = (query: Record<string, string>) => `/#/login?${new URLSearchParams(query).toString()}`;
  const redirectUriOf = (req: Request) => config.OIDC_REDIRECT_URI ?? `${req.protocol}://${req.get('host')}${COOKIE_PATH}/callback`;

  router.get('/providers', (_req, res) => {
    res.json(providers(config));
  });

  router.get('/oidc/login', async (req, res) => {
    if (!oidcEnabled(config)) throw AppError.notFound('单点登录 / Single sign-on');
    let started: Awaited<ReturnType<typeof startLogin>>;
    try {
      started = await startLogin(config, redirectUriOf(req));
    } catch (err) {
      // The provider is down or misconfigured: the user is told on the login page, not given a 500.
      req.log?.error({ err }, 'oidc discovery failed');
      return res.redirect(302, toConsole({ ssoError: 'failed' }));
    }
    const { url, pending } = started;
    const signed = jwt.sign({ ...pending, typ: 'oidc_pending' }, config.JWT_SECRET, { algorithm: 'HS256', expiresIn: PENDING_SECONDS });
    res.cookie(COOKIE, signed, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: COOKIE_PATH, maxAge: PENDING_SECONDS * 1000 });
    res.redirect(302, url);
  });

  router.get('/oidc/callback', async (req, res) => {
    if (!oidcEnabled(config)) throw AppError.notFound('单点登录 / Single sign-on');
    res.clearCookie(COOKIE, { path: COOKIE_PATH });
    let pending: PendingLogin;
    try {
      const claims = jwt.verify(cookieOf(req, COOKIE) ?? '', config.JWT_SECRET, { algorithms: ['HS256'] }) as PendingLogin & { typ?: string };
      if (claims.typ !== 'oidc_pending') throw new Error('not a pending login');
      pending = claims;
    } catch {
      return res.redirect(302, toConsole({ ssoError: 'expired' }));
    }
    if (typeof req.query.error === 'string') return res.redirect(302, toConsole({ ssoError: 'provider' }));
    const callbackUrl = new URL(req.originalUrl, pending.redirectUri);
    try {
      const outcome = await finishLogin(db, config, callbackUrl, pending, req.ip ?? 'unknown');
      if (!outcome.ok) return res.redirect(302, toConsole({ ssoError: outcome.reason, ssoUser: outcome.subject }));
      res.redirect(302, toConsole({ sso: outcome.session.refreshToken }));
    } catch (err) {
      req.log?.warn({ err }, 'oidc callback failed');
      res.redirect(302, toConsole({ ssoError: 'failed' }));
    }
  });
  return router;
}
