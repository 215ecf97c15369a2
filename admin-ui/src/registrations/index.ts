import Icon from '@mui/icons-material/Assignment';
import { lazyPage } from '../common/lazy';

export default {
  list: lazyPage(() => import('./RegistrationList'), 'RegistrationList'),
  create: lazyPage(() => import('./RegistrationCreate'), 'RegistrationCreate'),
  edit: lazyPage(() => import('./RegistrationEdit'), 'RegistrationEdit'),
  show: lazyPage(() => import('./RegistrationShow'), 'RegistrationShow'),
  icon: Icon,
  recordRepresentation: 'name',
};
