import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getSession } from './providers/session';

// A logged-out start goes straight to the login page. Mounted on any other route, react-admin's
// failing auth check logs out, which clears the query cache, which checks again: hundreds of
// redirects and re-renders before the form appears. The wanted page is kept for after login.
if (!getSession() && !window.location.hash.startsWith('#/login')) {
  const wanted = window.location.hash.replace(/^#/, '') || '/';
  const [pathname, search = ''] = wanted.split('?');
  window.history.replaceState({ usr: { nextPathname: pathname, nextSearch: search ? `?${search}` : '' }, key: 'default', idx: 0 }, '', '#/login');
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
