import { Router } from 'express';
import { notFound } from '../../domain/errors.js';
import { UUID } from './admin.schemas.js';
import type { Services } from '../../compose.js';
import { renderAdmin } from './adminHome.routes.js';
import { staffUser } from '../../platform/http/guards.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'adminOutbox'>;

/** Emails refused for good by the mail server (R24), and sending one again. Paths are under /staff/admin. */
export function adminOutboxRoutes(services: Deps): Router {
  const router = Router();
  const { adminOutbox } = services;

  router.get('/outbox', async (_req, res) => {
    renderAdmin(res, 'outbox', 200, await adminOutbox.deadLetters());
  });

  router.post('/outbox/:id/retry', async (req, res) => {
    const id = req.params['id'];
    if (typeof id !== 'string' || !UUID.test(id)) throw notFound();
    const retried = await adminOutbox.retry(staffUser(req).id, id, String(req.id));
    // Already retried (by another admin, or a double click): nothing to do, and nothing is sent twice.
    req.session.flash = retried ? 'admin.outbox.retried' : 'admin.outbox.notDead';
    res.redirect(303, '/staff/admin/outbox');
  });

  return router;
}
