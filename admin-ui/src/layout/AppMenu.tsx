import InsightsIcon from '@mui/icons-material/Insights';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import Divider from '@mui/material/Divider';
import ListSubheader from '@mui/material/ListSubheader';
import { Menu, useSidebarState, useTranslate } from 'react-admin';
import { useCan } from '../common/access';
import { ReviewPlanningMenuItem } from '../goal-reviews/ReviewPlanningMenuItem';

const WORK = ['tasks', 'registrations', 'party-types'];
const SETTINGS = ['deadline-policies', 'calendar-days', 'users', 'schools', 'form-fields', 'audit-events', 'operations'];

/** Work first, then the settings group — shown only to those whose role may open a settings screen. */
export function AppMenu() {
  const can = useCan();
  const translate = useTranslate();
  const [open] = useSidebarState();
  const settings = SETTINGS.filter((r) => can(r, 'list'));
  return (
    <Menu>
      <Menu.DashboardItem />
      {can('overview', 'list') ? <Menu.Item to="/overview" primaryText={translate('app.district.overview')} leftIcon={<InsightsIcon />} /> : null}
      {WORK.filter((r) => can(r, 'list')).map((r) => (
        <Menu.ResourceItem key={r} name={r} />
      ))}
      {can('goal-reviews', 'list') ? <Menu.ResourceItem name="goal-reviews" /> : null}
      {can('review-planning', 'list') ? <ReviewPlanningMenuItem /> : null}
      {/* An array, not a fragment: the menu is a MUI MenuList, which refuses fragments. */}
      {settings.length
        ? [
            <Divider key="divider" />,
            open ? (
              // presentation: a heading inside the menu, not an item of it (the menu holds menu items only).
              <ListSubheader key="heading" role="presentation" sx={{ lineHeight: '32px', bgcolor: 'transparent' }}>
                {translate('app.menu.settings')}
              </ListSubheader>
            ) : null,
            ...settings.map((r) => <Menu.ResourceItem key={r} name={r} />),
            ...(can('imports', 'list') ? [<Menu.Item key="imports" to="/imports" primaryText={translate('app.district.imports')} leftIcon={<UploadFileIcon />} />] : []),
          ]
        : null}
    </Menu>
  );
}
