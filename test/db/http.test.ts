import { expect } from 'chai';
import request from 'supertest';
import type { MailService } from '../../server/platform/mail/mail.service.js';
import { testApp, testConfig } from '../support/app.js';
import { freshDatabase, useDatabase } from '../support/database.js';

describe('HTTP foundation', () => {
  const database = useDatabase();
  const app = () => testApp(database.handle).app;

  describe('health checks', () => {
    it('GET /healthz answers 200 JSON while the process is up', async () => {
      const res = await request(app()).get('/healthz').expect(200).expect('Content-Type', /json/);
      expect(res.body).to.deep.equal({ status: 'ok' });
    });

    it('GET /readyz answers 200 when the database answers', async () => {
      const res = await request(app()).get('/readyz').expect(200);
      expect(res.body).to.deep.equal({ status: 'ok', checks: { database: 'ok' } });
    });

    it('GET /readyz and every page answer 503 when the database is gone; /healthz stays 200', async () => {
      const gone = await freshDatabase();
      const { app: broken } = testApp(gone);
      await gone.close();
      const res = await request(broken).get('/readyz').expect(503);
      expect(res.body).to.deep.equal({ status: 'unavailable', checks: { database: 'unavailable' } });
      const page = await request(broken).get('/').set('Accept-Language', 'es').expect(503);
      expect(page.text).to.contain('Servicio no disponible temporalmente');
      expect(page.headers['retry-after']).to.equal('30');
      await request(broken).get('/healthz').expect(200);
      await request(broken).get('/assets/app.css').expect(200);
    });

    it('answers a page with 503 and a calm message when the database cannot be reached', async () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      const { app: broken } = testApp(database.handle, {
        override: (svc) => ({ mail: throwingMail(svc.mail, refused) }),
      });
      const page = await request(broken).get('/dev/mail').set('Accept-Language', 'es').expect(503);
      expect(page.headers['retry-after']).to.equal('30');
      expect(page.text).to.contain('Servicio no disponible temporalmente');
    });
  });

  describe('pages and errors', () => {
    it('serves the home page with the USWDS layout, a skip link and the agency name', async () => {
      const res = await request(app()).get('/').expect(200).expect('Content-Type', /html/);
      expect(res.text).to.contain('<html lang="en">');
      expect(res.text).to.contain('href="#main-content"');
      expect(res.text).to.contain('/assets/uswds/css/uswds.min.css');
      expect(res.text).to.contain('Test Oversight Board');
    });

    it('serves the design system from its npm package', async () => {
      await request(app()).get('/assets/uswds/css/uswds.min.css').expect(200).expect('Content-Type', /css/);
      await request(app()).get('/assets/uswds/js/uswds.min.js').expect(200);
      await request(app()).get('/assets/app.css').expect(200);
      const traversal = await request(app()).get('/assets/uswds/css/%2e%2e/%2e%2e/package.json').expect(404);
      expect(traversal.headers['cache-control']).to.equal('no-store');
      const missing = await request(app()).get('/assets/uswds/css/missing.css').expect(404);
      expect(missing.headers['cache-control']).to.equal('no-store');
    });

    it('answers an unknown page with a 404 page in the reader’s language', async () => {
      const en = await request(app()).get('/no/such/page').expect(404);
      expect(en.text).to.contain('Page not found');
      const es = await request(app()).get('/no/such/page').set('Accept-Language', 'es-MX').expect(404);
      expect(es.text).to.contain('Página no encontrada');
    });

    it('answers a failure with a 500 page that shows no stack outside development', async () => {
      const { app: failing } = testApp(database.handle, { override: (svc) => ({ mail: throwingMail(svc.mail) }) });
      const res = await request(failing).get('/dev/mail').expect(500);
      expect(res.text).to.contain('Something went wrong');
      expect(res.text).not.to.match(/at .*\.ts:\d+|secret detail/);
      expect(res.text).to.contain(`Reference: ${res.headers['x-request-id']}`);
    });

    it('shows the stack in development only', async () => {
      const config = testConfig({ NODE_ENV: 'development' });
      const { app: failing } = testApp(database.handle, {
        config,
        override: (svc) => ({ mail: throwingMail(svc.mail) }),
      });
      const res = await request(failing).get('/dev/mail').expect(500);
      expect(res.text).to.contain('secret detail');
    });

    it('refuses a body over the size limit with 413 and malformed JSON with 400, as pages', async () => {
      await request(app())
        .post('/')
        .type('form')
        .send(`a=${'x'.repeat(300_000)}`)
        .expect(413);
      const res = await request(app()).post('/').set('Content-Type', 'application/json').send('{"a":').expect(400);
      expect(res.text).to.contain('We could not read that request');
    });

    it('answers a request target that is not a URL without failing', async () => {
      const res = await request(app()).get('//[').expect(404);
      expect(res.text).to.contain('href="/?lang=es"');
    });

    it('answers a malformed value the database refuses with 400, not 500', async () => {
      const { app: strict } = testApp(database.handle, {
        override: (svc) => ({
          mail: {
            ...svc.mail,
            captured: {
              list: async () => {
                await database.db.selectFrom('complaints').select('id').where('id', '=', 'not-a-uuid').execute();
                return [];
              },
              read: async () => undefined,
            },
          },
        }),
      });
      await request(strict).get('/dev/mail').expect(400);
    });

    it('answers under /api with JSON errors', async () => {
      const res = await request(app()).get('/api/v1/nothing').expect(404).expect('Content-Type', /json/);
      expect(res.body.error.status).to.equal(404);
    });

    it('does not mount /dev/mail in production', async () => {
      const config = testConfig({
        NODE_ENV: 'production',
        PUBLIC_BASE_URL: 'https://oversight.example.gov',
        SMTP_URL: 'smtp://127.0.0.1:2525',
      });
      await request(testApp(database.handle, { config }).app).get('/dev/mail').expect(404);
    });
  });

  describe('security headers (R26)', () => {
    it('sets a CSP without inline scripts, and the other headers', async () => {
      const res = await request(app()).get('/').expect(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).to.contain("default-src 'self'");
      expect(csp).to.contain("script-src 'self'");
      expect(csp).not.to.contain('unsafe-inline');
      expect(csp).to.contain("object-src 'none'");
      expect(csp).to.contain("base-uri 'none'");
      expect(csp).to.contain("frame-ancestors 'none'");
      expect(res.headers['referrer-policy']).to.equal('no-referrer');
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.headers['x-powered-by']).to.equal(undefined);
    });

    it('has no inline script or style in the page', async () => {
      const res = await request(app()).get('/').expect(200);
      expect(res.text).not.to.match(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(res.text).not.to.match(/\sstyle=|<style/);
    });

    it('keeps a well-formed incoming request id and replaces a malformed one', async () => {
      const kept = await request(app()).get('/healthz').set('X-Request-Id', 'abc-123').expect(200);
      expect(kept.headers['x-request-id']).to.equal('abc-123');
      const replaced = await request(app()).get('/healthz').set('X-Request-Id', 'bad id <script>').expect(200);
      expect(replaced.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    });
  });

  describe('language choice', () => {
    it('defaults to English', async () => {
      const res = await request(app()).get('/').expect(200);
      expect(res.text).to.contain('<html lang="en">');
      expect(res.text).to.contain('Tell us about police conduct');
      expect(res.text).to.contain('href="/?lang=es"');
    });

    it('follows Accept-Language', async () => {
      const res = await request(app()).get('/').set('Accept-Language', 'es-419,es;q=0.9,en;q=0.5').expect(200);
      expect(res.text).to.contain('<html lang="es">');
      expect(res.text).to.contain('Cuéntenos sobre la conducta policial');
      expect(res.headers['vary']).to.match(/Accept-Language/);
    });

    it('remembers the switch in a cookie that outranks Accept-Language', async () => {
      const agent = request.agent(app());
      const switched = await agent.get('/?lang=es').expect(200);
      expect(switched.text).to.contain('<html lang="es">');
      expect(String(switched.headers['set-cookie'])).to.match(/lang=es;.*HttpOnly/i);
      const later = await agent.get('/').set('Accept-Language', 'en').expect(200);
      expect(later.text).to.contain('<html lang="es">');
      const back = await agent.get('/?lang=en').expect(200);
      expect(back.text).to.contain('<html lang="en">');
    });

    it('ignores an unsupported language', async () => {
      const res = await request(app()).get('/?lang=xx').set('Accept-Language', 'fr').expect(200);
      expect(res.text).to.contain('<html lang="en">');
      expect(res.headers['set-cookie']).to.equal(undefined);
    });
  });
});

function throwingMail(mail: MailService, error: Error = new Error('secret detail')): MailService {
  return {
    ...mail,
    captured: {
      list: async () => {
        throw error;
      },
      read: async () => undefined,
    },
  };
}
