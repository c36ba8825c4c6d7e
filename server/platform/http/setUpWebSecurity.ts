import { Router } from 'express';
import helmet from 'helmet';

/** Security headers of SECURITY.md R26. No inline script or style is allowed anywhere. */
export function setUpWebSecurity(production: boolean): Router {
  const router = Router();
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          frameAncestors: ["'none'"],
          ...(production ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: production,
      crossOriginEmbedderPolicy: false,
    }),
  );
  router.use((_req, res, next) => {
    // Pages here are personal or about a case; nothing dynamic may sit in a shared cache.
    // Static assets override this with their own caching.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  return router;
}
