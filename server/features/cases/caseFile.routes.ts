import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Config } from '../../platform/config.js';
import { notFound } from '../../domain/errors.js';
import { allegationForm, noteForm, uuid } from './caseFile.schemas.js';

import type { Services } from '../../compose.js';
import { byField, fieldErrors } from '../../platform/http/formErrors.js';
import { answerFields } from '../../platform/http/formFields.js';
import {
  acceptEvidence,
  dropTemporaries,
  evidenceUploads,
  uploadError,
  uploadedFiles,
} from '../../platform/evidence/uploads.js';
import { caseActionRoutes } from './caseActions.routes.js';
import { caseFilePage, caseIdOf, onCase } from './caseFile.page.js';
import { checkCsrf, requirePermission, viewerOf } from '../../platform/http/guards.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'caseFile' | 'caseWork' | 'evidence' | 'keys'> &
  Parameters<typeof caseActionRoutes>[0] &
  Parameters<typeof caseFilePage>[0] &
  Parameters<typeof evidenceUploads>[0] &
  Parameters<typeof onCase>[0];

/** The case file: summary, people, allegations, timeline, notes, evidence, deadlines and the actions allowed now. */
export function caseFileRoutes(services: Deps, config: Config): Router {
  const router = Router();
  const page = caseFilePage(services);
  const { caseWork } = services;
  router.use('/cases/:id', requirePermission('cases.read'));

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
    const viewing = req.query['copy'] === 'viewing';
    const file = await caseWork.download(viewerOf(req), id, fileId.data, viewing, String(req.id));
    // R20: always a download, never rendered by the browser, and sandboxed if it ever were.
    // attachment() sets a type from the name's extension: the sniffed type is set after it, and wins.
    res.attachment(file.name);
    res.setHeader('Content-Type', file.type);
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    // pipeline closes the file (or the object store's connection) when the client goes away too.
    pipeline(file.stream, res).catch(() => res.destroy());
  });

  router.use(caseActionRoutes(services));
  return router;
}
