import { expect } from 'chai';
import type { Express } from 'express';
import { sql } from 'kysely';
import request from 'supertest';
import type { Config } from '../../server/platform/config.js';
import type { Services } from '../../server/compose.js';
import { showCount } from '../../server/domain/suppression.js';
import { addMonths } from '../../server/features/transparency/dashboard.model.js';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';

const PASSWORD = 'dashboard-demo-password-1';
/** Every planted identity carries "canary": none may reach a public page. */
const CANARY = {
  name: 'Zebulon Canarywhistle',
  email: 'canary.resident@example.org',
  phone: '555 0199',
  address: '77 Canary Lane, Apt 4',
  narrative: 'CANARY-NARRATIVE: the officer at the canary stand shouted at me.',
  location: 'Canary Corner and 9th',
  officer: 'Officer Canarywing',
  witness: 'Wilhelmina Canaryfield',
};

const unescape = (text: string) =>
  text
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();

/** The rows of the table captioned `table-<name>-caption`: [row heading, ...cells]. */
function tableRows(html: string, name: string): string[][] {
  const start = html.indexOf(`id="table-${name}-caption"`);
  expect(start, `table ${name}`).to.be.greaterThan(-1);
  const table = html.slice(start, html.indexOf('</table>', start));
  return [...table.matchAll(/<tr[^>]*>\s*<th scope="row">([^<]*)<\/th>([\s\S]*?)<\/tr>/g)].map((m) => [
    unescape(m[1]!),
    ...[...m[2]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => unescape(c[1]!)),
  ]);
}

const rowOf = (html: string, table: string, label: string) => tableRows(html, table).find((r) => r[0] === label);

/** The summary at the top of the dashboard: [label, figure] in the page's order. */
const summaryOf = (html: string): string[][] => {
  const start = html.indexOf('<dl class="app-summary">');
  expect(start, 'the summary').to.be.greaterThan(-1);
  const list = html.slice(start, html.indexOf('</dl>', start));
  return [...list.matchAll(/<dt>([^<]*)<\/dt>\s*<dd>([^<]*)<\/dd>/g)].map((m) => [unescape(m[1]!), unescape(m[2]!)]);
};

/** A count as the page writes it. */
const shown = (raw: number, fewer = 'fewer than 5') => {
  const c = showCount(raw);
  return c.suppressed ? fewer : String(c.value);
};

describe('public dashboard and annual reports: rounded, suppressed, and naming nobody', function () {
  const database = useDatabase({ demo: true });
  let app: Express;
  let services: Services;
  let config: Config;
  let year: number;
  const planted: string[] = [];

  const db = () => database.db;
  const inZone = (column: string, format: string) =>
    sql<string>`to_char(${sql.ref(column)} at time zone ${config.agencyTimeZone}, ${format})`;

  /** Files a complaint through the API with the canaries in every free-text field. */
  const fileCanary = async (district: string) => {
    const res = await request(app)
      .post('/api/v1/complaints')
      .send({
        language: 'en',
        narrative: CANARY.narrative,
        location: CANARY.location,
        district,
        categories: ['force'],
        officers: [{ name: CANARY.officer, badgeNumber: 'CANARY-77' }],
        witnesses: [{ name: CANARY.witness, contact: 'canary-witness@example.org' }],
        about: {
          filing: 'self',
          name: CANARY.name,
          email: CANARY.email,
          phone: CANARY.phone,
          address: CANARY.address,
          preferredContact: 'email',
        },
        consent: true,
        truthful: true,
      })
      .expect(201);
    planted.push((res.body as { trackingNumber: string }).trackingNumber);
  };

  /** Nothing of anybody's identity: no canary, no tracking number of a planted complaint. */
  const expectAnonymous = (html: string) => {
    expect(html).not.to.match(/canary/i);
    for (const value of Object.values(CANARY)) expect(html).not.to.include(value);
    for (const tracking of planted) expect(html).not.to.include(tracking);
    expect(html).not.to.match(/\bOC-[2-9A-Z]{4}-[2-9A-Z]{4}\b/);
  };

  /** No count table cell reads 1 to 4: each is 0, a multiple of 5 or "fewer than 5". */
  const expectRounded = (html: string, fewer: string, tables: string[]) => {
    expect(html).not.to.match(/<td[^>]*>\s*[1-4]\s*<\/td>/);
    for (const table of tables)
      for (const row of tableRows(html, table))
        for (const cell of row.slice(1)) {
          if (cell === fewer) continue;
          expect(cell, `${table}: ${row[0]}`).to.match(/^\d[\d,]*$/);
          expect(Number(cell.replace(/,/g, '')) % 5, `${table}: ${row[0]}`).to.equal(0);
        }
  };

  before(async function () {
    this.timeout(240_000);
    ({ app, services, config } = testApp(database.handle));
    await services.demo.ensureDemoData(PASSWORD);
    year = Number(services.dashboard.currentMonth().slice(0, 4));
    await db()
      .insertInto('districts')
      .values({ code: 'lighthouse', name_en: 'Lighthouse Point', name_es: 'Punta del Faro' })
      .execute();
    // Exactly 3 complaints in a rare district, each full of canaries.
    for (let k = 0; k < 3; k++) await fileCanary('lighthouse');
    // Six open complaints move to January of last year, so this year's report has a year to compare with.
    const moved = await db()
      .selectFrom('complaints')
      .select('id')
      .where('closed_at', 'is', null)
      .where('district', '!=', 'lighthouse')
      .orderBy('tracking_number')
      .limit(6)
      .execute();
    await db()
      .updateTable('complaints')
      .set({ received_at: new Date(`${year - 1}-01-15T19:00:00Z`) })
      .where(
        'id',
        'in',
        moved.map((m) => m.id),
      )
      .execute();
    await services.statistics.refresh();
  });

  it('shows the last 12 months in English, led by a summary, with the figures of the model and of the cases themselves', async () => {
    const res = await request(app).get('/dashboard?lang=en').expect(200);
    expect(res.text).to.include('<html lang="en">');
    expect(res.text).to.include('<h1>Complaint statistics</h1>');
    const range = services.dashboard.defaultRange();
    expect(range.to).to.equal(services.dashboard.currentMonth());
    expect(range.from).to.equal(addMonths(range.to, -11));
    const view = await services.dashboard.dashboard(range, 'en');
    expect(view.model.months).to.equal(12);
    const [first, last] = [view.model.received.rows[0]!.label, view.model.received.rows.at(-1)!.label];
    expect(res.text).to.include(`Showing ${first} to ${last}.`);

    // The summary comes first: the model's own figures, in words the page already uses.
    const summary = [
      ['Complaints received', view.model.received.total.text],
      ['Complaints closed', view.model.closing.closed.text],
      ['Median time to close a complaint', view.model.closing.median.text],
      ['Decided allegations that were sustained', view.model.sustained.percent.text],
    ];
    expect(summaryOf(res.text)).to.deep.equal(summary);
    expect(view.summary.map((f) => f.text)).to.deep.equal(summary.map(([, text]) => text));
    expect(res.text.indexOf('<dl class="app-summary">')).to.be.below(res.text.indexOf('<svg'));
    // The range form is folded away until a range is asked for.
    expect(res.text).to.include('<details class="app-details app-range app-no-print">');

    // Every table on the page is the model's, cell for cell.
    const tables = {
      received: [...view.tables.months, { label: 'Total', cells: view.tables.received }],
      categories: view.tables.categories,
      findings: [...view.tables.findings, { label: 'All decided allegations', cells: view.tables.decided }],
      districts: view.tables.districts,
    };
    for (const [name, rows] of Object.entries(tables)) {
      expect(tableRows(res.text, name), name).to.deep.equal(rows.map((r) => [r.label, ...r.cells.map((c) => c.text)]));
    }
    expect(tableRows(res.text, 'received')).to.have.length(13);
    expect(tableRows(res.text, 'survey')).to.deep.equal(
      view.tables.survey.map((r) => [r.label, ...r.cells.flatMap((c) => [c.average.text, c.responses.text])]),
    );

    // And the model's are the cases' own counts in these months, rounded: all, by district and by kind.
    const inRange = inZone('complaints.received_at', 'YYYY-MM');
    const all = await db()
      .selectFrom('complaints')
      .where(inRange, '>=', range.from)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(rowOf(res.text, 'received', 'Total')).to.deep.equal(['Total', shown(Number(all.n))]);
    const byDistrict = await db()
      .selectFrom('complaints')
      .leftJoin('districts', 'districts.code', 'complaints.district')
      .where(inRange, '>=', range.from)
      .select((eb) => ['districts.name_en as name', eb.fn.countAll<string>().as('n')])
      .groupBy('districts.name_en')
      .execute();
    for (const d of byDistrict) {
      const label = d.name ?? 'District not recorded';
      expect(rowOf(res.text, 'districts', label), label).to.deep.equal([label, shown(Number(d.n))]);
    }
    const force = await db()
      .selectFrom('allegations')
      .innerJoin('complaints', 'complaints.id', 'allegations.complaint_id')
      .where('allegations.category', '=', 'force')
      .where(inRange, '>=', range.from)
      .select(sql<string>`count(distinct complaint_id)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(rowOf(res.text, 'categories', 'Use of force')).to.deep.equal(['Use of force', shown(Number(force.n))]);

    // The 3 complaints of the rare district read "fewer than 5", in the table and by the chart.
    expect(rowOf(res.text, 'districts', 'Lighthouse Point')).to.deep.equal(['Lighthouse Point', 'fewer than 5']);
    expect(res.text).to.match(/>Lighthouse Point<\/text>\s*<rect[^>]*fill="url\(#chart-districts-hatch\)"/);
    expectRounded(res.text, 'fewer than 5', ['received', 'categories', 'findings', 'districts']);

    // Charts: images named by their title, described by their note, drawn from the same numbers,
    // each with its table behind "Show the numbers", named for a screen reader.
    for (const [chart, caption] of [
      ['received', 'Complaints received by month'],
      ['categories', 'Complaints by kind of allegation'],
      ['findings', 'Decided allegations by finding'],
      ['districts', 'Complaints by district'],
    ] as const) {
      expect(res.text).to.match(
        new RegExp(
          `<details class="app-details app-numbers">\\s*<summary>Show the numbers<span class="usa-sr-only">: ${caption}</span></summary>[\\s\\S]*?id="table-${chart}-caption"`,
        ),
      );
      expect(res.text).to.include(
        `role="img" aria-labelledby="chart-${chart}-title" aria-describedby="chart-${chart}-note"`,
      );
      expect(res.text).to.include(`<title id="chart-${chart}-title">`);
      expect(res.text).to.include(`<figcaption id="chart-${chart}-note"`);
    }
    expect(res.text).not.to.match(/<script(?![^>]*src="\/assets\/uswds)/);

    // Key figures, the rounding note and when the figures were last rebuilt.
    expect(res.text).to.include('Median time to close a complaint');
    expect(res.text).to.include('every count is rounded to the nearest 5');
    const at = await services.statistics.lastUpdated();
    const when = new Intl.DateTimeFormat('en-US', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
      timeZone: config.agencyTimeZone,
    }).format(at);
    expect(unescape(res.text)).to.include(`Figures last updated ${when}.`);
    expectAnonymous(res.text);
  });

  it('speaks Spanish by ?lang=es and by Accept-Language, with the same figures', async () => {
    const es = await request(app).get('/dashboard?lang=es').expect(200);
    expect(es.text).to.include('<html lang="es">');
    expect(es.text).to.include('<h1>Estadísticas de quejas</h1>');
    expect(es.text).to.include('Cifras actualizadas por última vez el');
    expect(es.text).to.include('se redondea al múltiplo de 5 más cercano');
    expect(rowOf(es.text, 'districts', 'Punta del Faro')).to.deep.equal(['Punta del Faro', 'menos de 5']);
    expect(es.text).to.include('Quejas recibidas por mes');
    expect(es.text).to.include('Tiempo mediano para cerrar una queja');
    expectRounded(es.text, 'menos de 5', ['received', 'categories', 'findings', 'districts']);
    const en = await request(app).get('/dashboard?lang=en').expect(200);
    expect(tableRows(es.text, 'received').map((r) => r.slice(1))).to.deep.equal(
      tableRows(en.text, 'received').map((r) => r.slice(1).map((c) => (c === 'fewer than 5' ? 'menos de 5' : c))),
    );
    expectAnonymous(es.text);

    const negotiated = await request(app).get('/dashboard').set('Accept-Language', 'es-MX,es;q=0.9').expect(200);
    expect(negotiated.text).to.include('<html lang="es">');
    expect(negotiated.text).to.include('Estadísticas de quejas');
  });

  it("shows the department's responses to sustained findings under the small-cell rule, in both languages (#19)", async () => {
    // The demo's two responses in force (one concurring) and one awaited: each a group under 5.
    const en = await request(app).get('/dashboard?lang=en').expect(200);
    expect(en.text).to.include('The department&#39;s response to sustained findings');
    expect(en.text).to.include('This share is not shown, to protect privacy');
    const years = tableRows(en.text, 'response-years');
    expect(years.map((r) => r[0])).to.deep.equal([String(new Date().getFullYear())]);
    expect(years[0]!.slice(1, 3)).to.deep.equal(['fewer than 5', 'not shown (fewer than 5)']);
    expect(['0', 'fewer than 5']).to.include(years[0]![3]);
    const disciplines = tableRows(en.text, 'response-discipline');
    expect(disciplines.at(-1)![0]).to.equal('All categories');
    for (const row of disciplines) for (const cell of row.slice(1)) expect(['0', 'fewer than 5']).to.include(cell);
    const es = await request(app).get('/dashboard?lang=es').expect(200);
    expect(es.text).to.include('La respuesta del departamento a las conclusiones fundadas');
    expect(tableRows(es.text, 'response-years')[0]!.slice(1, 3)).to.deep.equal([
      'menos de 5',
      'no se muestra (menos de 5)',
    ]);
    expectAnonymous(es.text);
  });

  it('lists in a year’s report the policy recommendations adopted that year, in both languages (#19)', async () => {
    const adopted = await db()
      .selectFrom('recommendations')
      .select(['reference', 'adopted_at'])
      .where('status', '=', 'adopted')
      .execute();
    expect(adopted).to.have.length(2);
    const adoptedYear = Number(
      new Intl.DateTimeFormat('en-US', { timeZone: config.agencyTimeZone, year: 'numeric' }).format(
        adopted[0]!.adopted_at!,
      ),
    );
    const en = await request(app).get(`/reports/${adoptedYear}?lang=en`).expect(200);
    expect(en.text).to.include(`Policy recommendations adopted in ${adoptedYear}`);
    for (const r of adopted) expect(en.text).to.include(`href="/recommendations/${r.reference}"`);
    const es = await request(app).get(`/reports/${adoptedYear}?lang=es`).expect(200);
    expect(es.text).to.include('Registrar el motivo de cada registro de vehículo');
  });

  it('shows a chosen range of months, and an empty one without a 500', async () => {
    const to = services.dashboard.currentMonth();
    const from = `${year}-01`;
    const res = await request(app).get(`/dashboard?lang=en&from=${from}&to=${to}`).expect(200);
    const months = tableRows(res.text, 'received');
    expect(months[0]![0]).to.equal(`January ${year}`);
    expect(months.at(-1)![0]).to.equal('Total');
    expect(months).to.have.length(Number(to.slice(5)) + 1);
    expect(res.text).to.include(`value="${from}"`);
    expectAnonymous(res.text);

    const empty = await request(app).get('/dashboard?lang=en&from=2001-01&to=2001-12').expect(200);
    expect(empty.text).to.include('No complaint was received or closed in these months.');
    expect(empty.text).to.include('No complaint was closed in these months.');
    expect(rowOf(empty.text, 'received', 'Total')).to.deep.equal(['Total', '0']);

    // A blank "from" is 12 months back from "to"; a range asked for keeps its form open.
    const blank = await request(app)
      .get(`/dashboard?lang=en&from=&to=${year - 1}-12`)
      .expect(200);
    expect(tableRows(blank.text, 'received')[0]![0]).to.equal(`January ${year - 1}`);
    expect(blank.text).to.include('<details class="app-details app-range app-no-print" open>');
    // At most 36 months still.
    const longest = await request(app)
      .get(`/dashboard?lang=en&from=${year - 3}-01&to=${year - 1}-12`)
      .expect(200);
    expect(tableRows(longest.text, 'received')).to.have.length(37);
  });

  it('keeps the small-cell rule in the summary: 3 complaints, 2 closed and 1 decision show no number', async () => {
    // A month of its own, far from the demo's: 3 received, 2 closed after 12 days, 1 sustained finding.
    const month = '1999-03-01';
    const rows = [
      { month, measure: 'received', key: '', count: 3 },
      { month, measure: 'district', key: 'unknown', count: 3 },
      { month, measure: 'closed_days', key: '12', count: 2 },
      { month, measure: 'finding', key: 'sustained', count: 1 },
    ];
    await db().insertInto('stats_rollup').values(rows).execute();
    try {
      const en = await request(app).get('/dashboard?lang=en&from=1999-03&to=1999-03').expect(200);
      expect(summaryOf(en.text)).to.deep.equal([
        ['Complaints received', 'fewer than 5'],
        ['Complaints closed', 'fewer than 5'],
        ['Median time to close a complaint', 'not shown (fewer than 5)'],
        ['Decided allegations that were sustained', 'not shown (fewer than 5)'],
      ]);
      expect(en.text.match(/app-summary-figure--withheld/g)).to.have.length(4);
      expect(summaryOf(en.text).flat().join(' ')).not.to.match(/\b[1-4]\b|12 days/);
      const es = await request(app).get('/dashboard?lang=es&from=1999-03&to=1999-03').expect(200);
      expect(summaryOf(es.text).map(([, figure]) => figure)).to.deep.equal([
        'menos de 5',
        'menos de 5',
        'no se muestra (menos de 5)',
        'no se muestra (menos de 5)',
      ]);
    } finally {
      await db().deleteFrom('stats_rollup').where('month', '=', month).execute();
    }
  });

  it('answers a bad range with 400 and an error summary linked to the field, in the reader’s language', async () => {
    const month = services.dashboard.currentMonth();
    const cases: Array<[string, string, string]> = [
      [`from=${year - 4}-01&to=${year}-01`, 'from', 'Choose a period of 36 months or fewer'],
      [`from=${year - 1}-05&to=${year - 1}-02`, 'to', 'The last month must be the same as the first month or later'],
      ['from=abc', 'from', 'Enter the first month as a year and month, for example 2024-01'],
      [`from=${year}-01&to=${year}-13`, 'to', 'Enter the last month as a year and month, for example 2026-03'],
      [`to=${year + 1}-01`, 'to', 'The last month cannot be later than this month'],
      ['from=2026-01&from=2026-02', 'from', 'Enter the first month as a year and month, for example 2024-01'],
      ["from=1'%20or%20'1'='1", 'from', 'Enter the first month as a year and month, for example 2024-01'],
    ];
    for (const [query, field, message] of cases) {
      const res = await request(app).get(`/dashboard?lang=en&${query}`);
      expect(res.status, query).to.equal(400);
      expect(res.text).to.include('id="error-summary"');
      expect(res.text).to.include('<title>Error: Complaint statistics');
      expect(unescape(res.text)).to.include(`<a class="usa-link" href="#field-${field}">${message}</a>`);
      expect(res.text).to.include(`id="field-${field}"`);
      expect(res.text).to.match(new RegExp(`id="field-${field}"[^>]*aria-invalid="true"`));
      expect(res.text).not.to.include('<svg');
      expect(res.text).to.include('Correct the months above to see the figures.');
    }
    const es = await request(app)
      .get(`/dashboard?lang=es&from=${year - 4}-01&to=${month}`)
      .expect(400);
    expect(es.text).to.include('<html lang="es">');
    expect(es.text).to.include('Hay un problema');
    expect(es.text).to.include('<a class="usa-link" href="#field-from">Elija un período de 36 meses o menos</a>');
    expect(es.text).to.include(`value="${year - 4}-01"`);
    const order = await request(app)
      .get(`/dashboard?lang=es&from=${year - 1}-05&to=${year - 1}-02`)
      .expect(400);
    expect(order.text).to.include('El último mes debe ser igual al primero o posterior');
  });

  it('says when the figures have never been calculated', async () => {
    const fresh = testApp(database.handle, {
      override: (svc) => ({ dashboard: { ...svc.dashboard, lastUpdated: async () => undefined } }),
    });
    const en = await request(fresh.app).get('/dashboard?lang=en').expect(200);
    expect(en.text).to.include('The figures have not been calculated yet.');
    const es = await request(fresh.app).get('/reports?lang=es').expect(200);
    expect(es.text).to.include('Las cifras todavía no se han calculado.');
  });

  it('lists the years with figures and publishes each year’s report, compared with the year before', async () => {
    const list = await request(app).get('/reports?lang=en').expect(200);
    expect(list.text).to.include('<h1>Annual reports</h1>');
    expect(list.text).to.include(`<a class="usa-link" href="/reports/${year}">Annual report ${year}</a>`);
    expect(list.text).to.include(`href="/reports/${year - 1}"`);
    expect(list.text).not.to.include(`href="/reports/${year - 2}"`);
    expectAnonymous(list.text);
    const listEs = await request(app).get('/reports?lang=es').expect(200);
    expect(listEs.text).to.include(`Informe anual ${year}`);
    expectAnonymous(listEs.text);

    const report = await request(app).get(`/reports/${year}?lang=en`).expect(200);
    expect(report.text).to.include(`<h1>Annual report ${year}</h1>`);
    expect(report.text).to.include(`compared with ${year - 1}`);
    expect(report.text).to.include(`<th scope="col" class="text-right">${year}</th>`);
    expect(report.text).to.include(`<th scope="col" class="text-right">${year - 1}</th>`);
    // The report keeps every table open, the survey's with a column pair for each year.
    expect(report.text).not.to.include('<details');
    expect(report.text).to.include(`<th scope="col" class="text-right">Average score, ${year - 1}</th>`);
    // The cases' own counts: this year's, and the same months of last year (with the six moved to January).
    const received = async (format: string, value: string, until?: string) => {
      let query = db()
        .selectFrom('complaints')
        .where(inZone('received_at', format), '=', value)
        .select((eb) => eb.fn.countAll<string>().as('n'));
      if (until) query = query.where(inZone('received_at', 'YYYY-MM'), '<=', until);
      return Number((await query.executeTakeFirstOrThrow()).n);
    };
    const lastYearSoFar = `${year - 1}-${services.dashboard.currentMonth().slice(5)}`;
    expect(rowOf(report.text, 'received', 'January')![2]).to.equal(shown(await received('YYYY-MM', `${year - 1}-01`)));
    expect(rowOf(report.text, 'received', 'Total')).to.deep.equal([
      'Total',
      shown(await received('YYYY', String(year))),
      shown(await received('YYYY', String(year - 1), lastYearSoFar)),
    ]);
    expect(rowOf(report.text, 'districts', 'Lighthouse Point')).to.deep.equal([
      'Lighthouse Point',
      'fewer than 5',
      '0',
    ]);
    expectRounded(report.text, 'fewer than 5', ['received', 'categories', 'findings', 'districts']);
    expect(report.text).to.include('Figures last updated');
    expectAnonymous(report.text);

    const es = await request(app).get(`/reports/${year}?lang=es`).expect(200);
    expect(es.text).to.include(`<h1>Informe anual ${year}</h1>`);
    expect(rowOf(es.text, 'received', 'enero')![2]).to.equal(rowOf(report.text, 'received', 'January')![2]);
    expect(rowOf(es.text, 'districts', 'Punta del Faro')).to.deep.equal(['Punta del Faro', 'menos de 5', '0']);
    expectAnonymous(es.text);

    // The first year has nothing before it to compare with.
    const first = await request(app)
      .get(`/reports/${year - 1}?lang=en`)
      .expect(200);
    expect(first.text).to.include(`Complaints about police conduct received and handled in ${year - 1}.`);
    expect(first.text).not.to.include(`<th scope="col" class="text-right">${year - 2}</th>`);
    expect(tableRows(first.text, 'received')).to.have.length(13);
    expectAnonymous(first.text);
  });

  it('answers a year without figures or a malformed year with the not-found page', async () => {
    for (const path of ['/reports/abc', '/reports/1890', '/reports/2010', '/reports/99999', '/reports/2026.5']) {
      const res = await request(app).get(`${path}?lang=en`);
      expect(res.status, path).to.equal(404);
      expect(res.text).to.include('Page not found');
    }
    expect((await request(app).get(`/reports/${year + 1}`)).status).to.equal(404);
    const es = await request(app).get('/reports/1890?lang=es').expect(404);
    expect(es.text).to.include('<html lang="es">');
  });

  it('is linked from every public page’s footer, with the open data', async () => {
    for (const path of ['/', '/board', '/dashboard']) {
      const res = await request(app).get(`${path}?lang=en`).expect(200);
      expect(res.text).to.include('<a class="usa-link" href="/dashboard">Complaint statistics</a>');
      expect(res.text).to.include('<a class="usa-link" href="/reports">Annual reports</a>');
      expect(res.text).to.include('href="/data"');
    }
  });

  it('shows the rollups as of the last refresh, not the cases as they are now', async () => {
    await fileCanary('lighthouse');
    await fileCanary('lighthouse');
    const before = await request(app).get('/dashboard?lang=en').expect(200);
    expect(rowOf(before.text, 'districts', 'Lighthouse Point')).to.deep.equal(['Lighthouse Point', 'fewer than 5']);
    await services.statistics.refresh();
    const after = await request(app).get('/dashboard?lang=en').expect(200);
    expect(rowOf(after.text, 'districts', 'Lighthouse Point')).to.deep.equal(['Lighthouse Point', '5']);
    expectAnonymous(after.text);
  });
});
