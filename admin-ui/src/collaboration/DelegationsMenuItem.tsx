/** 委托 in the user menu: your delegations while away. */
import Icon from '@mui/icons-material/SwitchAccount';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import { forwardRef } from 'react';
import { Link, useTranslate, useUserMenu } from 'react-admin';
import { useCan } from '../common/access';

export const DelegationsMenuItem = forwardRef<HTMLAnchorElement>(function DelegationsMenuItem(props, ref) {
  const translate = useTranslate();
  const can = useCan();
  const menu = useUserMenu();
  if (!can('delegations', 'list')) return null;
  return (
    <MenuItem {...props} ref={ref} component={Link} to="/delegations" onClick={() => menu?.onClose()} data-testid="menu-delegations">
      <ListItemIcon>
        <Icon fontSize="small" />
      </ListItemIcon>
      <ListItemText>{translate('app.people.delegations')}</ListItemText>
    </MenuItem>
  );
});
