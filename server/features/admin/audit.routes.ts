import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Translate } from '../../platform/i18n.js';
import { auditFilterQuery, type AuditFilterQuery } from './auditLog.schemas.js';
import { AUDIT_EXPORT_CAP, escapeControls, type AuditLogRow } from './auditLog.service.js';
import type { Services } from '../../compose.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { requirePermission, staffUser } from '../../platform/http/guards.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'auditLog'>;

/** The audit log for admins: filter, page back through it, export it, verify its chain (R1, R4). */
export function auditRoutes(services: Deps): Router {
  const router = Router();
  const { auditLog } = services;
  const admin = requirePermission('admin.use');

  const render = async (req: Request, res: Response, status: number, locals: Record<string, unknown>) => {
    const types = await auditLog.eventTypes();
    const errors = (locals['errors'] as FieldError[] | undefined) ?? [];
    res.status(status).render('staff/admin/audit.njk', {
      navCurrent: 'admin',
      rows: [],
      values: {},
      ...locals,
      errors,
      fieldError: byField(errors),
      typeOptions: types.map((value) => ({ value, label: value })),
      outcomeOptions: ['success', 'failure'].map((value) => ({ value, label: req.t(`auditLog.outcome.${value}`) })),
      exportCap: AUDIT_EXPORT_CAP.toLocaleString(req.language === 'es' ? 'es-US' : 'en-US'),
    });
  };

  /** The query's filters, or the page again with its errors (400) and undefined. */
  const filterOf = async (req: Request, res: Response) => {
    const { lang: _lang, ...query } = req.query as Record<string, unknown>;
    const parsed = auditFilterQuery.safeParse(query);
    const values = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
    if (!parsed.success) {
      await render(req, res, 400, { errors: filterErrors(parsed.error, req.t), values });
      return undefined;
    }
    const resolved = await auditLog.resolve(parsed.data);
    if (!resolved.ok) {
      const errors = [{ field: resolved.field, text: req.t(`auditLog.filter.${resolved.field}Unknown`) }];
      await render(req, res, 400, { errors, values });
      return undefined;
    }
    return { query: parsed.data, filter: resolved.filter };
  };

  router.get('/admin/audit', admin, async (req, res) => {
    const parsed = await filterOf(req, res);
    if (!parsed) return;
    const { rows, olderThan } = await auditLog.page(staffUser(req).id, parsed.filter, String(req.id));
    const query = queryString(parsed.query);
    await render(req, res, 200, {
      rows,
      values: parsed.query,
      query,
      olderHref: olderThan ? `/staff/admin/audit?${query}${query ? '&' : ''}before=${olderThan}` : null,
      newestHref: parsed.query.before ? `/staff/admin/audit${query ? `?${query}` : ''}` : null,
    });
  });

  router.get('/admin/audit.csv', admin, async (req, res) => {
    const parsed = await filterOf(req, res);
    if (!parsed) return;
    const rows = await auditLog.exportRows(staffUser(req).id, parsed.filter, String(req.id));
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '');
    res
      .status(200)
      .set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="audit-log-${stamp}.csv"`,
        'X-Content-Type-Options': 'nosniff',
        // R20: a download is never a page, even if a browser were to try.
        'Content-Security-Policy': "default-src 'none'; sandbox",
      })
      .send(auditCsv(rows));
  });

  router.post('/admin/audit/verify', admin, async (req, res) => {
    const result = await auditLog.verify(staffUser(req).id, String(req.id));
    const reason = result.ok ? null : reasonKey(result.reason);
    res.render('staff/admin/audit-verify.njk', { navCurrent: 'admin', result, reason });
  });

  return router;
}

/**
 * The form's errors; this catalogue's keys (`auditLog.…`) are not recognised as keys by
 * fieldErrors, whose pattern wants an all-lowercase first segment, so they are translated here.
 */
function filterErrors(error: z.ZodError, t: Translate): FieldError[] {
  const own = new Map(
    error.issues.filter((i) => i.message.startsWith('auditLog.')).map((i) => [i.path.join('.'), t(i.message)]),
  );
  return fieldErrors(error, t).map((e) => ({ field: e.field, text: own.get(e.field) ?? e.text }));
}

/** The filters as a query string, without the page cursor (for the export and the paging links). */
function queryString(query: AuditFilterQuery): string {
  const entries = Object.entries(query).filter(
    (entry): entry is [string, string] => entry[0] !== 'before' && typeof entry[1] === 'string' && entry[1] !== '',
  );
  return new URLSearchParams(entries).toString();
}

/** The verify command's reasons (fixed English sentences) as catalogue keys. */
function reasonKey(reason: string): string {
  if (reason.startsWith('its link')) return 'auditLog.verify.reasonLink';
  if (reason.startsWith('its content')) return 'auditLog.verify.reasonContent';
  return 'auditLog.verify.reasonCheckpoint';
}

const CSV_COLUMNS = [
  'id',
  'occurred_at',
  'event_type',
  'actor_type',
  'actor_id',
  'actor_name',
  'outcome',
  'object_type',
  'object_id',
  'request_id',
  'details',
  'prev_hash',
  'hash',
] as const;

/**
 * One line per event (R6: control characters escaped); a cell that a spreadsheet would run as a
 * formula is prefixed with an apostrophe.
 */
export function auditCsv(rows: AuditLogRow[]): string {
  const cell = (value: string | number | null) => {
    let text = escapeControls(value === null ? '' : String(value));
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = rows.map((r) =>
    [
      r.id,
      r.at.toISOString(),
      r.type,
      r.actorType,
      r.actorId,
      r.actorName,
      r.outcome,
      r.objectType,
      r.objectId,
      r.requestId,
      r.details.join(' '),
      r.prevHash,
      r.hash,
    ]
      .map(cell)
      .join(','),
  );
  return `\ufeff${[CSV_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}
