import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Config } from '../../config.js';
import { notFound } from '../../errors.js';
import { FINDINGS, allegationForm, noteForm, uuid } from '../../schemas/caseFile.schemas.js';
import { DISMISSAL_REASONS, TOLLING_REASONS } from '../../../workflows/complaint.types.js';
import { CaseNotVisible, EvidenceMissing, InvalidChoice } from '../../services/caseWork.service.js';
import type { Services } from '../../services/index.js';
import type { CaseFile } from '../../services/caseFile.service.js';
import { ConflictError, ForbiddenEvent } from '../../services/workflow.service.js';
import { IllegalTransition } from '../../../workflows/complaint.snapshot.js';
import { byField, fieldErrors, type FieldError } from '../formErrors.js';
import { answerFields } from '../formFields.js';
import { acceptEvidence, dropTemporaries, evidenceUploads, uploadError, uploadedFiles } from '../uploads.js';
import { caseActionRoutes } from './caseActions.routes.js';
import { checkCsrf, requireRole, viewerOf } from './guards.js';

export const CASE_ROLES = ['intake', 'investigator', 'supervisor', 'board'] as const;

/** The lists the case page's forms choose from, labelled in the reader's language. */
function choicesFor(req: Request, file: CaseFile, categories: Array<{ value: string; label: string }>) {
  const labelled = (list: readonly string[], prefix: string) =>
    list.map((value) => ({ value, label: req.t(`${prefix}.${value}`) }));
  return {
    dismissal: labelled(DISMISSAL_REASONS, 'caseFile.dismissalReason'),
    tolling: labelled(TOLLING_REASONS, 'caseFile.tollingReason'),
    findings: labelled(FINDINGS, 'finding'),
    investigators: file.investigators.map((i) => ({
      value: i.id,
      label: req.t('caseFile.actions.investigatorOption', { name: i.display_name, count: Number(i.open_cases ?? 0) }),
    })),
    officers: file.officers.map((o) => ({
      value: o.id,
      label:
        [o.rank, o.first_name, o.last_name].filter(Boolean).join(' ') + (o.badge_number ? ` (#${o.badge_number})` : ''),
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

/** Renders the case file, with a form's errors when there are some; undefined case → 404 (R14). */
export function caseFilePage(services: Services) {
  return async (req: Request, res: Response, id: string, status = 200, extra: Record<string, unknown> = {}) => {
    const file = await services.caseFile.view(viewerOf(req), id, String(req.id));
    if (!file) throw notFound();
    const categories = await services.reference.categories(req.language);
    const districts = await services.reference.districts(req.language);
    const survey = await services.surveys.forCaseFile(viewerOf(req), id);
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
export function onCase(services: Services, action: (req: Request, res: Response, id: string) => Promise<unknown>) {
  const page = caseFilePage(services);
  return async (req: Request, res: Response) => {
    const id = caseIdOf(req);
    try {
      await action(req, res, id);
    } catch (error) {
      if (error instanceof CaseNotVisible || error instanceof ForbiddenEvent) throw notFound();
      if (error instanceof ConflictError || error instanceof IllegalTransition) {
        return page(req, res, id, 409, { conflict: true });
      }
      if (error instanceof InvalidChoice) {
        const field = error.field === 'findings' ? 'findings' : error.field;
        const errors = [{ field, text: req.t('validation.choose') }];
        return page(req, res, id, 400, { errors, values: answerFields(req.body) });
      }
      throw error;
    }
  };
}

/** The case file: summary, people, allegations, timeline, notes, evidence, deadlines and the actions allowed now. */
export function caseFileRoutes(services: Services, config: Config): Router {
  const router = Router();
  const page = caseFilePage(services);
  const { caseWork } = services;
  router.use('/cases/:id', requireRole(...CASE_ROLES));

  router.get('/cases/:id', async (req, res) => page(req, res, caseIdOf(req)));

  /** Parses a form of the case page; on failure shows the page again with the errors (400). */
  const parse = async <T>(req: Request, res: Response, id: string, schema: z.ZodType<T>, form: string) => {
    const fields = answerFields(req.body);
    const parsed = schema.safeParse(fields);
    if (parsed.success) return parsed.data;
    await page(req, res, id, 400, { errors: fieldErrors(parsed.error, req.t), values: fields, openForm: form });
    return undefined;
  };
  const done = (req: Request, res: Response, id: string, flash: string, anchor: string) => {
    req.session.flash = flash;
    res.redirect(303, `/staff/cases/${id}#${anchor}`);
  };

  router.post(
    '/cases/:id/notes',
    onCase(services, async (req, res, id) => {
      const note = await parse(req, res, id, noteForm, 'note');
      if (!note) return;
      await caseWork.addNote(viewerOf(req), id, note, String(req.id));
      done(req, res, id, 'caseFile.notes.added', 'notes');
    }),
  );

  const allegationValues = (v: z.infer<typeof allegationForm>) => ({
    category: v.category,
    officerId: v.officerId || null,
    officerDescription: v.officerDescription ?? null,
    summary: v.summary ?? null,
  });

  router.post(
    '/cases/:id/allegations',
    onCase(services, async (req, res, id) => {
      const form = await parse(req, res, id, allegationForm, 'allegation');
      if (!form) return;
      await caseWork.addAllegation(viewerOf(req), id, allegationValues(form), String(req.id));
      done(req, res, id, 'caseFile.allegations.added', 'allegations');
    }),
  );

  router.get('/cases/:id/allegations/:allegationId', async (req, res) => {
    const id = caseIdOf(req);
    const file = await services.caseFile.view(viewerOf(req), id, String(req.id));
    const allegation = file?.allegations.find((a) => a.id === req.params['allegationId']);
    if (!file || !allegation || !file.may.editAllegations) throw notFound();
    res.render('staff/cases/allegation-edit.njk', {
      navCurrent: 'cases',
      file,
      allegation,
      errors: [],
      fieldError: {},
      values: {},
    });
  });

  router.post(
    '/cases/:id/allegations/:allegationId',
    onCase(services, async (req, res, id) => {
      const allegationId = uuid.safeParse(req.params['allegationId']);
      if (!allegationId.success) throw notFound();
      const fields = answerFields(req.body);
      const parsed = allegationForm.safeParse(fields);
      if (!parsed.success) {
        const file = await services.caseFile.view(viewerOf(req), id, String(req.id));
        const allegation = file?.allegations.find((a) => a.id === allegationId.data);
        if (!file || !allegation) throw notFound();
        const errors = fieldErrors(parsed.error, req.t);
        return res.status(400).render('staff/cases/allegation-edit.njk', {
          navCurrent: 'cases',
          file,
          allegation,
          errors,
          fieldError: byField(errors),
          values: fields,
        });
      }
      await caseWork.updateAllegation(
        viewerOf(req),
        id,
        allegationId.data,
        allegationValues(parsed.data),
        String(req.id),
      );
      done(req, res, id, 'caseFile.allegations.updated', 'allegations');
    }),
  );

  router.post(
    '/cases/:id/evidence',
    evidenceUploads(services, config),
    onCase(services, async (req, res, id) => {
      const files = uploadedFiles(req);
      try {
        // A broken upload changes nothing and is answered before the token, which a cut body may lack.
        if (req.uploadProblem) {
          return await page(req, res, id, 400, { errors: [uploadError(req, req.uploadProblem, config.uploads)] });
        }
        checkCsrf(services.keys, req);
        await caseWork.mayAddEvidence(viewerOf(req), id);
        if (files.length === 0) {
          return await page(req, res, id, 400, {
            errors: [{ field: 'evidence', text: req.t('caseFile.evidence.none') }],
          });
        }
        const accepted = await acceptEvidence(services.evidence, files, config.uploads.maxFiles);
        if (!accepted.ok) {
          return await page(req, res, id, 400, {
            errors: [uploadError(req, accepted.problem, config.uploads, accepted.name)],
          });
        }
        try {
          await caseWork.addEvidence(viewerOf(req), id, accepted.stored, String(req.id));
        } catch (error) {
          await services.evidence.discard(accepted.stored.flatMap((s) => [s.storedName, s.viewingName]));
          throw error;
        }
        return done(req, res, id, 'caseFile.evidence.added', 'evidence');
      } finally {
        await dropTemporaries(files);
      }
    }),
  );

  router.get('/cases/:id/evidence/:fileId', async (req, res) => {
    const id = caseIdOf(req);
    const fileId = uuid.safeParse(req.params['fileId']);
    if (!fileId.success) throw notFound();
    try {
      const viewing = req.query['copy'] === 'viewing';
      const file = await caseWork.download(viewerOf(req), id, fileId.data, viewing, String(req.id));
      // R20: always a download, never rendered by the browser, and sandboxed if it ever were.
      // attachment() sets a type from the name's extension: the sniffed type is set after it, and wins.
      res.attachment(file.name);
      res.setHeader('Content-Type', file.type);
      res.setHeader('Content-Length', String(file.size));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      file.stream.on('error', () => res.destroy());
      file.stream.pipe(res);
    } catch (error) {
      if (error instanceof EvidenceMissing)
        req.log.error({ attachment: fileId.data }, 'evidence file missing from storage');
      if (error instanceof CaseNotVisible || error instanceof EvidenceMissing) throw notFound();
      throw error;
    }
  });

  router.use(caseActionRoutes(services));
  return router;
}
