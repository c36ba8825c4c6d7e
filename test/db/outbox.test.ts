import { expect } from 'chai';
import { createTranslator } from '../../server/platform/i18n.js';
import { mailService } from '../../server/platform/mail/mail.service.js';
import { outboxService, retryDelayMs, type OutboxService } from '../../server/platform/mail/outbox.service.js';
import { useDatabase } from '../support/database.js';
import { silentLogger } from '../support/logger.js';
import { SmtpPeer } from '../support/smtpPeer.js';

describe('email outbox against a real SMTP server (R24)', () => {
  const database = useDatabase();
  const peer = new SmtpPeer();
  let clock: number;
  let outbox: OutboxService;

  before(async () => {
    await peer.start();
  });
  after(async () => peer.stop());

  beforeEach(async () => {
    await peer.start();
    peer.received = [];
    peer.answer = 'accept';
    clock = Date.now() + 1_000; // after the rows' default next_attempt_at (the database's now())
    await database.db.deleteFrom('outbox').execute();
    outbox = worker();
  });

  const worker = () =>
    outboxService({
      db: database.db,
      mail: mailService({ smtpUrl: peer.url, from: 'Board <no-reply@example.org>', captureDir: '/nonexistent' }),
      translator: createTranslator(),
      logger: silentLogger,
      agencyName: 'Test Oversight Board',
      messageIdDomain: 'oversight.test',
      clock: () => new Date(clock),
    });

  const queueOne = (language: 'en' | 'es' = 'en') =>
    database.db.transaction().execute((trx) =>
      outbox.enqueue(trx, {
        to: 'resident@example.com',
        template: 'stageChanged',
        language,
        data: { trackingNumber: 'OC-7K4P-9Q2M', stage: 'underInvestigation', statusUrl: 'http://localhost/status' },
      }),
    );
  const statusOf = async (id: string) =>
    await database.db
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('delivers a queued message once, in the recipient’s language, to one recipient', async () => {
    const id = await queueOne('es');
    expect(await outbox.runOnce()).to.deep.equal({ sent: 1, retried: 0, dead: 0 });
    expect(await outbox.runOnce()).to.deep.equal({ sent: 0, retried: 0, dead: 0 });
    expect(peer.received).to.have.length(1);
    expect(peer.received[0]!.to).to.deep.equal(['resident@example.com']);
    expect(peer.received[0]!.raw).to.contain(`Message-ID: <${id}@oversight.test>`);
    expect(peer.received[0]!.raw).to.match(/Subject: .*OC-7K4P-9Q2M/);
    expect(peer.received[0]!.raw).to.contain('En investigaci');
    expect((await statusOf(id)).status).to.equal('sent');
  });

  it('is due by the clock it is sent by, even a clock behind the database’s (found in review of #16)', async () => {
    clock = Date.now() - 60 * 60_000;
    outbox = worker();
    await queueOne();
    expect(await outbox.runOnce()).to.deep.equal({ sent: 1, retried: 0, dead: 0 });
  });

  it('a message queued in a rolled-back transaction is never sent', async () => {
    await database.db
      .transaction()
      .execute(async (trx) => {
        await outbox.enqueue(trx, {
          to: 'x@example.com',
          template: 'complaintReceived',
          language: 'en',
          data: { trackingNumber: 'OC-AAAA-2222', statusUrl: 'http://localhost/status' },
        });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(await outbox.runOnce()).to.deep.equal({ sent: 0, retried: 0, dead: 0 });
  });

  it('while SMTP is down, retries with backoff, then delivers once when it is back', async () => {
    const id = await queueOne();
    await peer.stop();
    expect(await outbox.runOnce()).to.deep.equal({ sent: 0, retried: 1, dead: 0 });
    expect(await outbox.runOnce(), 'not due again before its backoff').to.deep.equal({ sent: 0, retried: 0, dead: 0 });
    clock += retryDelayMs(1);
    expect(await outbox.runOnce()).to.deep.equal({ sent: 0, retried: 1, dead: 0 });
    await peer.start();
    clock += retryDelayMs(2);
    expect(await outbox.runOnce()).to.deep.equal({ sent: 1, retried: 0, dead: 0 });
    expect(peer.received).to.have.length(1);
    expect(await statusOf(id)).to.deep.equal({ status: 'sent', attempts: 3 });
  });

  it('after a 4xx answer, retries and delivers once', async () => {
    await queueOne();
    peer.answer = 'temporary';
    expect(await outbox.runOnce()).to.deep.equal({ sent: 0, retried: 1, dead: 0 });
    peer.answer = 'accept';
    clock += retryDelayMs(1);
    expect(await outbox.runOnce()).to.deep.equal({ sent: 1, retried: 0, dead: 0 });
    expect(peer.received).to.have.length(1);
  });

  it('after a 550 answer, dead-letters the message for an admin, who can retry it', async () => {
    const id = await queueOne();
    peer.answer = 'permanent';
    expect(await outbox.runOnce()).to.deep.equal({ sent: 0, retried: 0, dead: 1 });
    clock += retryDelayMs(10);
    expect(await outbox.runOnce()).to.deep.equal({ sent: 0, retried: 0, dead: 0 });
    expect((await outbox.deadLetters()).map((m) => m.id)).to.deep.equal([id]);
    peer.answer = 'accept';
    expect(await outbox.retry(id)).to.equal(true);
    expect(await outbox.runOnce()).to.deep.equal({ sent: 1, retried: 0, dead: 0 });
    expect(await outbox.retry(id)).to.equal(false);
  });

  it('a worker that dies after the server accepted, before marking it sent: resent once its lease ends, with the same Message-ID (R24)', async () => {
    const id = await queueOne();
    const real = mailService({ smtpUrl: peer.url, from: 'Board <no-reply@example.org>', captureDir: '/nonexistent' });
    // The first worker hands the message to SMTP, then never comes back (the process died).
    const dying = outboxService({
      db: database.db,
      mail: {
        ...real,
        send: async (message) => {
          await real.send(message);
          return new Promise<never>(() => undefined);
        },
      },
      translator: createTranslator(),
      logger: silentLogger,
      agencyName: 'Test Oversight Board',
      messageIdDomain: 'oversight.test',
      clock: () => new Date(clock),
    });
    void dying.runOnce();
    for (let i = 0; i < 50 && peer.received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(peer.received).to.have.length(1);
    expect((await statusOf(id)).status).to.equal('sending');
    // Another worker leaves it alone while the lease holds, and resends it once the lease is over.
    expect(await outbox.runOnce()).to.deep.equal({ sent: 0, retried: 0, dead: 0 });
    clock += 5 * 60_000 + 1_000;
    expect(await outbox.runOnce()).to.deep.equal({ sent: 1, retried: 0, dead: 0 });
    expect(peer.received).to.have.length(2);
    const messageId = (raw: string) => /^Message-ID: *(.+)$/im.exec(raw)?.[1]?.trim();
    expect(messageId(peer.received[0]!.raw)).to.be.a('string');
    expect(messageId(peer.received[1]!.raw)).to.equal(messageId(peer.received[0]!.raw));
    expect((await statusOf(id)).status).to.equal('sent');
  });

  it('two workers never send the same message', async () => {
    for (let i = 0; i < 10; i++) await queueOne();
    const other = worker();
    const runs = await Promise.all([outbox.runOnce(), other.runOnce()]);
    expect(runs[0]!.sent + runs[1]!.sent).to.equal(10);
    const ids = peer.received.map((r) => /Message-ID: <([^@]+)@/.exec(r.raw)![1]);
    expect(new Set(ids).size).to.equal(10);
  });

  it('a run drains more than one batch', async () => {
    for (let i = 0; i < 45; i++) await queueOne();
    // Queueing can take more than the second of slack on a loaded machine: every row is due now.
    clock = Date.now() + 1_000;
    expect(await outbox.runOnce()).to.deep.equal({ sent: 45, retried: 0, dead: 0 });
    expect(peer.received).to.have.length(45);
  });

  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).to.deep.equal([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(30)).to.equal(3_600_000);
  });
});
