import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { testApp, testConfig } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { GPS, cameraJpeg, pdf } from '../support/evidenceFixtures.js';
import { errorsOf, startForm, type Agent } from '../support/resident.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('evidence uploads over HTTP: type by content, caps, bad multipart (R19–R21)', () => {
  const database = useDatabase();
  const uploadDir = mkdtempSync(path.join(tmpdir(), 'oversight-uploads-'));
  const stored = () => (existsSync(path.join(uploadDir, 'files')) ? readdirSync(path.join(uploadDir, 'files')) : []);
  const incoming = () => readdirSync(path.join(uploadDir, 'incoming'));
  let app: ReturnType<typeof testApp>['app'];
  let agent: Agent;
  let csrf: string;

  before(() => {
    app = testApp(database.handle, { config: testConfig({ UPLOAD_DIR: uploadDir, UPLOAD_MAX_MB: '1' }) }).app;
  });
  beforeEach(async () => {
    agent = request.agent(app);
    csrf = await startForm(agent);
  });

  const upload = (files: Array<{ data: Buffer; name: string }>, action = 'upload') => {
    let req = agent.post('/complaint/evidence').field('_csrf', csrf).field('action', action);
    for (const file of files)
      req = req.attach('evidence', file.data, { filename: file.name, contentType: 'image/jpeg' });
    return req;
  };

  it('keeps the original unchanged under a server-made name, and views a copy without GPS', async () => {
    const before = stored().length;
    const photo = cameraJpeg();
    expect(photo.toString('latin1')).to.include(GPS);
    await upload([{ data: photo, name: '../../etc/passwd.jpg' }])
      .expect(303)
      .expect('Location', '/complaint/evidence');
    const names = stored();
    expect(names.length).to.equal(before + 2); // the original and its viewing copy
    for (const name of names) expect(name).to.match(UUID);
    const page = await agent.get('/complaint/evidence');
    expect(page.text).to.include('passwd.jpg').and.not.to.include('../');
    const original = names
      .map((n) => readFileSync(path.join(uploadDir, 'files', n)))
      .find((b) => sha256(b) === sha256(photo));
    expect(original, 'the original, byte for byte').to.not.equal(undefined);
    const copies = names
      .map((n) => readFileSync(path.join(uploadDir, 'files', n)))
      .filter((b) => sha256(b) !== sha256(photo));
    expect(copies.some((b) => !b.toString('latin1').includes(GPS))).to.equal(true);
    expect(incoming()).to.deep.equal([]);
  });

  it('refuses wrong magic bytes whatever the name says, as a field error, storing nothing', async () => {
    const before = stored();
    const page = await upload([
      { data: Buffer.from('<html><script>alert(1)</script></html>'), name: 'photo.jpg' },
    ]).expect(400);
    expect(errorsOf(page.text).join()).to.match(/not a type we accept/);
    expect(page.text).to.include('href="#field-evidence"');
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(40)]);
    await upload([{ data: gif, name: 'x.png' }]).expect(400);
    await upload([{ data: Buffer.from('MZ\x90\x00\x03'), name: 'setup.pdf' }]).expect(400);
    expect(stored()).to.deep.equal(before);
    expect(incoming()).to.deep.equal([]);
  });

  it('types a polyglot by its content and keeps the appended part out of the viewing copy', async () => {
    const polyglot = Buffer.concat([cameraJpeg(), Buffer.from('<html><script>alert(document.cookie)</script></html>')]);
    await upload([{ data: polyglot, name: 'evil.html' }]).expect(303);
    const draft = await database.db.selectFrom('complaint_drafts').select('data').execute();
    const files = draft.flatMap(
      (d) => (d.data as { evidence?: Array<{ mime: string; originalName: string }> }).evidence ?? [],
    );
    expect(files.find((f) => f.originalName === 'evil.html')?.mime).to.equal('image/jpeg');
  });

  it('refuses an eleventh file, and more files than the draft has room for', async () => {
    const before = stored();
    const eleven = Array.from({ length: 11 }, (_, i) => ({ data: pdf(), name: `doc${i}.pdf` }));
    const page = await upload(eleven).expect(400);
    expect(errorsOf(page.text).join()).to.match(/up to 10 files/);
    expect(stored()).to.deep.equal(before);
    await upload(Array.from({ length: 8 }, (_, i) => ({ data: pdf(), name: `a${i}.pdf` }))).expect(303);
    await upload(Array.from({ length: 3 }, (_, i) => ({ data: pdf(), name: `b${i}.pdf` }))).expect(400);
    await upload([
      { data: pdf(), name: 'ninth.pdf' },
      { data: pdf(), name: 'tenth.pdf' },
    ]).expect(303);
    const page2 = await agent.get('/complaint/evidence');
    expect(page2.text).to.include('You have added the most files we accept');
    expect(incoming()).to.deep.equal([]);
  });

  it('refuses an oversized file (the limit is configurable) and the process stays up', async () => {
    const big = Buffer.concat([pdf(), Buffer.alloc(1024 * 1024 + 10, 0x20)]);
    const page = await upload([{ data: big, name: 'big.pdf' }]).expect(400);
    expect(errorsOf(page.text).join()).to.match(/1 MB or smaller/);
    expect(incoming()).to.deep.equal([]);
    await request(app).get('/healthz').expect(200);
  });

  it('answers malformed multipart with a field error, never a 500', async () => {
    const boundary = 'xyzBOUNDARY';
    const truncated = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 cut`;
    const page = await agent
      .post('/complaint/evidence')
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(truncated)
      .expect(400);
    expect(page.text).to.include('id="error-summary"');
    await agent.post('/complaint/evidence').set('Content-Type', 'multipart/form-data').send('garbage').expect(400);
    await agent
      .post('/complaint/evidence')
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(
        `--${boundary}\r\nContent-Disposition: form-data; name="other"; filename="../../x"\r\n\r\nzz\r\n--${boundary}--\r\n`,
      )
      .expect(400);
    expect(incoming()).to.deep.equal([]);
    await request(app).get('/healthz').expect(200);
  });

  it('refuses an upload without the form token, and removes what arrived', async () => {
    await agent.post('/complaint/evidence').attach('evidence', pdf(), 'a.pdf').expect(403);
    expect(incoming()).to.deep.equal([]);
  });

  it('removing a file from the draft deletes it; filing records each SHA-256 in the audit chain', async () => {
    await upload([
      { data: pdf(), name: 'keep.pdf' },
      { data: cameraJpeg(), name: 'drop.jpg' },
    ]).expect(303);
    const count = stored().length;
    await upload([], 'remove:1').expect(303);
    expect(stored().length).to.equal(count - 2);
    await agent.post('/complaint/what').type('form').send({ _csrf: csrf, narrative: 'With evidence' }).expect(303);
    await agent.post('/complaint/about-you').type('form').send({ _csrf: csrf, filing: 'anonymous' }).expect(303);
    await agent
      .post('/complaint/check')
      .type('form')
      .send({ _csrf: csrf, consent: 'yes', truthful: 'yes' })
      .expect(303);
    const complaint = await database.db
      .selectFrom('complaints')
      .select('id')
      .where('narrative', '=', 'With evidence')
      .executeTakeFirstOrThrow();
    const attachments = await database.db
      .selectFrom('attachments')
      .selectAll()
      .where('complaint_id', '=', complaint.id)
      .execute();
    expect(attachments).to.have.length(1);
    expect(attachments[0]).to.include({
      original_name: 'keep.pdf',
      sniffed_type: 'application/pdf',
      sha256: sha256(pdf()),
    });
    const audits = await database.db
      .selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'evidence.upload')
      .where('object_id', '=', complaint.id)
      .execute();
    expect(audits.map((a) => (a.details as { sha256: string }).sha256)).to.deep.equal([sha256(pdf())]);
  });
});
