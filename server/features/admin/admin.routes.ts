import { Router } from 'express';
import type { Services } from '../../compose.js';
import { adminDeadlineRoutes } from './adminDeadlines.routes.js';
import { adminHolidayRoutes } from './adminHolidays.routes.js';
import { adminHomeRoutes } from './adminHome.routes.js';
import { adminOutboxRoutes } from './adminOutbox.routes.js';
import { adminUserRoutes } from './adminUsers.routes.js';
import { requireRole } from '../../platform/http/guards.js';

/**
 * Everything under /staff/admin, for admins who passed their second factor (R9): anyone else gets
 * 404, an admin without a code is sent to set one up. The paths of other routers (audit log,
 * retention, API tokens) pass through to them, behind the same check.
 */
export function adminRoutes(services: Services): Router {
  const admin = Router();
  admin.use(adminHomeRoutes(services));
  admin.use(adminUserRoutes(services));
  admin.use(adminDeadlineRoutes(services));
  admin.use(adminHolidayRoutes(services));
  admin.use(adminOutboxRoutes(services));

  const router = Router();
  router.use('/admin', requireRole('admin'), admin);
  return router;
}
