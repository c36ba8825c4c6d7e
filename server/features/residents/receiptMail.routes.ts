import { Router, type Request, type Response } from 'express';
import type { Services } from '../../compose.js';
import { formExpired, notFound } from '../../domain/errors.js';
import { answerFields } from '../../platform/http/formFields.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { receiptEmail } from './complaint.schemas.js';
import { PATH } from './complaintForm.navigation.js';
import { DRAFT_COOKIE, csrfToken, csrfValid, readCookie } from './residentSession.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'keys' | 'receiptMail'>;

/**
 * "Email me this receipt" (#17 item 4), posted from the receipt page while this browser may still
 * show its receipt (the hour after filing). The address is checked and held to the receipt quota;
 * the copy never carries the access code, and no page here shows the access code again.
 */
export function receiptMailRoutes(services: Deps): Router {
  const router = Router();
  const { keys, receiptMail } = services;

  /** This browser's receipt to email, or undefined (and a redirect) when it has none any more. */
  const opened = async (req: Request, res: Response) => {
    const secret = readCookie(req, DRAFT_COOKIE);
    const offer = secret ? await receiptMail.offerFor(secret) : undefined;
    // The receipt's own page then says what happened and what to do.
    if (!secret || !offer) return void res.redirect(303, `${PATH}/receipt`);
    return { secret, offer };
  };
  /** The form on a page of its own, with the address as typed and its error (never the access code). */
  const page = (res: Response, form: { secret: string; offer: object }, email: unknown, errors: FieldError[] = []) =>
    res.render('pages/complaint/receiptEmail.njk', {
      offer: form.offer,
      email,
      csrf: csrfToken(keys, form.secret),
      errors,
      fieldError: byField(errors),
    });

  // The form on a page of its own: where the header's language switch leads from a refused address.
  router.get(`${PATH}/receipt/email`, async (req, res) => {
    const form = await opened(req, res);
    if (!form) return;
    if (!form.offer.allowed) throw notFound();
    page(res, form, form.offer.email);
  });

  router.post(`${PATH}/receipt/email`, async (req, res) => {
    // The form token first (R13): a POST without this browser's token changes nothing and says so,
    // whatever the state of the receipt it names.
    const cookie = readCookie(req, DRAFT_COOKIE);
    if (cookie && !csrfValid(keys, cookie, req.body?._csrf)) throw formExpired();
    const form = await opened(req, res);
    if (!form) return;
    const { secret, offer } = form;
    if (!offer.allowed) throw notFound();
    const fields = answerFields(req.body);
    const again = (status: number, errors: FieldError[]) => page(res.status(status), form, fields['email'], errors);
    const parsed = receiptEmail.safeParse(fields);
    if (!parsed.success) return again(400, fieldErrors(parsed.error, req.t));
    if ((await receiptMail.send(secret, parsed.data.email)) === 'limited') {
      return again(429, [{ field: 'email', text: req.t('receipt.email.limited') }]);
    }
    // The address stays out of the URL (and so out of every log).
    return res.redirect(303, `${PATH}/receipt/emailed`);
  });

  router.get(`${PATH}/receipt/emailed`, (_req, res) => {
    res.render('pages/complaint/receiptEmailed.njk');
  });

  return router;
}
