/**
 * Sign-in: password check (argon2id), short-lived access JWT, rotating refresh tokens stored hashed,
 * and throttling of repeated failures per username and per address. Every login, failed or not,
 * is an audit event; the throttle counts those events, so it holds across API instances.
 */
import { randomBytes } from 'node:crypto';
import { appendAuditEvent, sha256 } from '../../domain/audit';
import { dummyPasswordHash, verifyPassword } from '../../domain/users/passwords';
import { findCredentials, findUser } from '../../domain/users/repository';
import type { Db } from '../../db/connection';
import type { Config } from '../../platform/config';
import { AppError } from '../errors';
import { type Actor, signAccessToken } from '../middleware/auth';
import type { Role } from '../rights';

export const LOGIN_THROTTLE = {
  windowSeconds: 15 * 60,
  /** Failures of one username since its last successful login, within the window. */
  maxFailuresPerUser: 5,
  /** Failures from one address within the window, whatever the usernames. */
  maxFailuresPerAddress: 20,
};

const WRONG = '用户名或密码错误 / Wrong username or password';

export interface Session {
  token: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: number; username: string; name: string; roles: Role[]; schoolId: number | null; districtId: number | null };
}

async function recentFailures(db: Db, username: string, ip: string): Promise<{ user: number; address: number }> {
  const since = `now() - make_interval(secs => ${LOGIN_THROTTLE.windowSeconds})`;
  const { rows } = await db.raw(
    `select
       (select count(*) from audit_events f
         where f.action = 'auth.login_failed' and f.details->>'username' = :username and f.at > ${since}
           and f.at > coalesce((select max(s.at) from audit_events s
                                 where s.action = 'auth.login' and s.details->>'username' = :username), '-infinity')
       ) as user,
       (select count(*) from audit_events f
         where f.action = 'auth.login_failed' and f.details->>'ip' = :ip and f.at > ${since}) as address`,
    { username, ip },
  );
  return { user: Number(rows[0].user), address: Number(rows[0].address) };
}

export async function issueSession(db: Db, config: Config, user: Session['user']): Promise<Session> {
  const actor: Actor = { ...user };
  const refreshToken = randomBytes(32).toString('base64url');
  await db('refreshTokens').insert({
    tokenHash: sha256(refreshToken),
    userId: user.id,
    expiresAt: new Date(Date.now() + config.REFRESH_TTL_SECONDS * 1000),
  });
  return {
    token: signAccessToken(actor, config.JWT_SECRET, config.JWT_TTL_SECONDS),
    refreshToken,
    expiresIn: config.JWT_TTL_SECONDS,
    user,
  };
}

const sessionUser = (u: { id: number; username: string; name: string; roles: Role[]; schoolId: number | null; districtId: number | null }) => ({
  id: u.id,
  username: u.username,
  name: u.name,
  roles: u.roles,
  schoolId: u.schoolId,
  districtId: u.districtId,
});

export async function login(db: Db, config: Config, input: { username: string; password: string; ip: string }): Promise<Session> {
  const username = input.username.toLowerCase();
  const fail = async (reason: string, actorId: number | null) => {
    await appendAuditEvent(db, { action: 'auth.login_failed', actorId, actorName: input.username, details: { username, ip: input.ip, reason } });
  };

  const failures = await recentFailures(db, username, input.ip);
  if (failures.user >= LOGIN_THROTTLE.maxFailuresPerUser || failures.address >= LOGIN_THROTTLE.maxFailuresPerAddress) {
    await fail('throttled', null);
    const err = new AppError(429, 'too_many_attempts', '登录失败次数过多，请 15 分钟后再试 / Too many failed sign-ins; try again in 15 minutes');
    throw Object.assign(err, { retryAfterSeconds: LOGIN_THROTTLE.windowSeconds });
  }

  const user = await findCredentials(db, username);
  // Unknown users cost the same hash check as known ones, so timing does not tell which exist.
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !passwordOk || !user.active) {
    await fail(!user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'inactive', user?.id ?? null);
    throw new AppError(401, 'invalid_credentials', WRONG);
  }

  await appendAuditEvent(db, { action: 'auth.login', actorId: user.id, actorName: user.name, details: { username, ip: input.ip } });
  return issueSession(db, config, sessionUser(user));
}

/** Rotates a refresh token. Presenting one already used revokes every session of that user (likely theft). */
export async function refresh(db: Db, config: Config, refreshToken: string): Promise<Session> {
  const invalid = () => new AppError(401, 'invalid_refresh_token', '登录已过期，请重新登录 / Session expired; sign in again');
  const userId = await db.transaction(async (trx) => {
    const row = await trx('refreshTokens').where({ tokenHash: sha256(refreshToken) }).forUpdate().first();
    if (!row) return null;
    if (row.revokedAt) {
      await trx('refreshTokens').where({ userId: row.userId }).whereNull('revokedAt').update({ revokedAt: trx.fn.now() });
      await appendAuditEvent(trx, { action: 'auth.refresh_reused', actorId: row.userId, details: {} });
      return null;
    }
    if (new Date(row.expiresAt).getTime() <= Date.now()) return null;
    await trx('refreshTokens').where({ tokenHash: row.tokenHash }).update({ revokedAt: trx.fn.now() });
    return row.userId as number;
  });
  if (userId == null) throw invalid();
  const user = await db('users').where({ id: userId }).first('id', 'username', 'name', 'roles', 'schoolId', 'districtId', 'active');
  if (!user?.active) throw invalid();
  return issueSession(db, config, sessionUser(user));
}

/** Ends the session of a refresh token; an unknown or spent token is quietly ignored. */
export async function logout(db: Db, refreshToken: string): Promise<void> {
  await db.transaction(async (trx) => {
    const [row] = await trx('refreshTokens')
      .where({ tokenHash: sha256(refreshToken) })
      .whereNull('revokedAt')
      .update({ revokedAt: trx.fn.now() })
      .returning('userId');
    if (row) await appendAuditEvent(trx, { action: 'auth.logout', actorId: row.userId, details: {} });
  });
}

export async function me(db: Db, actor: Actor) {
  const user = await findUser(db, actor.id);
  if (!user || !user.active) throw AppError.unauthorized();
  return user;
}
