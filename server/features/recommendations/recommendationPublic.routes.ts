import { Router } from 'express';
import { notFound } from '../../domain/errors.js';
import type { Services } from '../../compose.js';
import { trackerQuery } from './recommendation.schemas.js';
import type { TrackerStatus } from './recommendation.view.js';

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'recommendationTracker'>;

/**
 * The public tracker of policy recommendations (#19 part 3): /recommendations lists every one the
 * board adopted with where it stands, filterable by status and year; /recommendations/:reference
 * shows one with its history. In the reader's language; nothing internal.
 */
export function recommendationPublicRoutes(services: Deps): Router {
  const router = Router();
  const { recommendationTracker: tracker } = services;

  router.get('/recommendations', async (req, res) => {
    const parsed = trackerQuery.safeParse(req.query);
    const status = parsed.success ? parsed.data.status : undefined;
    const known =
      status && (tracker.statuses as readonly string[]).includes(status) ? (status as TrackerStatus) : undefined;
    const year = parsed.success && parsed.data.year ? Number(parsed.data.year) : undefined;
    // A filter that is not one of ours is not an error page: it shows everything, and says so.
    const ignored = !parsed.success || (status !== undefined && status !== '' && !known);
    const list = await tracker.list({ ...(known ? { status: known } : {}), ...(year ? { year } : {}) }, req.language);
    res.render('pages/recommendations/list.njk', {
      ...list,
      statuses: tracker.statuses,
      values: { status: known ?? '', year: year ? String(year) : '' },
      ignored,
    });
  });

  router.get('/recommendations/:reference', async (req, res) => {
    const reference = String(req.params['reference']);
    if (!/^REC-\d{4}-\d{3,}$/.test(reference)) throw notFound();
    const entry = await tracker.detail(reference, req.language);
    if (!entry) throw notFound();
    res.render('pages/recommendations/show.njk', { entry });
  });

  return router;
}
