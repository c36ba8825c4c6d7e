import { Router, type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, keptImport } from './officer.schemas.js';
import type { Services } from '../../compose.js';
import { byField, type FieldError } from '../../platform/http/formErrors.js';
import { checkCsrf, requirePermission, viewerOf } from '../../platform/http/guards.js';

/** Only the form token may come with the file. */
const ALLOWED_FIELDS = new Set(['_csrf']);

/**
 * One file in the field `file`, held in memory (1 MB at most); a broken or oversized body becomes
 * `req.uploadProblem` for the page to show, never a 500 (R19).
 */
function receiveCsv() {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5, fieldSize: 1000, parts: 6, headerPairs: 50 },
  }).single('file');
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    upload(req, res, (error: unknown) => {
      if (error) {
        const code = error instanceof multer.MulterError ? error.code : undefined;
        req.uploadProblem =
          code === 'LIMIT_FILE_SIZE'
            ? 'tooLarge'
            : code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE'
              ? 'tooMany'
              : 'malformed';
        delete req.file;
        req.body ??= {};
      }
      next();
    });
  };
}

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'keys' | 'officers'>;

/** Adding and updating officers from a CSV file: upload, preview, then confirm. */
export function officerImportRoutes(services: Deps): Router {
  const router = Router();
  const { officers } = services;
  const editors = requirePermission('officers.edit');

  /** The limits as the reader writes numbers, for the messages that name them. */
  const limits = (req: Request) => ({
    megabytes: IMPORT_MAX_BYTES / 1048576,
    max: IMPORT_MAX_ROWS.toLocaleString(req.language === 'es' ? 'es-US' : 'en-US'),
  });
  const uploadPage = (req: Request, res: Response, status: number, errors: FieldError[] = []) =>
    res.status(status).render('staff/officers/import.njk', {
      navCurrent: 'officers',
      errors,
      fieldError: byField(errors),
      limits: limits(req),
    });
  const fileError = (req: Request, key: string, params: Record<string, unknown> = {}) => [
    { field: 'file', text: req.t(key, { ...limits(req), ...params }) },
  ];

  router.get('/officers/import', editors, (req, res) => uploadPage(req, res, 200));

  router.post('/officers/import', editors, receiveCsv(), async (req, res) => {
    // A cut or oversized body may have lost its token; it changed nothing and is answered first.
    if (req.uploadProblem) {
      return uploadPage(req, res, 400, fileError(req, `officers.import.problem.${req.uploadProblem}`));
    }
    // The staff router lets this multipart POST through; its token is checked now that the body is read (R13).
    checkCsrf(services.keys, req);
    const extra = Object.keys((req.body ?? {}) as object).find((key) => !ALLOWED_FIELDS.has(key));
    if (extra) return uploadPage(req, res, 400, [{ field: 'file', text: req.t('validation.unknownField') }]);
    delete req.session.officerImport;
    if (!req.file) return uploadPage(req, res, 400, fileError(req, 'officers.import.problem.none'));
    if (req.file.size === 0) return uploadPage(req, res, 400, fileError(req, 'officers.import.problem.empty'));
    const preview = await officers.previewImport(viewerOf(req), req.file.buffer, req.language);
    if (!preview.ok) {
      const key = `officers.import.problem.${preview.problem}`;
      return uploadPage(req, res, 400, fileError(req, key, { line: preview.line ?? '?' }));
    }
    const hasErrors = preview.errors.length > 0;
    // Only a clean file that changes something is kept for confirmation.
    const writable = !hasErrors && preview.creates.length + preview.updates.length > 0;
    if (writable) req.session.officerImport = { rows: preview.rows };
    const errors = hasErrors ? [{ field: 'row-errors', text: req.t('officers.import.preview.hasErrors') }] : [];
    return res.status(hasErrors ? 400 : 200).render('staff/officers/preview.njk', {
      navCurrent: 'officers',
      preview,
      writable,
      errors,
      fileName: req.file.originalname.slice(0, 200),
      shown: 100,
    });
  });

  router.post('/officers/import/confirm', editors, async (req, res) => {
    const kept = keptImport.safeParse(req.session.officerImport);
    if (!kept.success) return uploadPage(req, res, 400, fileError(req, 'officers.import.problem.nothingKept'));
    const result = await officers.commitImport(viewerOf(req), kept.data.rows, String(req.id));
    delete req.session.officerImport;
    if (!result.ok) return uploadPage(req, res, 409, fileError(req, 'officers.import.problem.changed'));
    req.session.flash = 'officers.import.done';
    return res.redirect(303, '/staff/officers');
  });

  return router;
}
