import { expect } from 'chai';
import type { Express } from 'express';
import { insertOfficers } from '../../server/platform/reference/reference.repository.js';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { csrfOf, errorsOf, type Agent } from '../support/resident.js';
import { createStaff, signIn, tokenFrom } from '../support/staff.js';

const DEMO_PASSWORD = 'demo-password-for-tests';
const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const HEADER = 'badge_number,first_name,last_name,rank,unit,district';

describe('staff: the officer roster', () => {
  const database = useDatabase({ demo: true });
  let app: Express;
  const as: Record<'intake' | 'investigator' | 'supervisor' | 'board' | 'admin', Agent> = {} as never;
  const db = () => database.db;

  const officerByBadge = (badge: string) =>
    db().selectFrom('officers').selectAll().where('badge_number', '=', badge).executeTakeFirst();
  const officerCount = async () =>
    Number(
      (
        await db()
          .selectFrom('officers')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const auditRows = (type: string) =>
    db().selectFrom('audit_events').selectAll().where('event_type', '=', type).orderBy('id').execute();
  /** An officer named in allegations of the demo complaints, with how many. */
  const officerWithHistory = async () =>
    db()
      .selectFrom('allegations')
      .select(['officer_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('officer_id', 'is not', null)
      .groupBy('officer_id')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
  const form = (values: Record<string, string>) => ({
    badgeNumber: '',
    firstName: '',
    lastName: '',
    rank: '',
    unit: '',
    district: '',
    ...values,
  });
  /** Posts a file to the import form, with its token; checks the status when one is given. */
  const upload = async (agent: Agent, content: Buffer | string, status?: number) => {
    const res = await agent
      .post('/staff/officers/import')
      .field('_csrf', await tokenFrom(agent, '/staff/officers/import'))
      .attach('file', Buffer.from(content), 'officers.csv');
    if (status) expect(res.status, res.text.slice(0, 500)).to.equal(status);
    return res;
  };
  /** A page in Spanish, then the agent back in English (the choice of language is kept). */
  const inSpanish = async (agent: Agent, path: string, status = 200) => {
    const res = await agent.get(`${path}${path.includes('?') ? '&' : '?'}lang=es`).expect(status);
    await agent.get('/staff/account?lang=en').expect(200);
    return res;
  };

  before(async () => {
    const built = testApp(database.handle);
    app = built.app;
    await built.services.demo.ensureDemoData(DEMO_PASSWORD);
    for (const [role, email] of [
      ['intake', 'intake@example.org'],
      ['investigator', 'investigator1@example.org'],
      ['supervisor', 'supervisor@example.org'],
      ['board', 'board1@example.org'],
      ['admin', 'admin@example.org'],
    ] as const) {
      as[role] = await signIn(app, { email, password: DEMO_PASSWORD });
    }
  });

  describe('the roster', () => {
    it('lists officers by last name, with links to the officer page for supervisors only', async () => {
      const page = await as.supervisor.get('/staff/officers').expect(200);
      expect(page.text).to.include('Officers found: 30');
      const names = [...page.text.matchAll(/<th scope="row"[^>]*>\s*(?:<a[^>]*>)?([^<,]+),/g)].map((m) => m[1]!.trim());
      expect(names).to.have.length(30);
      expect(names).to.deep.equal([...names].sort((a, b) => a.localeCompare(b)));
      expect(page.text).to.match(/href="\/staff\/officers\/[0-9a-f-]{36}"/);
      expect(page.text).to.include('href="/staff/officers/new"');

      const investigator = await as.investigator.get('/staff/officers').expect(200);
      expect(investigator.text).to.include('Officers found: 30');
      expect(investigator.text).not.to.match(/href="\/staff\/officers\/[0-9a-f-]{36}/);
      expect(investigator.text).not.to.include('/staff/officers/new');

      const intake = await as.intake.get('/staff/officers').expect(200);
      expect(intake.text).not.to.match(/href="\/staff\/officers\/[0-9a-f-]{36}"/);
      expect(intake.text).to.match(/href="\/staff\/officers\/[0-9a-f-]{36}\/edit"/);
    });

    it('searches by name or badge number, filters by status, pages by 50', async () => {
      const badge = await as.supervisor.get('/staff/officers?q=4100').expect(200);
      expect(badge.text).to.include('Officers found: 1');
      const name = await as.supervisor.get('/staff/officers?q=GARC').expect(200);
      expect(name.text).to.match(/Officers found: [1-9]/);
      expect(name.text).to.include('Garcia');
      expect((await as.supervisor.get('/staff/officers?q=%25').expect(200)).text).to.include('Officers found: 0');

      await insertOfficers(
        db(),
        Array.from({ length: 40 }, (_, i) => ({
          badge_number: `Z-${i}`,
          first_name: 'Pat',
          last_name: `Zulu${String(i).padStart(2, '0')}`,
          active: i % 2 === 0,
        })),
      );
      const first = await as.supervisor.get('/staff/officers').expect(200);
      expect(first.text).to.include('Officers found: 70');
      expect(first.text).to.include('page 1 of 2');
      expect(first.text).to.include('href="/staff/officers?page=2"');
      const second = await as.supervisor.get('/staff/officers?page=2').expect(200);
      expect(second.text.match(/<th scope="row"/g)).to.have.length(20);
      expect(second.text).to.include('Zulu39');
      const inactive = await as.supervisor.get('/staff/officers?status=inactive&q=zulu').expect(200);
      expect(inactive.text).to.include('Officers found: 20');
      expect(inactive.text).to.include('Inactive');
      const spanish = await inSpanish(as.supervisor, '/staff/officers?q=zulu&status=active');
      expect(spanish.text).to.include('Agentes encontrados: 20');
    });

    it('refuses a query it does not know, with a 400 page', async () => {
      for (const query of ['page=0', 'page=abc', 'status=retired', 'sort=badge', `q=${'x'.repeat(101)}`, 'q=a&q=b']) {
        const res = await as.supervisor.get(`/staff/officers?${query}`);
        expect(res.status, query).to.equal(400);
        expect(res.text, query).to.include('usa-alert--error');
      }
    });

    it('does not exist for board members or admin-only users', async () => {
      for (const agent of [as.board, as.admin]) {
        for (const path of [
          '/staff/officers',
          '/staff/officers/new',
          '/staff/officers/import',
          `/staff/officers/${MISSING_ID}`,
        ]) {
          expect((await agent.get(path)).status, path).to.equal(404);
        }
      }
    });
  });

  describe('the officer page', () => {
    it('shows supervisors the complaint history, and records the read', async () => {
      const { officer_id: id, n } = await officerWithHistory();
      const page = await as.supervisor.get(`/staff/officers/${id}`).expect(200);
      const rows = await db()
        .selectFrom('allegations as a')
        .innerJoin('complaints as c', 'c.id', 'a.complaint_id')
        .innerJoin('allegation_categories as k', 'k.code', 'a.category')
        .select(['c.id', 'c.tracking_number', 'k.name_en', 'k.name_es', 'a.finding'])
        .where('a.officer_id', '=', id)
        .execute();
      expect(rows).to.have.length(Number(n));
      for (const row of rows) {
        expect(page.text).to.include(`href="/staff/cases/${row.id}">${row.tracking_number}</a>`);
        expect(page.text).to.include(row.name_en);
      }
      const sustained = rows.filter((r) => r.finding === 'sustained').length;
      expect(page.text).to.include(`Sustained findings: ${sustained}`);
      expect(page.text).to.match(/Complaints in the last 12 months: \d+/);
      const reads = await auditRows('officer.read');
      expect(reads.at(-1)).to.include({ object_type: 'officer', object_id: id, outcome: 'success' });

      const spanish = await inSpanish(as.supervisor, `/staff/officers/${id}`);
      expect(spanish.text).to.include(rows[0]!.name_es);
      expect(spanish.text).to.include('Historial de quejas');
    });

    it('shows a long history 50 allegations a page, with counts over all of it (#18)', async () => {
      const { officer_id: id } = await officerWithHistory();
      const someCase = await db().selectFrom('complaints').select('id').executeTakeFirstOrThrow();
      const added = await db()
        .insertInto('allegations')
        .values(Array.from({ length: 120 }, () => ({ complaint_id: someCase.id, officer_id: id, category: 'force' })))
        .returning('id')
        .execute();
      const all = await db().selectFrom('allegations').select(['finding']).where('officer_id', '=', id).execute();
      const rowsOn = (html: string) => (html.match(/href="\/staff\/cases\//g) ?? []).length;
      const first = await as.supervisor.get(`/staff/officers/${id}`).expect(200);
      const pages = Math.ceil(all.length / 50);
      expect(rowsOn(first.text)).to.equal(50);
      expect(first.text).to.include(`(page 1 of ${pages})`);
      expect(first.text).to.include(`Sustained findings: ${all.filter((a) => a.finding === 'sustained').length}`);
      expect(first.text).to.include(`href="/staff/officers/${id}?page=2"`).and.not.to.include('Newer allegations');
      const last = await as.supervisor.get(`/staff/officers/${id}?page=${pages}`).expect(200);
      expect(rowsOn(last.text)).to.equal(all.length - 50 * (pages - 1));
      expect(last.text).to.include('Newer allegations').and.not.to.include('Older allegations');
      // A page that is no number shows the first.
      const odd = await as.supervisor.get(`/staff/officers/${id}?page=abc`).expect(200);
      expect(rowsOn(odd.text)).to.equal(50);
      await db()
        .deleteFrom('allegations')
        .where(
          'id',
          'in',
          added.map((a) => a.id),
        )
        .execute();
    });

    it('is 404 for other roles, unknown and malformed ids', async () => {
      const { officer_id: id } = await officerWithHistory();
      const before = (await auditRows('officer.read')).length;
      expect((await as.investigator.get(`/staff/officers/${id}`)).status).to.equal(404);
      expect((await as.intake.get(`/staff/officers/${id}`)).status).to.equal(404);
      expect((await as.supervisor.get(`/staff/officers/${MISSING_ID}`)).status).to.equal(404);
      expect((await as.supervisor.get('/staff/officers/not-a-uuid')).status).to.equal(404);
      expect((await as.supervisor.get("/staff/officers/1' or '1'='1")).status).to.equal(404);
      expect((await auditRows('officer.read')).length).to.equal(before);
    });
  });

  describe('adding and editing', () => {
    it('adds an officer (supervisor), audited with ids only', async () => {
      const csrf = await tokenFrom(as.supervisor, '/staff/officers/new');
      const res = await as.supervisor
        .post('/staff/officers/new')
        .type('form')
        .send({
          _csrf: csrf,
          ...form({ badgeNumber: 'N-1', firstName: 'Nia', lastName: 'North', district: 'north' }),
          active: 'yes',
        })
        .expect(303);
      const row = await officerByBadge('N-1');
      expect(row).to.include({ first_name: 'Nia', last_name: 'North', district: 'north', active: true, rank: null });
      expect(res.headers['location']).to.equal(`/staff/officers/${row!.id}`);
      const audit = (await auditRows('officer.create')).at(-1)!;
      expect(audit).to.include({ object_type: 'officer', object_id: row!.id });
      expect(audit.details).to.deep.equal({});
    });

    it('refuses bad input with field errors and changes nothing', async () => {
      const csrf = await tokenFrom(as.intake, '/staff/officers/new');
      const before = await officerCount();
      const post = (values: Record<string, string>) =>
        as.intake
          .post('/staff/officers/new')
          .type('form')
          .send({ _csrf: csrf, ...values });
      const empty = await post(form({})).expect(400);
      expect(errorsOf(empty.text)).to.deep.equal([
        'Enter the badge number',
        'Enter the first name',
        'Enter the last name',
      ]);
      expect(empty.text).to.include('href="#field-badgeNumber"');
      const long = await post(
        form({ badgeNumber: 'x'.repeat(41), firstName: 'A', lastName: 'B', rank: 'r'.repeat(101) }),
      );
      expect(errorsOf(long.text)).to.deep.equal([
        'Badge number must be 40 characters or fewer',
        'Rank must be 100 characters or fewer',
      ]);
      const taken = await post(form({ badgeNumber: '4100', firstName: 'A', lastName: 'B' })).expect(400);
      expect(errorsOf(taken.text)).to.deep.equal(['Another officer already has this badge number']);
      const district = await post(
        form({ badgeNumber: 'N-2', firstName: 'A', lastName: 'B', district: 'atlantis' }),
      ).expect(400);
      expect(errorsOf(district.text)).to.deep.equal(['Choose a district from the list']);
      await post({ ...form({ badgeNumber: 'N-3', firstName: 'A', lastName: 'B' }), isAdmin: 'yes' }).expect(400);
      await post(form({ badgeNumber: 'N-4', firstName: 'A\nB', lastName: 'B' })).expect(400);
      expect(await officerCount()).to.equal(before);
      const spanish = await as.intake
        .post('/staff/officers/new?lang=es')
        .type('form')
        .send({ _csrf: csrf, ...form({}) });
      expect(errorsOf(spanish.text)[0]).to.equal('Escriba el número de placa');
      await as.intake.get('/staff/account?lang=en').expect(200);
    });

    it('refuses a form without its token (403)', async () => {
      await as.supervisor
        .post('/staff/officers/new')
        .type('form')
        .send(form({ badgeNumber: 'N-5', firstName: 'A', lastName: 'B' }))
        .expect(403);
      expect(await officerByBadge('N-5')).to.equal(undefined);
    });

    it('edits an officer (intake), keeping its own badge, refusing another one', async () => {
      const officer = (await officerByBadge('N-1'))!;
      const edit = `/staff/officers/${officer.id}/edit`;
      const page = await as.intake.get(edit).expect(200);
      expect(page.text).to.include('value="N-1"');
      const csrf = csrfOf(page.text);
      const values = form({
        badgeNumber: 'N-1',
        firstName: 'Nia',
        lastName: 'Northwood',
        rank: 'Sergeant',
        district: '',
      });
      const done = await as.intake
        .post(edit)
        .type('form')
        .send({ _csrf: csrf, ...values })
        .expect(303);
      expect(done.headers['location']).to.equal('/staff/officers');
      expect(await officerByBadge('N-1')).to.include({
        last_name: 'Northwood',
        rank: 'Sergeant',
        district: null,
        active: false,
      });
      const audit = (await auditRows('officer.update')).at(-1)!;
      expect(audit).to.include({ object_id: officer.id });
      expect(audit.details).to.deep.equal({ changed: ['last_name', 'rank', 'district', 'active'] });

      const taken = await as.intake
        .post(edit)
        .type('form')
        .send({ _csrf: csrf, ...values, badgeNumber: '4100' })
        .expect(400);
      expect(errorsOf(taken.text)).to.deep.equal(['Another officer already has this badge number']);
      expect((await officerByBadge('N-1'))?.id).to.equal(officer.id);
    });

    it('is 404 for investigators, and for unknown or malformed ids', async () => {
      const officer = (await officerByBadge('N-1'))!;
      const csrf = await tokenFrom(as.investigator, '/staff/officers');
      const values = { _csrf: csrf, ...form({ badgeNumber: 'N-9', firstName: 'A', lastName: 'B' }) };
      expect((await as.investigator.get('/staff/officers/new')).status).to.equal(404);
      expect((await as.investigator.post('/staff/officers/new').type('form').send(values)).status).to.equal(404);
      expect((await as.investigator.get(`/staff/officers/${officer.id}/edit`)).status).to.equal(404);
      expect(
        (await as.investigator.post(`/staff/officers/${officer.id}/edit`).type('form').send(values)).status,
      ).to.equal(404);
      const supervisorCsrf = await tokenFrom(as.supervisor, '/staff/officers');
      for (const id of [MISSING_ID, 'nope']) {
        expect((await as.supervisor.get(`/staff/officers/${id}/edit`)).status).to.equal(404);
        const res = await as.supervisor
          .post(`/staff/officers/${id}/edit`)
          .type('form')
          .send({ ...values, _csrf: supervisorCsrf });
        expect(res.status).to.equal(404);
      }
      expect(await officerByBadge('N-9')).to.equal(undefined);
    });
  });

  describe('import from CSV', () => {
    it('shows a multipart upload form to intake and supervisors only', async () => {
      const page = await as.intake.get('/staff/officers/import').expect(200);
      expect(page.text).to.include('enctype="multipart/form-data"');
      expect((await as.investigator.get('/staff/officers/import')).status).to.equal(404);
      const csrf = await tokenFrom(as.investigator, '/staff/officers');
      const res = await as.investigator
        .post('/staff/officers/import')
        .field('_csrf', csrf)
        .attach('file', Buffer.from(`${HEADER}\nI-1,A,B,,,\n`), 'o.csv');
      expect(res.status).to.equal(404);
      expect(await officerByBadge('I-1')).to.equal(undefined);
    });

    it('previews creates and updates, then writes them in one audited transaction', async () => {
      const before = await officerCount();
      const csv = [
        `\ufeff${HEADER}`,
        'C-1,Ana,Alvarez,Officer,Patrol,central',
        '"C-2","=cmd|\' /C calc\'!A0","+Lopez, Jr.",,@unit,HARBOR',
        '',
        '4100,Maria,Garcia-Updated,Captain,Traffic,north',
      ].join('\r\n');
      const preview = await upload(as.supervisor, csv, 200);
      expect(preview.text).to.include('New officers: 2');
      expect(preview.text).to.include('Officers whose details change: 1');
      expect(preview.text).to.include('Garcia-Updated');
      expect(preview.text).to.include('=cmd|&#39; /C calc&#39;!A0');
      expect(preview.text).to.include('action="/staff/officers/import/confirm"');
      expect(await officerCount(), 'nothing written by the preview').to.equal(before);

      // Another session has nothing to confirm.
      const intakeCsrf = await tokenFrom(as.intake, '/staff/officers');
      await as.intake.post('/staff/officers/import/confirm').type('form').send({ _csrf: intakeCsrf }).expect(400);
      // The confirmation needs its token.
      await as.supervisor.post('/staff/officers/import/confirm').type('form').send({}).expect(403);

      const csrf = csrfOf(preview.text);
      const done = await as.supervisor
        .post('/staff/officers/import/confirm')
        .type('form')
        .send({ _csrf: csrf })
        .expect(303);
      expect(done.headers['location']).to.equal('/staff/officers');
      expect(await officerCount()).to.equal(before + 2);
      expect(await officerByBadge('C-2')).to.include({
        first_name: "=cmd|' /C calc'!A0",
        last_name: '+Lopez, Jr.',
        rank: null,
        unit: '@unit',
        district: 'harbor',
      });
      expect(await officerByBadge('4100')).to.include({
        last_name: 'Garcia-Updated',
        rank: 'Captain',
        district: 'north',
      });
      const audits = await auditRows('officer.import');
      expect(audits).to.have.length(1);
      expect(audits[0]!.details).to.deep.equal({ created: 2, updated: 1, unchanged: 0 });
      const roster = await as.supervisor.get('/staff/officers').expect(200);
      expect(roster.text).to.include('The officers from the file were saved to the roster.');

      // The kept rows are gone: a second confirmation writes nothing.
      await as.supervisor.post('/staff/officers/import/confirm').type('form').send({ _csrf: csrf }).expect(400);
      expect(await auditRows('officer.import')).to.have.length(1);
      // The same file again changes nothing, and offers nothing to confirm.
      const again = await upload(as.supervisor, csv, 200);
      expect(again.text).to.include('Rows that change nothing: 3');
      expect(again.text).not.to.include('/staff/officers/import/confirm');
    });

    it('lists every row error with its line, and nothing can be committed', async () => {
      const before = await officerCount();
      const csv = [
        'District,Badge_Number,first_name,last_name,rank,unit',
        'central,E-1,Ok,Row,,',
        ',E-2,,Missing first,,',
        'atlantis,E-3,Bad,District,,',
        `,${'x'.repeat(41)},Long,Badge,,`,
        'central,E-1,Duplicate,Badge,,',
        'only,three,values',
        `,E-4,Fine,Name,${'r'.repeat(101)},`,
      ].join('\n');
      const res = await upload(as.intake, csv, 400);
      const lines = [...res.text.matchAll(/<th scope="row" data-label="Line">(\d+)<\/th>/g)].map((m) => Number(m[1]));
      expect(lines).to.deep.equal([3, 4, 5, 6, 7, 8]);
      for (const text of [
        'Enter the first name',
        'There is no district with this code',
        'Badge number must be 40 characters or fewer',
        'This badge number is also on line 2',
        'This row has 3 values; the header has 6 columns',
        'Rank must be 100 characters or fewer',
      ]) {
        expect(res.text).to.include(text);
      }
      expect(res.text).to.include('href="#field-row-errors"');
      expect(res.text).not.to.include('/staff/officers/import/confirm"');
      const csrf = await tokenFrom(as.intake, '/staff/officers');
      await as.intake.post('/staff/officers/import/confirm').type('form').send({ _csrf: csrf }).expect(400);
      expect(await officerCount()).to.equal(before);
    });

    it('answers a bad file with a field error, never a 500 or a 403', async () => {
      const cases: Array<[string, Buffer | string, string]> = [
        ['empty file', '', 'The file is empty'],
        ['blank lines', '\n\n  \n', 'The file is empty'],
        [
          'PNG image',
          Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'),
          'not a spreadsheet',
        ],
        ['UTF-16 text', Buffer.from(`\ufeff${HEADER}\n`, 'utf16le'), 'not a spreadsheet'],
        ['wrong header', 'badge,first,last\n1,a,b\n', 'The first line must name exactly these columns'],
        ['header only', `${HEADER}\n`, 'header line but no officers'],
        ['unclosed quote', `${HEADER}\n1,"open,b,,,\n`, 'not valid CSV'],
        ['2 MB file', Buffer.alloc(2 * 1024 * 1024, 'a'), 'must be 1 MB or smaller'],
        [
          'too many rows',
          `${HEADER}\n${Array.from({ length: 5001 }, (_, i) => `T-${i},A,B,,,`).join('\n')}\n`,
          'more than 5,000 rows',
        ],
      ];
      for (const [name, content, message] of cases) {
        const res = await upload(as.supervisor, content);
        expect(res.status, name).to.equal(400);
        expect(errorsOf(res.text)[0], name).to.include(message);
        expect(res.text, name).to.include('href="#field-file"');
      }
      expect(await officerByBadge('T-1')).to.equal(undefined);
    });

    it('checks the form token once the body is read (403), but answers a broken body first (400)', async () => {
      const csv = `${HEADER}\nK-1,A,B,,,\n`;
      await as.supervisor.post('/staff/officers/import').attach('file', Buffer.from(csv), 'o.csv').expect(403);
      await as.supervisor
        .post('/staff/officers/import')
        .field('_csrf', 'forged')
        .attach('file', Buffer.from(csv), 'o.csv')
        .expect(403);
      const big = await as.supervisor
        .post('/staff/officers/import')
        .attach('file', Buffer.alloc(2 * 1024 * 1024, 'a'), 'o.csv');
      expect(big.status).to.equal(400);
      const csrf = await tokenFrom(as.supervisor, '/staff/officers/import');
      const two = await as.supervisor
        .post('/staff/officers/import')
        .field('_csrf', csrf)
        .attach('file', Buffer.from(csv), 'a.csv')
        .attach('file', Buffer.from(csv), 'b.csv');
      expect(two.status).to.equal(400);
      expect(errorsOf(two.text)[0]).to.equal('Choose one file only');
      const broken = await as.supervisor
        .post('/staff/officers/import')
        .set('Content-Type', 'multipart/form-data; boundary=xyz')
        .send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc');
      expect(broken.status).to.equal(400);
      const none = await as.supervisor.post('/staff/officers/import').field('_csrf', csrf);
      expect(none.status).to.equal(400);
      expect(errorsOf(none.text)[0]).to.equal('Choose a CSV file');
      expect(await officerByBadge('K-1')).to.equal(undefined);
    });
  });

  it('works for staff created without the demo data too', async () => {
    const both = await createStaff(db(), ['supervisor', 'investigator']);
    const agent = await signIn(app, both);
    await agent.get('/staff/officers').expect(200);
    await agent.get('/staff/officers/import').expect(200);
  });
});
