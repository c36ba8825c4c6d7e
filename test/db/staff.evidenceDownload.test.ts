import { expect } from 'chai';
import type { Response } from 'supertest';
import { testApp } from '../support/app.js';
import { organiserFor, votingCase } from '../support/board.js';
import { useDatabase } from '../support/database.js';
import { GPS, ascii, cameraJpeg, cameraPng, pdf, tinyJpeg } from '../support/evidenceFixtures.js';
import { csrfOf, type Agent } from '../support/resident.js';
import { createStaff, signIn, STAFF_PASSWORD } from '../support/staff.js';

/** Collects any response body as bytes, whatever its type. */
const bytes = (res: Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

const attachmentNamed = (name: string) => new RegExp(`^attachment; filename="?${name.replace('.', '\\.')}"?$`);

/** An image with HTML after its end: a browser that trusted the name would run the script. */
const polyglot = Buffer.concat([tinyJpeg(), ascii('<html><script>alert(document.cookie)</script></html>')]);

describe('evidence downloads: the sniffed type only, and originals only for those who work the case (#15 items 2, 5)', () => {
  const database = useDatabase();
  let app: ReturnType<typeof testApp>['app'];
  let services: ReturnType<typeof testApp>['services'];
  let caseId: string;
  let supervisor: Agent;
  let member: Agent;
  const fileIds = new Map<string, string>();

  before(async () => {
    ({ app, services } = testApp(database.handle));
    const organiser = await organiserFor(database.db);
    const voting = await votingCase(services, database.db, organiser, { members: 1 });
    caseId = voting.complaintId;
    const memberEmail = await database.db
      .selectFrom('users')
      .select('email')
      .where('id', '=', voting.members[0]!.userId)
      .executeTakeFirstOrThrow();
    member = await signIn(app, { email: memberEmail.email, password: STAFF_PASSWORD });
    supervisor = await signIn(app, await createStaff(database.db, ['supervisor']));

    const page = await supervisor.get(`/staff/cases/${caseId}`).expect(200);
    await supervisor
      .post(`/staff/cases/${caseId}/evidence`)
      .field('_csrf', csrfOf(page.text))
      .attach('evidence', polyglot, 'statement.html')
      .attach('evidence', cameraJpeg(), 'photo.hta')
      .attach('evidence', cameraPng(), 'image.svg')
      .attach('evidence', pdf(), 'report.pdf')
      .attach('evidence', Buffer.from('What I saw.\n'), 'note.txt')
      .expect(303);
    const rows = await database.db
      .selectFrom('attachments')
      .select(['id', 'original_name'])
      .where('complaint_id', '=', caseId)
      .execute();
    for (const row of rows) fileIds.set(row.original_name, row.id);
  });

  const download = (agent: Agent, name: string, query = '') =>
    agent
      .get(`/staff/cases/${caseId}/evidence/${fileIds.get(name)}${query}`)
      .buffer(true)
      .parse(bytes);

  it('serves the type decided from the bytes under a name with its extension, never the uploader’s', async () => {
    const cases: Array<[string, string, string]> = [
      ['statement.html', 'image/jpeg', 'statement.jpg'],
      ['photo.hta', 'image/jpeg', 'photo.jpg'],
      ['image.svg', 'image/png', 'image.png'],
      ['report.pdf', 'application/pdf', 'report.pdf'],
    ];
    for (const [uploaded, type, name] of cases) {
      const res = await download(supervisor, uploaded).expect(200);
      expect(res.headers['content-type'], uploaded).to.equal(type);
      expect(res.headers['content-disposition'], uploaded).to.match(attachmentNamed(name));
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.headers['content-security-policy']).to.contain('sandbox');
    }
    const text = await download(supervisor, 'note.txt').expect(200);
    expect(text.headers['content-type']).to.match(/^text\/plain/);
  });

  it('gives those who work the case the original, GPS and all, byte for byte', async () => {
    const res = await download(supervisor, 'photo.hta').expect(200);
    expect((res.body as Buffer).equals(cameraJpeg())).to.equal(true);
    const polyglotBack = await download(supervisor, 'statement.html').expect(200);
    expect((polyglotBack.body as Buffer).equals(polyglot)).to.equal(true);
  });

  it('names the files on the case page as they download, with the name they were uploaded under', async () => {
    const html = (await supervisor.get(`/staff/cases/${caseId}`).expect(200)).text;
    expect(html).to.contain('>statement.jpg</a>').and.to.contain('uploaded as “statement.html”');
  });

  it('gives a board member only the copy without location data, and no file that has no such copy', async () => {
    for (const query of ['', '?copy=viewing']) {
      const res = await download(member, 'photo.hta', query).expect(200);
      expect(res.headers['content-type']).to.equal('image/jpeg');
      expect(res.headers['content-disposition']).to.match(attachmentNamed('photo.jpg'));
      const body = (res.body as Buffer).toString('latin1');
      expect(body, `photo${query}`).not.to.contain(GPS);
      expect(body).not.to.contain('12 Main Street');
    }
    const png = await download(member, 'image.svg').expect(200);
    expect((png.body as Buffer).toString('latin1')).not.to.contain(GPS);
    // A PDF may carry its author and more, and has no stripped copy: not for the board.
    await download(member, 'report.pdf').expect(404);
    await download(member, 'report.pdf', '?copy=viewing').expect(404);
    // Plain text hides nothing: the original is its own viewing copy.
    await download(member, 'note.txt').expect(200);

    const html = (await member.get(`/staff/cases/${caseId}`).expect(200)).text;
    expect(html).not.to.contain(`/evidence/${fileIds.get('photo.hta')}"`);
    expect(html).to.contain(`/evidence/${fileIds.get('photo.hta')}?copy=viewing"`);
    expect(html).not.to.contain(`/evidence/${fileIds.get('report.pdf')}`);
    expect(html).to.contain('Only the staff investigating this case can open this file.');
  });

  it('audits every download with the copy that was sent', async () => {
    const rows = await database.db
      .selectFrom('audit_events')
      .select(['actor_id', 'details'])
      .where('event_type', '=', 'evidence.download')
      .where('object_id', '=', caseId)
      .execute();
    const copies = rows.map((r) => (r.details as { copy: string }).copy);
    // Supervisor: 5 + 2 originals; member: 2 photo, 1 png, 1 text (refusals send nothing and are not downloads).
    expect(rows).to.have.length(11);
    expect(copies.filter((c) => c === 'viewing')).to.have.length(3);
  });
});
