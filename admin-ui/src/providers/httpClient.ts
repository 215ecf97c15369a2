/**
 * fetch for the API: attaches the access token, and on a 401 trades the refresh token for a new
 * session once (shared by concurrent requests) and retries. Error messages and field errors come
 * back in the console's language.
 */
import { fetchUtils, HttpError } from 'react-admin';
import { localizeErrors, localizeMessage } from './localize';
import { clearSession, getSession, setSession, type Session } from './session';

export const API_URL = '/api';

let refreshing: Promise<Session | null> | null = null;

/** POST /api/auth/refresh with the stored refresh token; null when the session cannot be renewed. */
export function refreshSession(): Promise<Session | null> {
  refreshing ??= (async () => {
    const current = getSession();
    if (!current?.refreshToken) return null;
    try {
      const res = await fetch(`${API_URL}/auth/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refreshToken: current.refreshToken }),
      });
      if (!res.ok) {
        clearSession();
        return null;
      }
      const next = (await res.json()) as Session;
      setSession({ token: next.token, refreshToken: next.refreshToken, user: next.user });
      return getSession();
    } catch {
      return null;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function withAuth(options: fetchUtils.Options = {}): fetchUtils.Options {
  const headers = new Headers(options.headers ?? { Accept: 'application/json' });
  const session = getSession();
  if (session) headers.set('Authorization', `Bearer ${session.token}`);
  return { ...options, headers };
}

function localized(error: unknown): unknown {
  if (!(error instanceof HttpError)) return error;
  const body = error.body && typeof error.body === 'object' ? { ...error.body } : error.body;
  if (body && typeof body === 'object' && 'errors' in body) body.errors = localizeErrors(body.errors);
  return new HttpError(localizeMessage(error.message), error.status, body);
}

const isAuthCall = (url: string) => url.startsWith(`${API_URL}/auth/login`) || url.startsWith(`${API_URL}/auth/refresh`);

/**
 * Signed out (or signing out): a call the server would refuse is not sent. Queries still mounted while
 * the console leaves the layout (the bell's poll, a list refetching) get the same 401 the server would give.
 */
const signedOut = () => new HttpError(localizeMessage('请先登录 / Please sign in'), 401);

export async function httpClient(url: string, options: fetchUtils.Options = {}) {
  if (!getSession() && !isAuthCall(url)) throw signedOut();
  try {
    return await fetchUtils.fetchJson(url, withAuth(options));
  } catch (error) {
    if (error instanceof HttpError && error.status === 401 && !isAuthCall(url) && (await refreshSession())) {
      try {
        return await fetchUtils.fetchJson(url, withAuth(options));
      } catch (retryError) {
        throw localized(retryError);
      }
    }
    throw localized(error);
  }
}

/** A JSON call outside the data provider (actions such as submit, claim, complete). */
export async function apiCall<T = unknown>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const { json } = await httpClient(`${API_URL}${path}`, {
    method: init.method ?? 'GET',
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    headers: new Headers({ Accept: 'application/json', ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers }),
  });
  return json as T;
}

/** Binary answers (PDF, print view, images) need the token too: fetched as a Blob. */
export async function fetchBlob(path: string, init: RequestInit = {}): Promise<Blob> {
  if (!getSession()) throw signedOut();
  const call = () => {
    const headers = new Headers(init.headers);
    const session = getSession();
    if (session) headers.set('Authorization', `Bearer ${session.token}`);
    return fetch(`${API_URL}${path}`, { ...init, headers });
  };
  let res = await call();
  if (res.status === 401 && (await refreshSession())) res = await call();
  if (!res.ok) {
    let body: { message?: string; code?: string; errors?: Record<string, string> } | undefined;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    throw new HttpError(localizeMessage(body?.message ?? res.statusText), res.status, body ? { ...body, errors: localizeErrors(body.errors) } : body);
  }
  return res.blob();
}

/** Opens a token-protected document (the PDF, the print view) in a new tab. */
export async function openProtected(path: string): Promise<void> {
  // Open the tab synchronously (still inside the click) so pop-up blockers let it through.
  const tab = window.open('', '_blank');
  try {
    const blob = await fetchBlob(path);
    const url = URL.createObjectURL(blob);
    if (tab) tab.location.href = url;
    else window.location.assign(url);
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (error) {
    tab?.close();
    throw error;
  }
}

/** Saves a token-protected file under a name. */
export async function downloadProtected(path: string, fileName: string): Promise<void> {
  const blob = await fetchBlob(path);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Uploads one file as multipart/form-data (field `file`), as the API's upload routes expect. */
export async function uploadFile<T = unknown>(path: string, file: File, method: 'POST' | 'PUT' = 'POST'): Promise<T> {
  const body = new FormData();
  body.append('file', file);
  const { json } = await httpClient(`${API_URL}${path}`, { method, body });
  return json as T;
}
