import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Express, RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import type { Knex } from 'knex';
import { currentSessionState, SESSION_CACHE_MS } from '../../domain/users/sessions';
import { AppError } from '../errors';
import { can, type Right, type Role } from '../rights';

/** Who is acting: the user's current state (roles, school, district), not what the token once said. */
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

export interface AccessClaims {
  id: number;
  /** The user's session epoch when the token was issued; a token older than the row is void. */
  ver: number;
}

const secretKeys = new Map<string, KeyObject>();
/**
 * The HMAC secret as a KeyObject, made once per secret. Given a string, jsonwebtoken first tries to
 * parse it as a PEM public key on every call and builds the secret key from the failure: milliseconds
 * per request on a loaded machine (bench/inbox.ts), for every authenticated request.
 */
export function hmacKeyOf(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret));
    secretKeys.set(secret, key);
  }
  return key;
}

/** `sessionEpoch` is the user's users.session_epoch when the token is issued (0 for a new user). */
export function signAccessToken(actor: Actor, secret: string, ttlSeconds: number, sessionEpoch = 0): string {
  return jwt.sign({ ...actor, ver: sessionEpoch, typ: 'access' }, hmacKeyOf(secret), { algorithm: ALGORITHM, expiresIn: ttlSeconds, subject: String(actor.id) });
}

/** Checks signature, expiry and kind; says nothing yet about whether the session still stands. */
export function verifyAccessToken(token: string, secret: string): AccessClaims {
  const claims = jwt.verify(token, hmacKeyOf(secret), { algorithms: [ALGORITHM] }) as jwt.JwtPayload & { id?: unknown; ver?: unknown; typ?: string };
  if (claims.typ !== 'access') throw new Error('not an access token');
  if (!Number.isSafeInteger(claims.id)) throw new Error('no user id');
  return { id: claims.id as number, ver: Number.isSafeInteger(claims.ver) ? (claims.ver as number) : 0 };
}

/** Turns verified claims into the acting user, or null when the session no longer stands. */
export type SessionResolver = (claims: AccessClaims) => Promise<Actor | null>;

/** The resolver every requireAuth uses: the user's row (cached ≤ SESSION_CACHE_MS), its epoch and activity. */
export function sessionResolver(db: Knex, maxAgeMs = SESSION_CACHE_MS): SessionResolver {
  return async (claims) => {
    const user = await currentSessionState(db, claims.id, maxAgeMs);
    if (!user || !user.active || user.sessionEpoch !== claims.ver) return null;
    return { id: user.id, username: user.username, name: user.name, roles: user.roles, schoolId: user.schoolId, districtId: user.districtId };
  };
}

const RESOLVER = 'sessionResolver';

/** createApp installs the resolver once; requireAuth finds it on the app, so route files keep their signature. */
export function installSessionResolver(app: Express, resolver: SessionResolver): void {
  app.locals[RESOLVER] = resolver;
}

const invalidToken = () => new AppError(401, 'invalid_token', '登录已过期或无效 / Token expired or invalid');

export function requireAuth(secret: string): RequestHandler {
  return (req, _res, next) => {
    // Routers mounted on one path each check the token; the first check of this request stands for the rest.
    if (req.actor) return next();
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return next(AppError.unauthorized());
    let claims: AccessClaims;
    try {
      claims = verifyAccessToken(header.slice(7), secret);
    } catch {
      return next(invalidToken());
    }
    const resolve = req.app.locals[RESOLVER] as SessionResolver | undefined;
    // Fail closed: without the current-state check a revoked token would pass.
    if (!resolve) return next(new Error('requireAuth: no session resolver installed on the app'));
    resolve(claims).then(
      (actor) => {
        if (!actor) return next(invalidToken());
        req.actor = actor;
        next();
      },
      (err: unknown) => next(err),
    );
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
