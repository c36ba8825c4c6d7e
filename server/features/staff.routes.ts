import { Router, type Request } from 'express';
import type { Config } from '../platform/config.js';
import { setUpStaffSession } from './accounts/setUpStaffSession.js';
import type { Services } from '../compose.js';
import { accountRoutes } from './accounts/account.routes.js';
import { adminRoutes } from './admin/admin.routes.js';
import { auditRoutes } from './admin/audit.routes.js';
import { apiTokenRoutes } from './accounts/apiTokens.routes.js';
import { staffBoardRoutes } from './board/board.routes.js';
import { caseFileRoutes } from './cases/caseFile.routes.js';
import { caseQueueRoutes } from './cases/caseQueue.routes.js';
import { allowed, requireUser, staffCsrf, waitsForSecondFactor } from '../platform/http/guards.js';
import { earlyInterventionRoutes } from './officers/earlyIntervention.routes.js';
import { officerRoutes } from './officers/officer.routes.js';
import { releaseRoutes } from './releases/release.routes.js';
import { retentionRoutes } from './admin/retention.routes.js';
import { departmentResponseRoutes } from './responses/departmentResponse.routes.js';
import { recommendationBoardRoutes } from './recommendations/recommendationBoard.routes.js';
import { recommendationRoutes } from './recommendations/recommendation.routes.js';
import { signInRoutes } from './accounts/signIn.routes.js';
import { trustWaveRoutes } from './surveys/trustWaves.routes.js';

/** The routes that read a multipart body, and check the form token themselves once it is read. */
const UPLOAD_PATHS = /^\/(cases\/[\w-]+\/evidence|officers\/import)$/;

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'auth' | 'keys' | 'sessions'> &
  Parameters<typeof accountRoutes>[0] &
  Parameters<typeof adminRoutes>[0] &
  Parameters<typeof apiTokenRoutes>[0] &
  Parameters<typeof auditRoutes>[0] &
  Parameters<typeof caseFileRoutes>[0] &
  Parameters<typeof caseQueueRoutes>[0] &
  Parameters<typeof departmentResponseRoutes>[0] &
  Parameters<typeof recommendationBoardRoutes>[0] &
  Parameters<typeof recommendationRoutes>[0] &
  Parameters<typeof earlyInterventionRoutes>[0] &
  Parameters<typeof officerRoutes>[0] &
  Parameters<typeof releaseRoutes>[0] &
  Parameters<typeof retentionRoutes>[0] &
  Parameters<typeof signInRoutes>[0] &
  Parameters<typeof trustWaveRoutes>[0] &
  Parameters<typeof staffBoardRoutes>[0];

/** Everything under /staff: the session, the form tokens, signing in, then pages for signed-in staff only. */
export function staffRoutes(services: Deps, config: Config): Router {
  const router = Router();
  const { router: session, passport } = setUpStaffSession({
    sessions: services.sessions,
    auth: services.auth,
    secret: config.secrets.session,
    secure: config.production,
  });
  // In production the staff cookie is Secure: over plain HTTP the browser would drop it and
  // sign-in would fail without a word, so say why instead.
  if (config.production) {
    router.use((req, res, next) => (req.secure ? next() : res.status(403).render('staff/needs-https.njk')));
  }
  router.use(session);
  router.use(staffCsrf(services.keys, UPLOAD_PATHS));
  router.use((req, res, next) => {
    // A notice set by the previous POST (post/redirect/get), shown once.
    if (req.session.flash) {
      res.locals['flash'] = req.session.flash;
      delete req.session.flash;
    }
    next();
  });
  router.use(signInRoutes(services, passport));
  router.use(requireUser);
  router.get('/', (req, res) => res.redirect(303, homeOf(req)));
  router.use(accountRoutes(services));
  router.use(caseQueueRoutes(services));
  router.use(adminRoutes(services));
  router.use(officerRoutes(services));
  router.use(auditRoutes(services));
  router.use(retentionRoutes(services));
  router.use(apiTokenRoutes(services));
  router.use(trustWaveRoutes(services));
  router.use(staffBoardRoutes(services, config));
  router.use(earlyInterventionRoutes(services));
  router.use(departmentResponseRoutes(services));
  router.use(recommendationRoutes(services));
  router.use(recommendationBoardRoutes(services));
  router.use(releaseRoutes(services));
  // Last: its /cases/:id would otherwise answer 404 for the fixed paths of the areas above.
  router.use(caseFileRoutes(services, config));
  return router;
}

/**
 * Where each person starts (#17 item 11): case workers at the queue, board members at the board,
 * admins at the administration, and an admin who has not passed two-step sign-in in this session
 * at setting it up, since nothing else is theirs until then.
 */
function homeOf(req: Request): string {
  if (allowed(req, 'cases.readAll') || allowed(req, 'cases.readAssigned')) return '/staff/cases';
  if (allowed(req, 'admin.use')) return '/staff/admin';
  if (allowed(req, 'board.takePart')) return '/staff/board';
  if (waitsForSecondFactor(req)) return '/staff/account/two-factor';
  return '/staff/account';
}
