import { Router } from 'express';
import { notFound } from '../../domain/errors.js';
import type { MailService } from './mail.service.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * /dev/mail: the messages captured instead of sent. Mounted only outside production, and answered
 * only to this machine, so a server left without NODE_ENV=production does not show mail to others.
 */
export function devMailRoutes(mail: MailService): Router {
  const router = Router();
  const captured = mail.captured;
  if (!captured) return router;
  router.use('/dev/mail', (req, _res, next) =>
    next(LOOPBACK.has(req.socket.remoteAddress ?? '') ? undefined : notFound()),
  );
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
