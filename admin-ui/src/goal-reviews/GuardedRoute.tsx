import type { ReactElement } from 'react';
import { Navigate } from 'react-admin';
import { useCan } from '../common/access';

/** A custom page shown only to the roles canAccess allows (others go to the access-denied page before any request). */
export function GuardedRoute({ resource, element }: { resource: string; element: ReactElement }) {
  const can = useCan();
  return can(resource, 'list') ? element : <Navigate to="/access-denied" replace />;
}
