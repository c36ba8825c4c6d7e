import type { Db } from '../db/database.js';
import type { Executor } from '../db/executor.js';
import {
  claimDueMessages,
  deadLetters,
  enqueueMessage,
  markDead,
  markRetry,
  markSent,
  retryDeadLetter,
  type OutboxRow,
} from '../db/outbox.repository.js';
import type { Language, Translator } from '../i18n.js';
import type { Logger } from '../logger.js';
import { renderEmail, type EmailTemplates, type TemplateName } from './email.templates.js';
import type { MailService } from './mail.service.js';

const BATCH = 20;
const MAX_BATCHES = 50;
const LEASE_MS = 5 * 60_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60_000;

export interface OutboxOptions {
  db: Db;
  mail: MailService;
  translator: Translator;
  logger: Logger;
  agencyName: string;
  /** Host part of Message-ID headers, so a resent message keeps its id downstream. */
  messageIdDomain: string;
  now?: () => Date;
}

export interface OutboxRun {
  sent: number;
  retried: number;
  dead: number;
}

export type OutboxService = ReturnType<typeof outboxService>;

/** Delay before attempt n+1: 30 s, 1 min, 2 min, ... capped at an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

/**
 * The transactional outbox (R24): messages are queued in the same transaction as the change, one
 * recipient each; a worker in every instance sends them, retries while SMTP is down or answers
 * 4xx, and dead-letters on 5xx for an admin to see and retry.
 */
export function outboxService(options: OutboxOptions) {
  const { db, mail, translator, logger } = options;
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<OutboxRun> | undefined;

  async function deliver(row: OutboxRow): Promise<'sent' | 'retried' | 'dead'> {
    const rendered = renderEmail(
      translator,
      row.template as TemplateName,
      row.language,
      row.data as unknown as EmailTemplates[TemplateName],
      options.agencyName,
    );
    try {
      await mail.send({ to: row.recipient, ...rendered, messageId: `<${row.id}@${options.messageIdDomain}>` });
      await markSent(db, row.id, now());
      return 'sent';
    } catch (error) {
      const code = (error as { responseCode?: unknown }).responseCode;
      const reason = typeof code === 'number' ? `SMTP ${code}` : ((error as { code?: string }).code ?? 'send failed');
      if (typeof code === 'number' && code >= 500) {
        await markDead(db, row.id, reason);
        logger.warn({ outboxId: row.id, reason }, 'email dead-lettered');
        return 'dead';
      }
      await markRetry(db, row.id, new Date(now().getTime() + retryDelayMs(row.attempts)), reason);
      return 'retried';
    }
  }

  /** Claims and sends batches until nothing is due (at most MAX_BATCHES a run, so a run always ends). */
  async function runOnce(): Promise<OutboxRun> {
    const run: OutboxRun = { sent: 0, retried: 0, dead: 0 };
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const at = now();
      const claimed = await db
        .transaction()
        .execute((trx) => claimDueMessages(trx, at, new Date(at.getTime() + LEASE_MS), BATCH));
      for (const row of claimed) run[await deliver(row)]++;
      if (claimed.length < BATCH) break;
    }
    return run;
  }

  return {
    /** Queues one message inside the caller's transaction. */
    enqueue<T extends TemplateName>(
      trx: Executor,
      message: { to: string; template: T; language: Language; data: EmailTemplates[T] },
    ): Promise<string> {
      return enqueueMessage(trx, {
        recipient: message.to,
        template: message.template,
        language: message.language,
        data: message.data as unknown as Record<string, unknown>,
      });
    },

    /** Sends what is due now; concurrent calls in one process share a run. */
    runOnce(): Promise<OutboxRun> {
      running ??= runOnce().finally(() => (running = undefined));
      return running;
    },

    start(intervalMs = 5_000): void {
      timer ??= setInterval(() => {
        this.runOnce().catch((error: Error) => logger.warn({ err: { message: error.message } }, 'outbox run failed'));
      }, intervalMs);
      timer.unref();
    },

    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },

    deadLetters: () => deadLetters(db),
    retry: (id: string) => retryDeadLetter(db, id, now()),
  };
}
