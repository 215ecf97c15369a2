/**
 * Sign-in: password check (argon2id), short-lived access JWT naming the user's session epoch,
 * rotating refresh tokens stored hashed, and a progressive delay of repeated failures per account
 * and per address (domain/users/login-throttle.ts). Every login, failed or not, is an audit event.
 */
import { randomBytes } from 'node:crypto';
import { appendAuditEvent, sha256 } from '../../domain/audit';
import { clearAccount, pendingDelayMs, recordFailure, delayAfter, sleep, type ThrottleKey } from '../../domain/users/login-throttle';
import { dummyPasswordHash, verifyPassword } from '../../domain/users/passwords';
import { findCredentials, findUser } from '../../domain/users/repository';
import { bumpSessionEpoch, forgetSessionState } from '../../domain/users/sessions';
import type { Db } from '../../db/connection';
import type { Config } from '../../platform/config';
import { AppError } from '../errors';
import { type Actor, signAccessToken } from '../middleware/auth';
import type { Role } from '../rights';

export { LOGIN_THROTTLE } from '../../domain/users/login-throttle';

const WRONG = '用户名或密码错误 / Wrong username or password';

export interface Session {
  token: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: number; username: string; name: string; roles: Role[]; schoolId: number | null; districtId: number | null };
}

/**
 * Issues an access token (bound to the user's current session epoch) and a refresh token.
 * The one way any sign-in method (password, refresh, OIDC) starts a session.
 */
export async function issueSession(db: Db, config: Config, user: Session['user']): Promise<Session> {
  const actor: Actor = { ...user };
  const refreshToken = randomBytes(32).toString('base64url');
  await db('refreshTokens').insert({
    tokenHash: sha256(refreshToken),
    userId: user.id,
    expiresAt: new Date(Date.now() + config.REFRESH_TTL_SECONDS * 1000),
  });
  const row = await db('users').where({ id: user.id }).first('sessionEpoch');
  return {
    token: signAccessToken(actor, config.JWT_SECRET, config.JWT_TTL_SECONDS, Number(row?.sessionEpoch ?? 0)),
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
  const keys: ThrottleKey[] = [
    { kind: 'account', key: username },
    { kind: 'address', key: input.ip },
  ];
  // Held, never refused: the right password still gets in once the cool-down ends.
  const held = await pendingDelayMs(db, keys);
  if (held > 0) await sleep(held);

  const user = await findCredentials(db, username);
  // Unknown users cost the same hash check as known ones, so timing does not tell which exist.
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !passwordOk || !user.active) {
    const reason = !user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'inactive';
    await appendAuditEvent(db, { action: 'auth.login_failed', actorId: user?.id ?? null, actorName: input.username, details: { username, ip: input.ip, reason } });
    // A held attempt is not a new failure; any other is counted, and its answer waits out the cool-down it caused.
    if (held === 0) {
      const counts = await recordFailure(db, keys);
      const cooldown = Math.max(delayAfter('account', counts.account), delayAfter('address', counts.address));
      if (cooldown > 0) await sleep(cooldown);
    }
    throw new AppError(401, 'invalid_credentials', WRONG);
  }

  await clearAccount(db, username);
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
  const userId = await db.transaction(async (trx) => {
    const [row] = await trx('refreshTokens')
      .where({ tokenHash: sha256(refreshToken) })
      .whereNull('revokedAt')
      .update({ revokedAt: trx.fn.now() })
      .returning('userId');
    if (!row) return null;
    // Access tokens already handed out end too (the user's other devices refresh to continue).
    await bumpSessionEpoch(trx, row.userId);
    await appendAuditEvent(trx, { action: 'auth.logout', actorId: row.userId, details: {} });
    return row.userId as number;
  });
  if (userId != null) forgetSessionState(userId);
}

export async function me(db: Db, actor: Actor) {
  const user = await findUser(db, actor.id);
  if (!user || !user.active) throw AppError.unauthorized();
  return user;
}
