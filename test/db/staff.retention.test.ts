import { sql } from 'kysely';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Express } from 'express';
import type { Db } from '../../server/platform/db/database.js';
import { localEvidenceStorage } from '../../server/platform/evidence/evidence.storage.js';
import type { Services } from '../../server/compose.js';
import { testApp } from '../support/app.js';
import { signInAdmin } from '../support/admin.js';
import { useDatabase } from '../support/database.js';
import { csrfOf, errorsOf, type Agent } from '../support/resident.js';
import { createStaff, signIn, tokenFrom, type TestStaff } from '../support/staff.js';

/** An admin who has passed the TOTP second factor in this agent's session (R9). */
async function signInAdminHere(app: Express, services: Services, db: Db): Promise<{ staff: TestStaff; agent: Agent }> {
  const { admin, agent } = await signInAdmin(app, services, db);
  return { staff: admin, agent };
}

const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;
const yearsAgo = (years: number) => new Date(Date.now() - years * YEAR_MS);
const DEPENDANTS = [
  'complainants',
  'allegations',
  'notes',
  'attachments',
  'deadlines',
  'assignments',
  'reported_officers',
  'witnesses',
  'agenda_items',
  'recusals',
  'surveys',
] as const;

interface ClosedCase {
  id: string;
  tracking_number: string;
  outcome: string | null;
  sustained: boolean;
}

describe('records retention (R5)', () => {
  const database = useDatabase({ demo: true });
  let app: Express;
  let services: Services;
  let admin: { staff: TestStaff; agent: Agent };
  let closed: ClosedCase[];
  let filesDir: string;

  before(async () => {
    const built = testApp(database.handle);
    ({ app, services } = built);
    filesDir = path.join(built.config.uploadDir, 'files');
    await services.demo.ensureDemoData('demo-password-for-tests');
    admin = await signInAdminHere(app, services, database.db);
    closed = (
      await database.db
        .selectFrom('complaints as c')
        .select(['c.id', 'c.tracking_number', 'c.outcome'])
        .select((eb) =>
          eb
            .exists(
              eb
                .selectFrom('allegations as a')
                .select('a.id')
                .whereRef('a.complaint_id', '=', 'c.id')
                .where('a.finding', '=', 'sustained'),
            )
            .as('sustained'),
        )
        .where('c.closed_at', 'is not', null)
        .orderBy('c.tracking_number')
        .execute()
    ).map((c) => ({ ...c, sustained: Boolean(c.sustained) }));
    expect(closed.filter((c) => c.sustained).length, 'a sustained closed case in the demo').to.be.greaterThan(0);
    expect(closed.filter((c) => !c.sustained).length).to.be.greaterThan(3);
    // Every closed case six years ago: past the five-year default, not past the fifteen for sustained findings.
    await database.db
      .updateTable('complaints')
      .set({ closed_at: yearsAgo(6) })
      .where('closed_at', 'is not', null)
      .execute();
  });

  const events = (type: string) =>
    database.db.selectFrom('audit_events').selectAll().where('event_type', '=', type).orderBy('id').execute();
  const post = async (agent: Agent, url: string, body: Record<string, string>, from = '/staff/admin/retention') =>
    agent
      .post(url)
      .type('form')
      .send({ _csrf: await tokenFrom(agent, from), ...body });

  it('is not there for other roles (404)', async () => {
    for (const roles of [['intake'], ['investigator'], ['supervisor'], ['board']] as const) {
      const agent = await signIn(app, await createStaff(database.db, [...roles]));
      for (const url of [
        '/staff/admin/retention',
        '/staff/admin/retention/due',
        '/staff/admin/retention/purge',
        '/staff/admin/retention/hold?trackingNumber=' + closed[0]!.tracking_number,
      ]) {
        await agent.get(url).expect(404);
      }
      const token = await tokenFrom(agent);
      for (const url of [
        '/staff/admin/retention/policy',
        '/staff/admin/retention/hold',
        '/staff/admin/retention/purge',
      ]) {
        await agent.post(url).type('form').send({ _csrf: token }).expect(404);
      }
    }
    expect((await database.db.selectFrom('complaints').select('id').execute()).length).to.be.greaterThan(50);
  });

  it('shows the Penal Code 832.5 defaults, refuses bad years with 400, and audits a change', async () => {
    const page = await admin.agent.get('/staff/admin/retention').expect(200);
    expect(page.text).to.match(/id="field-referred" name="referred" type="text" value="5"/);
    expect(page.text).to.match(/id="field-sustained" name="sustained" type="text" value="15"/);
    const good = { referred: '5', dismissed: '5', mediated: '5', withdrawn: '5', decided: '5', sustained: '15' };
    for (const bad of [{ referred: '0' }, { sustained: '101' }, { mediated: 'ten' }, { decided: '' }, { extra: '1' }]) {
      const res = await post(admin.agent, '/staff/admin/retention/policy', { ...good, ...bad });
      expect(res.status, JSON.stringify(bad)).to.equal(400);
      expect(res.text).to.contain('id="error-summary"');
      expect(res.text).to.contain(`href="#field-${Object.keys(bad)[0]}"`);
    }
    const { referred: _omitted, ...missing } = good;
    expect((await post(admin.agent, '/staff/admin/retention/policy', missing)).status).to.equal(400);
    expect(
      await database.db.selectFrom('settings').select('key').where('key', '=', 'retention.policy').execute(),
    ).to.deep.equal([]);

    const res = await post(admin.agent, '/staff/admin/retention/policy', { ...good, withdrawn: '7' });
    expect(res.status).to.equal(303);
    const saved = { referred: 5, dismissed: 5, mediated: 5, withdrawn: 7, decided: 5, sustained: 15 };
    expect(await services.retention.policy()).to.deep.equal(saved);
    const change = (await events('retention.policy.change')).at(-1)!;
    expect(change.actor_id).to.equal(admin.staff.id);
    expect(change.details).to.deep.equal(saved);
    const after = await admin.agent.get('/staff/admin/retention').expect(200);
    expect(after.text).to.contain('The retention policy was saved.');
    expect((await post(admin.agent, '/staff/admin/retention/policy', good)).status).to.equal(303);
  });

  it('finds a case by tracking number and sets or clears its legal hold; the reason is a note, not in the chain', async () => {
    const target = closed.find((c) => !c.sustained)!;
    const typed = target.tracking_number.toLowerCase().replaceAll('-', ' ');
    const found = await admin.agent
      .get(`/staff/admin/retention/hold?trackingNumber=${encodeURIComponent(typed)}`)
      .expect(200);
    expect(found.text).to.contain(`Case ${target.tracking_number}`);
    expect(found.text).to.contain('Not held');
    const read = (await events('case.read')).at(-1)!;
    expect(read).to.include({ object_id: target.id, actor_id: admin.staff.id });

    const unknown = await admin.agent.get('/staff/admin/retention/hold?trackingNumber=OC-ZZZZ-ZZZZ').expect(400);
    expect(errorsOf(unknown.text)).to.deep.equal(['No case has this tracking number']);
    await admin.agent.get('/staff/admin/retention/hold?trackingNumber=').expect(400);
    await admin.agent.get('/staff/admin/retention/hold?trackingNumber=a&trackingNumber=b').expect(400);

    const from = `/staff/admin/retention/hold?trackingNumber=${target.tracking_number}`;
    const noReason = await post(
      admin.agent,
      '/staff/admin/retention/hold',
      { complaintId: target.id, hold: 'set', reason: ' ' },
      from,
    );
    expect(noReason.status).to.equal(400);
    expect(errorsOf(noReason.text)).to.deep.equal(['Enter the reason for this change']);
    expect(
      (await post(admin.agent, '/staff/admin/retention/hold', { complaintId: 'nope', hold: 'set', reason: 'x' }, from))
        .status,
    ).to.equal(404);
    expect(
      (
        await post(
          admin.agent,
          '/staff/admin/retention/hold',
          { complaintId: '00000000-0000-4000-8000-000000000000', hold: 'set', reason: 'x' },
          from,
        )
      ).status,
    ).to.equal(404);
    expect(await services.retention.legalHold(target.id)).to.equal(false);

    const reason = 'Smith v. City, case 24-CV-1234';
    const set = await post(
      admin.agent,
      '/staff/admin/retention/hold',
      { complaintId: target.id, hold: 'set', reason },
      from,
    );
    expect(set.status).to.equal(303);
    expect(await services.retention.legalHold(target.id)).to.equal(true);
    const held = await admin.agent.get(set.headers['location']!).expect(200);
    expect(held.text).to.contain('The case is now under legal hold.');
    const record = (await events('complaint.legal_hold')).at(-1)!;
    expect(record).to.include({ object_type: 'complaint', object_id: target.id, actor_id: admin.staff.id });
    const note = await database.db
      .selectFrom('notes')
      .select(['id', 'body', 'author_id'])
      .where('complaint_id', '=', target.id)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(note).to.include({ body: reason, author_id: admin.staff.id });
    expect(record.details).to.deep.equal({ hold: true, noteId: note.id });
    const everything = JSON.stringify(await database.db.selectFrom('audit_events').selectAll().execute());
    expect(everything).not.to.contain('Smith v. City');

    expect(
      (await post(admin.agent, '/staff/admin/retention/hold', { complaintId: target.id, hold: 'clear', reason }, from))
        .status,
    ).to.equal(303);
    expect(await services.retention.legalHold(target.id)).to.equal(false);
    expect((await events('complaint.legal_hold')).at(-1)!.details).to.include({ hold: false });
    expect(await services.retention.legalHold('not-a-uuid')).to.equal(undefined);
    expect(
      await services.retention.setLegalHold({
        actorId: admin.staff.id,
        complaintId: '00000000-0000-4000-8000-000000000000',
        hold: true,
        reason: 'Litigation pending',
      }),
    ).to.equal(false);
  });

  it('lists the cases past retention by their outcome’s years, held ones apart, and audits the review', async () => {
    const sustained = closed.find((c) => c.sustained)!;
    const heldCase = closed.filter((c) => !c.sustained)[1]!;
    await services.retention.setLegalHold({
      actorId: admin.staff.id,
      complaintId: heldCase.id,
      hold: true,
      reason: 'Litigation pending',
    });
    const page = await admin.agent.get('/staff/admin/retention/due').expect(200);
    const [purgeablePart, heldPart] = page.text.split('Held, not purgeable');
    for (const c of closed) {
      const expected = !c.sustained && c.outcome !== null && c.id !== heldCase.id;
      expect(purgeablePart!.includes(c.tracking_number), c.tracking_number).to.equal(expected);
    }
    expect(heldPart).to.contain(heldCase.tracking_number);
    expect(page.text).not.to.contain(sustained.tracking_number);
    // Fifteen years for a sustained finding: sixteen years ago it is due.
    await database.db
      .updateTable('complaints')
      .set({ closed_at: yearsAgo(16) })
      .where('id', '=', sustained.id)
      .execute();
    const later = await admin.agent.get('/staff/admin/retention/due').expect(200);
    expect(later.text.split('Held, not purgeable')[0]).to.contain(sustained.tracking_number);
    expect((await events('retention.review')).at(-1)!).to.include({ actor_id: admin.staff.id });
    await admin.agent.get('/staff/admin/retention/due?page=abc').expect(404);
    await admin.agent.get('/staff/admin/retention/due?page=9').expect(200);
  });

  describe('purge', () => {
    const storage = () => localEvidenceStorage(filesDir);
    const attach = async (complaintId: string) => {
      const stored = await storage().putBuffer(Buffer.from(`evidence of ${complaintId}`));
      const viewing = await storage().putBuffer(Buffer.from(`viewing copy of ${complaintId}`));
      await database.db
        .insertInto('attachments')
        .values({
          complaint_id: complaintId,
          source: 'staff',
          stored_name: stored,
          viewing_name: viewing,
          original_name: 'photo.jpg',
          sniffed_type: 'image/jpeg',
          size_bytes: 20,
          sha256: '0'.repeat(64),
        })
        .execute();
      return [stored, viewing].map((name) => path.join(filesDir, name));
    };
    const confirmationOf = async () => {
      const page = await admin.agent.get('/staff/admin/retention/purge').expect(200);
      const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page.text)![1]!;
      return { page, body: { _csrf: csrfOf(page.text), asOf: field('asOf'), policy: field('policy') } };
    };
    const existing = async (ids: string[]) =>
      (await database.db.selectFrom('complaints').select('id').where('id', 'in', ids).execute()).map((r) => r.id);

    it('refuses a confirmation made under another policy or tampered with, and purges nothing', async () => {
      const before = (await database.db.selectFrom('complaints').select('id').execute()).length;
      const { body } = await confirmationOf();
      await admin.agent
        .post('/staff/admin/retention/purge')
        .type('form')
        .send({ ...body, asOf: 'yesterday' })
        .expect(400);
      await admin.agent
        .post('/staff/admin/retention/purge')
        .type('form')
        .send({ ...body, asOf: new Date(Date.now() + 3_600_000).toISOString() })
        .expect(409);
      await services.retention.setPolicy(
        admin.staff.id,
        { ...(await services.retention.policy()), dismissed: 50 },
        'test',
      );
      const stale = await admin.agent.post('/staff/admin/retention/purge').type('form').send(body).expect(409);
      expect(stale.text).to.contain('nothing was purged');
      expect((await database.db.selectFrom('complaints').select('id').execute()).length).to.equal(before);
      await services.retention.setPolicy(
        admin.staff.id,
        { ...(await services.retention.policy()), dismissed: 5 },
        'test',
      );
    });

    it('deletes the listed cases with their dependants and files, never a held one, one audit record each', async () => {
      const heldEarlier = closed.filter((c) => !c.sustained)[1]!;
      // The sustained case closed sixteen years ago (see above) is due; the others with sustained findings are not.
      const oldSustained = closed.find((c) => c.sustained)!;
      const purgeable = closed.filter(
        (c) => c.outcome !== null && c.id !== heldEarlier.id && (!c.sustained || c.id === oldSustained.id),
      );
      const heldLater = purgeable[0]!;
      const doomed = purgeable.slice(1);
      const doomedFiles = await attach(doomed[0]!.id);
      const keptFiles = [...(await attach(heldEarlier.id)), ...(await attach(heldLater.id))];
      // Messages about a case hold the complainant's address: they go with the case.
      const message = (trackingNumber: string) => ({
        recipient: 'resident@example.org',
        template: 'stageChanged',
        language: 'en' as const,
        data: JSON.stringify({ trackingNumber, stage: 'closed', statusUrl: 'http://localhost/status' }),
        status: 'sent' as const,
      });
      const trackingOf = async (id: string) =>
        (
          await database.db
            .selectFrom('complaints')
            .select('tracking_number')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).tracking_number;
      const doomedNumber = await trackingOf(doomed[0]!.id);
      const keptNumber = await trackingOf(heldLater.id);
      await database.db
        .insertInto('outbox')
        .values([message(doomedNumber), message(keptNumber)])
        .execute();

      const { page, body } = await confirmationOf();
      expect(page.text).to.contain(`Cases that will be deleted permanently: ${purgeable.length}.`);
      // A hold placed after the page was shown still protects the case.
      await services.retention.setLegalHold({
        actorId: admin.staff.id,
        complaintId: heldLater.id,
        hold: true,
        reason: 'Litigation pending',
      });
      const res = await admin.agent.post('/staff/admin/retention/purge').type('form').send(body).expect(303);
      expect(res.headers['location']).to.equal('/staff/admin/retention');

      expect(await existing(doomed.map((c) => c.id))).to.deep.equal([]);
      expect((await existing([heldEarlier.id, heldLater.id])).sort()).to.deep.equal(
        [heldEarlier.id, heldLater.id].sort(),
      );
      const messages = await database.db
        .selectFrom('outbox')
        .select(sql<string>`data->>'trackingNumber'`.as('number'))
        .where(sql<string>`data->>'trackingNumber'`, 'in', [doomedNumber, keptNumber])
        .execute();
      expect([...new Set(messages.map((m) => m.number))]).to.deep.equal([keptNumber]);
      for (const table of DEPENDANTS) {
        const left = await database.db
          .selectFrom(table)
          .select('id')
          .where(
            'complaint_id',
            'in',
            doomed.map((c) => c.id),
          )
          .execute();
        expect(left, table).to.deep.equal([]);
      }
      for (const file of doomedFiles) expect(existsSync(file), file).to.equal(false);
      for (const file of keptFiles) expect(existsSync(file), file).to.equal(true);
      expect(
        (await database.db.selectFrom('attachments').select('id').where('complaint_id', '=', heldLater.id).execute())
          .length,
      ).to.equal(1);

      const purges = await events('complaint.purge');
      expect(purges.map((p) => p.object_id).sort()).to.deep.equal(doomed.map((c) => c.id).sort());
      for (const p of purges) {
        expect(p).to.include({ actor_id: admin.staff.id, object_type: 'complaint', outcome: 'success' });
        expect(Object.keys(p.details).sort()).to.deep.equal(['closedOn', 'outcome']);
        expect(p.details['closedOn']).to.match(/^\d{4}-\d{2}-\d{2}$/);
      }
      expect(await services.audit.verify()).to.include({ ok: true });
      const after = await admin.agent.get('/staff/admin/retention').expect(200);
      expect(after.text).to.contain('The cases past retention were purged.');
      expect(after.text).to.contain('Cases that can be purged now: 0');

      const nothing = await admin.agent.get('/staff/admin/retention/purge').expect(200);
      expect(nothing.text).to.contain('No case can be purged now.');
      expect(nothing.text).not.to.contain('name="asOf"');
    });
  });
});
