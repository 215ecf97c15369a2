import Icon from '@mui/icons-material/Assignment';
import { RegistrationCreate } from './RegistrationCreate';
import { RegistrationEdit } from './RegistrationEdit';
import { RegistrationList } from './RegistrationList';
import { RegistrationShow } from './RegistrationShow';

export default {
  list: RegistrationList,
  create: RegistrationCreate,
  edit: RegistrationEdit,
  show: RegistrationShow,
  icon: Icon,
  recordRepresentation: 'name',
};
