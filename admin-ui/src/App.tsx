import { Admin, CustomRoutes, localStorageStore, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { guardResource } from './common/guard';
import { i18nProvider } from './i18n';
import { AppLayout } from './layout/AppLayout';
import { LoginPage } from './layout/LoginPage';
import { theme } from './layout/theme';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
import registrations from './registrations';
import tasks from './tasks';
import auditEvents from './audit-events';
import deadlinePolicies from './deadline-policies';
import formFields from './form-fields';
import calendarDays from './calendar-days';
import partyTypes from './party-types';
import schools from './schools';
import users from './users';
import goalReviews, { ReviewPlanning } from './goal-reviews';
import { GuardedRoute } from './goal-reviews/GuardedRoute';
import operations from './operations';
import { Home } from './district/Home';
import { ImportPage } from './district/ImportPage';
import { OverviewPage } from './district/OverviewPage';
import { guardPage } from './district/guardPage';
import delegations from './collaboration/delegations';

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
    dashboard={Home}
    theme={theme}
    requireAuth
    disableTelemetry
  >
    <Resource name="tasks" {...guardResource('tasks', tasks)} />
    <Resource name="registrations" {...guardResource('registrations', registrations)} />
    <Resource name="party-types" {...guardResource('party-types', partyTypes)} />
    <Resource name="deadline-policies" {...guardResource('deadline-policies', deadlinePolicies)} />
    <Resource name="users" {...guardResource('users', users)} />
    <Resource name="schools" {...guardResource('schools', schools)} />
    <Resource name="form-fields" {...guardResource('form-fields', formFields)} />
    <Resource name="audit-events" {...guardResource('audit-events', auditEvents)} />
    <Resource name="operations" {...guardResource('operations', operations)} />
    <Resource name="districts" recordRepresentation="name" />
    <Resource name="goal-reviews" {...guardResource('goal-reviews', goalReviews)} />
    <Resource name="delegations" {...guardResource('delegations', delegations)} />
    <Resource name="calendar-days" {...guardResource('calendar-days', calendarDays)} />
    <CustomRoutes>
      <Route path="/review-planning" element={<GuardedRoute resource="review-planning" element={<ReviewPlanning />} />} />
      <Route path="/overview" element={guardPage('overview', <OverviewPage />)} />
      <Route path="/imports" element={guardPage('imports', <ImportPage />)} />
    </CustomRoutes>
  </Admin>
);
