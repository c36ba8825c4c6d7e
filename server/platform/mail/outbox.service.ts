import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Executor, StatementGuard } from '../db/executor.js';
import {
  claimDueMessages,
  deadLetters,
  enqueueMessage,
  enqueueMessageIf,
  markDead,
  markRetry,
  markSent,
  insertSelectedMessages,
  retryDeadLetter,
  type MessagesQuery,
  type OutboxRow,
  type QueueingPart,
} from './outbox.repository.js';
import type { Language, Translator } from '../i18n.js';
import type { Logger } from '../logger.js';
import { renderEmail, type EmailTemplates, type TemplateName } from './email.templates.js';
import type { MailService } from './mail.service.js';

const MAX_PER_RUN = 1_000;
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
  clock: Clock;
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

/** A message to queue: one recipient, a template and its data, in the recipient's language. */
type Message<T extends TemplateName> = { to: string; template: T; language: Language; data: EmailTemplates[T] };

const rowOf = <T extends TemplateName>(message: Message<T>) => ({
  recipient: message.to,
  template: message.template,
  language: message.language,
  data: message.data as unknown as Record<string, unknown>,
});

/**
 * The transactional outbox (R24): messages are queued in the same transaction as the change, one
 * recipient each; a worker in every instance sends them, retries while SMTP is down or answers
 * 4xx, and dead-letters on 5xx for an admin to see and retry.
 */
export function outboxService(options: OutboxOptions) {
  const { db, mail, translator, logger } = options;
  const now = options.clock;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<OutboxRun> | undefined;
  const deadListeners: Array<(reason: string) => void> = [];

  async function deliver(row: OutboxRow): Promise<'sent' | 'retried' | 'dead'> {
    const rendered = renderEmail(
      translator,
      row.template as TemplateName,
      row.language,
      row.data as unknown as EmailTemplates[TemplateName],
      options.agencyName,
    );
    let failure: unknown;
    try {
      await mail.send({ to: row.recipient, ...rendered, messageId: `<${row.id}@${options.messageIdDomain}>` });
    } catch (error) {
      failure = error;
    }
    // Outside the try: a database hiccup after a successful send must not turn into a resend.
    if (failure === undefined) {
      await markSent(db, row, now());
      return 'sent';
    }
    const code = (failure as { responseCode?: unknown }).responseCode;
    const reason = typeof code === 'number' ? `SMTP ${code}` : ((failure as { code?: string }).code ?? 'send failed');
    if (typeof code === 'number' && code >= 500) {
      await markDead(db, row, reason);
      logger.warn({ outboxId: row.id, reason }, 'email dead-lettered');
      for (const listener of deadListeners) listener(reason);
      return 'dead';
    }
    await markRetry(db, row, new Date(now().getTime() + retryDelayMs(row.attempts)), reason);
    return 'retried';
  }

  /** Claims and sends until nothing is due (at most MAX_PER_RUN a run, so a run always ends). */
  async function runOnce(): Promise<OutboxRun> {
    const run: OutboxRun = { sent: 0, retried: 0, dead: 0 };
    for (let sent = 0; sent < MAX_PER_RUN; sent++) {
      const at = now();
      // One message per claim, so a lease covers one send (SMTP timeouts stay well inside it).
      const [row] = await db
        .transaction()
        .execute((trx) => claimDueMessages(trx, at, new Date(at.getTime() + LEASE_MS), 1));
      if (!row) break;
      run[await deliver(row)]++;
    }
    return run;
  }

  return {
    /** Queues one message inside the caller's transaction. */
    enqueue<T extends TemplateName>(trx: Executor, message: Message<T>): Promise<string> {
      // Due now by the same clock the sender reads (a test's clock too), not the database's.
      return enqueueMessage(trx, rowOf(message), now());
    },

    /** Queues one message inside the caller's transaction if the guard allows it (a quota taken in the same statement). */
    enqueueIf<T extends TemplateName>(trx: Executor, message: Message<T>, guard: StatementGuard): Promise<boolean> {
      return enqueueMessageIf(trx, rowOf(message), now(), guard);
    },

    /**
     * The part of a caller's statement that queues the messages its query selects, due now by the
     * sender's clock: for mail decided in SQL, set-based (the deadline sweep's warnings and breaches).
     */
    queueSelected(messages: MessagesQuery): QueueingPart {
      return insertSelectedMessages(messages, now());
    },

    /** Told of each message dead-lettered (the admins' alert), with the server's reason. */
    onDeadLetter(listener: (reason: string) => void): void {
      deadListeners.push(listener);
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
