import { Router, type Request } from 'express';
import type { Services } from '../../compose.js';
import { PUBLIC_STAGES } from '../../../workflows/complaint.types.js';
import { formatDay } from '../../platform/dates.js';
import { describeError } from '../../platform/http/problems.js';
import type { Logger } from '../../platform/logger.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'deadlines' | 'trustSurveys'>;

export function homeRoutes(services: Deps): Router {
  const router = Router();
  /**
   * While a community survey wave is open (#19 part 4), the home page invites everyone to answer
   * it. The invitation is extra: if the database cannot say which wave is open, the home page is
   * shown without it (logged by the error's name and code only: no message, which may carry values).
   */
  const openWave = async (req: Request) => {
    try {
      return await services.trustSurveys.current();
    } catch (error) {
      const log = (req as Request & { log?: Logger }).log;
      log?.warn({ err: describeError(error, { withMessage: false }) }, 'home page shown without the survey invitation');
      return undefined;
    }
  };
  router.get('/', async (req, res) => {
    const wave = await openWave(req);
    res.render('pages/home.njk', {
      trustSurvey: wave && { href: `/community-survey/${wave.id}`, until: formatDay(wave.closesOn, req.language) },
    });
  });
  // The time limits shown are the policy in force, read each time (an admin may change it).
  router.get('/how-it-works', async (_req, res) => {
    res.render('pages/how-it-works.njk', { stages: PUBLIC_STAGES, policies: await services.deadlines.policies() });
  });
  return router;
}
