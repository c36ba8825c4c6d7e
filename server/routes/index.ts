import { Router } from 'express';
import type { Config } from '../config.js';
import type { Services } from '../services/index.js';
import { apiRoutes } from './api.routes.js';
import { boardRoutes } from './board.routes.js';
import { complaintFormRoutes } from './complaintForm.routes.js';
import { devMailRoutes } from './devMail.routes.js';
import { homeRoutes } from './home.routes.js';
import { staffRoutes } from './staff/index.js';
import { staffApiRoutes } from './staffApi.routes.js';
import { statusRoutes } from './status.routes.js';

export function routes(services: Services, config: Config): Router {
  const router = Router();
  router.use(homeRoutes(services));
  router.use(complaintFormRoutes(services, config));
  router.use(statusRoutes(services, config));
  router.use(boardRoutes(services, config));
  router.use(apiRoutes(services, config));
  router.use(staffApiRoutes(services));
  router.use('/staff', staffRoutes(services, config));
  if (!config.production) router.use(devMailRoutes(services.mail));
  return router;
}
