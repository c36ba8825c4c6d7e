import type { Platform } from '../../platform/index.js';
import { apiTokenService } from './apiToken.service.js';
import { authService } from './auth.service.js';
import { sessionService } from './session.service.js';

/** Staff accounts: signing in (password, second factor), sessions, password links, API tokens. */
export function accountsFeature(p: Platform) {
  const auth = authService({
    db: p.db,
    audit: p.audit,
    outbox: p.outbox,
    keys: p.keys,
    publicBaseUrl: p.config.publicBaseUrl,
    agencyName: p.config.agencyName,
    clock: p.clock,
  });
  return {
    auth,
    sessions: sessionService({ db: p.db, keys: p.keys, clock: p.clock }),
    apiTokens: apiTokenService({ db: p.db, audit: p.audit, auth, keys: p.keys, clock: p.clock }),
  };
}
