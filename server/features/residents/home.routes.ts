import { Router } from 'express';
import type { Services } from '../../compose.js';
import { PUBLIC_STAGES } from '../../../workflows/complaint.types.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'deadlines'>;

export function homeRoutes(services: Deps): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.render('pages/home.njk');
  });
  // The time limits shown are the policy in force, read each time (an admin may change it).
  router.get('/how-it-works', async (_req, res) => {
    res.render('pages/how-it-works.njk', { stages: PUBLIC_STAGES, policies: await services.deadlines.policies() });
  });
  return router;
}
