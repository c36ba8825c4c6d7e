import { Router, type Request } from 'express';
import { notFound } from '../../domain/errors.js';
import { policyForm } from './admin.schemas.js';
import { DEADLINE_UNITS, isDeadlineKind } from './adminDeadline.service.js';
import type { Services } from '../../compose.js';
import { fieldErrors } from '../../platform/http/formErrors.js';
import { answerFields } from '../../platform/http/formFields.js';
import { renderAdmin } from './adminHome.routes.js';
import { staffUser } from '../../platform/http/guards.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'adminDeadlines'>;

/** The deadline policy: how long each clock runs and when it warns. Paths are under /staff/admin. */
export function adminDeadlineRoutes(services: Deps): Router {
  const router = Router();
  const { adminDeadlines } = services;
  const kindOf = (req: Request) => {
    const kind = req.params['kind'];
    if (typeof kind !== 'string' || !isDeadlineKind(kind)) throw notFound();
    return kind;
  };

  router.get('/deadlines', async (_req, res) => {
    renderAdmin(res, 'deadlines', 200, { policies: await adminDeadlines.policies() });
  });

  router.get('/deadlines/:kind', async (req, res) => {
    const policy = await adminDeadlines.policy(kindOf(req));
    renderAdmin(res, 'deadline-edit', 200, { policy, units: DEADLINE_UNITS, values: policy });
  });

  router.post('/deadlines/:kind', async (req, res) => {
    const kind = kindOf(req);
    const fields = answerFields(req.body);
    const parsed = policyForm.safeParse(fields);
    if (!parsed.success) {
      const policy = await adminDeadlines.policy(kind);
      const errors = fieldErrors(parsed.error, req.t);
      return renderAdmin(res, 'deadline-edit', 400, { policy, units: DEADLINE_UNITS, values: fields, errors });
    }
    await adminDeadlines.change(staffUser(req).id, kind, parsed.data, String(req.id));
    req.session.flash = 'admin.deadlines.saved';
    return res.redirect(303, '/staff/admin/deadlines');
  });

  return router;
}
