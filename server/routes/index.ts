import { Router } from 'express';
import type { Config } from '../config.js';
import type { Services } from '../services/index.js';
import { devMailRoutes } from './devMail.routes.js';
import { homeRoutes } from './home.routes.js';

export function routes(services: Services, config: Config): Router {
  const router = Router();
  router.use(homeRoutes());
  if (!config.production) router.use(devMailRoutes(services.mail));
  return router;
}
