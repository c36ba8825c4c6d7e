/**
 * The status pages: the lookup form with its errors, the case page, the pages of the resident's
 * actions and their locals, and an action's outcome (back to the case, or the page again with the
 * refusal). Also what the pages show of a case: whether it is decided, and the contact on file.
 */

import { orShowOnPage } from '../../platform/http/problems.js';
import type { Request, Response } from 'express';
import type { Config } from '../../platform/config.js';
import type { Services } from '../../compose.js';

import type { StatusView } from './status.service.js';
import type { ContactOnFile } from './residentCase.service.js';

import { byField, type FieldError } from '../../platform/http/formErrors.js';
import { csrfToken } from './residentSession.js';
import { NARRATIVE_MAX } from './complaint.schemas.js';

export const PATH = '/status';
const DONE = new Set(['information', 'contact', 'withdrawn', 'reconsideration']);

/** The case of this browser's pass: its view, and the pass that opened it. */
export type Opened = { view: StatusView; token: string };

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'keys' | 'residentCase'>;

/** The page renderers of the status routes (status.routes.ts). */
export function statusPages(services: Deps, config: Config) {
  const { residentCase, keys } = services;

  const lookupErrors = (req: Request, res: Response, code: number, errors: FieldError[], values: object) => {
    // The access code is never sent back into the page.
    const { accessCode: _dropped, ...kept } = values as Record<string, unknown>;
    res.status(code).render('pages/status/lookup.njk', { errors, fieldError: byField(errors), values: kept });
  };

  // The case page has no form of its own (its actions are links to theirs): no token to sign.
  const renderCase = (req: Request, res: Response, view: StatusView) => {
    const done = typeof req.query['done'] === 'string' && DONE.has(req.query['done']) ? req.query['done'] : undefined;
    res.render('pages/status/case.njk', { view, done });
  };

  const page = (name: string) => `pages/status/${name}.njk`;
  const pageLocals = async (name: string, opened: Opened, extra: object = {}) => ({
    view: opened.view,
    csrf: csrfToken(keys, opened.token),
    errors: [],
    fieldError: {},
    values: {},
    informationMax: NARRATIVE_MAX,
    // Only the add-information page offers files.
    maxFiles:
      name === 'add-information' ? await residentCase.filesLeft(opened.view.complaintId, config.uploads.maxFiles) : 0,
    ...extra,
  });

  /** Runs one resident action on the opened case; a refusal of the workflow or a race is a page, never a 500. */
  const act = async (res: Response, name: string, done: string, opened: Opened, action: () => Promise<unknown>) => {
    await orShowOnPage(
      async () => {
        await action();
        res.redirect(303, `${PATH}/case?done=${done}`);
      },
      async (problem) =>
        res.status(problem.status).render(page(name), await pageLocals(name, opened, { refused: true })),
      ['conflict'],
    );
  };

  return { lookupErrors, renderCase, page, pageLocals, act };
}

/** Whether the board has decided the case: decided now, or closed after the decision. */
export function hasDecision(view: StatusView): boolean {
  return view.outcome === 'decided' && (view.stage === 'decided' || view.stage === 'closed');
}

/** The contact form's values from the contact on file. */
export function contactValues(contact: ContactOnFile | undefined) {
  if (!contact) return {};
  return {
    email: contact.email ?? '',
    phone: contact.phone ?? '',
    address: contact.address ?? '',
    preferredLanguage: contact.preferredLanguage,
    preferredContact: contact.preferredContact ?? 'none',
  };
}
