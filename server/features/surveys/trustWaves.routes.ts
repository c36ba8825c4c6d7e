import { Router, type Request, type Response } from 'express';
import type { Services } from '../../compose.js';
import { notFound } from '../../domain/errors.js';
import { isId } from '../../domain/ids.js';
import { formatDay } from '../../platform/dates.js';
import { fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields, type FormBody } from '../../platform/http/formFields.js';
import { requirePermission, viewerOf } from '../../platform/http/guards.js';
import { renderAdmin } from '../admin/adminHome.routes.js';
import { TRUST_ITEMS } from './trustSurvey.bank.js';
import { trustWaveForm } from './trustWave.schemas.js';

const PATH = '/admin/trust-surveys';
const FIELD = 'trustSurvey.admin.field';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'trustWaves'>;

/** The admins' page of community trust survey waves (#19 part 4): the list, opening one, closing one. */
export function trustWaveRoutes(services: Deps): Router {
  const router = Router();
  const { trustWaves } = services;
  router.use(PATH, requirePermission('surveys.waves'));

  const page = async (req: Request, res: Response, status: number, locals: Record<string, unknown> = {}) => {
    const day = (iso: string) => formatDay(iso, req.language);
    const waves = await trustWaves.list(viewerOf(req));
    renderAdmin(res, 'trust-surveys', status, {
      waves: waves.map((w) => ({
        ...w,
        dates: req.t('trustSurvey.results.waveDates', { from: day(w.opensOn), to: day(w.closesOn) }),
        href: w.status === 'open' ? `/community-survey/${w.id}` : undefined,
      })),
      items: TRUST_ITEMS.map((code) => ({ value: code, label: req.t(`trustSurvey.item.${code}`) })),
      ...locals,
    });
  };

  router.get(PATH, (req, res) => page(req, res, 200));

  router.post(PATH, async (req, res) => {
    const fields: FormBody = answerFields(req.body, ['items']);
    const refuse = (errors: FieldError[]) => page(req, res, 400, { errors, values: fields });
    const parsed = trustWaveForm.safeParse(fields);
    if (!parsed.success) return refuse(fieldErrors(parsed.error, req.t));
    const opened = await trustWaves.open(viewerOf(req), parsed.data, String(req.id));
    if ('problem' in opened) {
      return refuse([
        { field: 'opensOn', text: req.t(`${FIELD}.${opened.problem === 'past' ? 'opensInPast' : 'overlap'}`) },
      ]);
    }
    req.session.flash = 'trustSurvey.admin.opened';
    return res.redirect(303, PATH);
  });

  router.post(`${PATH}/:id/close`, async (req, res) => {
    const id = req.params['id'];
    if (!isId(id)) throw notFound();
    // Over already (another admin, a double click, or its last day passed): say so rather than fail.
    const closed = await trustWaves.close(viewerOf(req), id, String(req.id));
    req.session.flash = closed ? 'trustSurvey.admin.closed' : 'trustSurvey.admin.notOpen';
    return res.redirect(303, PATH);
  });

  return router;
}
