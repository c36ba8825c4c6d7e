import { Router } from 'express';
import { notFound } from '../errors.js';
import type { MailService } from '../services/mail.service.js';

/** /dev/mail: the messages captured instead of sent. Mounted only outside production. */
export function devMailRoutes(mail: MailService): Router {
  const router = Router();
  const captured = mail.captured;
  if (!captured) return router;
  router.get('/dev/mail', async (_req, res) => {
    res.render('pages/dev-mail.njk', { messages: await captured.list() });
  });
  router.get('/dev/mail/:id', async (req, res) => {
    const message = await captured.read(req.params.id);
    if (!message) throw notFound();
    res.render('pages/dev-mail-message.njk', { message });
  });
  return router;
}
