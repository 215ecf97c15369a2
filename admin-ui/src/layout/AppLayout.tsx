import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { AppBar, LoadingIndicator, LocalesMenuButton, Layout, TitlePortal, useTranslate } from 'react-admin';
import { LOCALES } from '../i18n';
import { NotificationsButton } from './NotificationsButton';
import { AppMenu } from './AppMenu';

function AppName() {
  const translate = useTranslate();
  return (
    <Typography variant="subtitle1" sx={{ mr: 2, fontWeight: 600, whiteSpace: 'nowrap' }}>
      {translate('app.title')}
    </Typography>
  );
}

// The toolbar: notifications, the language switch (中文 / English) and the refresh button.
const Toolbar = () => (
  <>
    <NotificationsButton />
    <LocalesMenuButton languages={LOCALES} />
    <LoadingIndicator />
  </>
);

const AppAppBar = () => (
  <AppBar color="primary" toolbar={<Toolbar />}>
    <AppName />
    <TitlePortal />
  </AppBar>
);

export const AppLayout = ({ children }: { children: ReactNode }) => (
  <Layout appBar={AppAppBar} menu={AppMenu}>
    {children}
  </Layout>
);
