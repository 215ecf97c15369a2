/**
 * The console's login route. The form itself is plain HTML in index.html, run by public/login.js, so a
 * first visit can sign in before React, MUI and react-admin have loaded. Here it is shown again (after
 * a sign-out, a lost session) and, once it has signed in, react-admin's login finishes the job: the
 * page asked for (or the one signed out from), the permissions refetched.
 */
import { useEffect, useRef } from 'react';
import { useI18nProvider, useLocaleState, useLogin } from 'react-admin';
import { PageLoading } from '../common/PageLoading';
import { getSession, type Session } from '../providers/session';

export const LoginPage = () => {
  const login = useLogin();
  const i18nProvider = useI18nProvider();
  const [, setLocale] = useLocaleState();
  // Attached once per visit of the route: a new callback identity must not hide and show the form again.
  const latest = useRef({ login, setLocale });
  latest.current = { login, setLocale };

  useEffect(() => {
    // Signed in already (by the form before the console had loaded, or by SSO): on to the page asked for.
    const session = getSession();
    if (session) {
      void latest.current.login({ session });
      return;
    }
    return window.jltLogin?.attach({
      locale: i18nProvider.getLocale(),
      onSignedIn: (signedIn) => void latest.current.login({ session: signedIn as unknown as Session }),
      onLocale: (locale) => latest.current.setLocale(locale),
    });
  }, [i18nProvider]);

  // Seen only between the sign-in and the page asked for (the form covers the screen until then).
  return <PageLoading />;
};
