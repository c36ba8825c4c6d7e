import { expect } from 'chai';
import type { Express } from 'express';
import type { Services } from '../../server/compose.js';
import { signInAdmin } from '../support/admin.js';
import { testApp } from '../support/app.js';
import { complaintRow } from '../support/complaintRow.js';
import { useDatabase } from '../support/database.js';
import { errorsOf, type Agent } from '../support/resident.js';
import { createStaff, signIn, tokenFrom } from '../support/staff.js';

/** Everything identifying planted on the released cases: none of it may reach a release. */
const PLANTED = {
  complainant: 'Zelda Quintanilla',
  email: 'zelda.q@example.com',
  phone: '(415) 555-0199',
  address: '742 Evergreen Terrace, Springfield',
  filer: 'Fernando Filerson',
  filerEmail: 'fernando@example.net',
  witness: 'Wendell Brightwater',
  witnessContact: 'wendell@witness.example',
  witnessPhone: '415.555.0123',
};
const NARRATIVE =
  `I, ${PLANTED.complainant}, was stopped outside ${PLANTED.address.split(',')[0]}. ${PLANTED.witness} saw the ` +
  `officer push me; call him at ${PLANTED.witnessPhone} or write to ${PLANTED.witnessContact}. Zelda was scared. ` +
  `Reach me at 415-555-0199 or ${PLANTED.email}. Officer Otto Clearedman, badge #9002, laughed; Clearedman ` +
  `then left and Sustainedson stayed.`;
const ANONYMOUS_NARRATIVE = 'Stopped at night. Write to anon.person@example.org or call (415) 555-0142 after six.';
/** What must never be printed, planted where a careless release would pick it up. */
const SECRETS = ['STAFF-NOTE-SECRET', 'ALLEGATION-SUMMARY-SECRET', 'RATIONALE-SECRET', 'evidence-secret-name.pdf'];
const NEVER = [
  'Zelda',
  'Quintanilla',
  PLANTED.email,
  '555-0199',
  'Evergreen',
  'Springfield',
  'Fernando',
  'Filerson',
  PLANTED.filerEmail,
  'Wendell',
  'Brightwater',
  PLANTED.witnessContact,
  '555.0123',
  'anon.person',
  '555-0142',
  ...SECRETS,
];

describe('public-records releases (#19 part 5)', function () {
  this.timeout(60_000);
  const database = useDatabase();
  let app: Express;
  let services: Services;
  let supervisor: Agent;
  let supervisorName: string;
  const cases = { decided: '', closed: '', open: '' };
  const ids = { decided: '', closed: '' };

  async function plantCase(tracking: string, stage: 'disposition' | 'closed' | 'investigation', anonymous = false) {
    // Nobody's identity is stored for an anonymous complaint: only the shapes of contact details can be found.
    const narrative = anonymous ? ANONYMOUS_NARRATIVE : NARRATIVE;
    const db = database.db;
    const history = JSON.stringify([
      { stage: 'received', at: '2026-01-05T17:00:00Z' },
      { stage: 'underInvestigation', at: '2026-01-20T17:00:00Z' },
      { stage: 'decided', at: '2026-06-02T17:00:00Z' },
    ]);
    const { id } = await db
      .insertInto('complaints')
      .values(
        complaintRow(tracking, {
          stage,
          state: stage === 'disposition' ? 'disposition' : stage === 'closed' ? 'closed' : 'investigation.active',
          outcome: stage === 'investigation' ? null : 'decided',
          anonymous,
          narrative,
          public_history: history,
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    if (!anonymous) {
      await db
        .insertInto('complainants')
        .values([
          { complaint_id: id, role: 'complainant', name: PLANTED.complainant, email: PLANTED.email },
          { complaint_id: id, role: 'filer', name: PLANTED.filer, email: PLANTED.filerEmail },
        ])
        .execute();
      await db
        .updateTable('complainants')
        .set({ phone: PLANTED.phone, address: PLANTED.address })
        .where('complaint_id', '=', id)
        .where('role', '=', 'complainant')
        .execute();
    }
    await db
      .insertInto('witnesses')
      .values([
        { complaint_id: id, position: 0, name: PLANTED.witness, contact: PLANTED.witnessContact },
        { complaint_id: id, position: 1, name: null, contact: PLANTED.witnessPhone },
      ])
      .execute();
    await db.insertInto('notes').values({ complaint_id: id, body: SECRETS[0]! }).execute();
    await db
      .insertInto('attachments')
      .values({
        complaint_id: id,
        source: 'complainant',
        stored_name: crypto.randomUUID(),
        original_name: SECRETS[3]!,
        sniffed_type: 'application/pdf',
        size_bytes: 10,
        sha256: '0'.repeat(64),
      })
      .execute();
    return id;
  }

  before(async () => {
    ({ app, services } = testApp(database.handle));
    const db = database.db;
    const boss = await createStaff(db, ['supervisor'], { name: 'Sara Releaser' });
    supervisorName = 'Sara Releaser';
    supervisor = await signIn(app, boss);
    cases.decided = 'OC-2345-6789';
    cases.closed = 'OC-3456-789A';
    cases.open = 'OC-4567-89AB';
    ids.decided = await plantCase(cases.decided, 'disposition');
    ids.closed = await plantCase(cases.closed, 'closed', true);
    await plantCase(cases.open, 'investigation');
    const officers = await db
      .insertInto('officers')
      .values([
        { first_name: 'Olive', last_name: 'Sustainedson', badge_number: '9001', rank: 'Sergeant' },
        { first_name: 'Otto', last_name: 'Clearedman', badge_number: '9002', rank: 'Officer' },
      ])
      .returning('id')
      .execute();
    const allegations = await db
      .insertInto('allegations')
      .values([
        {
          complaint_id: ids.decided,
          officer_id: officers[0]!.id,
          category: 'force',
          finding: 'sustained',
          summary: SECRETS[1]!,
          finding_rationale: SECRETS[2]!,
        },
        { complaint_id: ids.decided, officer_id: officers[1]!.id, category: 'discourtesy', finding: 'not_sustained' },
      ])
      .returning('id')
      .execute();
    const meeting = await db
      .insertInto('board_meetings')
      .values({ scheduled_for: new Date('2026-06-01T18:00:00Z'), status: 'closed' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const item = await db
      .insertInto('agenda_items')
      .values({
        meeting_id: meeting.id,
        complaint_id: ids.decided,
        public_reference: 'PR-1',
        outcome: 'decided',
        decided_at: new Date('2026-06-01T20:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('board_findings')
      .values([
        {
          agenda_item_id: item.id,
          allegation_id: allegations[0]!.id,
          finding: 'sustained',
          votes_cast: 4,
          votes_for: 3,
        },
        {
          agenda_item_id: item.id,
          allegation_id: allegations[1]!.id,
          finding: 'not_sustained',
          votes_cast: 4,
          votes_for: 4,
        },
      ])
      .execute();
  });

  const releaseCount = async () =>
    Number(
      (
        await database.db
          .selectFrom('records_releases')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const releaseIdOf = async (reference: string) =>
    (
      await database.db
        .selectFrom('records_releases')
        .select('id')
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow()
    ).id;
  const auditOf = (type: string) =>
    database.db.selectFrom('audit_events').selectAll().where('event_type', '=', type).orderBy('id').execute();

  async function post(agent: Agent, fields: Record<string, string | string[]>, query = '?lang=en') {
    const token = await tokenFrom(agent, '/staff/releases/new');
    return agent
      .post(`/staff/releases${query}`)
      .type('form')
      .send({ _csrf: token, ...fields });
  }
  const everything = (trackingNumbers: string) => ({
    reference: 'PRA-2026-0042',
    trackingNumbers,
    include: ['allegations', 'timeline', 'decision'],
    officers: 'all',
    narrative: 'include',
  });

  it('offers the form with safe defaults: no narrative, officers named only on sustained allegations', async () => {
    const page = await supervisor.get('/staff/releases/new').expect(200);
    expect(page.headers['cache-control']).to.contain('no-store');
    expect(page.text).to.match(/value="allegations" checked/);
    expect(page.text).to.match(/value="sustained" checked/);
    expect(page.text).not.to.match(/name="narrative" value="include" checked/);
    expect(page.text).not.to.match(/complainant.*(name|email|address)"/i);
  });

  it('makes a release, prints every case on a page of its own and leaves every identity out', async () => {
    const res = await post(supervisor, everything(`${cases.decided}\n${cases.closed.toLowerCase()}`));
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    const url = String(res.headers['location']);
    expect(url).to.match(/^\/staff\/releases\/[0-9a-f-]{36}$/);
    const page = await supervisor.get(url).expect(200);
    const html = page.text;
    for (const secret of NEVER) expect(html, `"${secret}" in the release`).not.to.contain(secret);
    expect(html).to.contain('Public-records release PRA-2026-0042');
    expect(html.match(/class="app-release-case"/g)).to.have.length(2);
    expect(html).to.contain('Record 1 of 2').and.to.contain('Record 2 of 2');
    expect(html).to.contain('Identity withheld').and.to.contain('Filed anonymously: no identity is held');
    expect(html).to.contain('Sergeant Olive Sustainedson').and.to.contain('badge 9001');
    expect(html).to.contain('Officer Otto Clearedman');
    expect(html).to.contain('3 of 4 votes').and.to.contain('Decided by the board on');
    expect(html).to.contain('Under investigation').and.to.contain('Sustained').and.to.contain('Not sustained');
    expect(html).to.contain('was stopped outside').and.to.contain('[withheld]');
    expect(html).to.contain('Held by the agency: 1. Not part of this release');
    expect(html).to.contain('/assets/print.js');
  });

  it('records the release with who, when, which cases and options; audits it and each case in the same step', async () => {
    const [release] = await database.db.selectFrom('records_releases').selectAll().execute();
    expect(release!.reference).to.equal('PRA-2026-0042');
    expect(release!.case_ids).to.deep.equal([ids.decided, ids.closed]);
    expect(release!.tracking_numbers).to.deep.equal([cases.decided, cases.closed]);
    expect(release!.options).to.deep.equal({
      allegations: true,
      officers: 'all',
      timeline: true,
      decision: true,
      narrative: true,
    });
    const [made] = await auditOf('release.create');
    expect(made!.object_id).to.equal(release!.id);
    expect(made!.actor_id).to.equal(release!.created_by);
    expect((made!.details as { cases: string[] }).cases).to.deep.equal([cases.decided, cases.closed]);
    const perCase = await auditOf('case.release');
    expect(perCase.map((e) => e.object_id)).to.deep.equal([ids.decided, ids.closed]);
    const viewed = await auditOf('release.view');
    expect(viewed.map((e) => e.object_id)).to.deep.equal([release!.id]);
    // Viewing it is a read of each case, in each case's own trail (R1), without its narrative (R2).
    const reads = await auditOf('case.read');
    expect(reads.map((e) => e.object_id)).to.deep.equal([ids.decided, ids.closed]);
    expect(reads[0]!.details).to.deep.equal({ view: 'release', release: release!.id, reference: 'PRA-2026-0042' });
    expect(reads.map((e) => e.request_id)).to.deep.equal([viewed[0]!.request_id, viewed[0]!.request_id]);
  });

  it('lists the release with who made it, when, the cases and what it includes', async () => {
    const list = await supervisor.get('/staff/releases').expect(200);
    expect(list.text).to.contain('PRA-2026-0042').and.to.contain(supervisorName);
    expect(list.text).to.contain(`${cases.decided}, ${cases.closed}`);
    expect(list.text).to.contain('Narrative, identities taken out');
    expect(list.text).to.contain('aria-current="page"');
  });

  it('names officers only on sustained allegations by default, and leaves out what is not chosen', async () => {
    const res = await post(supervisor, {
      reference: 'PRA-7',
      trackingNumbers: cases.decided,
      include: ['allegations'],
      officers: 'sustained',
    });
    expect(res.status).to.equal(303);
    const html = (await supervisor.get(String(res.headers['location'])).expect(200)).text;
    expect(html).to.contain('Olive Sustainedson');
    expect(html).not.to.contain('Clearedman');
    expect(html).to.contain('Name withheld');
    for (const absent of ['was stopped outside', 'votes for the finding', 'Under investigation'])
      expect(html).not.to.contain(absent);
  });

  it('takes out of the narrative the roster name and badge of each officer it does not name', async () => {
    const res = await post(supervisor, { ...everything(cases.decided), reference: 'PRA-8', officers: 'sustained' });
    expect(res.status).to.equal(303);
    const html = (await supervisor.get(String(res.headers['location'])).expect(200)).text;
    expect(html).to.contain('was stopped outside').and.to.contain('laughed');
    for (const secret of ['Otto', 'Clearedman', '9002']) expect(html, secret).not.to.contain(secret);
    // The officer the release names stays named, in the table and in the narrative.
    expect(html).to.contain('Sergeant Olive Sustainedson').and.to.contain('Sustainedson stayed');
    const none = await post(supervisor, { ...everything(cases.decided), reference: 'PRA-9', officers: 'none' });
    const unnamed = (await supervisor.get(String(none.headers['location'])).expect(200)).text;
    for (const secret of ['Otto', 'Clearedman', '9002', 'Olive', 'Sustainedson', '9001'])
      expect(unnamed, secret).not.to.contain(secret);
    const form = await supervisor.get('/staff/releases/new?lang=es').expect(200);
    expect(form.text).to.contain(
      'los nombres y números de placa del registro de los agentes que esta divulgación no nombra',
    );
  });

  it('prints nothing of a case no longer decided (reopened, reconsidered), in either language', async () => {
    const res = await post(supervisor, { ...everything(`${cases.decided}\n${cases.closed}`), reference: 'PRA-10' });
    const url = String(res.headers['location']);
    await database.db.updateTable('complaints').set({ stage: 'investigation' }).where('id', '=', ids.decided).execute();
    try {
      const html = (await supervisor.get(`${url}?lang=en`).expect(200)).text;
      const [first, second] = html.split('class="app-release-case"').slice(1);
      expect(first).to.contain('can no longer be released');
      for (const absent of ['Sustainedson', 'was stopped outside', 'Decided by the board on', 'Identity withheld'])
        expect(first, absent).not.to.contain(absent);
      expect(second).to.contain('Filed anonymously');
      expect(second).not.to.contain('can no longer be released');
      const es = (await supervisor.get(`${url}?lang=es`).expect(200)).text;
      expect(es).to.contain('ya no se puede divulgar');
    } finally {
      await database.db.updateTable('complaints').set({ stage: 'disposition' }).where('id', '=', ids.decided).execute();
    }
  });

  describe('bad input: a translated error summary, and nothing changes', () => {
    const cases400: Array<[string, () => Record<string, string | string[]>, string]> = [
      [
        'an unknown tracking number',
        () => everything('OC-9999-9999'),
        'No case has these tracking numbers: OC-9999-9999',
      ],
      ['a case not yet decided', () => everything(cases.open), `These cases are not decided yet`],
      ['no case at all', () => everything(' \n , '), 'Enter the tracking number of at least one case'],
      [
        'a reference too long',
        () => ({ ...everything(cases.decided), reference: 'R'.repeat(61) }),
        '60 characters or fewer',
      ],
      ['no reference', () => ({ ...everything(cases.decided), reference: '  ' }), 'Enter the request reference'],
      [
        'more than 200 cases',
        () => everything(Array.from({ length: 201 }, (_, i) => `OC-${1000 + i}-2222`).join('\n')),
        'Enter at most 200 tracking numbers',
      ],
      ['a malformed tracking number', () => everything('<script>'), 'Enter tracking numbers such as'],
      ['an unknown part', () => ({ ...everything(cases.decided), include: ['identity'] }), 'There is a problem'],
      [
        'no officer choice',
        () => ({ ...everything(cases.decided), officers: 'names' }),
        'Choose whether to name officers',
      ],
      ['an unknown field', () => ({ ...everything(cases.decided), complainant: 'yes' }), 'There is a problem'],
    ];
    for (const [what, fields, message] of cases400) {
      it(what, async () => {
        const before = [await releaseCount(), (await auditOf('release.create')).length];
        const res = await post(supervisor, fields());
        expect(res.status, res.text.slice(0, 300)).to.equal(400);
        expect(res.text).to.contain('id="error-summary"');
        expect(errorsOf(res.text).join(' | ') || res.text).to.contain(message);
        expect([await releaseCount(), (await auditOf('release.create')).length]).to.deep.equal(before);
      });
    }

    it('in Spanish too', async () => {
      const res = await post(supervisor, everything('OC-9999-9999'), '?lang=es');
      expect(res.status).to.equal(400);
      expect(res.text).to.contain('Ningún caso tiene estos números de seguimiento: OC-9999-9999');
    });
  });

  it('reads in Spanish: the list, the form and the printed release', async () => {
    const list = await supervisor.get('/staff/releases?lang=es').expect(200);
    expect(list.text).to.contain('Divulgaciones de registros públicos');
    const form = await supervisor.get('/staff/releases/new?lang=es').expect(200);
    expect(form.text).to.contain('Preparar una divulgación de registros públicos');
    const id = await releaseIdOf('PRA-2026-0042');
    const html = (await supervisor.get(`/staff/releases/${id}?lang=es`).expect(200)).text;
    expect(html).to.contain('Expediente 1 de 2').and.to.contain('Identidad retenida').and.to.contain('[retenido]');
    expect(html).to.contain('Uso de la fuerza');
    for (const secret of NEVER) expect(html, `"${secret}" in the Spanish release`).not.to.contain(secret);
  });

  it('is for supervisors and admins only: everyone else gets 404, as for any page not theirs', async () => {
    const release = await database.db.selectFrom('records_releases').select('id').executeTakeFirstOrThrow();
    for (const role of ['intake', 'investigator', 'board'] as const) {
      const agent = await signIn(app, await createStaff(database.db, [role]));
      const token = await tokenFrom(agent);
      await agent.get('/staff/releases').expect(404);
      await agent.get('/staff/releases/new').expect(404);
      await agent.get(`/staff/releases/${release.id}`).expect(404);
      await agent
        .post('/staff/releases')
        .type('form')
        .send({ _csrf: token, ...everything(cases.decided) })
        .expect(404);
    }
    const { agent: admin } = await signInAdmin(app, services, database.db);
    await admin.get(`/staff/releases/${release.id}`).expect(200);
    const { narrative: _narrative, ...withoutNarrative } = everything(cases.decided);
    const created = await post(admin, { ...withoutNarrative, reference: 'ADMIN-1' });
    expect(created.status).to.equal(303);
    await supervisor.get(`/staff/releases/${crypto.randomUUID()}`).expect(404);
    await supervisor.get('/staff/releases/not-an-id').expect(404);
    await supervisor.get('/staff/releases?page=999').expect(404);
  });

  it('offers the narrative only to staff who may read every case: an admin is refused, and does not read one', async () => {
    const { agent: admin } = await signInAdmin(app, services, database.db);
    const form = await admin.get('/staff/releases/new').expect(200);
    expect(form.text).not.to.contain('name="narrative"');
    expect(form.text).to.contain('Narratives can be included only by staff who may read every case.');
    for (const [query, message] of [
      ['?lang=en', 'You cannot include narratives'],
      ['?lang=es', 'Usted no puede incluir los relatos'],
    ] as const) {
      const before = [
        await releaseCount(),
        (await auditOf('release.create')).length,
        (await auditOf('case.release')).length,
      ];
      const forged = await post(admin, { ...everything(cases.decided), reference: 'ADMIN-2' }, query);
      expect(forged.status).to.equal(400);
      expect(errorsOf(forged.text).join(' | ')).to.contain(message);
      expect(forged.text).to.contain('id="field-narrative"');
      const after = [
        await releaseCount(),
        (await auditOf('release.create')).length,
        (await auditOf('case.release')).length,
      ];
      expect(after).to.deep.equal(before);
    }
    // A supervisor's release with narratives prints them for the supervisor, not for an admin.
    const id = await releaseIdOf('PRA-2026-0042');
    const html = (await admin.get(`/staff/releases/${id}?lang=en`).expect(200)).text;
    expect(html).not.to.contain('was stopped outside').and.not.to.contain('[withheld]');
    expect(html).to.contain('they are shown only to staff who may read every case');
  });

  it('is append-only, and a purged case neither is blocked by it nor vanishes from its record', async () => {
    const db = database.db;
    const refused = (p: Promise<unknown>) =>
      p.then(
        () => 'allowed',
        (e: { code?: string }) => e.code,
      );
    expect(await refused(db.updateTable('records_releases').set({ reference: 'changed' }).execute())).to.equal('42501');
    expect(await refused(db.deleteFrom('records_releases').execute())).to.equal('42501');
    await db.deleteFrom('complaints').where('id', '=', ids.closed).execute();
    const id = await releaseIdOf('PRA-2026-0042');
    const html = (await supervisor.get(`/staff/releases/${id}?lang=en`).expect(200)).text;
    expect(html).to.contain('deleted under the records retention policy after the release');
    expect((await supervisor.get('/staff/releases').expect(200)).text).to.contain(cases.closed);
  });
});
