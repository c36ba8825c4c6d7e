import { Router, type Response } from 'express';
import type { Services } from '../../compose.js';
import { byField, type FieldError } from '../../platform/http/formErrors.js';

/** Renders a page of views/staff/admin/ with the admin menu current and its field errors by name. */
export function renderAdmin(res: Response, view: string, status: number, locals: Record<string, unknown> = {}) {
  const errors = (locals['errors'] as FieldError[] | undefined) ?? [];
  res.status(status).render(`staff/admin/${view}.njk`, {
    navCurrent: 'admin',
    values: {},
    ...locals,
    errors,
    fieldError: byField(errors),
  });
}

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'adminOutbox' | 'operations'>;

/** The administration home: its areas, and a warning while emails are stuck (R24). */
export function adminHomeRoutes(services: Deps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    renderAdmin(res, 'index', 200, { deadLetters: await services.adminOutbox.deadLetterCount() });
  });
  // What an operator must act on (#15 item 17): the same figures as /metrics.
  router.get('/operations', async (_req, res) => {
    renderAdmin(res, 'operations', 200, { health: await services.operations.snapshot() });
  });
  return router;
}
