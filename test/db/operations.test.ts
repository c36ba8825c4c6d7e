import { expect } from 'chai';
import request from 'supertest';
import { createTranslator } from '../../server/platform/i18n.js';
import { createApp } from '../../server/app.js';
import { services as buildServices } from '../../server/compose.js';
import { SWEEPER_STALLED_MS } from '../../server/platform/operations/operations.service.js';
import { signInAdmin } from '../support/admin.js';
import { testConfig } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { silentLogger } from '../support/logger.js';
import { SmtpPeer } from '../support/smtpPeer.js';

const TOKEN = 'metrics-token-metrics-token-0123';

describe('alerts an operator can act on: the health page, /metrics, and emails to admins (#15 item 17)', () => {
  const database = useDatabase();
  const peer = new SmtpPeer();
  let offset = 0;
  let app: ReturnType<typeof createApp>;
  let svc: ReturnType<typeof buildServices>;
  let admin: Awaited<ReturnType<typeof signInAdmin>>;

  before(async () => {
    await peer.start();
    const config = testConfig({ SMTP_URL: peer.url, METRICS_TOKEN: TOKEN });
    const translator = createTranslator();
    svc = buildServices({
      config,
      database: database.handle,
      translator,
      logger: silentLogger,
      now: () => new Date(Date.now() + offset),
    });
    app = createApp({ config, logger: silentLogger, translator, services: svc });
    // Signed in before the clock moves: a TOTP code is made with the real time.
    admin = await signInAdmin(app, svc, database.db);
  });
  after(() => peer.stop());

  const alertsOf = async (alert: string) =>
    (
      await database.db
        .selectFrom('outbox')
        .select(['recipient', 'data'])
        .where('template', '=', 'adminAlert')
        .execute()
    ).filter((row) => (row.data as { alert: string }).alert === alert);

  it('emails the admins when no sweep has finished for ten minutes, once an hour', async () => {
    await svc.operations.sweeperRan();
    expect(await svc.operations.checkSweeper()).to.equal(true);
    offset += SWEEPER_STALLED_MS + 60_000;
    expect(await svc.operations.checkSweeper()).to.equal(false);
    expect(await svc.operations.checkSweeper()).to.equal(false);
    const sent = await alertsOf('sweeperStalled');
    expect(sent.map((row) => row.recipient)).to.include(admin.admin.email);
    expect(sent.filter((row) => row.recipient === admin.admin.email)).to.have.length(1);
    await svc.operations.sweeperRan();
    expect(await svc.operations.checkSweeper()).to.equal(true);
  });

  it('emails the admins when the mail server refuses a message for good', async () => {
    await svc.outbox.runOnce(); // what earlier tests queued
    await database.db.transaction().execute((trx) =>
      svc.outbox.enqueue(trx, {
        to: 'nobody@example.com',
        template: 'passwordLink',
        language: 'en',
        data: { link: 'https://example.gov/x' },
      }),
    );
    peer.answer = 'permanent';
    try {
      expect((await svc.outbox.runOnce()).dead).to.be.greaterThan(0);
    } finally {
      peer.answer = 'accept';
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await alertsOf('deadLetters')).to.have.length.greaterThan(0);
  });

  it('shows the same figures to admins on a page of their own', async () => {
    const { agent } = admin;
    offset += SWEEPER_STALLED_MS + 60_000;
    const page = await agent.get('/staff/admin/operations').set('Accept-Language', 'es').expect(200);
    expect(page.text).to.contain('Estado del sistema').and.to.contain('Barrido de plazos');
    expect(page.text).to.contain('no se están revisando los plazos');
    expect(page.text).to.match(/Correos rechazados para siempre[\s\S]*Requiere atención/);
    const home = await agent.get('/staff/admin').expect(200);
    expect(home.text).to.contain('href="/staff/admin/operations"');
  });

  it('serves /metrics only to the scraper with the token, in Prometheus’s format', async () => {
    await request(app).get('/metrics').expect(404);
    await request(app).get('/metrics').set('Authorization', 'Bearer wrong-token-wrong-token-0000').expect(404);
    const metrics = await request(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(metrics.headers['content-type']).to.match(/^text\/plain/);
    for (const name of [
      'oversight_database_up 1',
      'oversight_sweeper_lag_seconds',
      'oversight_outbox_waiting',
      'oversight_outbox_dead_letters',
      'oversight_uploads_free_bytes',
      'oversight_uploads_min_free_bytes',
      'process_resident_memory_bytes',
    ]) {
      expect(metrics.text).to.contain(name);
    }
    expect(metrics.text).to.match(/oversight_outbox_dead_letters [1-9]/);
    // Without a token configured, there is no /metrics at all.
    const plain = createApp({
      config: testConfig(),
      logger: silentLogger,
      translator: createTranslator(),
      services: svc,
    });
    await request(plain).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(404);
  });
});
