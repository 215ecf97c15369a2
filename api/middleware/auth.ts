import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { AppError } from '../errors';
import { can, type Right, type Role } from '../rights';

/** Who is acting, as carried in the access token. */
export interface Actor {
  id: number;
  username: string;
  name: string;
  roles: Role[];
  schoolId: number | null;
  districtId: number | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

const ALGORITHM = 'HS256' as const;

export function signAccessToken(actor: Actor, secret: string, ttlSeconds: number): string {
  return jwt.sign({ ...actor, typ: 'access' }, secret, { algorithm: ALGORITHM, expiresIn: ttlSeconds, subject: String(actor.id) });
}

export function verifyAccessToken(token: string, secret: string): Actor {
  const claims = jwt.verify(token, secret, { algorithms: [ALGORITHM] }) as jwt.JwtPayload & Actor & { typ?: string };
  if (claims.typ !== 'access') throw new Error('not an access token');
  return {
    id: claims.id,
    username: claims.username,
    name: claims.name,
    roles: claims.roles,
    schoolId: claims.schoolId ?? null,
    districtId: claims.districtId ?? null,
  };
}

export function requireAuth(secret: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return next(AppError.unauthorized());
    try {
      req.actor = verifyAccessToken(header.slice(7), secret);
      next();
    } catch {
      next(new AppError(401, 'invalid_token', '登录已过期或无效 / Token expired or invalid'));
    }
  };
}

export function requireRight(right: Right): RequestHandler {
  return (req, _res, next) => {
    if (!req.actor) return next(AppError.unauthorized());
    if (!can(req.actor.roles, right)) return next(AppError.forbidden());
    next();
  };
}

export function actorOf(req: { actor?: Actor }): Actor {
  if (!req.actor) throw AppError.unauthorized();
  return req.actor;
}
