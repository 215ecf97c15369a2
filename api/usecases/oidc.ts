/**
 * Single sign-on through an OpenID Connect provider (a province's 统一身份认证 platform), with
 * openid-client: authorization code flow with PKCE, state and nonce. The provider's answer is
 * mapped to an EXISTING active user by one configured claim (OIDC_USERNAME_CLAIM, compared with
 * the username case-insensitively); nobody is ever created here, so the provider alone can never
 * give anyone rights. A signed-in user gets the same session as a password login (issueSession).
 */
import * as oidc from 'openid-client';
import { appendAuditEvent } from '../../domain/audit';
import type { Db } from '../../db/connection';
import type { Config } from '../../platform/config';
import type { Role } from '../rights';
import { issueSession, type Session } from './auth';

export type OidcConfig = Config & { OIDC_ISSUER: string; OIDC_CLIENT_ID: string; OIDC_CLIENT_SECRET: string };

export const oidcEnabled = (config: Config): config is OidcConfig => Boolean(config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET);

/** What the login page needs to know: which ways to sign in there are. */
export function providers(config: Config) {
  return { password: true, oidc: oidcEnabled(config) ? { enabled: true, label: config.OIDC_LABEL, loginUrl: '/api/auth/oidc/login' } : { enabled: false } };
}

// Discovery once per process (and again after a failure, e.g. the provider was still starting).
const discovered = new Map<string, Promise<oidc.Configuration>>();
function clientConfig(config: OidcConfig): Promise<oidc.Configuration> {
  const key = `${config.OIDC_ISSUER}|${config.OIDC_CLIENT_ID}`;
  let found = discovered.get(key);
  if (!found) {
    const issuer = new URL(config.OIDC_ISSUER);
    // Plain http only for a provider on this machine (development and tests).
    const loopback = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
    found = oidc.discovery(issuer, config.OIDC_CLIENT_ID, config.OIDC_CLIENT_SECRET, undefined, loopback ? { execute: [oidc.allowInsecureRequests] } : undefined);
    found.catch(() => discovered.delete(key));
    discovered.set(key, found);
  }
  return found;
}

/** The state kept between leaving for the provider and coming back (in a signed, short-lived cookie). */
export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
}

export async function startLogin(config: OidcConfig, redirectUri: string): Promise<{ url: string; pending: PendingLogin }> {
  const c = await clientConfig(config);
  const pending: PendingLogin = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), redirectUri };
  const url = oidc.buildAuthorizationUrl(c, {
    redirect_uri: redirectUri,
    scope: config.OIDC_SCOPES,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, pending };
}

export type CallbackOutcome = { ok: true; session: Session } | { ok: false; reason: 'unknown_user' | 'no_claim' | 'inactive'; subject: string };

/** Exchanges the code, checks state/nonce/PKCE and the ID token, and maps the claim to a user. */
export async function finishLogin(db: Db, config: OidcConfig, callbackUrl: URL, pending: PendingLogin, ip: string): Promise<CallbackOutcome> {
  const c = await clientConfig(config);
  const tokens = await oidc.authorizationCodeGrant(c, callbackUrl, {
    pkceCodeVerifier: pending.verifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
  let claims: Record<string, unknown> = tokens.claims() ?? {};
  // Many providers put profile claims only in the userinfo answer, not in the ID token.
  if (claims[config.OIDC_USERNAME_CLAIM] === undefined && typeof claims.sub === 'string') {
    claims = { ...(await oidc.fetchUserInfo(c, tokens.access_token, claims.sub)), ...claims };
  }
  const claimed = claims[config.OIDC_USERNAME_CLAIM];
  const subject = typeof claimed === 'string' ? claimed.trim() : '';
  const refuse = async (reason: 'unknown_user' | 'no_claim' | 'inactive', actorId: number | null): Promise<CallbackOutcome> => {
    await appendAuditEvent(db, { action: 'auth.oidc_refused', actorId, actorName: subject || null, details: { reason, claim: config.OIDC_USERNAME_CLAIM, value: subject, sub: claims.sub, issuer: config.OIDC_ISSUER, ip } });
    return { ok: false, reason, subject };
  };
  if (!subject) return refuse('no_claim', null);
  const user = await db('users').whereRaw('lower(username) = lower(?)', [subject]).first('id', 'username', 'name', 'roles', 'schoolId', 'districtId', 'active');
  if (!user) return refuse('unknown_user', null);
  if (!user.active) return refuse('inactive', user.id);
  await appendAuditEvent(db, { action: 'auth.oidc_login', actorId: user.id, actorName: user.name, details: { username: user.username, sub: claims.sub, issuer: config.OIDC_ISSUER, ip } });
  const session = await issueSession(db, config, {
    id: user.id,
    username: user.username,
    name: user.name,
    roles: user.roles as Role[],
    schoolId: user.schoolId,
    districtId: user.districtId,
  });
  return { ok: true, session };
}
