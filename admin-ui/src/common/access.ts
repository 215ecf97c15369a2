import { canAccess, type AccessQuery } from '../providers/canAccess';
import { getSession } from '../providers/session';

/** Synchronous access check for buttons: the same pure canAccess the auth provider uses. */
export function useCan() {
  const viewer = getSession()?.user ?? null;
  return (resource: string, action: string, record?: AccessQuery['record']) => canAccess(viewer, { resource, action, record });
}

export function currentViewer() {
  return getSession()?.user ?? null;
}
