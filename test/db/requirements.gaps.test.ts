import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import type { Config } from '../../server/platform/config.js';
import type { Services } from '../../server/compose.js';
import { ALPHABET } from '../../server/platform/workflow/complaint.codes.js';
import { signInAdmin } from '../support/admin.js';
import { testApp, testConfig } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { cameraJpeg } from '../support/evidenceFixtures.js';
import { NAMED_ANSWERS, fileThroughForm, receiptCodes, startForm, type Agent } from '../support/resident.js';
import { changedTables, fingerprint } from '../support/routes.js';
import { createStaff, signIn } from '../support/staff.js';

/**
 * Gaps of docs/requirements.md closed here: R16 (tracking numbers not sequential, access codes of
 * at least 64 random bits), R18 (a JSON body over the limit), R19 (stored evidence reachable by no
 * URL) and R20 (every download sandboxed).
 */

/** A tracking number's eight characters as the number they write in base 30. */
const valueOf = (tracking: string) =>
  [...tracking.replace(/^OC-/, '').replace('-', '')].reduce((n, c) => n * 30 + ALPHABET.indexOf(c), 0);

const commonPrefix = (a: string, b: string) => {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
};

const distinctAt = (codes: string[], position: number) => new Set(codes.map((c) => c[position])).size;

describe('requirements gaps: codes, body limits, stored files, downloads (R16, R18, R19, R20)', function () {
  const database = useDatabase();
  let app: Express;
  let services: Services;
  let config: Config;

  before(() => {
    ({ app, services, config } = testApp(database.handle));
  });

  const fileByApi = async (idempotencyKey?: string) => {
    const req = request(app).post('/api/v1/complaints');
    if (idempotencyKey) void req.set('Idempotency-Key', idempotencyKey);
    const res = await req
      .send({
        language: 'en',
        narrative: 'The officer shouted at me.',
        about: { filing: 'anonymous' },
        consent: true,
        truthful: true,
      })
      .expect(201);
    return res.body as { trackingNumber: string; accessCode: string };
  };

  describe('R16: tracking numbers that do not follow each other, access codes of at least 64 random bits', () => {
    /** In filing order: through the API (with and without an Idempotency-Key) and through the web form. */
    const receipts: Array<{ trackingNumber: string; accessCode: string }> = [];

    before(async () => {
      for (let i = 0; i < 27; i++) {
        receipts.push(await fileByApi(i % 2 ? randomBytes(24).toString('base64url') : undefined));
      }
      for (let i = 0; i < 3; i++) {
        const { trackingNumber, accessCode } = await fileThroughForm(app);
        receipts.push({ trackingNumber, accessCode });
      }
    });

    it('30 complaints filed one after another get tracking numbers far apart, in no order, sharing no long prefix', () => {
      const numbers = receipts.map((r) => r.trackingNumber);
      const body = `[${ALPHABET}]{4}`;
      for (const n of numbers) expect(n).to.match(new RegExp(`^OC-${body}-${body}$`));
      expect(new Set(numbers).size, 'all different').to.equal(numbers.length);
      const values = numbers.map(valueOf);
      // A counter (or a clock) moves by a little each time; 30^3 is a small step in 30^8.
      const steps = values.slice(1).map((v, i) => Math.abs(v - values[i]!));
      expect(Math.min(...steps), `steps between consecutive numbers: ${steps.join(', ')}`).to.be.above(30 ** 3);
      // Neither rising nor falling with the filing order.
      const rising = values.slice(1).filter((v, i) => v > values[i]!).length;
      expect(rising, 'consecutive pairs that rise').to.be.within(4, 25);
      // No two share five or more leading characters (1 chance in 30^5 per pair if random).
      const bodies = numbers.map((n) => n.replace(/-/g, '').slice(2));
      for (let i = 0; i < bodies.length; i++) {
        for (let j = i + 1; j < bodies.length; j++) {
          expect(commonPrefix(bodies[i]!, bodies[j]!), `${numbers[i]} and ${numbers[j]}`).to.be.below(5);
        }
      }
      // Every character varies, the last ones as much as the first.
      for (let p = 0; p < 8; p++) expect(distinctAt(bodies, p), `values at position ${p + 1}`).to.be.at.least(8);
    });

    it('access codes: 16 characters of the 30-letter alphabet (≥ 64 bits), each position varying, none alike', () => {
      const codes = receipts.map((r) => r.accessCode);
      const group = `[${ALPHABET}]{4}`;
      for (const c of codes) expect(c).to.match(new RegExp(`^${group}-${group}-${group}-${group}$`));
      const bare = codes.map((c) => c.replace(/-/g, ''));
      expect(new Set(bare).size, 'no two alike').to.equal(bare.length);
      // Every letter of the alphabet is in use, so each character carries log2(30) bits.
      const used = new Set(bare.join(''));
      expect(used.size, 'letters of the alphabet used across 480 characters').to.equal(ALPHABET.length);
      expect(bare[0]!.length * Math.log2(used.size), 'bits in a code').to.be.at.least(64);
      for (let p = 0; p < 16; p++) expect(distinctAt(bare, p), `values at position ${p + 1}`).to.be.at.least(8);
      // Random codes differ in almost every position; codes from a counter or clock would not.
      for (let i = 0; i < bare.length; i++) {
        for (let j = i + 1; j < bare.length; j++) {
          const differing = [...bare[i]!].filter((ch, k) => ch !== bare[j]![k]).length;
          expect(differing, `${codes[i]} and ${codes[j]}`).to.be.at.least(8);
        }
      }
    });

    it('the database keeps only a keyed hash of each access code', async () => {
      const rows = await database.db
        .selectFrom('complaints')
        .select(['tracking_number', 'access_code_hash'])
        .where(
          'tracking_number',
          'in',
          receipts.map((r) => r.trackingNumber),
        )
        .execute();
      expect(rows).to.have.length(receipts.length);
      for (const row of rows) {
        const code = receipts.find((r) => r.trackingNumber === row.tracking_number)!.accessCode;
        expect(row.access_code_hash).to.match(/^h1:[0-9a-f]{64}$/);
        expect(row.access_code_hash).not.to.contain(code).and.not.to.contain(code.replace(/-/g, ''));
      }
    });
  });

  describe('R18: a JSON body over the size limit', () => {
    it('answers 413 as JSON on every /api POST, and stores nothing', async () => {
      const staff = await createStaff(database.db, ['supervisor']);
      const before = await fingerprint(database.db);
      const huge = {
        language: 'en',
        narrative: 'x'.repeat(300 * 1024),
        about: { filing: 'anonymous' },
        consent: true,
        truthful: true,
      };
      const targets = [
        '/api/v1/complaints',
        '/api/v1/status',
        `/api/v1/cases/${staff.id}/events`, // refused for its size before the bearer token is asked for
      ];
      for (const target of targets) {
        const res = await request(app).post(target).set('Idempotency-Key', randomBytes(24).toString('hex')).send(huge);
        expect(res.status, target).to.equal(413);
        expect(res.headers['content-type'], target).to.match(/^application\/json/);
        const body = res.body as { error?: { status?: number; requestId?: string } };
        expect(body.error?.status, target).to.equal(413);
        expect(body.error?.requestId, target).to.equal(res.headers['x-request-id']);
        expect(res.text, 'the body is not echoed').not.to.contain('xxxxxxxx');
      }
      expect(changedTables(before, await fingerprint(database.db)), 'tables changed').to.deep.equal({});
    });

    it('a body under the limit with a narrative over its cap is a 400 of the schema, not a 413', async () => {
      const res = await request(app)
        .post('/api/v1/complaints')
        .send({
          language: 'en',
          narrative: 'x'.repeat(30_000),
          about: { filing: 'anonymous' },
          consent: true,
          truthful: true,
        })
        .expect(400);
      expect(JSON.stringify(res.body)).to.contain('narrative');
    });
  });

  describe('R19: stored evidence is reachable by no URL, only by the audited staff download', () => {
    let stored: string[];
    let complaintId: string;
    let photo: Buffer;
    /** A signed-in supervisor: under /staff a stranger is only sent to sign in, so staff ask. */
    let supervisor: Agent;

    before(async () => {
      supervisor = await signIn(app, await createStaff(database.db, ['supervisor']));
      // A resident files with a photo: the original and its viewing copy are stored.
      const agent: Agent = request.agent(app);
      const csrf = await startForm(agent);
      photo = cameraJpeg();
      await agent
        .post('/complaint/evidence')
        .field('_csrf', csrf)
        .field('action', 'continue')
        .attach('evidence', photo, { filename: 'photo.jpg', contentType: 'image/jpeg' })
        .expect(303);
      for (const [step, fields] of Object.entries(NAMED_ANSWERS)) {
        await agent
          .post(`/complaint/${step}`)
          .type('form')
          .send({ _csrf: csrf, ...fields, action: 'continue' })
          .expect(303);
      }
      await agent
        .post('/complaint/check')
        .type('form')
        .send({ _csrf: csrf, consent: 'yes', truthful: 'yes' })
        .expect(303);
      const { trackingNumber } = receiptCodes((await agent.get('/complaint/receipt').expect(200)).text);
      const row = await database.db
        .selectFrom('attachments')
        .innerJoin('complaints', 'complaints.id', 'attachments.complaint_id')
        .select(['complaints.id', 'attachments.stored_name', 'attachments.viewing_name'])
        .where('complaints.tracking_number', '=', trackingNumber)
        .executeTakeFirstOrThrow();
      complaintId = row.id;
      stored = [row.stored_name, row.viewing_name].filter((n): n is string => Boolean(n));
      expect(stored).to.have.length(2);
      expect(readdirSync(path.join(config.uploadDir, 'files'))).to.include.members(stored);
    });

    it('no URL of the app serves a stored file: uploads, files, static, assets or the bare name all answer 404', async () => {
      const uswds = path.resolve(path.dirname(fileURLToPath(import.meta.resolve('@uswds/uswds'))), '..');
      const folder = path.basename(config.uploadDir);
      for (const name of stored) {
        const bytes = readFileSync(path.join(config.uploadDir, 'files', name));
        const file = path.join(config.uploadDir, 'files', name);
        const up = (from: string) => path.relative(from, file).split(path.sep).join('/');
        const urls = [
          `/${name}`,
          `/uploads/${name}`,
          `/uploads/files/${name}`,
          `/${folder}/files/${name}`,
          `/files/${name}`,
          `/static/${name}`,
          `/static/files/${name}`,
          `/public/${name}`,
          `/evidence/${name}`,
          `/assets/${name}`,
          `/assets/files/${name}`,
          `/assets/uswds/img/${name}`,
          `/assets/uswds/js/${name}`,
          `/staff/evidence/${name}`,
          `/staff/files/${name}`,
          `/complaint/evidence/${name}`,
          `/status/evidence/${name}`,
          `/data/${name}`,
          // Out of the served folders by their parent links, written plainly and percent-encoded.
          `/assets/uswds/img/${up(path.join(uswds, 'img'))}`,
          `/assets/uswds/img/${encodeURIComponent(up(path.join(uswds, 'img')))}`,
          `/assets/uswds/css/${up(path.join(uswds, 'css')).replaceAll('../', '%2e%2e%2f')}`,
        ];
        for (const url of urls) {
          const res = await supervisor.get(url).buffer(true);
          expect(res.status, `GET ${url}`).to.equal(404);
          const body: Buffer = Buffer.isBuffer(res.body) ? res.body : Buffer.from(res.text ?? '');
          expect(body.includes(bytes.subarray(0, 64)), `GET ${url} sent the file`).to.equal(false);
        }
      }
    });

    it('the evidence folder lies outside every served folder, with the default setting too', () => {
      const uswds = path.resolve(path.dirname(fileURLToPath(import.meta.resolve('@uswds/uswds'))), '..');
      const assets = path.resolve(fileURLToPath(new URL('../../server/assets', import.meta.url)));
      const served = [...['css', 'js', 'img', 'fonts'].map((f) => path.join(uswds, f)), assets];
      const defaults = testConfig({ UPLOAD_DIR: './uploads' }).uploadDir;
      for (const dir of [config.uploadDir, defaults]) {
        for (const root of served) {
          const rel = path.relative(root, path.join(dir, 'files'));
          expect(rel.startsWith('..') || path.isAbsolute(rel), `${dir} inside ${root}`).to.equal(true);
        }
      }
    });

    it('the one way to the file is the staff download of the case, and it is audited', async () => {
      const file = await database.db
        .selectFrom('attachments')
        .select('id')
        .where('complaint_id', '=', complaintId)
        .executeTakeFirstOrThrow();
      const res = await supervisor.get(`/staff/cases/${complaintId}/evidence/${file.id}`).buffer(true).expect(200);
      expect(Buffer.compare(res.body as Buffer, photo)).to.equal(0);
      const audit = await database.db
        .selectFrom('audit_events')
        .select('event_type')
        .where('request_id', '=', String(res.headers['x-request-id']))
        .execute();
      expect(audit.map((a) => a.event_type)).to.include('evidence.download');
    });
  });

  describe('R20: every download is an attachment, never sniffed, and sandboxed', () => {
    let admin: Agent;

    before(async () => {
      ({ agent: admin } = await signInAdmin(app, services, database.db));
      await services.statistics.refresh();
    });

    const downloadHeaders = (res: request.Response, what: string) => {
      expect(res.status, what).to.equal(200);
      expect(res.headers['content-disposition'], `${what}: Content-Disposition`).to.match(/^attachment;\s*filename=/);
      expect(res.headers['x-content-type-options'], `${what}: X-Content-Type-Options`).to.equal('nosniff');
      const csp = String(res.headers['content-security-policy'] ?? '');
      const directives = csp.split(';').map((d) => d.trim().split(/\s+/)[0]);
      expect(directives, `${what}: a sandboxing Content-Security-Policy (got "${csp}")`).to.include('sandbox');
    };

    it('the audit-log CSV export', async () => {
      downloadHeaders(await admin.get('/staff/admin/audit.csv').expect(200), 'GET /staff/admin/audit.csv');
    });

    it('the open data as CSV', async () => {
      downloadHeaders(await request(app).get('/data/complaints.csv'), 'GET /data/complaints.csv');
    });

    it('the open data as JSON', async () => {
      downloadHeaders(await request(app).get('/data/complaints.json'), 'GET /data/complaints.json');
    });
  });
});
