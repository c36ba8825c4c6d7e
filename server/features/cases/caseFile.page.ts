import { fieldMessages, orShowOnPage } from '../../platform/http/problems.js';
import type { Request, Response } from 'express';
import { notFound } from '../../domain/errors.js';
import { FINDINGS, uuid } from './caseFile.schemas.js';
import { DISMISSAL_REASONS, TOLLING_REASONS } from '../../../workflows/complaint.types.js';

import type { Services } from '../../compose.js';
import type { CaseFileView } from './caseFile.service.js';

import { byField, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields } from '../../platform/http/formFields.js';
import { viewerOf } from '../../platform/http/guards.js';

// The case page as the case routes and the action routes render it, and the one wrapper through
// which a change to a case turns what people can cause into pages, not 500s.

/** The lists the case page's forms choose from, labelled in the reader's language. */
function choicesFor(req: Request, file: CaseFileView, categories: Array<{ value: string; label: string }>) {
  const labelled = (list: readonly string[], prefix: string) =>
    list.map((value) => ({ value, label: req.t(`${prefix}.${value}`) }));
  return {
    dismissal: labelled(DISMISSAL_REASONS, 'caseFile.dismissalReason'),
    tolling: labelled(TOLLING_REASONS, 'caseFile.tollingReason'),
    findings: labelled(FINDINGS, 'finding'),
    investigators: file.investigators.map((i) => ({
      value: i.id,
      label: req.t('caseFile.actions.investigatorOption', { name: i.name, count: i.openCases }),
    })),
    officers: file.officers.map((o) => ({
      value: o.id,
      label:
        [o.rank, o.firstName, o.lastName].filter(Boolean).join(' ') + (o.badgeNumber ? ` (#${o.badgeNumber})` : ''),
    })),
    categories,
  };
}

/** The case id of the URL, or 404: a malformed id never reaches SQL. */
export function caseIdOf(req: Request): string {
  const parsed = uuid.safeParse(req.params['id']);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'caseFile' | 'reference' | 'surveys' | 'departmentResponses'>;

/** Renders the case file, with a form's errors when there are some; undefined case → 404 (R14). */
export function caseFilePage(services: Deps) {
  return async (req: Request, res: Response, id: string, status = 200, extra: Record<string, unknown> = {}) => {
    const file = await services.caseFile.view(viewerOf(req), id, String(req.id));
    if (!file) throw notFound();
    const categories = await services.reference.categories(req.language);
    const districts = await services.reference.districts(req.language);
    const survey = await services.surveys.forCaseFile(viewerOf(req), id);
    const responses = await services.departmentResponses.forCaseFile(viewerOf(req), id, file.header.stage);
    // Codes in the timeline (a dismissal or tolling reason) are shown by their names.
    for (const entry of file.timeline) {
      const reason = entry.values['reason'];
      const list = entry.values['event'] === 'TOLL' ? 'tollingReason' : 'dismissalReason';
      if (reason) entry.values['reason'] = req.t(`caseFile.${list}.${reason}`);
    }
    const errors = (extra['errors'] as FieldError[] | undefined) ?? [];
    res.status(status).render('staff/cases/file.njk', {
      navCurrent: 'cases',
      file,
      choices: choicesFor(req, file, categories),
      districtName: districts.find((d) => d.value === file.header.district)?.label ?? file.header.district,
      survey,
      responses,
      values: {},
      ...extra,
      errors,
      fieldError: byField(errors),
    });
  };
}

/**
 * Runs a change to a case; the outcomes people can cause are pages, not 500s: someone else's or
 * no case (404), a race or a step the workflow refuses now (409), a bad choice (400).
 */
export function onCase(services: Deps, action: (req: Request, res: Response, id: string) => Promise<unknown>) {
  const page = caseFilePage(services);
  return async (req: Request, res: Response) => {
    const id = caseIdOf(req);
    await orShowOnPage(
      () => action(req, res, id),
      (problem) =>
        problem.code === 'conflict'
          ? page(req, res, id, problem.status, { conflict: true })
          : page(req, res, id, problem.status, { errors: fieldMessages(req, problem), values: answerFields(req.body) }),
    );
  };
}
