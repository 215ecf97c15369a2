/** The bell in the app bar: the signed-in user's notifications (reminders, overdue, decisions), unread first counted. */
import NotificationsIcon from '@mui/icons-material/Notifications';
import Badge from '@mui/material/Badge';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import IconButton from '@mui/material/IconButton';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useDataProvider, useRedirect, useTranslate } from 'react-admin';
import { useFormatDateTime } from '../common/fields';
import { apiCall } from '../providers/httpClient';
import { localizeComposite } from '../providers/localize';

type Notification = { id: string; title: string; body: string | null; registrationId: string | null; read: boolean; createdAt: string };

export function NotificationsButton() {
  const translate = useTranslate();
  const dataProvider = useDataProvider();
  const redirect = useRedirect();
  const queryClient = useQueryClient();
  const format = useFormatDateTime();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const { data } = useQuery({
    queryKey: ['notifications', 'bell'],
    queryFn: async () => {
      const [latest, unread] = await Promise.all([
        dataProvider.getList<Notification>('notifications', { filter: {}, sort: { field: 'createdAt', order: 'DESC' }, pagination: { page: 1, perPage: 8 } }),
        dataProvider.getList<Notification>('notifications', { filter: { unread: true }, sort: { field: 'createdAt', order: 'DESC' }, pagination: { page: 1, perPage: 1 } }),
      ]);
      return { items: latest.data, unread: unread.total ?? 0 };
    },
    refetchInterval: 60_000,
  });
  const reload = () => queryClient.invalidateQueries({ queryKey: ['notifications', 'bell'] });
  const open = async (n: Notification) => {
    setAnchor(null);
    if (!n.read) await apiCall(`/notifications/${n.id}/read`, { method: 'POST', body: {} }).catch(() => undefined);
    await reload();
    if (n.registrationId) redirect('show', 'registrations', n.registrationId);
  };
  const markAll = async () => {
    await apiCall('/notifications/read-all', { method: 'POST', body: {} }).catch(() => undefined);
    await reload();
  };
  return (
    <>
      <Tooltip title={translate('app.notifications.title')}>
        <IconButton color="inherit" onClick={(e) => setAnchor(e.currentTarget)} aria-label={data?.unread ? `${translate('app.notifications.title')} ${data.unread > 99 ? '99+' : data.unread}` : translate('app.notifications.title')} data-testid="notifications-button">
          <Badge badgeContent={data?.unread || undefined} color="error" max={99}>
            <NotificationsIcon />
          </Badge>
        </IconButton>
      </Tooltip>
      <Menu anchorEl={anchor} open={!!anchor} onClose={() => setAnchor(null)} slotProps={{ paper: { sx: { width: 380, maxWidth: '90vw' } } }}>
        <Box sx={{ px: 2, py: 1, display: 'flex', alignItems: 'center' }}>
          <Typography variant="subtitle2" sx={{ flex: 1 }}>
            {translate('app.notifications.title')}
          </Typography>
          {data?.unread ? (
            <Typography variant="caption" color="primary" sx={{ cursor: 'pointer' }} onClick={markAll}>
              {translate('app.notifications.mark_all')}
            </Typography>
          ) : null}
        </Box>
        <Divider />
        {(data?.items ?? []).length === 0 ? (
          <MenuItem disabled>{translate('app.notifications.none')}</MenuItem>
        ) : (
          data!.items.map((n) => (
            <MenuItem key={n.id} onClick={() => open(n)} sx={{ whiteSpace: 'normal', alignItems: 'flex-start' }}>
              <ListItemText
                primary={localizeComposite(n.title)}
                secondary={`${n.body ? `${localizeComposite(n.body)} · ` : ''}${format(n.createdAt)}`}
                slotProps={{ primary: { sx: { fontWeight: n.read ? 400 : 600 } } }}
              />
            </MenuItem>
          ))
        )}
      </Menu>
    </>
  );
}
