import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { formatInstant } from '../../server/platform/dates.js';
import { mailService } from '../../server/platform/mail/mail.service.js';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';

describe('mail', () => {
  const database = useDatabase();

  it('captures messages under DATA_DIR when no SMTP_URL is set', async () => {
    const captureDir = mkdtempSync(path.join(tmpdir(), 'oversight-mail-'));
    const mail = mailService({ from: 'Board <no-reply@localhost>', captureDir });
    await mail.send({ to: 'resident@example.com', subject: 'Your complaint', text: 'We received it.' });
    const [message] = await mail.captured!.list();
    expect(message).to.include({ to: 'resident@example.com', subject: 'Your complaint', text: 'We received it.' });
    expect(await mail.captured!.read('../../etc/passwd')).to.equal(undefined);
  });

  it('lists captured messages at /dev/mail and shows one, escaped', async () => {
    const { app, services, config } = testApp(database.handle);
    await services.mail.send({ to: 'a@example.com', subject: '<b>Hola</b>', text: 'Cuerpo <script>x</script>' });
    const list = await request(app).get('/dev/mail').expect(200);
    expect(list.text).to.contain('&lt;b&gt;Hola&lt;/b&gt;');
    const id = /href="\/dev\/mail\/([0-9a-f-]{36})"/.exec(list.text)?.[1];
    expect(id).to.be.a('string');
    const one = await request(app).get(`/dev/mail/${id}`).expect(200);
    expect(one.text).to.contain('Cuerpo &lt;script&gt;x&lt;/script&gt;');
    // When it was sent, on the agency's clock in the reader's language; the ISO time only for machines.
    const { date } = (await services.mail.captured!.read(id!))!;
    for (const language of ['en', 'es'] as const) {
      const shown = formatInstant(date, language, config.agencyTimeZone, 'dateTime');
      for (const page of [`/dev/mail?lang=${language}`, `/dev/mail/${id}?lang=${language}`]) {
        const html = (await request(app).get(page).expect(200)).text;
        expect(html, page).to.contain(`<time datetime="${date}">${shown}</time>`);
        expect(html.replaceAll(`datetime="${date}"`, ''), page).not.to.contain(date);
      }
    }
    await request(app).get('/dev/mail/not-an-id').expect(404);
  });
});
