import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { LAST_VERIFICATION, type LastVerification } from '../../server/platform/audit/audit.anchor.js';
import { getSetting } from '../../server/platform/db/settings.repository.js';
import { testApp, testConfig } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { createStaff } from '../support/staff.js';

describe('the audit chain anchored outside the database (#15 item 11)', () => {
  const database = useDatabase();
  const app = (env: Record<string, string> = {}) => {
    const config = testConfig({ AUDIT_CHECKPOINT_EMAIL: 'records.officer@example.gov', ...env });
    const built = testApp(database.handle, { config });
    return { ...built, config };
  };
  const record = async (services: ReturnType<typeof app>['services'], n: number) => {
    for (let i = 0; i < n; i++) {
      await database.db
        .transaction()
        .execute((trx) => services.audit.record(trx, { type: 'complaint.read', actor: { type: 'system' } }));
    }
  };

  it('writes a checkpoint file and mails it once a day, after verifying the chain', async () => {
    const { services, config } = app();
    await record(services, 3);
    const first = await services.auditAnchor.ifDue();
    expect(first).to.include({ ok: true, count: 3 });
    expect(readdirSync(config.auditCheckpoints.dir)).to.have.length(1);
    // Not again the same day.
    expect(await services.auditAnchor.ifDue()).to.equal(undefined);
    const mailed = await database.db
      .selectFrom('outbox')
      .select(['recipient', 'data'])
      .where('template', '=', 'auditCheckpoint')
      .execute();
    expect(mailed.map((m) => m.recipient)).to.deep.equal(['records.officer@example.gov']);
    expect(JSON.stringify(mailed[0]!.data)).to.match(/\\"count\\":3/);
    const last = await getSetting<LastVerification>(database.db, LAST_VERIFICATION);
    expect(last).to.include({ ok: true, count: 3 });
  });

  it('catches a cut tail against the newest checkpoint, records it and alerts the admins', async () => {
    const { services } = app();
    await createStaff(database.db, ['admin'], { email: 'audit.admin@example.org' });
    await record(services, 2);
    await services.auditAnchor.anchor();
    // A superuser cuts the last event, as an attacker covering their tracks would.
    await sql`alter table audit_events disable trigger user`.execute(database.db);
    try {
      await sql`delete from audit_events where id = (select max(id) from audit_events)`.execute(database.db);
    } finally {
      await sql`alter table audit_events enable trigger user`.execute(database.db);
    }
    const outcome = await services.auditAnchor.verify();
    expect(outcome.ok).to.equal(false);
    expect(outcome.reason).to.match(/no longer reaches the checkpoint/);
    expect(outcome.against).to.match(/audit-checkpoint-.*\.json$/);
    const alerts = await database.db
      .selectFrom('outbox')
      .select(['recipient', 'data'])
      .where('template', '=', 'adminAlert')
      .where('recipient', '=', 'audit.admin@example.org')
      .execute();
    expect(alerts).to.have.length(1);
    expect(JSON.stringify(alerts[0]!.data)).to.contain('auditFailed');
  });
});
