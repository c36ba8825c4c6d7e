import { parse } from 'csv-parse/sync';
import type { Express } from 'express';
import request from 'supertest';

/** A row of a CSV download: column name to text. */
export type CsvRow = Record<string, string>;

/** Reads a whole download as text, whatever its content type. */
const asText = (res: request.Response, callback: (err: Error | null, body: string) => void) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => callback(null, body));
};

/** A GET whose body is the download's text (`res.body`). */
export const getDownload = (app: Express, path: string) =>
  request(app)
    .get(path)
    .buffer(true)
    .parse(asText as never);

/** The rows of a CSV file with a header line (RFC 4180). */
export const csvRows = (text: string): CsvRow[] => parse(text, { columns: true, skip_empty_lines: false }) as CsvRow[];
