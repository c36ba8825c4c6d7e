import { z } from 'zod';
import {
  COMPLAINTS_DATASET,
  CONTENT_TYPES,
  columnsOf,
  openDataDocument,
  SUMMARY_DATASETS,
  type OpenDataFormat,
} from './transparency/openData.schemas.js';

// The open data's downloads in the OpenAPI document (#19 part 6): served at the site's root, not
// under /api/v1, so each path names its own server. Generated from the same zod row schemas the
// files are written from; a dataset added to SUMMARY_DATASETS is described here with no more code.

const answer = (type: z.ZodType) => z.toJSONSchema(type, { io: 'output', unrepresentable: 'any' });

const DOWNLOAD_HEADERS = {
  'Content-Disposition': { schema: { type: 'string' }, description: 'attachment; filename="<name>.<csv|json>"' },
  'Last-Modified': {
    schema: { type: 'string' },
    description:
      'When the statistics were last rebuilt; absent when not known (before the first rebuild, or for the trust survey)',
  },
};

export function openDataPaths(baseUrl: string) {
  const datasets: ReadonlyArray<{ name: string; description: string; row: z.ZodObject }> = [
    COMPLAINTS_DATASET,
    ...SUMMARY_DATASETS,
  ];
  const explained = `The columns are explained at ${baseUrl}/data.`;
  const download = (name: string, format: OpenDataFormat, summary: string, description: string, schema: object) => [
    `/data/${name}.${format}`,
    {
      servers: [{ url: baseUrl }],
      get: {
        summary: `${summary} (${format.toUpperCase()})`,
        tags: ['open data'],
        responses: {
          '200': {
            description: `${description} ${explained}`,
            headers: DOWNLOAD_HEADERS,
            content: { [CONTENT_TYPES[format].split(';')[0]!]: { schema } },
          },
        },
      },
    },
  ];
  return Object.fromEntries(
    datasets.flatMap(({ name, description, row }) => [
      download(
        name,
        'csv',
        description,
        `RFC 4180, UTF-8, CRLF line ends; the first line is "${columnsOf(row).join(',')}". A value 1 to 4 or too rare reads suppressed; a field a spreadsheet would run as a formula starts with an apostrophe.`,
        { type: 'string' },
      ),
      download(
        name,
        'json',
        description,
        'The same rows as the CSV, with the time they were built.',
        answer(openDataDocument(row)),
      ),
    ]),
  );
}
