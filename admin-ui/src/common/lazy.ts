import { lazy, type ComponentType } from 'react';

/**
 * A page loaded on first use (react-admin's Layout renders pages inside Suspense). Keeps the heavy
 * pages (the form, the inbox with its dialogs and signature pad) out of the bundle the login needs.
 */
export function lazyPage<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M & string): ComponentType {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}
