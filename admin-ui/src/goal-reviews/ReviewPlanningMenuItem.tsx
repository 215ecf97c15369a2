import Icon from '@mui/icons-material/EventNote';
import { Menu } from 'react-admin';

/** 评估计划 in the work menu (bureau and administrators). */
export const ReviewPlanningMenuItem = () => <Menu.Item to="/review-planning" primaryText="app.goal_reviews.planning" leftIcon={<Icon />} />;
