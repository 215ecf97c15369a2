import { Admin, localStorageStore, Resource } from 'react-admin';
import { Dashboard } from './dashboard/Dashboard';
import { i18nProvider } from './i18n';
import { AppLayout } from './layout/AppLayout';
import { LoginPage } from './layout/LoginPage';
import { theme } from './layout/theme';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
import registrations from './registrations';
import tasks from './tasks';

const store = localStorageStore('1', 'jlt');

export const App = () => (
  <Admin
    title="app.title"
    dataProvider={dataProvider}
    authProvider={authProvider}
    i18nProvider={i18nProvider}
    store={store}
    layout={AppLayout}
    loginPage={LoginPage}
    dashboard={Dashboard}
    theme={theme}
    requireAuth
    disableTelemetry
  >
    <Resource name="tasks" {...tasks} />
    <Resource name="registrations" {...registrations} />
    <Resource name="schools" recordRepresentation="name" />
    <Resource name="party-types" recordRepresentation="nameZh" />
  </Admin>
);
