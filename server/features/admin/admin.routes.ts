import { Router } from 'express';
import { adminDeadlineRoutes } from './adminDeadlines.routes.js';
import { adminHolidayRoutes } from './adminHolidays.routes.js';
import { adminHomeRoutes } from './adminHome.routes.js';
import { adminOutboxRoutes } from './adminOutbox.routes.js';
import { adminUserRoutes } from './adminUsers.routes.js';
import { requirePermission } from '../../platform/http/guards.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Parameters<typeof adminDeadlineRoutes>[0] &
  Parameters<typeof adminHolidayRoutes>[0] &
  Parameters<typeof adminHomeRoutes>[0] &
  Parameters<typeof adminOutboxRoutes>[0] &
  Parameters<typeof adminUserRoutes>[0];

/**
 * Everything under /staff/admin, for admins who passed their second factor (R9): anyone else gets
 * 404, an admin without a code is sent to set one up. The paths of other routers (audit log,
 * retention, API tokens) pass through to them, behind the same check.
 */
export function adminRoutes(services: Deps): Router {
  const admin = Router();
  admin.use(adminHomeRoutes(services));
  admin.use(adminUserRoutes(services));
  admin.use(adminDeadlineRoutes(services));
  admin.use(adminHolidayRoutes(services));
  admin.use(adminOutboxRoutes(services));

  const router = Router();
  router.use('/admin', requirePermission('admin.use'), admin);
  return router;
}
