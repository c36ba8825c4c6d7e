import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.js';

const INCOMING_ID = /^[A-Za-z0-9._-]{1,64}$/;
// Path segments that look like secrets (survey and reset links carry tokens); UUIDs of records stay.
const TOKEN_SEGMENT = /\/(?![0-9a-f]{8}-[0-9a-f]{4}-)[A-Za-z0-9_-]{24,}(?=\/|$)/g;

/** One JSON line per request with its id, method, path without query, status and time; no headers or bodies. */
export function setUpRequestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req) => /^\/(healthz|readyz|assets\/)/.test(req.url ?? '') },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode === 500 ? 'error' : res.statusCode >= 500 ? 'warn' : 'info',
    // pino-http would attach a made-up "failed with status code" error; the error handler already
    // logs the real one (with this request id) for unexpected failures.
    customErrorObject: (_req, _res, _err, val: { req: unknown; res: unknown; responseTime: number }) => ({
      req: val.req,
      res: val.res,
      responseTime: val.responseTime,
    }),
    customErrorMessage: () => 'request completed',
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: safePath(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

export function safePath(url: string): string {
  const pathOnly = url.split('?')[0] ?? '';
  return pathOnly.replace(TOKEN_SEGMENT, '/:token');
}
