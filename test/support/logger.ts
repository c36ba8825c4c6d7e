import { Writable } from 'node:stream';
import { createLogger } from '../../server/platform/logger.js';

export const silentLogger = createLogger('silent');

/** A logger at info level whose JSON lines are kept, for tests that read what was logged. */
export function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}
