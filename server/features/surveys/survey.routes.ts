import { Router, type Request, type Response } from 'express';
import { SURVEY_SCORES } from '../../domain/vocabulary.js';
import type { Language } from '../../domain/vocabulary.js';
import { formExpired } from '../../domain/errors.js';
import { createTranslator, isLanguage, LANGUAGES } from '../../platform/i18n.js';
import { SURVEY_COMMENT_MAX, surveyForm } from './survey.schemas.js';
import type { Services } from '../../compose.js';
import type { SurveyLink } from './survey.service.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields, type FormBody } from '../../platform/http/formFields.js';
import { csrfToken, csrfValid } from '../residents/residentSession.js';

const PATH = '/survey';
const SCALE = ['1', '2', '3', '4', '5'] as const;

/** The 1–5 agreement scale's radios, named in the reader's language (the community survey's too). */
export const scaleOptions = (t: Request['t']) => SCALE.map((value) => ({ value, label: t(`survey.scale.${value}`) }));

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'keys' | 'surveys'>;

/**
 * The closing survey (issue #7): a public form reached by a single-use link from the closing
 * email. The page speaks the survey's language unless the reader switches (?lang=). A used,
 * unknown, malformed or expired link gets one clear page (410), never an error; too many dead
 * links from one client get the same page as 429. Pages are never cached (R26: the security
 * middleware sets no-store on every dynamic page).
 */
export function surveyRoutes(services: Deps): Router {
  const router = Router();
  const { surveys, keys } = services;
  // The middleware chose a language before the survey was known; this speaks the survey's own.
  const translator = createTranslator();

  /** The page's language: the reader's switch if used, else the survey's, else the middleware's choice. */
  const speak = (req: Request, res: Response, surveyLanguage: Language | undefined) => {
    const chosen = isLanguage(req.query['lang']) ? req.query['lang'] : undefined;
    const language = chosen ?? surveyLanguage ?? req.language;
    if (language !== req.language) {
      req.language = language;
      req.t = translator.t(language);
      res.locals['lang'] = language;
      res.locals['t'] = req.t;
      res.locals['languageOptions'] = LANGUAGES.filter((code) => code !== language).map((code) => ({
        code,
        label: translator.t(code)('language.name'),
        href: `${req.baseUrl}${req.path}?lang=${code}`,
      }));
    }
    return chosen;
  };

  /** The page for a link that does not lead to the form. */
  const gone = (req: Request, res: Response, link: Exclude<SurveyLink, { kind: 'open' }>) => {
    speak(req, res, 'language' in link ? link.language : undefined);
    res.status(link.kind === 'limited' ? 429 : 410).render('pages/survey/unavailable.njk', { reason: link.kind });
  };

  const showForm = (
    req: Request,
    res: Response,
    token: string,
    language: Language,
    form: { status: number; errors: FieldError[]; values: FormBody },
  ) => {
    const chosen = speak(req, res, language);
    res.status(form.status).render('pages/survey/form.njk', {
      // The reader's switch is kept on the form's address, so answers with errors come back in it.
      action: `${PATH}/${token}${chosen ? `?lang=${chosen}` : ''}`,
      csrf: csrfToken(keys, `survey:${token}`),
      questions: SURVEY_SCORES,
      scale: scaleOptions(req.t),
      commentMax: SURVEY_COMMENT_MAX,
      errors: form.errors,
      fieldError: byField(form.errors),
      values: form.values,
    });
  };

  router.get(`${PATH}/:token`, async (req, res) => {
    const token = req.params['token'] ?? '';
    const link = await surveys.open(token, req.ip ?? '');
    if (link.kind !== 'open') return gone(req, res, link);
    showForm(req, res, token, link.language, { status: 200, errors: [], values: {} });
  });

  router.post(`${PATH}/:token`, async (req, res) => {
    const token = req.params['token'] ?? '';
    const link = await surveys.open(token, req.ip ?? '');
    if (link.kind !== 'open') return gone(req, res, link);
    if (!csrfValid(keys, `survey:${token}`, req.body?._csrf)) {
      speak(req, res, link.language);
      throw formExpired();
    }
    const fields = answerFields(req.body);
    const parsed = surveyForm.safeParse(fields);
    if (!parsed.success) {
      speak(req, res, link.language);
      const errors = fieldErrors(parsed.error, req.t);
      return showForm(req, res, token, link.language, { status: 400, errors, values: fields });
    }
    const result = await surveys.answer(token, parsed.data, String(req.id));
    if (result.kind !== 'stored') return gone(req, res, result);
    speak(req, res, result.language);
    res.render('pages/survey/thanks.njk');
  });

  return router;
}
