import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * One JSON record per line. Values are JSON-escaped by pino, so control characters and line breaks
 * in logged values cannot forge a second record (R6). Fields that may carry secrets are censored.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: null,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['password', '*.password', 'accessCode', '*.accessCode', 'narrative', '*.narrative', 'token'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
