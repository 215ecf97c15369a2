import { lazy, Suspense, type ReactNode } from 'react';
import { Admin, CustomRoutes, localStorageStore, Resource } from 'react-admin';
import { PageLoading } from './common/PageLoading';
import { Route } from 'react-router-dom';
import { guardResource } from './common/guard';
import { i18nProvider } from './i18n';
import { LoginPage } from './layout/LoginPage';
import { theme } from './layout/theme';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
import registrations from './registrations';
import tasks from './tasks';
import { auditEvents, calendarDays, deadlinePolicies, delegations, formFields, goalReviews, Home, ImportPage, operations, OverviewPage, partyTypes, ReviewPlanning, schools, users } from './resources';
import { GuardedRoute } from './goal-reviews/GuardedRoute';
import { guardPage } from './district/guardPage';

// The layout (app bar, menu, notifications) is only drawn once signed in: loaded then, not with the login form.
const AppLayoutPage = lazy(async () => ({ default: (await import('./layout/AppLayout')).AppLayout }));
const AppLayout = ({ children }: { children: ReactNode }) => (
  <Suspense fallback={<PageLoading />}>
    <AppLayoutPage>{children}</AppLayoutPage>
  </Suspense>
);

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
