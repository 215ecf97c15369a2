import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { AppBar, Layout, TitlePortal, useTranslate } from 'react-admin';
import { AppMenu } from './AppMenu';

function AppName() {
  const translate = useTranslate();
  return (
    <Typography variant="subtitle1" sx={{ mr: 2, fontWeight: 600, whiteSpace: 'nowrap' }}>
      {translate('app.title')}
    </Typography>
  );
}

// The default toolbar keeps the LocalesMenuButton (中文 / English) and the refresh button.
const AppAppBar = () => (
  <AppBar color="primary">
    <AppName />
    <TitlePortal />
  </AppBar>
);

export const AppLayout = ({ children }: { children: ReactNode }) => (
  <Layout appBar={AppAppBar} menu={AppMenu}>
    {children}
  </Layout>
);
