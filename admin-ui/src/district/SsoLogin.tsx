/**
 * The login page's single sign-on part: a button when the server has an OpenID Connect provider
 * configured (GET /api/auth/providers), and the return from it — the callback lands on
 * #/login?sso=<refresh token> (rotated at once into a session) or #/login?ssoError=<reason>.
 */
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import { useEffect, useState } from 'react';
import { useTranslate } from 'react-admin';
import { setSession, type Session } from '../providers/session';

interface Providers {
  oidc: { enabled: boolean; label?: string; loginUrl?: string };
}

function hashParams(): URLSearchParams {
  const q = window.location.hash.split('?')[1] ?? '';
  return new URLSearchParams(q);
}

export function SsoLogin() {
  const translate = useTranslate();
  const [providers, setProviders] = useState<Providers | null>(null);
  const [error, setError] = useState<{ reason: string; user: string } | null>(null);

  useEffect(() => {
    const params = hashParams();
    const refreshToken = params.get('sso');
    const reason = params.get('ssoError');
    // The token must not stay in the address bar or the history.
    if (refreshToken || reason) window.history.replaceState(null, '', `${window.location.pathname}#/login`);
    if (reason) setError({ reason, user: params.get('ssoUser') ?? '' });
    if (refreshToken) {
      // Rotated at once: the token that passed through the address bar is spent. The session is
      // stored only when complete, so nothing sees a half signed-in state.
      fetch('/api/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken }) })
        .then(async (res) => {
          if (!res.ok) throw new Error(String(res.status));
          const next = (await res.json()) as Session;
          setSession({ token: next.token, refreshToken: next.refreshToken, user: next.user });
          // A fresh start, so every cached "signed out" answer is gone.
          window.history.replaceState(null, '', `${window.location.pathname}#/`);
          window.location.reload();
        })
        .catch(() => setError({ reason: 'failed', user: '' }));
    }
    fetch('/api/auth/providers')
      .then((r) => (r.ok ? r.json() : null))
      .then(setProviders)
      .catch(() => setProviders(null));
  }, []);

  return (
    <Box sx={{ px: 2, pb: 2 }}>
      {error ? (
        <Alert severity="error" sx={{ mb: 1 }} data-testid="sso-error">
          {translate(`app.district.sso_error.${error.reason}`, { user: error.user, _: translate('app.district.sso_error.failed') })}
        </Alert>
      ) : null}
      {providers?.oidc.enabled ? (
        <>
          <Divider sx={{ mb: 1.5 }}>{translate('app.district.sso_or')}</Divider>
          <Button fullWidth variant="outlined" href={providers.oidc.loginUrl} data-testid="sso-button">
            {translate('app.district.sso_button', { label: providers.oidc.label })}
          </Button>
        </>
      ) : null}
    </Box>
  );
}
