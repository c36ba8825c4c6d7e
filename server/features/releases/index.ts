import type { Platform } from '../../platform/index.js';
import { releaseService } from './release.service.js';

/** Public-records releases: redacted, printable case records for disclosure requests, audited. */
export function releasesFeature(p: Platform) {
  return { releases: releaseService({ db: p.db, audit: p.audit }) };
}
