import { expect } from 'chai';
import request from 'supertest';
import { safePath } from '../../server/platform/http/setUpRequestLogging.js';
import { testApp } from '../support/app.js';
import { capturingLogger } from '../support/logger.js';
import { freshDatabase, useDatabase } from '../support/database.js';

describe('logging', () => {
  it('writes one JSON line per event and escapes line breaks and control characters (R6)', () => {
    const { lines, logger } = capturingLogger();
    logger.info({ value: 'line one\n{"level":60,"msg":"forged"}\u001b[31m' }, 'event');
    expect(lines).to.have.length(1);
    const record = JSON.parse(lines[0]!);
    expect(record.value).to.contain('forged');
    expect(lines[0]).not.to.contain('\u001b');
  });

  it('censors passwords, access codes and narratives', () => {
    const { lines, logger } = capturingLogger();
    logger.info({ password: 'hunter2hunter2', accessCode: 'ABCD-EFGH', narrative: 'what happened' }, 'x');
    expect(lines).to.have.length(1);
    expect(lines[0]).not.to.match(/hunter2|ABCD-EFGH|what happened/);
    expect(JSON.parse(lines[0]!).password).to.equal('[redacted]');
  });

  it('keeps record ids in paths but hides token-like segments', () => {
    expect(safePath('/cases/4f1c2a7e-9b1d-4c3e-8f00-0123456789ab?lang=es')).to.equal(
      '/cases/4f1c2a7e-9b1d-4c3e-8f00-0123456789ab',
    );
    expect(safePath('/survey/q8Zr3kX9vLmN2pQ7tY5wA1bC4dE6fG0h')).to.equal('/survey/:token');
  });
});

describe('request logs', () => {
  const database = useDatabase();

  it('log a request as one line with its id, method, path and status, and nothing of headers or query', async () => {
    const { lines, logger } = capturingLogger();
    const { app } = testApp(database.handle, { logger });
    const res = await request(app)
      .get('/?lang=es&secret=abc')
      .set('Cookie', 'session=very-secret')
      .set('Authorization', 'Bearer token-value');
    expect(lines).to.have.length(1);
    const record = JSON.parse(lines[0]!);
    expect(record.req).to.deep.equal({ id: res.headers['x-request-id'], method: 'GET', path: '/' });
    expect(record.res).to.deep.equal({ statusCode: 200 });
    expect(lines[0]).not.to.match(/very-secret|token-value|secret=abc/);
  });

  it('log an unexpected failure with its error and a 503 as one warning without a stack', async () => {
    const { lines, logger } = capturingLogger();
    const { app } = testApp(database.handle, {
      logger,
      override: (svc) => ({
        mail: {
          ...svc.mail,
          captured: {
            list: async () => {
              throw new Error('boom');
            },
            read: async () => undefined,
          },
        },
      }),
    });
    await request(app).get('/dev/mail').expect(500);
    const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message: string } });
    expect(records.map((r) => [r.level, r.msg])).to.deep.equal([
      [50, 'request failed'],
      [50, 'request completed'],
    ]);
    expect(records[0]!.err!.message).to.equal('boom');
    expect(records[1]!.err).to.equal(undefined);

    lines.length = 0;
    const gone = await freshDatabase();
    const { app: down } = testApp(gone, { logger });
    await gone.close();
    await request(down).get('/').expect(503);
    expect(lines).to.have.length(1);
    expect(JSON.parse(lines[0]!)).to.include({ level: 40, msg: 'request completed' });
  });
});
