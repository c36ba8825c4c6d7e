import { expect } from 'chai';
import type { Express } from 'express';
import { DateTime } from 'luxon';
import { putSetting } from '../../server/platform/db/settings.repository.js';
import { earlyInterventionService } from '../../server/features/officers/earlyIntervention.service.js';
import { THRESHOLDS_SETTING } from '../../server/features/officers/earlyIntervention.rules.js';
import { signInAdmin } from '../support/admin.js';
import { testApp, testConfig } from '../support/app.js';
import type { Services } from '../../server/compose.js';
import { useDatabase } from '../support/database.js';
import { complaintRow } from '../support/complaintRow.js';
import { csrfOf, errorsOf, type Agent } from '../support/resident.js';
import { createStaff, signIn } from '../support/staff.js';

/** The fixed clock of the service: noon in the agency's zone (America/Los_Angeles). */
const NOW = new Date('2026-06-15T19:00:00Z');
const ago = (duration: { months?: number; days?: number }) =>
  DateTime.fromJSDate(NOW, { zone: 'America/Los_Angeles' }).minus(duration).toJSDate();

interface Plant {
  officerId: string | null;
  receivedAt: Date;
  /** Categories of the allegations naming the officer on this complaint (one allegation each). */
  categories?: string[];
  finding?: 'sustained' | 'not_sustained' | 'unfounded';
  decidedAt?: Date;
  /** undefined: anonymous (no complainant row); null: a complainant without answers. */
  demographics?: Record<string, unknown> | null;
}

/** Every tag of a kind in a piece of HTML, as text without markup. */
const cells = (html: string, pattern: RegExp) =>
  [...html.matchAll(pattern)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );

/** The rows of the table whose caption includes `caption`: row heading → its cells. */
function tableRows(html: string, caption: string): Map<string, string[]> {
  const table = html.split('<table').find((part) => part.includes(caption));
  if (!table) throw new Error(`no table captioned '${caption}'`);
  const body = table.slice(0, table.indexOf('</table>'));
  const rows = new Map<string, string[]>();
  for (const [, row] of body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
    const head = cells(row!, /<th scope="row"[^>]*>([\s\S]*?)<\/th>/g)[0];
    if (head !== undefined) rows.set(head, cells(row!, /<td[^>]*>([\s\S]*?)<\/td>/g));
  }
  return rows;
}

/** The names of the flagged officers in the page's order. */
const flaggedNames = (html: string) => cells(html, /<h3 id="officer-[^"]+">([\s\S]*?)<\/h3>/g);

describe('staff: early intervention and the disparity view', () => {
  const database = useDatabase();
  const db = () => database.db;
  let app: Express;
  const as: Record<'supervisor' | 'investigator' | 'intake' | 'board' | 'admin' | 'adminSupervisor', Agent> =
    {} as never;
  let adminId: string;
  let supervisorId: string;
  const officers: Record<string, string> = {};
  const tracking: Record<string, string[]> = {};
  let planted = 0;

  async function plant(p: Plant): Promise<{ id: string; trackingNumber: string }> {
    planted += 1;
    const trackingNumber = `OC-EI${String(planted).padStart(5, '0')}`;
    const { id } = await db()
      .insertInto('complaints')
      .values(complaintRow(trackingNumber, { anonymous: p.demographics === undefined, received_at: p.receivedAt }))
      .returning('id')
      .executeTakeFirstOrThrow();
    if (p.demographics !== undefined) {
      await db()
        .insertInto('complainants')
        .values({
          complaint_id: id,
          role: 'complainant',
          name: 'Planted Resident',
          demographics: p.demographics === null ? null : JSON.stringify(p.demographics),
        })
        .execute();
    }
    await db()
      .insertInto('allegations')
      .values(
        (p.categories ?? ['discourtesy']).map((category) => ({
          complaint_id: id,
          officer_id: p.officerId,
          category,
          finding: p.finding ?? null,
          decided_at: p.decidedAt ?? null,
        })),
      )
      .execute();
    return { id, trackingNumber };
  }

  /** An officer and their planted complaints; the tracking numbers are kept by officer. */
  async function officerWith(key: string, last: string, complaints: Array<Omit<Plant, 'officerId'>>) {
    const { id } = await db()
      .insertInto('officers')
      .values({ badge_number: `EI-${key}`, first_name: 'Pat', last_name: last, district: 'north' })
      .returning('id')
      .executeTakeFirstOrThrow();
    officers[key] = id;
    tracking[key] = [];
    for (const c of complaints) tracking[key].push((await plant({ ...c, officerId: id })).trackingNumber);
  }

  const auditRows = (type: string) =>
    db().selectFrom('audit_events').selectAll().where('event_type', '=', type).orderBy('id').execute();
  const storedThresholds = async () =>
    (await db().selectFrom('settings').select('value').where('key', '=', THRESHOLDS_SETTING).executeTakeFirst())?.value;

  let statistics: () => Services['statistics'];
  before(async () => {
    const config = testConfig();
    const built = testApp(database.handle, {
      config,
      override: (base) => ({
        earlyIntervention: earlyInterventionService({
          db: database.db,
          audit: base.audit,
          timeZone: config.agencyTimeZone,
          clock: () => NOW,
        }),
      }),
    });
    app = built.app;
    await db()
      .insertInto('districts')
      .values({ code: 'north', name_en: 'North District', name_es: 'Distrito Norte' })
      .execute();
    for (const role of ['supervisor', 'investigator', 'intake', 'board'] as const) {
      const staff = await createStaff(db(), [role]);
      if (role === 'supervisor') supervisorId = staff.id;
      as[role] = await signIn(app, staff);
    }
    statistics = () => built.services.statistics;
    const admin = await signInAdmin(app, built.services, db(), ['admin']);
    as.admin = admin.agent;
    adminId = admin.admin.id;
    as.adminSupervisor = (await signInAdmin(app, built.services, db(), ['admin', 'supervisor'])).agent;

    // Complaints: 2 in 12 months is not enough, 3 is; one at 12 months and a day does not count;
    // three allegations on one complaint are one complaint.
    await officerWith('two', 'Twocomplaints', [
      { receivedAt: ago({ months: 1 }) },
      { receivedAt: ago({ months: 11 }) },
    ]);
    await officerWith('three', 'Threecomplaints', [
      { receivedAt: ago({ months: 1 }) },
      { receivedAt: ago({ months: 6 }) },
      { receivedAt: ago({ months: 11, days: 29 }) },
    ]);
    await officerWith('old', 'Oldcomplaint', [
      { receivedAt: ago({ months: 2 }) },
      { receivedAt: ago({ months: 3 }) },
      { receivedAt: ago({ months: 12, days: 1 }) },
    ]);
    await officerWith('same', 'Samecomplaint', [
      { receivedAt: ago({ months: 2 }), categories: ['discourtesy', 'offensive_language', 'other'] },
      { receivedAt: ago({ months: 4 }) },
    ]);
    // Force: 2 allegations flag, 1 does not; a force allegation at 12 months and a day does not count.
    await officerWith('force2', 'Twoforce', [
      { receivedAt: ago({ months: 5 }), categories: ['force'] },
      { receivedAt: ago({ months: 7 }), categories: ['force'] },
    ]);
    await officerWith('force1', 'Oneforce', [
      { receivedAt: ago({ months: 5 }), categories: ['force'] },
      { receivedAt: ago({ months: 12, days: 1 }), categories: ['force'] },
    ]);
    // Sustained: decided 23 months ago flags, 25 months ago does not.
    await officerWith('sus23', 'Sustainedrecent', [
      { receivedAt: ago({ months: 30 }), finding: 'sustained', decidedAt: ago({ months: 23 }) },
    ]);
    await officerWith('sus25', 'Sustainedold', [
      { receivedAt: ago({ months: 30 }), finding: 'sustained', decidedAt: ago({ months: 25 }) },
    ]);
    // Every threshold: 3 complaints, 2 of force (one complaint with two force allegations), a sustained finding.
    await officerWith('all', 'Everything', [
      { receivedAt: ago({ months: 1 }), categories: ['force', 'force'] },
      { receivedAt: ago({ months: 2 }) },
      { receivedAt: ago({ months: 3 }), finding: 'sustained', decidedAt: ago({ months: 1 }) },
    ]);
  });

  describe('the flags', () => {
    it('flags exactly the officers over a threshold, most thresholds first, with their counts and cases', async () => {
      const page = await as.supervisor.get('/staff/early-intervention').expect(200);
      expect(flaggedNames(page.text)).to.deep.equal([
        'Officer Pat Everything',
        'Officer Pat Threecomplaints',
        'Officer Pat Twoforce',
        'Officer Pat Sustainedrecent',
      ]);
      expect(page.text).to.include('Officers flagged: 4');
      // The rules, as the page explains them.
      expect(page.text).to.include('3 or more different complaints that name the officer in an allegation');
      expect(page.text).to.include('2 or more allegations that name the officer in these categories: Use of force');
      expect(page.text).to.include('1 or more allegations that name the officer with a sustained finding');
      expect(page.text).to.include('in the last 24 months');

      const section = (key: string) => {
        const start = page.text.indexOf(`id="officer-${officers[key]}"`);
        expect(start, key).to.be.greaterThan(-1);
        const end = page.text.indexOf('</section>', start);
        return page.text.slice(start, end);
      };
      const everything = section('all');
      expect(everything).to.include('Complaints: 3 (threshold 3)');
      expect(everything).to.include('Force allegations: 2 (threshold 2)');
      expect(everything).to.include('Sustained findings: 1 (threshold 1)');
      expect(everything).to.include('EI-all');
      expect(everything).to.include('North District');
      for (const number of tracking['all']!) expect(everything).to.include(number);
      const { id: caseId } = await db()
        .selectFrom('complaints')
        .select('id')
        .where('tracking_number', '=', tracking['all']![0]!)
        .executeTakeFirstOrThrow();
      expect(everything).to.include(`href="/staff/cases/${caseId}"`);
      expect(everything).to.include('Use of force');
      expect(everything).to.include('Sustained');

      const three = section('three');
      expect(three).to.include('Complaints: 3 (threshold 3)');
      expect(three).to.match(/Other counts[\s\S]*Force allegations: 0 \(threshold 2\)/);
      for (const number of tracking['three']!) expect(three).to.include(number);
      expect(section('force2')).to.include('Force allegations: 2 (threshold 2)');
      expect(section('sus23')).to.include('Sustained findings: 1 (threshold 1)');
      expect(section('sus23')).to.include(tracking['sus23']![0]!);

      for (const key of ['two', 'old', 'same', 'force1', 'sus25']) {
        expect(page.text, key).not.to.include(`officer-${officers[key]}`);
      }

      const spanish = await as.supervisor.get('/staff/early-intervention?lang=es').expect(200);
      await as.supervisor.get('/staff/account?lang=en').expect(200);
      expect(spanish.text).to.include('Agentes señalados: 4');
      expect(spanish.text).to.include('Quejas: 3 (umbral 3)');
      expect(spanish.text).to.include('los últimos 24 meses');
    });

    it('leads with a summary: each flagged officer, the thresholds reached in words, the counts, a link to the detail', async () => {
      const page = await as.supervisor.get('/staff/early-intervention').expect(200);
      const summary = tableRows(page.text, 'Why each officer is flagged');
      expect([...summary]).to.deep.equal([
        [
          'Pat Everything Badge EI-all',
          [
            '3 complaints in the last 12 months (threshold 3) 2 force allegations in the last 12 months (threshold 2)' +
              ' 1 sustained finding in the last 24 months (threshold 1)',
            '3',
            '2',
            '1',
          ],
        ],
        ['Pat Threecomplaints Badge EI-three', ['3 complaints in the last 12 months (threshold 3)', '3', '0', '0']],
        ['Pat Twoforce Badge EI-force2', ['2 force allegations in the last 12 months (threshold 2)', '2', '2', '0']],
        [
          'Pat Sustainedrecent Badge EI-sus23',
          ['1 sustained finding in the last 24 months (threshold 1)', '0', '0', '1'],
        ],
      ]);
      // Before the rules and the detail; each row links to its officer's section, whose cases are folded away.
      const at = page.text.indexOf('Why each officer is flagged');
      expect(at).to.be.below(page.text.indexOf('How officers are flagged'));
      for (const key of ['all', 'three', 'force2', 'sus23']) {
        expect(page.text).to.include(`<a class="usa-link" href="#officer-${officers[key]}">`);
        expect(page.text.indexOf(`id="officer-${officers[key]}"`)).to.be.greaterThan(at);
      }
      expect(page.text.match(/<details class="app-details app-flag-cases">/g)).to.have.length(4);
      expect(page.text).to.include('Show the allegations behind the counts (3)');
      expect(page.text).to.include('Show the allegations behind the counts (1)');

      const spanish = await as.supervisor.get('/staff/early-intervention?lang=es').expect(200);
      await as.supervisor.get('/staff/account?lang=en').expect(200);
      const resumen = tableRows(spanish.text, 'Por qué se señala a cada agente');
      expect(resumen.get('Pat Everything Placa EI-all')![0]).to.equal(
        '3 quejas en los últimos 12 meses (umbral 3) 2 alegaciones de uso de la fuerza en los últimos 12 meses (umbral 2)' +
          ' 1 determinación fundada en los últimos 24 meses (umbral 1)',
      );
      expect(spanish.text).to.include('Mostrar las alegaciones que componen los recuentos (3)');
    });

    it('records one audit event per view, naming officers by id only', async () => {
      const before = (await auditRows('earlyIntervention.read')).length;
      await as.supervisor.get('/staff/early-intervention').expect(200);
      const rows = await auditRows('earlyIntervention.read');
      expect(rows).to.have.length(before + 1);
      const event = rows.at(-1)!;
      expect(event.actor_id).to.equal(supervisorId);
      const details = event.details as { flagged: number; officers: string[] };
      expect(details.flagged).to.equal(4);
      expect(details.officers).to.have.members([
        officers['all'],
        officers['three'],
        officers['force2'],
        officers['sus23'],
      ]);
      const text = JSON.stringify(event.details);
      expect(text).not.to.match(/Everything|Threecomplaints|OC-EI|EI-all|Planted/);
    });

    it('follows changed thresholds, and falls back to the defaults when the stored value is no longer valid', async () => {
      try {
        await putSetting(db(), THRESHOLDS_SETTING, {
          complaints: { count: 2, months: 12 },
          force: { count: 1, months: 13, categories: ['force'] },
          sustained: { count: 1, months: 26 },
        });
        const page = await as.supervisor.get('/staff/early-intervention').expect(200);
        const names = flaggedNames(page.text);
        expect(names).to.include.members([
          'Officer Pat Twocomplaints',
          'Officer Pat Oldcomplaint',
          'Officer Pat Samecomplaint',
          'Officer Pat Oneforce',
          'Officer Pat Sustainedold',
        ]);
        expect(names).to.have.length(9);
        expect(page.text).to.include('Force allegations: 2 (threshold 1)');

        await putSetting(db(), THRESHOLDS_SETTING, {
          complaints: { count: 0, months: 12 },
          force: { count: 1, months: 12, categories: ['force'] },
          sustained: { count: 1, months: 24 },
        });
        const fallback = await as.supervisor.get('/staff/early-intervention').expect(200);
        expect(flaggedNames(fallback.text)).to.have.length(4);
        await putSetting(db(), THRESHOLDS_SETTING, {
          complaints: { count: 2, months: 12 },
          force: { count: 1, months: 12, categories: ['no_such_category'] },
          sustained: { count: 1, months: 24 },
        });
        const unknown = await as.supervisor.get('/staff/early-intervention').expect(200);
        expect(flaggedNames(unknown.text)).to.have.length(4);
        expect(unknown.text).to.include('3 or more different complaints');
      } finally {
        await db().deleteFrom('settings').where('key', '=', THRESHOLDS_SETTING).execute();
      }
    });

    it('counts a window to the minute: its first day in part, today whole (#18)', async () => {
      const start = ago({ months: 12 });
      const minute = 60_000;
      await officerWith('edge', 'Edgeofwindow', [
        { receivedAt: new Date(start.getTime() + minute) },
        { receivedAt: new Date(start.getTime() - minute) },
        { receivedAt: ago({ months: 6 }) },
        { receivedAt: new Date(NOW.getTime() - minute) },
      ]);
      try {
        const page = await as.supervisor.get('/staff/early-intervention').expect(200);
        const at = page.text.indexOf(`id="officer-${officers['edge']}"`);
        expect(at).to.be.greaterThan(-1);
        const section = page.text.slice(at, page.text.indexOf('</section>', at));
        expect(section).to.include('Complaints: 3 (threshold 3)');
        expect(section).not.to.include(tracking['edge']![1]!);
      } finally {
        await db().deleteFrom('allegations').where('officer_id', '=', officers['edge']!).execute();
        await db().deleteFrom('complaints').where('tracking_number', 'in', tracking['edge']!).execute();
        await db().deleteFrom('officers').where('id', '=', officers['edge']!).execute();
      }
    });

    it('lists the newest 10 allegations of an officer, and links to the rest', async () => {
      await officerWith(
        'many',
        'Manycomplaints',
        Array.from({ length: 52 }, (_, i) => ({ receivedAt: ago({ days: 3 + i }) })),
      );
      try {
        const page = await as.supervisor.get('/staff/early-intervention').expect(200);
        // One threshold reached, with more complaints than the others that reach one: after Everything.
        expect(flaggedNames(page.text).slice(0, 3)).to.deep.equal([
          'Officer Pat Everything',
          'Officer Pat Manycomplaints',
          'Officer Pat Threecomplaints',
        ]);
        const start = page.text.indexOf(`id="officer-${officers['many']}"`);
        const section = page.text.slice(start, page.text.indexOf('</section>', start));
        expect(section).to.include('Complaints: 52 (threshold 3)');
        expect(section.match(/<th scope="row"/g)).to.have.length(10);
        expect(section).to.include(tracking['many']![0]!);
        expect(section).to.include(tracking['many']![9]!);
        expect(section).not.to.include(tracking['many']![10]!);
        expect(section).to.include('The newest 10 allegations are listed.');
        expect(section).to.include(`href="/staff/officers/${officers['many']}"`);
      } finally {
        await db().deleteFrom('allegations').where('officer_id', '=', officers['many']!).execute();
        await db().deleteFrom('complaints').where('tracking_number', 'in', tracking['many']!).execute();
        await db().deleteFrom('officers').where('id', '=', officers['many']!).execute();
      }
    });

    it('does not exist for investigators, intake, board members or admins who are not supervisors', async () => {
      for (const agent of [as.investigator, as.intake, as.board, as.admin]) {
        for (const path of [
          '/staff/early-intervention',
          '/staff/early-intervention/disparity',
          '/staff/early-intervention/disparity?from=2024-01-01',
        ]) {
          const res = await agent.get(path);
          expect(res.status, path).to.equal(404);
          expect(res.text).not.to.include('Threecomplaints');
        }
      }
      await as.adminSupervisor.get('/staff/early-intervention').expect(200);
      await as.adminSupervisor.get('/staff/early-intervention/disparity').expect(200);
      const nav = await as.supervisor.get('/staff/cases').expect(200);
      expect(nav.text).to.include('href="/staff/early-intervention"');
      const noNav = await as.investigator.get('/staff/cases').expect(200);
      expect(noNav.text).not.to.include('href="/staff/early-intervention"');
      expect((await as.supervisor.get('/staff/early-intervention?page=0')).status).to.equal(404);
      expect((await as.supervisor.get('/staff/early-intervention?sort=x')).status).to.equal(404);
      expect((await as.supervisor.get('/staff/early-intervention?page=2')).status).to.equal(404);
    });
  });

  describe('the thresholds (admin)', () => {
    const form = (values: Record<string, string | string[]> = {}) => ({
      complaintsCount: '4',
      complaintsMonths: '6',
      forceCount: '1',
      forceMonths: '18',
      forceCategories: ['force', 'abuse_of_authority'],
      sustainedCount: '2',
      sustainedMonths: '36',
      ...values,
    });
    const post = async (values: Record<string, unknown>, query = '') => {
      const page = await as.admin.get('/staff/admin/early-intervention').expect(200);
      return as.admin
        .post(`/staff/admin/early-intervention${query}`)
        .type('form')
        .send({ _csrf: csrfOf(page.text), ...values });
    };

    afterEach(async () => {
      await db().deleteFrom('settings').where('key', '=', THRESHOLDS_SETTING).execute();
      await as.admin.get('/staff/account?lang=en').expect(200);
    });

    it('is for admins only, and is linked from the administration home', async () => {
      for (const agent of [as.supervisor, as.investigator, as.intake, as.board]) {
        expect((await agent.get('/staff/admin/early-intervention')).status).to.equal(404);
      }
      const home = await as.admin.get('/staff/admin').expect(200);
      expect(home.text).to.include('href="/staff/admin/early-intervention"');
      const page = await as.admin.get('/staff/admin/early-intervention').expect(200);
      expect(page.text).to.match(/name="complaintsCount" type="text" value="3"/);
      expect(page.text).to.match(/name="sustainedMonths" type="text" value="24"/);
      expect(page.text).to.match(/name="forceCategories" value="force" checked/);
      expect(page.text).not.to.match(/name="forceCategories" value="discourtesy" checked/);
    });

    it('saves valid thresholds, records the change, and the flags follow them', async () => {
      const before = (await auditRows('earlyIntervention.settings.change')).length;
      const res = await post(form({ complaintsCount: '2', complaintsMonths: '12' }));
      expect(res.status, res.text.slice(0, 500)).to.equal(303);
      expect(res.headers['location']).to.equal('/staff/admin/early-intervention');
      expect(await storedThresholds()).to.deep.equal({
        complaints: { count: 2, months: 12 },
        force: { count: 1, months: 18, categories: ['force', 'abuse_of_authority'] },
        sustained: { count: 2, months: 36 },
      });
      const rows = await auditRows('earlyIntervention.settings.change');
      expect(rows).to.have.length(before + 1);
      expect(rows.at(-1)!.actor_id).to.equal(adminId);
      expect(rows.at(-1)!.details).to.deep.include({ complaintsCount: 2, forceMonths: 18, sustainedCount: 2 });
      const after = await as.admin.get('/staff/admin/early-intervention').expect(200);
      expect(after.text).to.include('The early intervention thresholds were saved.');
      expect(after.text).to.match(/name="forceCategories" value="abuse_of_authority" checked/);

      const flags = await as.supervisor.get('/staff/early-intervention').expect(200);
      const names = flaggedNames(flags.text);
      // Two complaints now flag; a single force allegation in 18 months does; one sustained finding no longer does.
      expect(names).to.include.members(['Officer Pat Twocomplaints', 'Officer Pat Oneforce']);
      expect(names).not.to.include('Officer Pat Sustainedrecent');
      expect(flags.text).to.include('Use of force, Abuse of authority');
    });

    it('refuses bad input with a 400 and an error summary, in English and Spanish, and stores nothing', async () => {
      const before = (await auditRows('earlyIntervention.settings.change')).length;
      const bad = form({
        complaintsCount: '0',
        complaintsMonths: '121',
        forceCount: '2.5',
        forceMonths: '',
        forceCategories: [],
        sustainedCount: 'abc',
      });
      const res = await post(bad);
      expect(res.status).to.equal(400);
      expect(res.text).to.include('id="error-summary"');
      expect(errorsOf(res.text)).to.deep.equal([
        'Enter a whole number from 1 to 100',
        'Enter a whole number of months from 1 to 120',
        'Enter a whole number from 1 to 100',
        'Enter a whole number of months from 1 to 120',
        'Choose at least one category that counts as force',
        'Enter a whole number from 1 to 100',
      ]);
      expect(res.text).to.include('href="#field-forceCategories"');
      expect(res.text).to.match(/name="complaintsMonths" type="text" value="121"/);

      const spanish = await post(bad, '?lang=es');
      expect(spanish.status).to.equal(400);
      expect(errorsOf(spanish.text)).to.include.members([
        'Escriba un número entero del 1 al 100',
        'Escriba un número entero de meses del 1 al 120',
        'Elija al menos una categoría que cuente como uso de la fuerza',
      ]);

      for (const values of [
        form({ forceCategories: ['nope'] }),
        form({ sustainedMonths: '-1' }),
        { ...form(), extra: 'x' },
      ]) {
        expect((await post(values)).status, JSON.stringify(values)).to.equal(400);
      }
      expect(await storedThresholds()).to.equal(undefined);
      expect(await auditRows('earlyIntervention.settings.change')).to.have.length(before);
    });
  });

  describe('the disparity view', () => {
    const WINDOW = '/staff/early-intervention/disparity?from=2024-01-01&to=2024-12-31';
    const inWindow = (day: number) => new Date(Date.UTC(2024, 4, day, 18));

    before(async () => {
      // 7 men (Black), all decided, 6 sustained; 3 women (Black and White), decided not sustained;
      // 4 complainants who gave no answers and 2 anonymous complaints; one complaint just outside.
      for (let i = 0; i < 7; i++) {
        await plant({
          officerId: null,
          receivedAt: inWindow(i + 1),
          demographics: { gender: 'man', races: ['black'] },
          finding: i < 6 ? 'sustained' : 'not_sustained',
          decidedAt: inWindow(20),
        });
      }
      for (let i = 0; i < 3; i++) {
        await plant({
          officerId: null,
          receivedAt: inWindow(i + 10),
          demographics: { gender: 'woman', races: ['black', 'white'], ageRange: '25_34' },
          finding: 'not_sustained',
          decidedAt: inWindow(20),
        });
      }
      for (let i = 0; i < 4; i++) await plant({ officerId: null, receivedAt: inWindow(15), demographics: null });
      for (let i = 0; i < 2; i++) await plant({ officerId: null, receivedAt: inWindow(16) });
      await plant({
        officerId: null,
        receivedAt: new Date('2025-01-01T07:30:00Z'), // 31 December 2024, 11:30 p.m. in Los Angeles: inside
        demographics: { gender: 'woman', races: ['asian'] },
      });
      await plant({
        officerId: null,
        receivedAt: new Date('2024-01-01T07:00:00Z'), // 31 December 2023, 11 p.m. in Los Angeles: outside
        demographics: { gender: 'woman', races: ['asian'] },
      });
    });

    it('counts complaints by group with the small-cell rule, and "not provided" as its own row', async () => {
      const page = await as.supervisor.get(WINDOW).expect(200);
      expect(page.text).to.include('Complaints received from January 1, 2024 to December 31, 2024');
      const total = tableRows(page.text, 'All complaints received in the period');
      // 17 complaints → 15; 10 decided → 10; 6 sustained → 5; 5 of 10 → 50%.
      expect(total.get('All complaints')).to.deep.equal(['15', '10', '5', '50%']);

      const gender = tableRows(page.text, 'gender</caption>');
      expect(gender.get('Man')).to.deep.equal(['5', '5', '5', '100%']);
      expect(gender.get('Woman')).to.deep.equal(['fewer than 5', 'fewer than 5', '0', 'not shown']);
      expect(gender.get('Not provided')).to.deep.equal(['5', '0', '0', 'not shown']);
      expect(gender.get('Non-binary')).to.deep.equal(['0', '0', '0', 'not shown']);

      const race = tableRows(page.text, 'race or ethnicity</caption>');
      expect(race.get('Black or African American')).to.deep.equal(['10', '10', '5', '50%']);
      expect(race.get('White')).to.deep.equal(['fewer than 5', 'fewer than 5', '0', 'not shown']);
      expect(race.get('Asian')).to.deep.equal(['fewer than 5', '0', '0', 'not shown']);
      expect(race.get('Not provided')).to.deep.equal(['5', '0', '0', 'not shown']);

      const age = tableRows(page.text, 'age</caption>');
      expect(age.get('25 to 34')).to.deep.equal(['fewer than 5', 'fewer than 5', '0', 'not shown']);
      expect(age.get('Not provided')).to.deep.equal(['15', '5', '5', '100%']);
      expect([...age.keys()]).to.have.length(9);
      // No raw small count anywhere in a table.
      for (const table of [total, gender, race, age]) {
        for (const row of table.values()) {
          for (const cell of row.slice(0, 3)) expect(cell).to.match(/^(0|fewer than 5|\d*[05])$/);
        }
      }

      const spanish = await as.supervisor.get(`${WINDOW}&lang=es`).expect(200);
      await as.supervisor.get('/staff/account?lang=en').expect(200);
      const género = tableRows(spanish.text, 'género del denunciante</caption>');
      expect(género.get('Mujer')).to.deep.equal(['menos de 5', 'menos de 5', '0', 'no se muestra']);
      expect(género.get('Sin respuesta')).to.deep.equal(['5', '0', '0', 'no se muestra']);
    });

    it('reads the same figures from the days the statistics refresh keeps (#18 item 1)', async () => {
      const captions = [
        'All complaints received in the period',
        'gender</caption>',
        'race or ethnicity</caption>',
        'age</caption>',
      ];
      const figures = (html: string) => captions.map((caption) => [...tableRows(html, caption).entries()]);
      const counted = figures((await as.supervisor.get(WINDOW).expect(200)).text);
      await statistics().refresh();
      const kept = await db().selectFrom('disparity_days').select('day').execute();
      expect(kept.length).to.be.greaterThan(0);
      expect(figures((await as.supervisor.get(WINDOW).expect(200)).text)).to.deep.equal(counted);
    });

    it('shows the last 12 months by default', async () => {
      const page = await as.supervisor.get('/staff/early-intervention/disparity').expect(200);
      expect(page.text).to.include('Complaints received from June 15, 2025 to June 15, 2026');
      expect(page.text).to.include('value="2025-06-15"');
      // The flags' complaints of the last 12 months, all anonymous: not provided.
      const gender = tableRows(page.text, 'gender</caption>');
      expect(gender.get('Man')).to.deep.equal(['0', '0', '0', 'not shown']);
      expect(gender.get('Not provided')![0]).to.equal('15');
    });

    it('refuses a bad window with a 400 and an error summary, in English and Spanish', async () => {
      for (const [query, message] of [
        ['from=2024-13-01', 'Enter a real date as year-month-day, for example 2025-01-31'],
        ['from=yesterday&to=2024-01-01', 'Enter a real date as year-month-day, for example 2025-01-31'],
        ['from=2024-02-30', 'Enter a real date as year-month-day, for example 2025-01-31'],
        ['from=2024-05-01&to=2024-04-30', 'The end of the period must be the same day as its start or later'],
        ['from=2026-07-01', 'The start of the period must be today or earlier, or give its end too'],
        ['window=all', 'This form does not have that field'],
      ] as const) {
        const res = await as.supervisor.get(`/staff/early-intervention/disparity?${query}`);
        expect(res.status, query).to.equal(400);
        expect(res.text, query).to.include('id="error-summary"');
        if (!query.startsWith('window')) expect(errorsOf(res.text), query).to.include(message);
        expect(res.text, query).not.to.include('<table');
      }
      const spanish = await as.supervisor.get('/staff/early-intervention/disparity?from=2024-13-01&lang=es');
      await as.supervisor.get('/staff/account?lang=en').expect(200);
      expect(spanish.status).to.equal(400);
      expect(errorsOf(spanish.text)).to.include('Escriba una fecha real como año-mes-día, por ejemplo 2025-01-31');
    });
  });
});
