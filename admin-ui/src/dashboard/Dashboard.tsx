/**
 * 工作台: registrations by status, overdue tasks, my tasks, approvals this month and reviews falling
 * due in 90 days — counted from the list endpoints (their Content-Range totals), no aggregate API.
 */
import AssignmentIcon from '@mui/icons-material/Assignment';
import EventIcon from '@mui/icons-material/Event';
import InboxIcon from '@mui/icons-material/Inbox';
import TaskAltIcon from '@mui/icons-material/TaskAlt';
import WarningIcon from '@mui/icons-material/Warning';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, Title, useDataProvider, useGetIdentity, useTranslate, type DataProvider } from 'react-admin';
import { REGISTRATION_STATUSES } from '@process';
import AddIcon from '@mui/icons-material/Add';
import { ActionButton } from '../common/ActionButton';
import { useCan } from '../common/access';
import { StatusChip } from '../common/fields';

const STATUSES = REGISTRATION_STATUSES;
const APPROVED = ['active', 'goal_review', 'rectification', 'closed'];
const SCAN = 500;

async function total(dp: DataProvider, resource: string, filter: Record<string, unknown>) {
  const { total } = await dp.getList(resource, { filter, pagination: { page: 1, perPage: 1 }, sort: { field: 'id', order: 'ASC' } });
  return total ?? 0;
}

async function countSince(dp: DataProvider, filter: Record<string, unknown>, field: string, order: 'ASC' | 'DESC', keep: (v: string) => boolean) {
  const { data, total: all } = await dp.getList('registrations', { filter, pagination: { page: 1, perPage: SCAN }, sort: { field, order } });
  const n = data.filter((r) => r[field] && keep(r[field])).length;
  return { n, capped: n === SCAN && (all ?? 0) > SCAN };
}

function useDashboardNumbers() {
  const dp = useDataProvider();
  return useQuery({
    queryKey: ['dashboard'],
    queryFn: async () => {
      const now = new Date();
      const monthStart = new Date(now.getFullYear(), now.getMonth(), 1).toISOString();
      const in90 = new Date(now.getTime() + 90 * 86400_000).toISOString();
      const [byStatus, overdue, mine, approvals, reviews] = await Promise.all([
        Promise.all(STATUSES.map(async (s) => [s, await total(dp, 'registrations', { status: s })] as const)),
        total(dp, 'tasks', { overdue: true, status: 'open' }),
        total(dp, 'tasks', { mine: true }),
        countSince(dp, { status: APPROVED }, 'approvedAt', 'DESC', (v) => v >= monthStart),
        countSince(dp, { status: 'active' }, 'reviewDueAt', 'ASC', (v) => v <= in90),
      ]);
      return { byStatus, overdue, mine, approvals, reviews };
    },
  });
}

function NumberCard({ icon, label, value, to, tone = 'primary.main', testId }: { icon: ReactNode; label: string; value: ReactNode; to: string; tone?: string; testId: string }) {
  return (
    <Card sx={{ flex: '1 1 200px' }} data-testid={testId}>
      <CardActionArea component={Link} to={to} sx={{ height: '100%' }}>
        <CardContent sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
          <Box sx={{ color: tone, display: 'flex', '& svg': { fontSize: 40 } }}>{icon}</Box>
          <Box>
            <Typography variant="body2" color="textSecondary">
              {label}
            </Typography>
            <Typography variant="h4" data-testid={`${testId}-value`}>
              {value}
            </Typography>
          </Box>
        </CardContent>
      </CardActionArea>
    </Card>
  );
}

export function Dashboard() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const { data } = useDashboardNumbers();
  const can = useCan();
  const counted = (c?: { n: number; capped: boolean }) => (c ? (c.capped ? translate('app.dashboard.more_than', { count: c.n }) : c.n) : '…');
  const max = Math.max(1, ...(data?.byStatus.map(([, n]) => n) ?? [1]));
  const all = data?.byStatus.reduce((sum, [, n]) => sum + n, 0);
  const listOf = (filter: Record<string, unknown>) => `/registrations?filter=${encodeURIComponent(JSON.stringify(filter))}`;
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="ra.page.dashboard" />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap', mb: 1 }}>
        <Typography variant="h5">{translate('app.dashboard.welcome', { name: identity?.fullName ?? '' })}</Typography>
        {can('registrations', 'create') ? (
          <ActionButton label="app.ui.new_registration" variant="contained" icon={<AddIcon />} href="#/registrations/create" data-testid="dash-new-registration" />
        ) : null}
      </Box>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mb: 2 }}>
        <NumberCard testId="dash-mine" icon={<InboxIcon />} label={translate('app.dashboard.my_tasks')} value={data?.mine ?? '…'} to="/tasks" />
        <NumberCard
          testId="dash-overdue"
          icon={<WarningIcon />}
          tone="error.main"
          label={translate('app.dashboard.overdue_tasks')}
          value={data?.overdue ?? '…'}
          to={`/tasks?filter=${encodeURIComponent(JSON.stringify({ overdue: true, status: 'open' }))}`}
        />
        <NumberCard testId="dash-approvals" icon={<TaskAltIcon />} tone="success.main" label={translate('app.dashboard.approvals_this_month')} value={counted(data?.approvals)} to={listOf({ status: 'active' })} />
        <NumberCard testId="dash-reviews" icon={<EventIcon />} tone="warning.main" label={translate('app.dashboard.reviews_due')} value={counted(data?.reviews)} to={listOf({ status: 'active' })} />
      </Box>
      <Card>
        <CardContent>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 2 }}>
            <AssignmentIcon color="primary" />
            <Typography variant="h6">{translate('app.dashboard.by_status')}</Typography>
            <Typography variant="body2" color="textSecondary" sx={{ ml: 'auto' }}>
              {translate('app.dashboard.total')}：{all ?? '…'}
            </Typography>
          </Box>
          <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(96px, max-content) 1fr 48px', gap: 1, alignItems: 'center' }} data-testid="dash-by-status">
            {(data?.byStatus ?? []).map(([status, n]) => (
              <Box key={status} sx={{ display: 'contents' }}>
                <Link to={listOf({ status })}>
                  <StatusChip status={status} />
                </Link>
                <Box sx={{ height: 12, bgcolor: 'action.hover', borderRadius: 1, overflow: 'hidden' }}>
                  <Box sx={{ width: `${(n / max) * 100}%`, height: '100%', bgcolor: 'primary.main', opacity: 0.7 }} />
                </Box>
                <Typography variant="body2" sx={{ textAlign: 'right' }} data-status-count={status}>
                  {n}
                </Typography>
              </Box>
            ))}
          </Box>
        </CardContent>
      </Card>
    </Box>
  );
}
