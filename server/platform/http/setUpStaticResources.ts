import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { ROOT } from '../paths.js';

const USWDS_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.resolve('@uswds/uswds'))), '..');
const APP_ASSETS = path.join(ROOT, 'server/assets');

/** The U.S. Web Design System is served from its npm package, never from a CDN. */
export function setUpStaticResources(): Router {
  const router = Router();
  const options = { maxAge: '1d', index: false, redirect: false } as const;
  const cacheable = (_req: express.Request, res: express.Response, next: express.NextFunction) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    next();
  };
  for (const folder of ['css', 'js', 'img', 'fonts']) {
    router.use(`/assets/uswds/${folder}`, cacheable, express.static(path.join(USWDS_DIST, folder), options));
  }
  router.use('/assets/app.css', cacheable, express.static(path.join(APP_ASSETS, 'app.css'), options));
  router.use('/assets/print.js', cacheable, express.static(path.join(APP_ASSETS, 'print.js'), options));
  router.use('/assets/uswds-i18n.js', cacheable, express.static(path.join(APP_ASSETS, 'uswds-i18n.js'), options));
  // A missing or refused asset is a short, uncached 404: no page, no shared cache keeping it.
  router.use('/assets', (_req, res) => {
    res.status(404).setHeader('Cache-Control', 'no-store').type('text/plain').send('Not found');
  });
  return router;
}
