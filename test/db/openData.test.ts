import http from 'node:http';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import type { Express } from 'express';
import { sql } from 'kysely';
import request from 'supertest';
import { createLogger } from '../../server/platform/logger.js';
import type { Services } from '../../server/compose.js';
import { OPEN_DATA_PAGE_ROWS, type OpenDataDownload } from '../../server/features/transparency/openData.service.js';
import { testApp } from '../support/app.js';
import { csvRows, getDownload as get, type CsvRow } from '../support/download.js';
import { listen } from '../support/browser.js';
import { useDatabase } from '../support/database.js';

const PASSWORD = 'open-data-demo-password-1';
const COLUMNS = ['month_received', 'category', 'district', 'finding', 'days_to_close', 'stage'];
const FINDINGS = [
  'sustained',
  'not_sustained',
  'exonerated',
  'unfounded',
  'policy_failure',
  'officer_unidentified',
  'mediated',
  'withdrawn',
  'none',
];
const BANDS = ['0-30', '31-90', '91-180', '181-365', 'over-365', 'open'];
const STAGES = ['intake', 'mediation', 'investigation', 'boardReview', 'disposition', 'closed'];

type Row = CsvRow;

/** A GET over a real socket: the response as far as it got, and whether it ended properly. */
function rawGet(baseUrl: string, path: string): Promise<{ status: number; body: string; complete: boolean }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${baseUrl}${path}`, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('error', () => {});
        res.on('close', () => resolve({ status: res.statusCode ?? 0, body, complete: res.complete }));
      })
      .on('error', reject);
  });
}

const waitFor = async (condition: () => boolean, ms = 10_000) => {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('open data: the files and the data dictionary (R15, R20)', () => {
  const database = useDatabase({ demo: true });
  let app: Express;
  let services: Services;
  const trackingNumbers: string[] = [];

  const db = () => database.db;

  /** A complaint through the API, carrying a canary in every field that could identify someone. */
  const fileCanary = async () => {
    const filed = await request(app)
      .post('/api/v1/complaints')
      .send({
        language: 'en',
        narrative: 'CANARY-NARRATIVE the officer pushed me outside my house.',
        incidentDate: '2026-09-12',
        location: 'CANARY-LOCATION 12 Elmwood Lane',
        district: 'north',
        categories: ['force', 'discourtesy'],
        officers: [{ name: 'CANARY-OFFICER Reported', badgeNumber: 'CANARY-B1', description: 'CANARY-DESCRIPTION' }],
        witnesses: [{ name: 'CANARY-WITNESS Name', contact: 'canary-witness@example.com' }],
        about: {
          filing: 'self',
          name: 'Canarina Complainant',
          email: 'canarina@example.com',
          phone: '555 0199 4321',
          address: 'CANARY-ADDRESS 1 Main Street',
          preferredContact: 'email',
        },
        consent: true,
        truthful: true,
      })
      .expect(201);
    trackingNumbers.push(filed.body.trackingNumber as string);
    const { id } = await db()
      .selectFrom('complaints')
      .select('id')
      .where('tracking_number', '=', filed.body.trackingNumber as string)
      .executeTakeFirstOrThrow();
    const officer = await db()
      .insertInto('officers')
      .values({ first_name: 'Corvina', last_name: 'Canarywing', badge_number: 'CANARY-77' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .updateTable('allegations')
      .set({
        officer_id: officer.id,
        summary: 'CANARY-SUMMARY pushed against the wall',
        officer_description: 'CANARY-TALL',
        finding: 'sustained',
        finding_rationale: 'CANARY-RATIONALE',
        discipline_recommendation: 'CANARY-DISCIPLINE',
        decided_at: new Date(),
      })
      .where('complaint_id', '=', id)
      .execute();
    await db().updateTable('complaints').set({ closed_at: new Date() }).where('id', '=', id).execute();
  };

  const expectNoPii = (text: string) => {
    expect(text).not.to.match(/canar/i);
    expect(text).not.to.include('Elmwood');
    expect(text).not.to.include('Main Street');
    expect(text).not.to.include('0199');
    expect(text).not.to.include('2026-09-12');
    expect(text).not.to.match(/\bOC-[2-9A-Z]{4}-[2-9A-Z]{4}\b/);
    for (const tracking of trackingNumbers) expect(text).not.to.include(tracking);
  };

  let csvText = '';
  let rows: Row[] = [];

  before(async () => {
    ({ app, services } = testApp(database.handle));
    await services.demo.ensureDemoData(PASSWORD);
    await fileCanary();
    // A district and a category that only two complaints ever have: too rare to show.
    await db()
      .insertInto('districts')
      .values({ code: 'lonely-hollow', name_en: 'Lonely Hollow', name_es: 'Hondonada Solitaria' })
      .execute();
    await db()
      .insertInto('allegation_categories')
      .values({ code: 'rare_conduct', name_en: 'Rare conduct', name_es: 'Conducta poco frecuente', position: 99 })
      .execute();
    for (const narrative of ['First rare complaint.', 'Second rare complaint.']) {
      const filed = await request(app)
        .post('/api/v1/complaints')
        .send({
          language: 'en',
          narrative,
          district: 'lonely-hollow',
          categories: ['rare_conduct'],
          about: { filing: 'anonymous' },
          consent: true,
          truthful: true,
        })
        .expect(201);
      trackingNumbers.push(filed.body.trackingNumber as string);
    }
    await services.statistics.refresh();
    csvText = (await get(app, '/data/complaints.csv').expect(200)).body as string;
    rows = csvRows(csvText);
  });

  it('the CSV has a header and exactly one row per open-data row, and parses as RFC 4180', async () => {
    const lines = csvText.split('\r\n');
    expect(lines[0]).to.equal(COLUMNS.join(','));
    expect(lines.at(-1)).to.equal('');
    const count = Number(
      (
        await db()
          .selectFrom('open_data_rows')
          .select(sql<string>`sum(n)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(count).to.be.greaterThan(60);
    expect(lines.length - 2).to.equal(count);
    expect(rows).to.have.length(count);
    // One row per allegation, none dropped by the generalisation.
    const allegations = Number(
      (
        await db()
          .selectFrom('allegations')
          .select(sql<string>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(count).to.equal(allegations);
  });

  it('every value comes from the documented sets, and generalised rows are generalised all the way', async () => {
    const categories = new Set(
      (await db().selectFrom('allegation_categories').select('code').execute()).map((c) => c.code),
    );
    const districts = new Set((await db().selectFrom('districts').select('code').execute()).map((d) => d.code));
    for (const row of rows) {
      expect(Object.keys(row)).to.deep.equal(COLUMNS);
      expect(row['month_received']).to.match(/^\d{4}(-(0[1-9]|1[0-2]))?$/);
      expect(categories.has(row['category']!) || row['category'] === 'suppressed', row['category']).to.equal(true);
      expect(
        districts.has(row['district']!) || ['unknown', 'suppressed'].includes(row['district']!),
        row['district'],
      ).to.equal(true);
      expect([...FINDINGS, 'suppressed']).to.include(row['finding']);
      expect([...BANDS, 'suppressed']).to.include(row['days_to_close']);
      expect([...STAGES, 'suppressed']).to.include(row['stage']);
      // A year alone means the second step: category, finding and stage are withheld too.
      const yearOnly = /^\d{4}$/.test(row['month_received']!);
      expect(row['category'] === 'suppressed', JSON.stringify(row)).to.equal(yearOnly);
      if (yearOnly) {
        expect(row).to.include({ district: 'suppressed', finding: 'suppressed', days_to_close: 'suppressed' });
        expect(row['stage']).to.equal('suppressed');
      }
    }
  });

  it('a combination only two complaints share appears only generalised', () => {
    expect(csvText).not.to.include('lonely-hollow');
    expect(csvText).not.to.include('rare_conduct');
    expect(rows.filter((r) => r['district'] === 'suppressed').length).to.be.at.least(2);
  });

  it('the JSON holds the same rows as the CSV, with the time they were built', async () => {
    const res = await get(app, '/data/complaints.json').expect(200);
    const doc = JSON.parse(res.body as string) as { lastUpdated: string; rows: Row[] };
    expect(Object.keys(doc)).to.deep.equal(['lastUpdated', 'rows']);
    expect(doc.lastUpdated).to.equal((await services.statistics.lastUpdated())!.toISOString());
    expect(doc.rows).to.deep.equal(rows);
  });

  it('both are downloads (R20): attachment, nosniff, a content type with charset, Last-Modified', async () => {
    const updated = (await services.statistics.lastUpdated())!;
    for (const [path, type, name] of [
      ['/data/complaints.csv', 'text/csv; charset=utf-8', 'complaints.csv'],
      ['/data/complaints.json', 'application/json; charset=utf-8', 'complaints.json'],
    ] as const) {
      const res = await get(app, path).expect(200);
      expect(res.headers['content-type']).to.equal(type);
      expect(res.headers['content-disposition']).to.equal(`attachment; filename="${name}"`);
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.headers['last-modified']).to.equal(updated.toUTCString());
      expect(new Date(res.headers['last-modified'] as string).getTime()).to.equal(
        Math.floor(updated.getTime() / 1000) * 1000,
      );
      const head = await request(app).head(path).expect(200);
      expect(head.headers['content-disposition']).to.equal(`attachment; filename="${name}"`);
      expect(head.headers['last-modified']).to.equal(updated.toUTCString());
    }
  });

  it('no name, contact, address, narrative, place, officer, summary or tracking number is published', async () => {
    expectNoPii(csvText);
    expectNoPii((await get(app, '/data/complaints.json').expect(200)).body as string);
    for (const language of ['en', 'es']) expectNoPii((await request(app).get(`/data?lang=${language}`)).text);
  });

  it('/data explains every column and code, in English', async () => {
    const res = await request(app).get('/data?lang=en').expect(200);
    expect(res.headers['content-type']).to.match(/^text\/html; charset=utf-8/);
    const html = res.text;
    expect(html).to.include('<html lang="en">');
    expect(html).to.include('Open data about complaints');
    for (const column of COLUMNS) expect(html).to.include(`<code>${column}</code>`);
    for (const code of [...FINDINGS, ...BANDS, ...STAGES, 'unknown', 'suppressed', 'force', 'north', 'lonely-hollow'])
      expect(html).to.include(`<code>${code}</code>`);
    expect(html).to.include('Use of force');
    expect(html).to.include('Lonely Hollow');
    expect(html).to.include('Exonerated: it happened, but it was lawful and within policy.');
    expect(html).to.include('fewer than 5 complaints share a combination');
    expect(html).to.include('href="/data/complaints.csv"');
    expect(html).to.include('href="/data/complaints.json"');
    const count = rows.length.toLocaleString('en-US');
    expect(html).to.match(new RegExp(`Number of rows:</strong> ${count}\\b`));
    const updated = (await services.statistics.lastUpdated())!;
    expect(html).to.include(`datetime="${updated.toISOString()}"`);
    expect(html).to.match(/Last updated:<\/strong> <time[^>]*>[A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d{2}/);
    expect(html).to.match(/<caption>[^<]+<\/caption>/);
    expect(html).to.include('<th scope="row"');
  });

  it('/data is in Spanish, with the reference names in Spanish', async () => {
    const html = (await request(app).get('/data?lang=es').expect(200)).text;
    expect(html).to.include('<html lang="es">');
    expect(html).to.include('Datos abiertos sobre las quejas');
    expect(html).to.include('Uso de la fuerza');
    expect(html).to.include('Norte');
    expect(html).to.include('Hondonada Solitaria');
    expect(html).to.include('Número de filas:');
    expect(html).to.include('Cómo se protegen las combinaciones poco frecuentes');
    expect(html).not.to.include('Use of force');
  });
});

describe('open data before the first refresh', () => {
  const database = useDatabase();
  let app: Express;

  before(() => {
    ({ app } = testApp(database.handle));
  });

  it('the files hold only the header or an empty list, with no Last-Modified', async () => {
    const csv = await get(app, '/data/complaints.csv').expect(200);
    expect(csv.body).to.equal(`${COLUMNS.join(',')}\r\n`);
    expect(csv.headers['last-modified']).to.equal(undefined);
    const json = await get(app, '/data/complaints.json').expect(200);
    expect(JSON.parse(json.body as string)).to.deep.equal({ lastUpdated: null, rows: [] });
    expect(json.headers['content-disposition']).to.equal('attachment; filename="complaints.json"');
  });

  it('/data says nothing is published yet', async () => {
    const html = (await request(app).get('/data?lang=en').expect(200)).text;
    expect(html).to.include('The data has not been published yet');
    expect(html).not.to.include('Number of rows');
  });
});

describe('open data fields that would need quoting or look like formulas', () => {
  const database = useDatabase();
  let app: Express;

  before(async () => {
    let services: Services;
    ({ app, services } = testApp(database.handle));
    await services.statistics.refresh();
    // No code looks like this, but the files must stay well-formed whatever the table holds.
    await database.db
      .insertInto('open_data_rows')
      .values([
        {
          month: '2026-01',
          category: 'a,"b"',
          district: '-east',
          finding: 'line\nbreak',
          days_to_close: '=1+1',
          stage: 'x\r',
        },
        {
          month: '2026-01',
          category: 'm,y',
          district: '@home',
          finding: '+1',
          days_to_close: 'open',
          stage: 'closed',
        },
        // Only a comma: nothing else on the line says it needs quoting.
        {
          month: '2026-01',
          category: 'p,q',
          district: 'north',
          finding: 'none',
          days_to_close: 'open',
          stage: 'closed',
        },
      ])
      .execute();
  });

  it('the CSV quotes per RFC 4180 and defuses formulas; the JSON keeps the values as they are', async () => {
    const text = (await get(app, '/data/complaints.csv').expect(200)).body as string;
    expect(csvRows(text)).to.deep.equal([
      {
        month_received: '2026-01',
        category: 'a,"b"',
        district: "'-east",
        finding: 'line\nbreak',
        days_to_close: "'=1+1",
        stage: 'x\r',
      },
      {
        month_received: '2026-01',
        category: 'm,y',
        district: "'@home",
        finding: "'+1",
        days_to_close: 'open',
        stage: 'closed',
      },
      {
        month_received: '2026-01',
        category: 'p,q',
        district: 'north',
        finding: 'none',
        days_to_close: 'open',
        stage: 'closed',
      },
    ]);
    expect(text.endsWith('\r\n2026-01,"p,q",north,none,open,closed\r\n')).to.equal(true);
    expect(text.split('\r\n')[1]).to.equal(`2026-01,"a,""b""",'-east,"line\nbreak",'=1+1,"x\r"`);
    const doc = JSON.parse((await get(app, '/data/complaints.json').expect(200)).body as string) as { rows: Row[] };
    expect(doc.rows).to.deep.equal([
      {
        month_received: '2026-01',
        category: 'a,"b"',
        district: '-east',
        finding: 'line\nbreak',
        days_to_close: '=1+1',
        stage: 'x\r',
      },
      {
        month_received: '2026-01',
        category: 'm,y',
        district: '@home',
        finding: '+1',
        days_to_close: 'open',
        stage: 'closed',
      },
      {
        month_received: '2026-01',
        category: 'p,q',
        district: 'north',
        finding: 'none',
        days_to_close: 'open',
        stage: 'closed',
      },
    ]);
  });
});

describe('open data at size: streamed in pages, in order, and cut short safely', () => {
  const database = useDatabase();
  let app: Express;
  let services: Services;
  const LARGE = 12_000;

  const db = () => database.db;
  const sequence = (n: number) => `seq${String(n).padStart(6, '0')}`;

  before(async () => {
    ({ app, services } = testApp(database.handle));
    await services.statistics.refresh();
    // Rows written straight into the table, each carrying its number, so order is visible.
    await sql`
      insert into open_data_rows (month, category, district, finding, days_to_close, stage)
      select '2026-01', 'seq' || lpad(g::text, 6, '0'), 'north', 'none', 'open', 'intake'
        from generate_series(1, ${LARGE}::int) as g
    `.execute(db());
  });

  it(`streams all ${LARGE} rows of the CSV, in order, across pages`, async () => {
    const text = (await get(app, '/data/complaints.csv').expect(200)).body as string;
    const lines = text.split('\r\n');
    expect(lines).to.have.length(LARGE + 2);
    for (let n = 1; n <= LARGE; n += 1) {
      if (lines[n] !== `2026-01,${sequence(n)},north,none,open,intake`) expect(lines[n]).to.equal(sequence(n));
    }
  });

  it(`streams all ${LARGE} rows of the JSON, in order`, async () => {
    const doc = JSON.parse((await get(app, '/data/complaints.json').expect(200)).body as string) as { rows: Row[] };
    expect(doc.rows).to.have.length(LARGE);
    expect(doc.rows.map((r) => r['category'])).to.deep.equal(Array.from({ length: LARGE }, (_, i) => sequence(i + 1)));
  });

  it('a client that goes away mid-download stops the reading, and the app carries on', async () => {
    // About 15 MB, far more than the socket buffers hold, so the server is mid-file when the client leaves.
    const wide = 'w'.repeat(200);
    await sql`
      insert into open_data_rows (month, category, district, finding, days_to_close, stage, n)
      select '2026-02', ${wide} || lpad(g::text, 4, '0'), 'north', 'none', 'open', 'intake', 100
        from generate_series(1, 600) as g
    `.execute(db());
    let pulled = 0;
    let finished = false;
    const counting = testApp(database.handle, {
      override: (svc) => ({
        openData: {
          ...svc.openData,
          download: async (format) => {
            const file = await svc.openData.download(format);
            async function* chunks() {
              try {
                for await (const chunk of file.chunks) {
                  pulled += 1;
                  yield chunk;
                }
              } finally {
                finished = true;
              }
            }
            return { ...file, chunks: chunks() };
          },
        },
      }),
    });
    const server = await listen(counting.app);
    try {
      await new Promise<void>((resolve, reject) => {
        const req = http.get(`${server.baseUrl}/data/complaints.csv`, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => {});
        setTimeout(() => reject(new Error('no data')), 10_000);
      });
      await waitFor(() => finished);
      const pages = 1 + Math.ceil((LARGE + 60_000) / OPEN_DATA_PAGE_ROWS.csv);
      expect(pulled).to.be.lessThan(pages);
      const again = await rawGet(server.baseUrl, '/data/complaints.csv');
      expect(again.status).to.equal(200);
      expect(again.complete).to.equal(true);
      expect(again.body.split('\r\n')).to.have.length(LARGE + 60_000 + 2);
    } finally {
      await server.close();
    }
  });

  it('a failure midway cuts the download off, logs no content, and the next request works', async () => {
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const failing = testApp(database.handle, {
      logger,
      override: (svc) => ({
        openData: {
          ...svc.openData,
          download: async (format): Promise<OpenDataDownload> => {
            const file = await svc.openData.download(format);
            async function* chunks() {
              let sent = 0;
              for await (const chunk of file.chunks) {
                if (sent === 2) throw new Error('CANARY-ROW 2026-01,seq000001 broke');
                sent += 1;
                yield chunk;
              }
            }
            return { ...file, chunks: chunks() };
          },
        },
      }),
    });
    const server = await listen(failing.app);
    try {
      for (const path of ['/data/complaints.csv', '/data/complaints.json']) {
        const cut = await rawGet(server.baseUrl, path);
        expect(cut.status).to.equal(200);
        expect(cut.complete).to.equal(false);
        expect(cut.body.length).to.be.greaterThan(1000);
      }
      const log = lines.join('');
      expect(log).to.include('open data download failed midway');
      expect(log).not.to.match(/canary|seq0000/i);
      const page = await rawGet(server.baseUrl, '/data');
      expect(page.status).to.equal(200);
      expect(page.complete).to.equal(true);
    } finally {
      await server.close();
    }
  });

  it('a refresh in the middle of a download cuts it off rather than mixing two versions', async () => {
    const refreshing = testApp(database.handle, {
      override: (svc) => ({
        openData: {
          ...svc.openData,
          download: async (format): Promise<OpenDataDownload> => {
            const file = await svc.openData.download(format);
            async function* chunks() {
              let sent = 0;
              for await (const chunk of file.chunks) {
                yield chunk;
                sent += 1;
                if (sent === 2) await svc.statistics.refresh();
              }
            }
            return { ...file, chunks: chunks() };
          },
        },
      }),
    });
    const server = await listen(refreshing.app);
    try {
      const cut = await rawGet(server.baseUrl, '/data/complaints.csv');
      expect(cut.status).to.equal(200);
      expect(cut.complete).to.equal(false);
    } finally {
      await server.close();
    }
  });

  it('a failure before the first byte is an ordinary error page, not a broken download', async () => {
    const broken = testApp(database.handle, {
      override: (svc) => ({
        openData: {
          ...svc.openData,
          download: async (format): Promise<OpenDataDownload> => {
            const file = await svc.openData.download(format);
            // eslint-disable-next-line require-yield
            async function* chunks(): AsyncGenerator<string> {
              throw new Error('database gone');
            }
            return { ...file, chunks: chunks() };
          },
        },
      }),
    });
    const res = await request(broken.app).get('/data/complaints.csv?lang=en').expect(500);
    expect(res.headers['content-type']).to.match(/^text\/html/);
    expect(res.headers['content-disposition']).to.equal(undefined);
  });
});
