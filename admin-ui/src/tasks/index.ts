import Icon from '@mui/icons-material/Inbox';
import { lazyPage } from '../common/lazy';

export default {
  list: lazyPage(() => import('./TaskList'), 'TaskList'),
  icon: Icon,
};
