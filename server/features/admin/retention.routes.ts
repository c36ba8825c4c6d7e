import { Router, type Request, type Response } from 'express';
import { notFound } from '../../domain/errors.js';
import { holdForm, holdLookup, policyForm, purgeForm } from './retention.schemas.js';
import { pageQuery } from '../../platform/http/pageQuery.js';
import type { Services } from '../../compose.js';
import { RETENTION_CLASSES } from './retention.service.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields } from '../../platform/http/formFields.js';
import { requirePermission, staffUser } from '../../platform/http/guards.js';
import { ID_PATTERN as UUID } from '../../domain/ids.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'retention'>;

/** Records retention for admins (R5): the policy, legal holds, the cases past retention and their purge. */
export function retentionRoutes(services: Deps): Router {
  const router = Router();
  const { retention } = services;
  const admin = requirePermission('admin.use');
  const render = (res: Response, view: string, status: number, locals: Record<string, unknown>) => {
    const errors = (locals['errors'] as FieldError[] | undefined) ?? [];
    res.status(status).render(`staff/admin/${view}.njk`, {
      navCurrent: 'admin',
      values: {},
      classes: RETENTION_CLASSES,
      ...locals,
      errors,
      fieldError: byField(errors),
    });
  };
  const overview = async (res: Response, status: number, locals: Record<string, unknown>) => {
    const [policy, preview] = [await retention.policy(), await retention.purgePreview()];
    render(res, 'retention', status, { values: policy, counts: preview.counts, ...locals });
  };

  router.get('/admin/retention', admin, (_req, res) => overview(res, 200, {}));

  router.post('/admin/retention/policy', admin, async (req, res) => {
    const fields = answerFields(req.body);
    const parsed = policyForm.safeParse(fields);
    if (!parsed.success) return overview(res, 400, { errors: fieldErrors(parsed.error, req.t), values: fields });
    await retention.setPolicy(staffUser(req).id, parsed.data, String(req.id));
    req.session.flash = 'retention.policy.saved';
    return res.redirect(303, '/staff/admin/retention');
  });

  router.get('/admin/retention/hold', admin, async (req, res) => {
    const { lang: _lang, ...query } = req.query as Record<string, unknown>;
    if (Object.keys(query).length === 0) return render(res, 'retention-hold', 200, {});
    const parsed = holdLookup.safeParse(query);
    const values = { trackingNumber: typeof query['trackingNumber'] === 'string' ? query['trackingNumber'] : '' };
    if (!parsed.success)
      return render(res, 'retention-hold', 400, { errors: fieldErrors(parsed.error, req.t), values });
    const found = await retention.findCase(staffUser(req).id, parsed.data.trackingNumber, String(req.id));
    if (!found) {
      const errors = [{ field: 'trackingNumber', text: req.t('retention.hold.notFound') }];
      return render(res, 'retention-hold', 400, { errors, values });
    }
    return render(res, 'retention-hold', 200, { found, values: { trackingNumber: found.trackingNumber } });
  });

  router.post('/admin/retention/hold', admin, async (req, res) => {
    const fields = answerFields(req.body);
    const complaintId = fields['complaintId'];
    if (typeof complaintId !== 'string' || !UUID.test(complaintId)) throw notFound();
    const parsed = holdForm.safeParse(fields);
    if (!parsed.success) {
      const found = await retention.caseById(complaintId);
      if (!found) throw notFound();
      const errors = fieldErrors(parsed.error, req.t);
      return render(res, 'retention-hold', 400, {
        found,
        errors,
        values: { ...fields, trackingNumber: found.trackingNumber },
      });
    }
    const hold = parsed.data.hold === 'set';
    const done = await retention.setLegalHold({
      actorId: staffUser(req).id,
      complaintId,
      hold,
      reason: parsed.data.reason,
      requestId: String(req.id),
    });
    if (!done) throw notFound();
    const found = await retention.caseById(complaintId);
    req.session.flash = hold ? 'retention.hold.setDone' : 'retention.hold.clearedDone';
    const back = found ? `?trackingNumber=${encodeURIComponent(found.trackingNumber)}` : '';
    return res.redirect(303, `/staff/admin/retention/hold${back}`);
  });

  router.get('/admin/retention/due', admin, async (req, res) => {
    const { lang: _lang, ...query } = req.query as Record<string, unknown>;
    const parsed = pageQuery.safeParse(query);
    if (!parsed.success) throw notFound();
    const page = parsed.data.page ?? 1;
    const due = await retention.due(staffUser(req).id, page, String(req.id));
    render(res, 'retention-due', 200, { due, page });
  });

  const confirmation = async (res: Response, status: number, locals: Record<string, unknown>) =>
    render(res, 'retention-purge', status, { preview: await retention.purgePreview(), ...locals });

  router.get('/admin/retention/purge', admin, (_req, res) => confirmation(res, 200, {}));

  router.post('/admin/retention/purge', admin, async (req: Request, res: Response) => {
    const parsed = purgeForm.safeParse(answerFields(req.body));
    if (!parsed.success) return confirmation(res, 400, { stale: true });
    const result = await retention.purge(
      staffUser(req).id,
      { asOf: new Date(parsed.data.asOf), fingerprint: parsed.data.policy },
      String(req.id),
    );
    if (result.kind === 'stale') return confirmation(res, 409, { stale: true });
    req.session.flash =
      result.purged === 0
        ? 'retention.purge.none'
        : result.filesLeft > 0
          ? 'retention.purge.doneFilesLeft'
          : 'retention.purge.done';
    return res.redirect(303, '/staff/admin/retention');
  });

  return router;
}
