/**
 * Every resource's pages, loaded on first use: the login page needs none of them, and a first visit
 * should download and run only what the login form needs (issue 11: a usable form in < 1.5 s).
 * The icons and names stay here, for the menu.
 */
import AuditIcon from '@mui/icons-material/Policy';
import CalendarIcon from '@mui/icons-material/EventAvailable';
import DeadlineIcon from '@mui/icons-material/AlarmOn';
import DelegationIcon from '@mui/icons-material/SwitchAccount';
import FormFieldIcon from '@mui/icons-material/DynamicForm';
import GoalReviewIcon from '@mui/icons-material/FactCheck';
import OperationsIcon from '@mui/icons-material/MonitorHeart';
import PartyTypeIcon from '@mui/icons-material/Diversity3';
import SchoolIcon from '@mui/icons-material/School';
import UserIcon from '@mui/icons-material/People';
import { lazyPage } from './common/lazy';

export const partyTypes = {
  list: lazyPage(() => import('./party-types'), 'PartyTypeList'),
  show: lazyPage(() => import('./party-types'), 'PartyTypeShow'),
  icon: PartyTypeIcon,
  recordRepresentation: 'nameZh',
};

export const deadlinePolicies = {
  list: lazyPage(() => import('./deadline-policies'), 'PolicyList'),
  edit: lazyPage(() => import('./deadline-policies'), 'PolicyEdit'),
  icon: DeadlineIcon,
};

export const users = {
  list: lazyPage(() => import('./users'), 'UserList'),
  create: lazyPage(() => import('./users'), 'UserCreate'),
  edit: lazyPage(() => import('./users'), 'UserEdit'),
  icon: UserIcon,
  recordRepresentation: 'name',
};

export const schools = {
  list: lazyPage(() => import('./schools'), 'SchoolList'),
  create: lazyPage(() => import('./schools'), 'SchoolCreate'),
  edit: lazyPage(() => import('./schools'), 'SchoolEdit'),
  icon: SchoolIcon,
  recordRepresentation: 'name',
};

export const formFields = {
  list: lazyPage(() => import('./form-fields'), 'FormFieldList'),
  create: lazyPage(() => import('./form-fields'), 'FormFieldCreate'),
  edit: lazyPage(() => import('./form-fields'), 'FormFieldEdit'),
  icon: FormFieldIcon,
  recordRepresentation: 'labelZh',
};

export const auditEvents = {
  list: lazyPage(() => import('./audit-events'), 'AuditEventList'),
  show: lazyPage(() => import('./audit-events'), 'AuditEventShow'),
  icon: AuditIcon,
};

export const operations = {
  list: lazyPage(() => import('./operations/OperationsPage'), 'OperationsPage'),
  icon: OperationsIcon,
};

export const goalReviews = {
  list: lazyPage(() => import('./goal-reviews/GoalReviewList'), 'GoalReviewList'),
  show: lazyPage(() => import('./goal-reviews/GoalReviewShow'), 'GoalReviewShow'),
  icon: GoalReviewIcon,
  recordRepresentation: 'registrationName',
};

export const delegations = {
  list: lazyPage(() => import('./collaboration/delegations'), 'DelegationList'),
  create: lazyPage(() => import('./collaboration/delegations'), 'DelegationCreate'),
  edit: lazyPage(() => import('./collaboration/delegations'), 'DelegationEdit'),
  icon: DelegationIcon,
};

export const calendarDays = {
  list: lazyPage(() => import('./calendar-days'), 'CalendarDayList'),
  create: lazyPage(() => import('./calendar-days'), 'CalendarDayCreate'),
  edit: lazyPage(() => import('./calendar-days'), 'CalendarDayEdit'),
  icon: CalendarIcon,
  recordRepresentation: 'date',
};

export const ReviewPlanning = lazyPage(() => import('./goal-reviews/ReviewPlanning'), 'ReviewPlanning');
export const OverviewPage = lazyPage(() => import('./district/OverviewPage'), 'OverviewPage');
export const ImportPage = lazyPage(() => import('./district/ImportPage'), 'ImportPage');
const HomePage = lazyPage(() => import('./district/Home'), 'Home');
export const Home = () => <HomePage />;

/**
 * Each page's module by the resource whose right opens it. Once signed in, the layout fetches the
 * pages the user may open while the network is idle, so that the first visit of a page does not
 * wait for its chunks (the login page itself still loads none of them).
 */
const PAGE_MODULES: [resource: string, load: () => Promise<unknown>][] = [
  ['tasks', () => import('./tasks/TaskList')],
  ['registrations', () => import('./registrations/RegistrationList')],
  ['registrations', () => import('./registrations/RegistrationShow')],
  ['party-types', () => import('./party-types')],
  ['deadline-policies', () => import('./deadline-policies')],
  ['users', () => import('./users')],
  ['schools', () => import('./schools')],
  ['form-fields', () => import('./form-fields')],
  ['audit-events', () => import('./audit-events')],
  ['operations', () => import('./operations/OperationsPage')],
  ['goal-reviews', () => import('./goal-reviews/GoalReviewList')],
  ['calendar-days', () => import('./calendar-days')],
  ['delegations', () => import('./collaboration/delegations')],
];

export function prefetchPages(mayList: (resource: string) => boolean): void {
  for (const [resource, load] of PAGE_MODULES) {
    // A failed prefetch is retried by the page itself when opened.
    if (mayList(resource)) load().catch(() => undefined);
  }
}
