import { Router, type Request, type Response } from 'express';
import type { Services } from '../../compose.js';
import { formExpired, notFound } from '../../domain/errors.js';
import type { Config } from '../../platform/config.js';
import { formatDay } from '../../platform/dates.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields, type FormBody } from '../../platform/http/formFields.js';
import { csrfToken, csrfValid, readCookie, setCookie } from '../residents/residentSession.js';
import { scaleOptions } from './survey.routes.js';
import { DEMOGRAPHIC_QUESTIONS, TRUST_DEMOGRAPHICS } from './trustSurvey.bank.js';
import { trustAnswerForm } from './trustSurvey.schemas.js';
import type { TrustWave } from './trustWave.model.js';
import { LONGEST_WAVE_DAYS } from './trustWave.schemas.js';

const PATH = '/community-survey';
/** The browser's one-time token for a wave, on that wave's path only. */
export const TRUST_COOKIE = 'oc_trust';
/**
 * What the cookie holds once the token is spent: no secret, nothing to find a ballot with. A
 * browser that keeps its token for a year could otherwise lead anyone holding a copy of the
 * database to its ballot, and from there (the same transaction) to its answer.
 */
export const ANSWERED_MARK = 'answered';
const COOKIE_MS = (LONGEST_WAVE_DAYS + 1) * 86_400_000;

type Notice = 'none' | 'closed' | 'answered' | 'limited';
const NOTICE_STATUS: Record<Notice, number> = { none: 200, closed: 410, answered: 409, limited: 429 };

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'keys' | 'trustSurveys' | 'reference'>;

/**
 * The community trust survey (#19 part 4): anyone answers the open wave once per browser, with
 * no account. The form page gives the browser a random token in an HttpOnly cookie; the form's
 * CSRF token is bound to it, and the server keeps only its keyed hash once it has answered; the
 * browser's cookie then says only that it has answered. Answers from one connection (an IPv6
 * client's /64) are limited per hour (a keyed hash names the counter; no address is kept).
 */
export function trustSurveyRoutes(services: Deps, config: Config): Router {
  const router = Router();
  const { trustSurveys, keys, reference } = services;
  const binding = (waveId: string, token: string) => `trust:${waveId}:${token}`;
  const notice = (res: Response, reason: Notice, status = NOTICE_STATUS[reason]) =>
    res.status(status).render('pages/trust-survey/notice.njk', { reason });
  const remember = (res: Response, wave: TrustWave, value: string) =>
    setCookie(res, TRUST_COOKIE, value, { path: `${PATH}/${wave.id}`, secure: config.production, maxAgeMs: COOKIE_MS });
  /** The token is spent: the browser keeps only the marker, and hears that it has answered. */
  const answered = (res: Response, wave: TrustWave, status = NOTICE_STATUS.answered) => {
    remember(res, wave, ANSWERED_MARK);
    return notice(res, 'answered', status);
  };

  const showForm = async (
    req: Request,
    res: Response,
    wave: TrustWave,
    token: string,
    form: { status: number; errors: FieldError[]; values: FormBody },
  ) => {
    const t = req.t;
    res.status(form.status).render('pages/trust-survey/form.njk', {
      action: `${PATH}/${wave.id}`,
      csrf: csrfToken(keys, binding(wave.id, token)),
      dates: { from: formatDay(wave.opensOn, req.language), to: formatDay(wave.closesOn, req.language) },
      items: wave.items.map((item) => ({ name: item, label: t(`trustSurvey.item.${item}`) })),
      scale: scaleOptions(t),
      districts: await reference.districts(req.language),
      demographics: (wave.asksDemographics ? DEMOGRAPHIC_QUESTIONS : []).map((q) => ({
        name: q,
        label: t(`trustSurvey.demographic.${q}.label`),
        options: TRUST_DEMOGRAPHICS[q].map((value) => ({ value, label: t(`trustSurvey.demographic.${q}.${value}`) })),
      })),
      errors: form.errors,
      fieldError: byField(form.errors),
      values: form.values,
    });
  };

  /** The wave a link names while it is open; a closed one gets its notice, an unknown or future one 404. */
  const openWave = async (req: Request, res: Response): Promise<TrustWave | undefined> => {
    const wave = await trustSurveys.wave(String(req.params['wave'] ?? ''));
    if (!wave || wave.status === 'scheduled') throw notFound();
    if (wave.status === 'closed') return void notice(res, 'closed');
    return wave;
  };

  router.get(PATH, async (_req, res) => {
    const wave = await trustSurveys.current();
    if (!wave) return notice(res, 'none');
    return res.redirect(303, `${PATH}/${wave.id}`);
  });

  router.get(`${PATH}/:wave`, async (req, res) => {
    const wave = await openWave(req, res);
    if (!wave) return;
    let token = readCookie(req, TRUST_COOKIE);
    // Not a conflict: the browser only came back to the page.
    if (token === ANSWERED_MARK) return notice(res, 'answered', 200);
    if (!trustSurveys.isToken(token)) {
      token = trustSurveys.newToken();
      remember(res, wave, token);
    } else if (await trustSurveys.answered(wave.id, token)) {
      // A token spent before the marker was set (its answer's response never arrived).
      return answered(res, wave, 200);
    }
    return showForm(req, res, wave, token, { status: 200, errors: [], values: {} });
  });

  router.post(`${PATH}/:wave`, async (req, res) => {
    const wave = await openWave(req, res);
    if (!wave) return;
    const token = readCookie(req, TRUST_COOKIE);
    if (token === ANSWERED_MARK) return notice(res, 'answered');
    // No token (cookies refused or cleared) or a form of another page: the form must be loaded again.
    if (!trustSurveys.isToken(token) || !csrfValid(keys, binding(wave.id, token), req.body?._csrf)) {
      throw formExpired();
    }
    const fields = answerFields(req.body);
    const districts = (await reference.districts(req.language)).map((d) => d.value);
    const parsed = trustAnswerForm(wave, districts).safeParse(fields);
    if (!parsed.success) {
      return showForm(req, res, wave, token, { status: 400, errors: fieldErrors(parsed.error, req.t), values: fields });
    }
    const outcome = await trustSurveys.answer(wave.id, token, parsed.data, req.ip ?? '');
    if (outcome === 'answered') return answered(res, wave);
    if (outcome !== 'stored') return notice(res, outcome);
    remember(res, wave, ANSWERED_MARK);
    return res.render('pages/trust-survey/thanks.njk');
  });

  return router;
}
