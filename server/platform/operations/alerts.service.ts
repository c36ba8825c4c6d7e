import type { Db } from '../db/database.js';
import { contactsWithPermission } from '../workflow/complaint.repository.js';
import type { Logger } from '../logger.js';
import type { AlertKind } from '../mail/email.templates.js';
import type { OutboxService } from '../mail/outbox.service.js';
import type { Quotas } from '../security/quotas.js';

export type AlertsService = ReturnType<typeof alertsService>;

/**
 * Tells every admin, by email through the outbox, about something an operator must act on, at
 * most once an hour per kind across all instances (the first to raise it in the hour sends), and
 * logs it each time. Never throws: an alert that cannot be sent is logged.
 */
export function alertsService(deps: {
  db: Db;
  outbox: OutboxService;
  quotas: Quotas;
  logger: Logger;
  publicBaseUrl: string;
}) {
  return {
    async raise(alert: AlertKind, detail: string): Promise<void> {
      deps.logger.warn({ alert }, detail);
      try {
        if (!(await deps.quotas.take('alert', alert, 1, 1))) return;
        await deps.db.transaction().execute(async (trx) => {
          for (const admin of await contactsWithPermission(trx, 'alerts.receive')) {
            await deps.outbox.enqueue(trx, {
              to: admin.email,
              template: 'adminAlert',
              language: admin.language,
              data: { alert, detail, adminUrl: `${deps.publicBaseUrl}/staff/admin` },
            });
          }
        });
      } catch (error) {
        deps.logger.error({ alert, err: { message: (error as Error).message } }, 'alert not sent');
      }
    },
  };
}
