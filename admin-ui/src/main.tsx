import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

// A logged-out start is already on #/login (public/login.js moved it there before the first paint, the
// page asked for kept in history.state for after login). Mounted on any other route, react-admin's
// failing auth check logs out, which clears the query cache, which checks again: hundreds of
// redirects and re-renders.

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
