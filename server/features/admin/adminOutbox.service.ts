import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { deadLetterPage, requeueDeadLetter } from '../../platform/mail/outbox.repository.js';
import type { AuditService } from '../../platform/audit/audit.service.js';

/** At most this many dead letters are listed; the page says how many there are in all. */
export const DEAD_LETTERS_SHOWN = 200;

export interface DeadLetter {
  id: string;
  template: string;
  /** 'j•••@example.org': enough to recognise, not a full address on an admin's screen. */
  recipient: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

export type AdminOutboxService = ReturnType<typeof adminOutboxService>;

export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${Array.from(address)[0]}•••${address.slice(at)}`;
}

/** Emails the mail server refused for good (R24): shown to admins, who can send them again. */
export function adminOutboxService(deps: { db: Db; audit: AuditService; clock: Clock }) {
  const now = deps.clock;
  return {
    async deadLetters(): Promise<{ messages: DeadLetter[]; total: number }> {
      const { rows, total } = await deadLetterPage(deps.db, DEAD_LETTERS_SHOWN);
      const messages = rows.map((row) => ({
        id: row.id,
        template: row.template,
        recipient: maskAddress(row.recipient),
        attempts: row.attempts,
        lastError: row.last_error,
        createdAt: row.created_at,
      }));
      return { messages, total };
    },

    async deadLetterCount(): Promise<number> {
      return (await deadLetterPage(deps.db, 0)).total;
    },

    /** Back in the queue with a fresh count of attempts; false when it is not a dead letter (any more). */
    async retry(by: string, id: string, requestId?: string): Promise<boolean> {
      return deps.db.transaction().execute(async (trx) => {
        const template = await requeueDeadLetter(trx, id, now());
        if (template === undefined) return false;
        await deps.audit.record(trx, {
          type: 'outbox.retry',
          actor: { type: 'user', id: by },
          object: { type: 'outbox', id },
          requestId,
          details: { template },
        });
        return true;
      });
    },
  };
}
