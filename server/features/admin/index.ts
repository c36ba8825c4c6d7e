import type { Platform } from '../../platform/index.js';
import type { AuthService } from '../accounts/auth.service.js';
import { adminDeadlineService } from './adminDeadline.service.js';
import { adminOutboxService } from './adminOutbox.service.js';
import { auditLogService } from './auditLog.service.js';
import { holidayService } from './holiday.service.js';
import { retentionService } from './retention.service.js';
import { userAdminService } from './userAdmin.service.js';

/** Administration: users and roles, deadlines and holidays, the mail outbox, the audit log, retention. */
export function adminFeature(p: Platform, accounts: { auth: AuthService }) {
  const { db, audit, clock } = p;
  const timeZone = p.config.agencyTimeZone;
  return {
    userAdmin: userAdminService({ db, audit, auth: accounts.auth, clock }),
    adminDeadlines: adminDeadlineService({ db, audit, clock }),
    holidays: holidayService({ db, audit, timeZone, region: p.config.agencyHolidayRegion, clock }),
    adminOutbox: adminOutboxService({ db, audit, clock }),
    auditLog: auditLogService({ db, audit, timeZone }),
    retention: retentionService({ db, audit, evidence: p.evidence, timeZone, clock }),
  };
}
