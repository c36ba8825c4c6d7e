import { z } from 'zod';
import { complaintSubmission, statusLookup } from '../schemas/complaint.schemas.js';

const schema = (type: z.ZodType) => z.toJSONSchema(type, { io: 'input', unrepresentable: 'any' });

const errorBody = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
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
      description: 'File a complaint and look up its status. Messages follow Accept-Language (en, es).',
    },
    servers: [{ url: `${baseUrl}/api/v1` }],
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
                'A random key of 22 to 128 URL-safe characters (a UUID will do). Repeating a request with the same key files nothing new and answers with the same tracking number and access code.',
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
    },
  };
}
