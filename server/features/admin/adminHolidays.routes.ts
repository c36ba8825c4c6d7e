import { Router, type Request, type Response } from 'express';
import { notFound } from '../../domain/errors.js';
import { ISO_DAY, holidayFilter, holidayForm, isoDay } from './admin.schemas.js';
import type { HolidayRow } from './holiday.service.js';
import type { Services } from '../../compose.js';
import { fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields, type FormBody } from '../../platform/http/formFields.js';
import { renderAdmin } from './adminHome.routes.js';
import { staffUser } from '../../platform/http/guards.js';
import { formatDay } from '../../platform/dates.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'holidays'>;

/** The agency's own days off, which business-day clocks skip. Paths are under /staff/admin. */
export function adminHolidayRoutes(services: Deps): Router {
  const router = Router();
  const { holidays } = services;
  const page = async (res: Response, status: number, year: number | undefined, locals: Record<string, unknown>) => {
    const list = await holidays.list(year);
    // A holiday is a calendar day, not an instant: shown as written, whatever the time zone.
    const labelled = (rows: HolidayRow[]) =>
      rows.map((h) => ({ ...h, label: formatDay(h.day, res.req.language, 'full') }));
    renderAdmin(res, 'holidays', status, {
      ...list,
      upcoming: labelled(list.upcoming),
      past: labelled(list.past),
      year,
      ...locals,
    });
  };

  router.get('/holidays', async (req, res) => {
    const { lang: _lang, ...query } = req.query as Record<string, unknown>;
    const parsed = holidayFilter.safeParse(query);
    // A filter we cannot read shows every year rather than an error: it is a link, not a form to correct.
    await page(res, 200, parsed.success ? parsed.data.year : undefined, {});
  });

  router.post('/holidays', async (req: Request, res: Response) => {
    const fields: FormBody = answerFields(req.body);
    const parsed = holidayForm.safeParse(fields);
    const refuse = (errors: FieldError[]) => page(res, 400, undefined, { errors, values: fields });
    if (!parsed.success) return refuse(fieldErrors(parsed.error, req.t));
    if ((await holidays.add(staffUser(req).id, parsed.data, String(req.id))) === 'exists') {
      return refuse([{ field: 'day', text: req.t('admin.holidays.field.dayTaken') }]);
    }
    req.session.flash = 'admin.holidays.added';
    return res.redirect(303, `/staff/admin/holidays?year=${parsed.data.day.slice(0, 4)}`);
  });

  router.post('/holidays/:day/remove', async (req, res) => {
    const day = req.params['day'];
    if (typeof day !== 'string' || !ISO_DAY.test(day) || !isoDay.safeParse(day).success) throw notFound();
    const removed = await holidays.remove(staffUser(req).id, day, String(req.id));
    // Gone already (another admin, or a double click): say so rather than fail.
    req.session.flash = removed ? 'admin.holidays.removed' : 'admin.holidays.notThere';
    return res.redirect(303, `/staff/admin/holidays?year=${day.slice(0, 4)}`);
  });

  return router;
}
