import { z } from 'zod';
import { complaintSubmission, statusLookup } from './residents/complaint.schemas.js';
import {
  apiError,
  caseDetail,
  caseQueuePage,
  caseQueueQuery,
  eventRequest,
  eventResult,
} from './cases/staffApi.schemas.js';
import { openDataPaths } from './openapi.data.js';

const schema = (type: z.ZodType) => z.toJSONSchema(type, { io: 'input', unrepresentable: 'any' });
const answer = (type: z.ZodType) => z.toJSONSchema(type, { io: 'output', unrepresentable: 'any' });

/** The one problem shape of every /api error (server/platform/http/errorHandler.ts). */
const errorBody = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        status: { type: 'integer' },
        code: {
          type: 'string',
          description: 'notFound, conflict, invalid, unprocessable, forbidden, tooMany, unavailable, unauthorized, ...',
        },
        message: { type: 'string' },
        requestId: { type: 'string' },
        errors: {
          type: 'array',
          items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
        },
      },
      required: ['status', 'code', 'message', 'requestId'],
    },
  },
  required: ['error'],
};

const json = (s: object) => ({ content: { 'application/json': { schema: s } } });

/** OpenAPI 3.1, whose schemas are JSON Schema: generated from the same zod schemas the routes use. */
export function openApiDocument(baseUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Civilian oversight complaints API',
      version: '1.0.0',
      description:
        'File a complaint and look up its status; for staff with a bearer token, work the case queue. Messages follow Accept-Language (en, es). The open data downloads (/data/...) are served at the site root, without a token.',
    },
    servers: [{ url: `${baseUrl}/api/v1` }],
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A token an administrator authorised for a user and that user collected on their account page (Staff > Account > API tokens); it lasts 90 days. It acts as its user with the roles the user has at the time of the request, never as an administrator.',
        },
      },
    },
    paths: {
      '/complaints': {
        post: {
          summary: 'File a complaint',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'A random key of 22 to 128 URL-safe characters (a UUID will do). Repeating a request with the same key and the same body within 24 hours files nothing new and answers with the same tracking number and access code; the same key with another body is refused (422). After 24 hours the key is forgotten.',
              schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{22,128}$' },
            },
          ],
          requestBody: { required: true, ...json(schema(complaintSubmission)) },
          responses: {
            '201': {
              description: 'Filed. The access code is shown only here: keep it.',
              ...json({
                type: 'object',
                properties: {
                  trackingNumber: { type: 'string', pattern: '^OC-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$' },
                  accessCode: { type: 'string' },
                  receivedAt: { type: 'string', format: 'date-time' },
                  acknowledgeBy: { type: ['string', 'null'], format: 'date-time' },
                  statusUrl: { type: 'string', format: 'uri' },
                },
                required: ['trackingNumber', 'accessCode', 'receivedAt'],
              }),
            },
            '400': { description: 'Invalid input, with a message per field', ...json(errorBody) },
            '413': { description: 'Body too large', ...json(errorBody) },
            '422': { description: 'The Idempotency-Key was used with another body', ...json(errorBody) },
          },
        },
      },
      '/status': {
        post: {
          summary: 'Look up the status of a complaint',
          requestBody: { required: true, ...json(schema(statusLookup)) },
          responses: {
            '200': {
              description: 'The public status',
              ...json({
                type: 'object',
                properties: {
                  trackingNumber: { type: 'string' },
                  stage: {
                    type: 'string',
                    enum: ['received', 'underReview', 'underInvestigation', 'boardReview', 'decided', 'closed'],
                  },
                  stageName: { type: 'string' },
                  history: { type: 'array', items: { type: 'object' } },
                  nextStep: { type: ['object', 'null'] },
                  outcome: { type: ['string', 'null'] },
                  findings: { type: 'array', items: { type: 'object' } },
                },
              }),
            },
            '400': { description: 'Invalid input', ...json(errorBody) },
            '404': {
              description: 'No complaint with this tracking number and access code (the same answer for either)',
              ...json(errorBody),
            },
            '429': { description: 'Too many failed lookups; try again later', ...json(errorBody) },
          },
        },
      },
      ...staffPaths(),
      ...openDataPaths(baseUrl),
    },
  };
}

/** The staff API: every operation needs a bearer token; another person's case answers 404. */
function staffPaths() {
  const security = [{ bearerAuth: [] }];
  const staffError = json(answer(apiError));
  const refused = {
    description: 'No token, or one that is unknown, revoked or of a disabled account (the same answer for each)',
    headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
    ...staffError,
  };
  const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  const notVisible = {
    description: "No such case for this user (another person's case answers the same)",
    ...staffError,
  };
  const queueParameters = Object.entries(
    (schema(caseQueueQuery) as { properties: Record<string, object> }).properties,
  ).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
  return {
    '/cases': {
      get: {
        summary: "The token's user's case queue",
        security,
        parameters: queueParameters,
        responses: {
          '200': { description: 'One page of the queue', ...json(answer(caseQueuePage)) },
          '400': { description: 'Invalid filters, with a message per parameter', ...staffError },
          '401': refused,
        },
      },
    },
    '/cases/{id}': {
      get: {
        summary: 'A case as this user may see it (the read is audited)',
        security,
        parameters: [idParameter],
        responses: {
          '200': { description: 'The case', ...json(answer(caseDetail)) },
          '401': refused,
          '404': notVisible,
        },
      },
    },
    '/cases/{id}/events': {
      post: {
        summary: 'Send a workflow event to a case, at the version the caller read',
        security,
        parameters: [idParameter],
        requestBody: { required: true, ...json(schema(eventRequest)) },
        responses: {
          '200': { description: 'The new state and version', ...json(answer(eventResult)) },
          '400': { description: 'Invalid input, with a message per field', ...staffError },
          '401': refused,
          '404': { description: 'No such case for this user, or an event their roles cannot send', ...staffError },
          '409': {
            description: 'The case changed since that version, or the event is not possible now',
            ...staffError,
          },
        },
      },
    },
  };
}
