import { Router } from 'express';
import type { Config } from '../config.js';
import type { Services } from '../services/index.js';
import { apiRoutes } from './api.routes.js';
import { boardRoutes } from './board.routes.js';
import { complaintFormRoutes } from './complaintForm.routes.js';
import { dashboardRoutes } from './dashboard.routes.js';
import { devMailRoutes } from './devMail.routes.js';
import { homeRoutes } from './home.routes.js';
import { openDataRoutes } from './openData.routes.js';
import { staffRoutes } from './staff/index.js';
import { staffApiRoutes } from './staffApi.routes.js';
import { statusRoutes } from './status.routes.js';
import { surveyRoutes } from './survey.routes.js';

export function routes(services: Services, config: Config): Router {
  const router = Router();
  router.use(homeRoutes(services));
  router.use(complaintFormRoutes(services, config));
  router.use(statusRoutes(services, config));
  router.use(surveyRoutes(services));
  router.use(boardRoutes(services, config));
  router.use(dashboardRoutes(services, config));
  router.use(openDataRoutes(services, config));
  router.use(apiRoutes(services, config));
  router.use(staffApiRoutes(services));
  router.use('/staff', staffRoutes(services, config));
  if (!config.production) router.use(devMailRoutes(services.mail));
  return router;
}
