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
import { recommendationPublicRoutes } from './recommendations/recommendationPublic.routes.js';
import { staffRoutes } from './staff.routes.js';
import { staffApiRoutes } from './cases/staffApi.routes.js';
import { statusRoutes } from './residents/status.routes.js';
import { surveyRoutes } from './surveys/survey.routes.js';
import { trustSurveyRoutes } from './surveys/trustSurvey.routes.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'mail'> &
  Parameters<typeof apiRoutes>[0] &
  Parameters<typeof boardRoutes>[0] &
  Parameters<typeof complaintFormRoutes>[0] &
  Parameters<typeof dashboardRoutes>[0] &
  Parameters<typeof homeRoutes>[0] &
  Parameters<typeof openDataRoutes>[0] &
  Parameters<typeof recommendationPublicRoutes>[0] &
  Parameters<typeof staffApiRoutes>[0] &
  Parameters<typeof staffRoutes>[0] &
  Parameters<typeof statusRoutes>[0] &
  Parameters<typeof surveyRoutes>[0] &
  Parameters<typeof trustSurveyRoutes>[0];

export function routes(services: Deps, config: Config): Router {
  const router = Router();
  // The APIs first: a resident's or a client's request meets no page router on its way (#18).
  router.use(apiRoutes(services, config));
  router.use(staffApiRoutes(services));
  router.use(homeRoutes(services));
  router.use(complaintFormRoutes(services, config));
  router.use(statusRoutes(services, config));
  router.use(surveyRoutes(services));
  router.use(trustSurveyRoutes(services, config));
  router.use(boardRoutes(services, config));
  router.use(dashboardRoutes(services, config));
  router.use(openDataRoutes(services, config));
  router.use(recommendationPublicRoutes(services));
  router.use('/staff', staffRoutes(services, config));
  if (!config.production) router.use(devMailRoutes(services.mail));
  return router;
}
