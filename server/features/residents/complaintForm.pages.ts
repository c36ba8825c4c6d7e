/**
 * Rendering the complaint form's pages: a step with its answers, options and limits; a step with
 * its errors (400); and the check-your-answers page with whatever is still missing.
 */

import type { Request, Response } from 'express';
import type { Config } from '../../platform/config.js';
import { MAX_OFFICERS, MAX_WITNESSES, NARRATIVE_MAX } from './complaint.schemas.js';
import type { Services } from '../../compose.js';
import type { DraftData } from './intake.service.js';
import { assembled, STEPS, stepOfField, type Step } from './complaintForm.steps.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { complaintOptions } from './complaintForm.options.js';
import { checkAnswers } from './complaintForm.check.js';
import { DRAFT_COOKIE, csrfToken, readCookie } from './residentSession.js';
import { PATH, stepUrl } from './complaintForm.navigation.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'keys'> & Parameters<typeof complaintOptions>[0];

/** The form's page renderers, for the routes of complaintForm.routes.ts. */
export function complaintFormPages(services: Deps, config: Config) {
  const { keys } = services;
  const limits = config.uploads;

  const render = async (
    req: Request,
    res: Response,
    step: Step,
    draft: DraftData,
    extra: Record<string, unknown> = {},
  ) => {
    const secret = readCookie(req, DRAFT_COOKIE)!;
    const index = STEPS.indexOf(step);
    res.render(`pages/complaint/${step}.njk`, {
      step,
      stepNumber: index + 1,
      stepCount: STEPS.length,
      backHref: index === 0 ? PATH : stepUrl(STEPS[index - 1]!),
      returnTo: req.query['from'] === 'check' || req.body?.returnTo === 'check' ? 'check' : '',
      csrf: csrfToken(keys, secret),
      answers: draft.answers,
      evidence: draft.evidence,
      limits: {
        narrative: NARRATIVE_MAX,
        officers: MAX_OFFICERS,
        witnesses: MAX_WITNESSES,
        files: limits.maxFiles,
        megabytes: Math.round(limits.maxBytes / 1048576),
      },
      ...(await complaintOptions(services, req, step)),
      errors: [],
      fieldError: {},
      ...extra,
    });
  };

  const renderErrors = (
    req: Request,
    res: Response,
    step: Step,
    draft: DraftData,
    errors: FieldError[],
    values?: unknown,
  ) => {
    res.status(400);
    return render(req, res, step, draft, { errors, fieldError: byField(errors), values });
  };

  const renderCheck = async (req: Request, res: Response, draft: DraftData, errors: FieldError[] = []) => {
    const whole = assembled(draft, req.language, { consent: true, truthful: true });
    const missing = whole.success
      ? []
      : fieldErrors(whole.error, req.t).filter((e) => stepOfField(e.field) !== 'check');
    const all = [...missing.map((e) => ({ ...e, step: stepOfField(e.field) })), ...errors];
    const lists = {
      districts: await services.reference.districts(req.language),
      categories: await services.reference.categories(req.language),
    };
    const sections = checkAnswers(draft, lists, req.t, req.language);
    if (errors.length) res.status(400);
    return render(req, res, 'check', draft, { errors: all, fieldError: byField(errors), missing, sections });
  };

  return { render, renderErrors, renderCheck };
}
