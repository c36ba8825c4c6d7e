import { fieldMessages, orShowOnPage } from '../../platform/http/problems.js';
import { Router, type Response } from 'express';
import { notFound } from '../../domain/errors.js';
import { tokenForm, tokenId } from '../cases/staffApi.schemas.js';
import type { Services } from '../../compose.js';
import { byField, fieldErrors, type FieldError } from '../../platform/http/formErrors.js';
import { answerFields, type FormBody } from '../../platform/http/formFields.js';
import { requirePermission, staffUser } from '../../platform/http/guards.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'apiTokens'>;

/**
 * Bearer tokens for the staff API. An admin authorises a token for a user and never sees a
 * secret; the holder collects it from their own account, and the secret is shown to them once, on
 * the answer to that form (never put in the session or a redirect). Only its keyed hash is kept.
 */
export function apiTokenRoutes(services: Deps): Router {
  const router = Router();
  const { apiTokens } = services;
  router.use('/admin/tokens', requirePermission('admin.use'));

  const page = async (res: Response, status: number, errors: FieldError[] = [], values: FormBody = {}) => {
    const [tokens, holders] = await Promise.all([apiTokens.list(), apiTokens.holders()]);
    res.status(status).render('staff/admin/tokens.njk', {
      navCurrent: 'admin',
      tokens,
      holders: holders.map((h) => ({ value: h.id, label: `${h.name} (${h.email})` })),
      errors,
      fieldError: byField(errors),
      values,
    });
  };

  router.get('/admin/tokens', (_req, res) => page(res, 200));

  router.post('/admin/tokens', async (req, res) => {
    const fields = answerFields(req.body);
    const parsed = tokenForm.safeParse(fields);
    if (!parsed.success) return page(res, 400, fieldErrors(parsed.error, req.t), fields);
    await orShowOnPage(
      async () => {
        await apiTokens.issue(staffUser(req).id, parsed.data, String(req.id));
        req.session.flash = 'apiTokens.flash.authorised';
        res.redirect(303, '/staff/admin/tokens');
      },
      (problem) => page(res, problem.status, fieldMessages(req, problem), fields),
      ['invalid'],
    );
  });

  router.post('/admin/tokens/:id/revoke', async (req, res) => {
    const id = tokenId.safeParse(req.params['id']);
    if (!id.success) throw notFound();
    const outcome = await apiTokens.revoke(staffUser(req).id, id.data, String(req.id));
    if (outcome === 'missing') throw notFound();
    req.session.flash = outcome === 'revoked' ? 'apiTokens.flash.revoked' : 'apiTokens.flash.alreadyRevoked';
    res.redirect(303, '/staff/admin/tokens');
  });

  // The holder's side, for any signed-in member of staff: their own tokens only.
  router.get('/account/tokens', async (req, res) => {
    res.render('staff/account-tokens.njk', {
      navCurrent: 'account',
      tokens: await apiTokens.mine(staffUser(req).id),
    });
  });

  router.post('/account/tokens/:id/collect', async (req, res) => {
    const id = tokenId.safeParse(req.params['id']);
    if (!id.success) throw notFound();
    const collected = await apiTokens.collect(staffUser(req).id, id.data, String(req.id));
    if (collected.outcome === 'missing') throw notFound();
    if (collected.outcome !== 'collected') {
      req.session.flash =
        collected.outcome === 'already' ? 'apiTokens.flash.alreadyCollected' : 'apiTokens.flash.collectRevoked';
      return res.redirect(303, '/staff/account/tokens');
    }
    return res.render('staff/account-token-collected.njk', {
      navCurrent: 'account',
      token: collected.token,
      name: collected.name,
      expiresAt: collected.expiresAt,
    });
  });

  return router;
}
