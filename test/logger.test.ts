import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../server/logger.js';
import { safePath } from '../server/middleware/setUpRequestLogging.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

describe('logging', () => {
  it('writes one JSON line per event and escapes line breaks and control characters (R6)', () => {
    const { lines, logger } = capture();
    logger.info({ value: 'line one\n{"level":60,"msg":"forged"}\u001b[31m' }, 'event');
    expect(lines).to.have.length(1);
    const record = JSON.parse(lines[0]!);
    expect(record.value).to.contain('forged');
    expect(lines[0]).not.to.contain('\u001b');
  });

  it('censors passwords, access codes and narratives', () => {
    const { lines, logger } = capture();
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
