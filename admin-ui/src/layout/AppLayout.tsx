import Typography from '@mui/material/Typography';
import { Suspense, useEffect, type ReactNode } from 'react';
import { AppBar, LoadingIndicator, LocalesMenuButton, Layout, Logout, TitlePortal, UserMenu, useGetIdentity, useTranslate } from 'react-admin';
import { DelegationsMenuItem } from '../collaboration/DelegationsMenuItem';
import { LOCALES } from '../i18n';
import { NotificationsButton } from './NotificationsButton';
import { AppMenu } from './AppMenu';
import { useCan } from '../common/access';
import { PageLoading } from '../common/PageLoading';
import { prefetchPages } from '../resources';

function AppName() {
  const translate = useTranslate();
  return (
    <Typography variant="subtitle1" sx={{ mr: 2, fontWeight: 600, whiteSpace: 'nowrap', display: { xs: 'none', md: 'block' } }}>
      {translate('app.title')}
    </Typography>
  );
}

// The toolbar: notifications, the language switch (中文 / English) and the refresh button.
const Toolbar = () => {
  const translate = useTranslate();
  return (
    <>
      <NotificationsButton />
      <LocalesMenuButton languages={LOCALES} />
      {/* The spinner shown while loading is a progressbar: it needs a name. */}
      <LoadingIndicator aria-label={translate('ra.page.loading')} />
    </>
  );
};

/** The user menu's name includes the name it shows (a button's visible text must be part of its accessible name). */
function AppUserMenu() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  return (
    <UserMenu label={identity?.fullName ? `${identity.fullName} · ${translate('ra.auth.user_menu')}` : 'ra.auth.user_menu'}>
      <DelegationsMenuItem />
      <Logout />
    </UserMenu>
  );
}

const AppAppBar = () => (
  // On a phone the page title gives way (ellipsis) so that the bell and the user menu always fit.
  <AppBar color="primary" toolbar={<Toolbar />} userMenu={<AppUserMenu />} sx={{ '& .RaAppBar-toolbar': { minWidth: 0 }, '& #react-admin-title': { minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } }}>
    <AppName />
    <TitlePortal sx={{ minWidth: 0, maxWidth: { xs: 'calc(100vw - 190px)', sm: 'none' }, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} />
  </AppBar>
);

export const AppLayout = ({ children }: { children: ReactNode }) => {
  const can = useCan();
  useEffect(() => {
    prefetchPages((resource) => can(resource, 'list'));
    // Once per sign-in: the layout mounts after the login page.
  }, []);
  return (
    <Layout appBar={AppAppBar} menu={AppMenu}>
      <Suspense fallback={<PageLoading />}>{children}</Suspense>
    </Layout>
  );
};
