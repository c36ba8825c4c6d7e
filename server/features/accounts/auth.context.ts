/** What the parts of the auth service share: its dependencies, its clock and how it audits. */

import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { Executor } from '../../platform/db/executor.js';
import type { AuditActor, AuditService } from '../../platform/audit/audit.service.js';
import type { Keys } from '../../platform/security/keys.js';
import type { OutboxService } from '../../platform/mail/outbox.service.js';

export interface AuthDeps {
  db: Db;
  audit: AuditService;
  outbox: OutboxService;
  keys: Keys;
  publicBaseUrl: string;
  agencyName: string;
  clock: Clock;
}

export interface AuthContext {
  deps: AuthDeps;
  now: () => Date;
  audit: (
    trx: Executor,
    type: string,
    actor: AuditActor,
    extra: Partial<Parameters<AuditService['record']>[1]>,
  ) => ReturnType<AuditService['record']>;
}

export function authContext(deps: AuthDeps): AuthContext {
  const now = deps.clock;
  const audit: AuthContext['audit'] = (trx, type, actor, extra) => deps.audit.record(trx, { type, actor, ...extra });
  return { deps, now, audit };
}
