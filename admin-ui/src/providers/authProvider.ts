/** react-admin's auth provider over POST /api/auth/login, /refresh, /logout and GET /api/auth/me. */
import { HttpError, type AuthProvider } from 'react-admin';
import { canAccess } from './canAccess';
import { API_URL, httpClient } from './httpClient';
import { localizeMessage } from './localize';
import { clearSession, getSession, setSession, type Session } from './session';

export const authProvider: AuthProvider = {
  /** A session the login form of index.html has already obtained (public/login.js), or a username and password. */
  async login({ username, password, session: given }: { username?: string; password?: string; session?: Session }) {
    if (given) {
      setSession({ token: given.token, refreshToken: given.refreshToken, user: given.user });
      return;
    }
    let res: Response;
    try {
      res = await fetch(`${API_URL}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ username, password }),
      });
    } catch {
      throw new Error('ra.notification.http_error');
    }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(localizeMessage(body?.message ?? 'ra.auth.sign_in_error'));
    const session = body as Session;
    setSession({ token: session.token, refreshToken: session.refreshToken, user: session.user });
  },

  async logout() {
    const session = getSession();
    clearSession();
    if (session?.refreshToken) {
      // Ends the refresh token on the server too; a failure here must not keep anyone signed in.
      await fetch(`${API_URL}/auth/logout`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      }).catch(() => undefined);
    }
  },

  async checkAuth() {
    if (!getSession()) throw new Error('ra.auth.auth_check_error');
  },

  async checkError(error: unknown) {
    const status = (error as HttpError | undefined)?.status;
    // The http client has already tried the refresh token: a 401 now means the session is over.
    if (status === 401) {
      clearSession();
      throw new Error('ra.notification.logged_out');
    }
    // 403 means "not this action", never "signed out".
  },

  async getIdentity() {
    const session = getSession();
    if (!session) throw new Error('ra.auth.auth_check_error');
    try {
      const { json } = await httpClient(`${API_URL}/auth/me`);
      const me = json as Session['user'];
      setSession({ ...getSession()!, user: { ...session.user, ...me } });
      return { ...me, fullName: me.name };
    } catch {
      return { ...session.user, fullName: session.user.name };
    }
  },

  async getPermissions() {
    return getSession()?.user.roles ?? [];
  },

  async canAccess({ resource, action, record }) {
    return canAccess(getSession()?.user, { resource, action, record });
  },
};
