import type { RequestHandler } from 'express';
import { databaseUnavailable } from '../../domain/errors.js';
import type { HealthService } from '../operations/health.service.js';

/**
 * While the database cannot be reached, every page answers 503 with a calm message instead of
 * half-working (a form that cannot be saved is worse than none). Costs at most one ping a second.
 */
export function setUpDatabaseGate(health: HealthService): RequestHandler {
  return async (_req, _res, next) => {
    next((await health.available()) ? undefined : databaseUnavailable());
  };
}
