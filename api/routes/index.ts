import { Router } from 'express';
import type { AppDeps } from '../deps';
import { openApiRoutes } from '../openapi';
import { auditEventRoutes } from './audit-events';
import { auditVerifyRoutes } from './audit-verify';
import { authRoutes } from './auth';
import { fileRoutes } from './files';
import { formFieldRoutes } from './form-fields';
import { partyTypeRoutes } from './party-types';
import { registrationRoutes } from './registrations';
import { registrationActionRoutes } from './registration-actions';
import { taskRoutes } from './tasks';
import { deadlinePolicyRoutes } from './deadline-policies';
import { notificationRoutes } from './notifications';
import { signatureRoutes } from './signature';
import { districtRoutes, schoolRoutes } from './schools';
import { userRoutes } from './users';
import { goalReviewRoutes } from './goal-reviews';
import { operationRoutes } from './operations';
import { bulkJobRoutes } from './bulk-jobs';
import { importRoutes } from './imports';
import { overviewRoutes } from './overview';
import { exportRoutes } from './exports';
import { oidcRoutes } from './oidc';
import { collaborationTaskRoutes, delegationRoutes } from './collaboration';
import { calendarDayRoutes } from './calendar-days';
import { collabRoutes } from './collab';

/** Every /api route, mounted in one place. */
export function apiRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(openApiRoutes());
  router.use(auditVerifyRoutes(deps)); // before /audit-events/:id
  router.use(signatureRoutes(deps));
  router.use(fileRoutes(deps));
  router.use('/auth', oidcRoutes(deps)); // /oidc/login, /oidc/callback, /providers (public)
  router.use('/auth', authRoutes(deps));
  router.use(exportRoutes(deps)); // /registrations/export.xlsx etc., before /:id
  router.use(collabRoutes(deps)); // /registrations/:id/comments, /registrations/:id/copies/read, /copies/unread-count
  router.use('/registrations', registrationActionRoutes(deps)); // /:id/submit, /:id/withdraw, /:id/timeline
  router.use('/registrations', registrationRoutes(deps));
  router.use('/tasks', collaborationTaskRoutes(deps)); // /:id/transfer, /:id/urge, /:id/transfer-candidates
  router.use('/tasks', taskRoutes(deps));
  router.use('/deadline-policies', deadlinePolicyRoutes(deps));
  router.use('/notifications', notificationRoutes(deps));
  router.use('/schools', schoolRoutes(deps));
  router.use('/districts', districtRoutes(deps));
  router.use('/users', userRoutes(deps));
  router.use('/party-types', partyTypeRoutes(deps));
  router.use('/form-fields', formFieldRoutes(deps));
  router.use('/audit-events', auditEventRoutes(deps));
  router.use('/goal-reviews', goalReviewRoutes(deps));
  router.use('/operations', operationRoutes(deps));
  router.use('/bulk-jobs', bulkJobRoutes(deps));
  router.use('/imports', importRoutes(deps));
  router.use('/overview', overviewRoutes(deps));
  router.use('/delegations', delegationRoutes(deps));
  router.use('/calendar-days', calendarDayRoutes(deps));
  return router;
}
