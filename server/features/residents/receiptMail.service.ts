import { lastDayOf } from '../../../workflows/deadline.policy.js';
import type { Clock } from '../../platform/clock.js';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { NotFound } from '../../domain/errors.js';
import type { Language } from '../../domain/vocabulary.js';
import type { OutboxService } from '../../platform/mail/outbox.service.js';
import type { Quotas } from '../../platform/security/quotas.js';
import { hmacHexAll, type Keys } from '../../platform/security/keys.js';
import { acknowledgeDue, complaintBySubmission } from './intake.repository.js';
import { RECEIPT_LIFETIME_MS } from './intake.service.js';
import { filingContacts } from './receiptMail.repository.js';

/** What the receipt page's "Email me this receipt" form offers. */
export interface ReceiptMailOffer {
  /** False for an anonymous filing: no address is ever tied to it (R17), so it is not offered. */
  allowed: boolean;
  /** The address given when filing, to start the form from. */
  email: string | undefined;
}

export type ReceiptMailService = ReturnType<typeof receiptMailService>;

/**
 * Emailing a copy of the receipt to the complainant (#17 item 4), while the browser that filed may
 * still show its receipt: the tracking number, the day received, the day to acknowledge by and how
 * to follow the complaint. Never the access code, which no email carries. Held to the receipt
 * quota of #15 item 6: so many a day to one address, and so many a day for one filing.
 */
export function receiptMailService(deps: {
  db: Db;
  outbox: OutboxService;
  quotas: Quotas;
  keys: Keys;
  limits: Pick<Config['limits'], 'receiptsPerDay'>;
  publicBaseUrl: string;
  timeZone: string;
  clock: Clock;
}) {
  /** The complaint this browser filed, while its receipt page is available (the hour after filing). */
  async function filing(secret: string) {
    const row = await complaintBySubmission(deps.db, hmacHexAll(deps.keys.rings.submission, secret));
    if (!row || deps.clock().getTime() - row.received_at.getTime() > RECEIPT_LIFETIME_MS) return undefined;
    return row;
  }

  /** The address to start from and the language to write in: the complainant's, else the filer's. */
  async function contactOf(
    complaintId: string,
  ): Promise<{ email: string | undefined; language: Language } | undefined> {
    const filed = await filingContacts(deps.db, complaintId);
    if (!filed || filed.anonymous) return undefined;
    const person = filed.people.find((p) => p.email) ?? filed.people[0];
    return { email: person?.email ?? undefined, language: person?.preferred_language ?? filed.language };
  }

  /** 'YYYY-MM-DD' of an instant in the agency's time zone. */
  const localDay = (at: Date) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: deps.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(at);

  return {
    /** The offer on the receipt page of a complaint just filed. */
    async offer(complaintId: string): Promise<ReceiptMailOffer> {
      const contact = await contactOf(complaintId);
      return { allowed: Boolean(contact), email: contact?.email };
    },

    /** The offer again, for the form shown with its errors; undefined once the receipt is gone. */
    async offerFor(secret: string) {
      const row = await filing(secret);
      if (!row) return undefined;
      const contact = await contactOf(row.id);
      return { trackingNumber: row.tracking_number, allowed: Boolean(contact), email: contact?.email };
    },

    /**
     * Queues the receipt's copy to `to` in the complainant's language: 'limited' (nothing queued)
     * when the address or the filing had its receipts for the day. NotFound when this browser has
     * no receipt to send any more, or the filing is anonymous.
     */
    async send(secret: string, to: string): Promise<'sent' | 'limited'> {
      const row = await filing(secret);
      const contact = row && (await contactOf(row.id));
      if (!row || !contact) throw new NotFound('no receipt to email');
      const limit = deps.limits.receiptsPerDay;
      if (
        !(await deps.quotas.take('receipt', to.trim().toLowerCase(), 1, limit)) ||
        !(await deps.quotas.take('receipt', `filing:${row.id}`, 1, limit))
      ) {
        return 'limited';
      }
      const acknowledgeBy = await acknowledgeDue(deps.db, row.id);
      await deps.outbox.enqueue(deps.db, {
        to,
        template: 'receiptCopy',
        language: contact.language,
        data: {
          trackingNumber: row.tracking_number,
          receivedOn: localDay(row.received_at),
          acknowledgeBy: acknowledgeBy ? lastDayOf(acknowledgeBy, deps.timeZone) : '',
          statusUrl: `${deps.publicBaseUrl}/status`,
        },
      });
      return 'sent';
    },
  };
}
