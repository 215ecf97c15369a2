/** The signed-in session, kept in localStorage so that a reload stays signed in. */
export interface SessionUser {
  id: number;
  username: string;
  name: string;
  roles: string[];
  schoolId: number | null;
  districtId?: number | null;
}

export interface Session {
  token: string;
  refreshToken: string;
  user: SessionUser;
}

const KEY = 'jlt.session';

export function getSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function setSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}
