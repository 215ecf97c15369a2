import type { ComponentType } from 'react';
import { Navigate } from 'react-admin';
import { useCan } from './access';

type ResourceDefinition = { list?: ComponentType; create?: ComponentType; edit?: ComponentType; show?: ComponentType; [key: string]: unknown };

/**
 * Wraps a resource's pages so that a role without the right is sent to the access-denied page
 * before the page mounts (react-admin's own check is asynchronous and lets the page's first
 * request out; the server refuses it, but the request should not be made).
 */
export function guardResource(resource: string, definition: ResourceDefinition): ResourceDefinition {
  const wrap = (action: 'list' | 'create' | 'edit' | 'show', Page?: ComponentType) => {
    if (!Page) return undefined;
    const Guarded = () => {
      const can = useCan();
      return can(resource, action) ? <Page /> : <Navigate to="/access-denied" replace />;
    };
    Guarded.displayName = `Guarded(${resource}.${action})`;
    return Guarded;
  };
  return {
    ...definition,
    list: wrap('list', definition.list),
    create: wrap('create', definition.create),
    edit: wrap('edit', definition.edit),
    show: wrap('show', definition.show),
  };
}
