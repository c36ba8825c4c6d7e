import { Router, type Request, type Response } from 'express';
import { boardSettingsForm } from './board.schemas.js';
import type { Services } from '../../compose.js';
import type { BoardSettingsView } from './boardSettings.service.js';
import { fieldErrors } from '../../platform/http/formErrors.js';
import { answerFields } from '../../platform/http/formFields.js';
import { renderAdmin } from '../admin/adminHome.routes.js';
import { requirePermission, staffUser } from '../../platform/http/guards.js';

/** The saved settings as the form's values. */
function valuesOf(view: BoardSettingsView) {
  return {
    seated: view.seated,
    quorum: view.quorum.kind,
    quorumCount: view.quorum.kind === 'fixed' ? String(view.quorum.count) : '',
    tieRule: view.tieRule,
    seesIdentity: view.seesIdentity ? 'yes' : 'no',
    publicMemberNames: view.publicMemberNames ? 'yes' : 'no',
  };
}

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'boardSettings'>;

/** The admin's board settings (/staff/admin/board): seated members, quorum, tie rule, what members and the public see. */
export function boardSettingsRoutes(services: Deps): Router {
  const router = Router();
  const admin = requirePermission('board.settings');
  const { boardSettings } = services;

  const page = async (res: Response, status: number, locals: Record<string, unknown> = {}) => {
    const view = await boardSettings.view();
    renderAdmin(res, 'board-settings', status, {
      settings: view,
      memberOptions: view.members.map((m) => ({ value: m.id, label: m.name })),
      values: valuesOf(view),
      ...locals,
    });
  };

  router.get('/admin/board', admin, (_req, res) => page(res, 200));

  router.post('/admin/board', admin, async (req: Request, res: Response) => {
    const fields = answerFields(req.body, ['seated']);
    const view = await boardSettings.view();
    const parsed = boardSettingsForm(view.members.map((m) => m.id)).safeParse(fields);
    if (!parsed.success) return page(res, 400, { errors: fieldErrors(parsed.error, req.t), values: fields });
    await boardSettings.save(staffUser(req).id, parsed.data, String(req.id));
    req.session.flash = 'board.settings.saved';
    return res.redirect(303, '/staff/admin/board');
  });

  return router;
}
