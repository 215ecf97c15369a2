import Icon from '@mui/icons-material/MonitorHeart';
import { OperationsPage } from './OperationsPage';

export default {
  list: OperationsPage,
  icon: Icon,
};
