import { Router } from 'express';
import type { Config } from '../platform/config.js';
import type { Services } from '../compose.js';
import { apiRoutes } from './residents/api.routes.js';
import { boardRoutes } from './board/publicBoard.routes.js';
import { complaintFormRoutes } from './residents/complaintForm.routes.js';
import { dashboardRoutes } from './transparency/dashboard.routes.js';
import { devMailRoutes } from '../platform/mail/devMail.routes.js';
import { homeRoutes } from './residents/home.routes.js';
import { openDataRoutes } from './transparency/openData.routes.js';
import { staffRoutes } from './staff.routes.js';
import { staffApiRoutes } from './cases/staffApi.routes.js';
import { statusRoutes } from './residents/status.routes.js';
import { surveyRoutes } from './surveys/survey.routes.js';

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
