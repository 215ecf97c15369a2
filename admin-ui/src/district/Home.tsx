/** The start page: bureau leaders and administrators get the district overview (one aggregate call), others the work dashboard. */
import { Dashboard } from '../dashboard/Dashboard';
import { currentViewer } from '../common/access';
import { canAccess } from '../providers/canAccess';
import { OverviewPage } from './OverviewPage';

export function Home() {
  return canAccess(currentViewer(), { resource: 'overview', action: 'list' }) ? <OverviewPage /> : <Dashboard />;
}
