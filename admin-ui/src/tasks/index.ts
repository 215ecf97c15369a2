import Icon from '@mui/icons-material/Inbox';
import { TaskList } from './TaskList';

export default {
  list: TaskList,
  icon: Icon,
};
