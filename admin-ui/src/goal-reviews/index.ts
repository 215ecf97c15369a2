import Icon from '@mui/icons-material/FactCheck';
import { GoalReviewList } from './GoalReviewList';
import { GoalReviewShow } from './GoalReviewShow';

export { ReviewPlanning } from './ReviewPlanning';

export default {
  list: GoalReviewList,
  show: GoalReviewShow,
  icon: Icon,
  recordRepresentation: 'registrationName',
};
