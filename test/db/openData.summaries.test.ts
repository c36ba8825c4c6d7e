import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import type { Services } from '../../server/compose.js';
import type { Discipline } from '../../server/domain/vocabulary.js';
import {
  openDataDocument,
  responseRow,
  SUMMARY_DATASETS,
  trustRow,
} from '../../server/features/transparency/openData.schemas.js';
import { testApp } from '../support/app.js';
import { csvRows, getDownload as get, type CsvRow } from '../support/download.js';
import { useDatabase } from '../support/database.js';

// The department's responses and the community trust survey as open data (#19 part 6).

const PASSWORD = 'open-data-summaries-password-1';
const RESPONSE_COLUMNS = 'year,measure,category,discipline,value';
const TRUST_COLUMNS = 'wave_start,wave_end,district,statement,respondents,average';
const YEAR = '2025';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

type Row = CsvRow;

/** A file's value as the dashboard's cell holds it: null when withheld. */
const shown = (value: string | number | undefined) =>
  value === undefined || value === 'suppressed' ? null : Number(value);

describe("open data: the department's responses and the community trust survey (#19 part 6)", () => {
  const database = useDatabase({ demo: true });
  let app: Express;
  let services: Services;
  const trackingNumbers: string[] = [];
  const caseIds: string[] = [];
  const files: Record<string, string> = {};

  const db = () => database.db;

  /** A complaint in one category whose allegation was sustained and answered by the department. */
  const answered = async (category: string, concurred: boolean, discipline: Discipline, overdue = false) => {
    const filed = await request(app)
      .post('/api/v1/complaints')
      .send({
        language: 'en',
        narrative: 'CANARY-NARRATIVE what happened.',
        district: 'north',
        categories: [category],
        about: { filing: 'self', name: 'Canarina Person', email: 'canarina@example.com', preferredContact: 'email' },
        consent: true,
        truthful: true,
      })
      .expect(201);
    const tracking = filed.body.trackingNumber as string;
    trackingNumbers.push(tracking);
    const { id } = await db()
      .selectFrom('complaints')
      .select('id')
      .where('tracking_number', '=', tracking)
      .executeTakeFirstOrThrow();
    caseIds.push(id);
    const officer = await db()
      .insertInto('officers')
      .values({ first_name: 'Corvina', last_name: 'Canarywing', badge_number: `CANARY-${caseIds.length}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    const allegation = await db()
      .updateTable('allegations')
      .set({ officer_id: officer.id, finding: 'sustained', decided_at: new Date(`${YEAR}-02-01T12:00:00Z`) })
      .where('complaint_id', '=', id)
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('department_responses')
      .values({
        complaint_id: id,
        allegation_id: allegation.id,
        concurred,
        discipline,
        responded_on: `${YEAR}-03-10`,
        note: 'CANARY-NOTE internal',
      })
      .execute();
    if (overdue) {
      await db()
        .insertInto('deadlines')
        .values({
          complaint_id: id,
          kind: 'department_response',
          starts_at: new Date(`${YEAR}-04-01T12:00:00Z`),
          due_at: new Date(`${YEAR}-05-01T12:00:00Z`),
          warn_at: null,
          status: 'breached',
          tolled_at: null,
          tolled_reason: null,
          next_check_at: null,
          completed_at: null,
        })
        .execute();
    }
  };

  before(async () => {
    ({ app, services } = testApp(database.handle));
    await services.demo.ensureDemoData(PASSWORD);
    // 12 use-of-force findings answered with a written reprimand (8 concurring, 6 of them overdue
    // first) and 3 discourtesy findings answered with counselling: a group too small to show.
    for (let i = 0; i < 12; i++) await answered('force', i < 8, 'written_reprimand', i < 6);
    for (let i = 0; i < 3; i++) await answered('discourtesy', true, 'counselling_training');
    await services.statistics.refresh();

    // A wave that is over: 7 answers in the north, 3 in the south, 1 with no district.
    const admin = await db().selectFrom('users').select('id').executeTakeFirstOrThrow();
    const wave = await db()
      .insertInto('trust_waves')
      .values({
        opens_on: '2024-04-01',
        closes_on: '2024-04-30',
        items: ['respect', 'knowHow'],
        asks_demographics: false,
        created_by: admin.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const cells = [
      ['north', '', 7, 0],
      ['north', 'respect', 7, 28],
      ['north', 'knowHow', 4, 8],
      ['south', '', 3, 0],
      ['south', 'respect', 3, 6],
      ['unknown', '', 1, 0],
      ['unknown', 'respect', 1, 5],
    ] as const;
    await db()
      .insertInto('trust_results')
      .values(
        cells.map(([district, item, answers, sum]) => ({ wave_id: wave.id, district, item, answers, score_sum: sum })),
      )
      .execute();

    for (const { name } of SUMMARY_DATASETS) {
      for (const format of ['csv', 'json']) {
        files[`${name}.${format}`] = (await get(app, `/data/${name}.${format}`).expect(200)).body as string;
      }
    }
  });

  const responses = () => csvRows(files['responses.csv']!);
  const trust = () => csvRows(files['trust.csv']!);
  const value = (rows: Row[], match: Partial<Row>) => {
    const found = rows.filter((r) => Object.entries(match).every(([k, v]) => r[k] === v));
    expect(found, JSON.stringify(match)).to.have.length(1);
    return found[0]!['value'] ?? found[0]!['average'];
  };

  it('the CSV headers are stable, and every line has as many fields', () => {
    expect(files['responses.csv']!.split('\r\n')[0]).to.equal(RESPONSE_COLUMNS);
    expect(files['trust.csv']!.split('\r\n')[0]).to.equal(TRUST_COLUMNS);
    for (const name of ['responses.csv', 'trust.csv']) {
      const lines = files[name]!.split('\r\n');
      expect(lines.at(-1)).to.equal('');
      for (const line of lines.slice(1, -1)) expect(line.split(',')).to.have.length(lines[0]!.split(',').length);
    }
  });

  it('the JSON holds the same rows as the CSV, typed, in the documented shape', async () => {
    for (const [name, row] of [
      ['responses', responseRow],
      ['trust', trustRow],
    ] as const) {
      const doc = JSON.parse(files[`${name}.json`]!) as {
        lastUpdated: string | null;
        rows: Array<Record<string, unknown>>;
      };
      expect(Object.keys(doc)).to.deep.equal(['lastUpdated', 'rows']);
      openDataDocument(row).parse(doc);
      const asStrings = doc.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])));
      expect(asStrings).to.deep.equal(csvRows(files[`${name}.csv`]!));
      expect(doc.rows.length).to.be.greaterThan(5);
    }
    const updated = (await services.statistics.lastUpdated())!;
    expect(JSON.parse(files['responses.json']!).lastUpdated).to.equal(updated.toISOString());
    expect(JSON.parse(files['trust.json']!).lastUpdated).to.equal(null);
  });

  it("the responses match the dashboard's figures for each year", async () => {
    const rows = responses();
    const years = [...new Set(rows.map((r) => r['year']!))];
    expect(years).to.include(YEAR);
    for (const year of years) {
      const view = await services.dashboard.dashboard({ from: `${year}-01`, to: `${year}-12` }, 'en');
      const f = view.model.responses;
      const of = (measure: string, category = 'all', discipline = 'all') =>
        shown(
          rows.find(
            (r) =>
              r['year'] === year &&
              r['measure'] === measure &&
              r['category'] === category &&
              r['discipline'] === discipline,
          )?.['value'],
        );
      expect(of('responded'), year).to.equal(f.responded.value);
      expect(of('concurred'), year).to.equal(f.concurred.value);
      expect(of('overdue'), year).to.equal(f.overdue.value);
      if (f.responded.value !== 0) expect(of('concurrence_percent'), year).to.equal(f.concurrence.value);
      f.totals.forEach((cell, i) => expect(of('discipline', 'all', disciplineAt(i))).to.equal(cell.value));
      for (const category of f.byCategory) {
        category.cells.forEach((cell, i) =>
          expect(of('discipline', category.key, disciplineAt(i)), `${year} ${category.key}`).to.equal(cell.value),
        );
      }
      const categories = new Set(
        rows.filter((r) => r['year'] === year && r['category'] !== 'all').map((r) => r['category']),
      );
      expect([...categories]).to.deep.equal(f.byCategory.map((c) => c.key));
    }
  });

  const disciplineAt = (i: number) => SUMMARY_DATASETS[0].codeLists[1].codes[i]!;

  it('withholds small cells: 3 discourtesy responses and 4 dissents show as suppressed, no count 1 to 4 anywhere', () => {
    const rows = responses().filter((r) => r['year'] === YEAR);
    expect(value(rows, { measure: 'responded' })).to.equal('15');
    expect(value(rows, { measure: 'concurred' })).to.equal('10');
    expect(value(rows, { measure: 'not_concurred' })).to.equal('suppressed');
    expect(value(rows, { measure: 'concurrence_percent' })).to.equal('67');
    expect(value(rows, { measure: 'overdue' })).to.equal('5');
    expect(value(rows, { measure: 'discipline', category: 'force', discipline: 'written_reprimand' })).to.equal('10');
    expect(
      value(rows, { measure: 'discipline', category: 'discourtesy', discipline: 'counselling_training' }),
    ).to.equal('suppressed');
    expect(value(rows, { measure: 'discipline', category: 'discourtesy', discipline: 'none' })).to.equal('0');
    for (const r of responses().filter((row) => row['measure'] !== 'concurrence_percent')) {
      expect(r['value'], JSON.stringify(r)).to.match(/^(0|[1-9]\d*[05]|5|suppressed)$/);
    }
    for (const r of trust()) expect(r['respondents'], JSON.stringify(r)).to.match(/^(0|[1-9]\d*[05]|5|suppressed)$/);
  });

  it('publishes each wave that is over, by district, averages only over 5 answers', async () => {
    const rows = trust().filter((r) => r['wave_start'] === '2024-04-01');
    expect(rows.map((r) => [r['district'], r['statement'], r['respondents'], r['average']])).to.deep.equal([
      ['all', 'respect', '10', '3.5'],
      ['all', 'knowHow', '10', 'suppressed'],
      ['north', 'respect', '5', '4'],
      ['north', 'knowHow', '5', 'suppressed'],
      ['south', 'respect', 'suppressed', 'suppressed'],
      ['south', 'knowHow', 'suppressed', 'suppressed'],
      ['unknown', 'respect', 'suppressed', 'suppressed'],
      ['unknown', 'knowHow', 'suppressed', 'suppressed'],
    ]);
    expect(rows.every((r) => r['wave_end'] === '2024-04-30')).to.equal(true);
    // The demo's open wave is not published; its closed one is.
    const today = services.trustWaves.today();
    const open = await db()
      .selectFrom('trust_waves')
      .select('opens_on')
      .where('closed_at', 'is', null)
      .where('closes_on', '>=', today)
      .execute();
    expect(open).to.have.length(1);
    const starts = new Set(trust().map((r) => r['wave_start']));
    expect(starts.size).to.equal(2);
    expect(starts.has(open[0]!.opens_on)).to.equal(false);
  });

  it("the trust results match the dashboard's figures", async () => {
    const view = await services.trustResults.results('en');
    const rows = trust();
    const waves = [...new Set(rows.map((r) => r['wave_start']))];
    expect(waves.slice(-view.waves.length)).to.have.length(view.waves.length);
    const recent = waves.slice(-view.waves.length);
    view.waves.forEach((wave, i) => {
      const whole = rows.filter((r) => r['wave_start'] === recent[i] && r['district'] === 'all');
      for (const r of whole) expect(shown(r['respondents'])).to.equal(wave.respondents.value);
      for (const item of view.items) {
        const r = whole.find((row) => row['statement'] === item.code);
        if (r) expect(shown(r['average']), `${recent[i]} ${item.code}`).to.equal(item.cells[i]!.value);
        else expect(item.cells[i]!.value).to.equal(null);
      }
    });
    const latest = rows.filter((r) => r['wave_start'] === recent.at(-1) && r['district'] !== 'all');
    view.districts!.districts.forEach((d, i) => {
      const mine = latest.filter((r) => r['district'] === d.key);
      if (d.respondents.value === 0) return expect(mine).to.deep.equal([]);
      for (const item of view.districts!.items) {
        const r = mine.find((row) => row['statement'] === item.code)!;
        expect(shown(r['respondents'])).to.equal(d.respondents.value);
        expect(shown(r['average']), `${d.key} ${item.code}`).to.equal(item.cells[i]!.value);
      }
    });
  });

  it('are downloads (R20): content type, attachment, nosniff; Last-Modified only for the responses', async () => {
    const updated = (await services.statistics.lastUpdated())!;
    for (const { name } of SUMMARY_DATASETS) {
      for (const [format, type] of [
        ['csv', 'text/csv; charset=utf-8'],
        ['json', 'application/json; charset=utf-8'],
      ] as const) {
        for (const res of [
          await get(app, `/data/${name}.${format}`),
          await request(app).head(`/data/${name}.${format}`),
        ]) {
          expect(res.status).to.equal(200);
          expect(res.headers['content-type']).to.equal(type);
          expect(res.headers['content-disposition']).to.equal(`attachment; filename="${name}.${format}"`);
          expect(res.headers['x-content-type-options']).to.equal('nosniff');
          expect(res.headers['content-security-policy']).to.include('sandbox');
          expect(res.headers['last-modified']).to.equal(name === 'responses' ? updated.toUTCString() : undefined);
        }
      }
    }
  });

  it('name no officer, case, tracking number, note or person', () => {
    for (const text of Object.values(files)) {
      expect(text).not.to.match(/canar|corvina/i);
      expect(text).not.to.match(UUID);
      expect(text).not.to.match(/\bOC-[2-9A-Z]{4}-[2-9A-Z]{4}\b/);
      expect(text).not.to.include('Letter from the chief');
      for (const tracking of trackingNumbers) expect(text).not.to.include(tracking);
      for (const id of caseIds) expect(text).not.to.include(id);
    }
  });

  it('/data links both and explains every column and code, in English', async () => {
    const html = (await request(app).get('/data?lang=en').expect(200)).text;
    for (const { name } of SUMMARY_DATASETS) {
      expect(html).to.include(`href="/data/${name}.csv"`);
      expect(html).to.include(`href="/data/${name}.json"`);
      expect(html).to.include(`<h2 id="${name}">`);
    }
    for (const column of [...RESPONSE_COLUMNS.split(','), ...TRUST_COLUMNS.split(',')])
      expect(html).to.include(`<code>${column}</code>`);
    for (const code of ['concurrence_percent', 'not_concurred', 'overdue', 'written_reprimand', 'knowHow'])
      expect(html).to.include(`<code>${code}</code>`);
    expect(html).to.include('The department&#39;s responses to sustained findings');
    expect(html).to.include('Community trust survey results');
    expect(html).to.include('Written reprimand');
    expect(html).to.include('I know how to make a complaint about a police officer.');
    expect(html).to.include('a count from 1 to 4 reads suppressed');
    expectNoPii(html);
  });

  it('/data explains them in Spanish', async () => {
    const html = (await request(app).get('/data?lang=es').expect(200)).text;
    expect(html).to.include('Las respuestas del departamento a las conclusiones fundadas');
    expect(html).to.include('Resultados de la encuesta comunitaria de confianza');
    expect(html).to.include('Amonestación por escrito'.slice(0, 4));
    expect(html).to.include('<code>concurrence_percent</code>');
    expect(html).not.to.include('Written reprimand');
    expect(html).not.to.include('Community trust survey results');
    expectNoPii(html);
  });

  const expectNoPii = (html: string) => {
    expect(html).not.to.match(/canar|corvina/i);
    for (const tracking of trackingNumbers) expect(html).not.to.include(tracking);
  };

  it('the OpenAPI document describes every download, from the same schemas', async () => {
    const doc = (await request(app).get('/api/v1/openapi.json').expect(200)).body as {
      paths: Record<
        string,
        {
          servers: Array<{ url: string }>;
          get: {
            responses: Record<
              string,
              { content: Record<string, { schema: { properties: Record<string, { items: { required: string[] } }> } }> }
            >;
          };
        }
      >;
    };
    for (const name of ['complaints', ...SUMMARY_DATASETS.map((d) => d.name)]) {
      const csv = doc.paths[`/data/${name}.csv`]!;
      const json = doc.paths[`/data/${name}.json`]!;
      expect(csv.servers[0]!.url).not.to.match(/\/api\/v1$/);
      expect(Object.keys(csv.get.responses['200']!.content)).to.deep.equal(['text/csv']);
      const rows = json.get.responses['200']!.content['application/json']!.schema.properties['rows']!;
      const columns = name === 'responses' ? RESPONSE_COLUMNS : name === 'trust' ? TRUST_COLUMNS : undefined;
      if (columns) expect(rows.items.required).to.deep.equal(columns.split(','));
    }
  });
});

describe('open data summaries with nothing to publish', () => {
  const database = useDatabase();
  let app: Express;

  before(() => {
    ({ app } = testApp(database.handle));
  });

  it('hold only their header, or no rows', async () => {
    expect((await get(app, '/data/responses.csv').expect(200)).body).to.equal(`${RESPONSE_COLUMNS}\r\n`);
    expect((await get(app, '/data/trust.csv').expect(200)).body).to.equal(`${TRUST_COLUMNS}\r\n`);
    expect(JSON.parse((await get(app, '/data/responses.json').expect(200)).body as string)).to.deep.equal({
      lastUpdated: null,
      rows: [],
    });
    expect(JSON.parse((await get(app, '/data/trust.json').expect(200)).body as string).rows).to.deep.equal([]);
    const recommendations = (await get(app, '/data/recommendations.csv').expect(200)).body as string;
    expect(recommendations.split('\r\n').filter(Boolean)).to.have.length(1);
    await request(app).get('/data/responses.xml').expect(404);
  });
});
