import type { ReactElement } from 'react';
import { Navigate } from 'react-admin';
import { useCan } from '../common/access';

function Guarded({ resource, page }: { resource: string; page: ReactElement }) {
  const can = useCan();
  return can(resource, 'list') ? page : <Navigate to="/access-denied" replace />;
}

/** A custom page behind the same access rule as a resource list (see common/guard.tsx). */
export const guardPage = (resource: string, page: ReactElement) => <Guarded resource={resource} page={page} />;
