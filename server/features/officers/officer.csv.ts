import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS, IMPORT_MAX_ROWS, officerCsvRow, type OfficerValues } from './officer.schemas.js';

/** Why a whole file was refused before any row was read. */
export type FileProblem = 'empty' | 'notText' | 'badCsv' | 'header' | 'noRows' | 'tooManyRows';

/** A problem with one row: its line in the file, the column if it is about one, and a catalogue key. */
export interface RowError {
  line: number;
  column: string | null;
  key: string;
  params?: Record<string, string | number>;
}

export type ParsedCsv =
  | { ok: false; problem: FileProblem; line?: number | undefined }
  | { ok: true; rows: Array<{ line: number; values: OfficerValues }>; errors: RowError[] };

interface Parsed {
  record: string[];
  info: { lines: number; empty_lines: number };
}

const CATALOGUE_KEY = /^[a-z]+(\.[A-Za-z]+)+$/;

/**
 * Reads an import file: UTF-8 text (a binary file is refused, whatever its name), a header naming
 * exactly the expected columns in any order, then at most IMPORT_MAX_ROWS rows, each checked on
 * its own. Values are kept as typed: a cell like `=cmd` is a name like any other, stored as text.
 */
export function parseOfficerCsv(data: Buffer): ParsedCsv {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return { ok: false, problem: 'notText' };
  }
  if (text.includes('\u0000')) return { ok: false, problem: 'notText' };
  if (text.trim() === '') return { ok: false, problem: 'empty' };
  let records: Parsed[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 20_000,
    }) as unknown as Parsed[];
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    return { ok: false, problem: 'badCsv', line: typeof line === 'number' ? line : undefined };
  }
  const [head, ...body] = records;
  const header = (head?.record ?? []).map((name) => name.trim().toLowerCase());
  const expected: readonly string[] = CSV_COLUMNS;
  if (header.length !== expected.length || !expected.every((c) => header.includes(c))) {
    return { ok: false, problem: 'header' };
  }
  if (body.length === 0) return { ok: false, problem: 'noRows' };
  if (body.length > IMPORT_MAX_ROWS) return { ok: false, problem: 'tooManyRows' };

  const rows: Array<{ line: number; values: OfficerValues }> = [];
  const errors: RowError[] = [];
  const firstLineOf = new Map<string, number>();
  let previous = head!.info;
  for (const { record, info } of body) {
    // The line the record starts on: after the previous record and any blank lines skipped since.
    const line = previous.lines + 1 + (info.empty_lines - previous.empty_lines);
    previous = info;
    if (record.length !== header.length) {
      errors.push({
        line,
        column: null,
        key: 'officers.import.error.columnCount',
        params: { expected: header.length, found: record.length },
      });
      continue;
    }
    const parsed = officerCsvRow.safeParse(Object.fromEntries(header.map((name, i) => [name, record[i]])));
    if (!parsed.success) {
      const seen = new Set<string>();
      for (const issue of parsed.error.issues) {
        const column = String(issue.path[0] ?? '');
        if (seen.has(column)) continue;
        seen.add(column);
        errors.push({ line, column, key: CATALOGUE_KEY.test(issue.message) ? issue.message : 'validation.invalid' });
      }
      continue;
    }
    const first = firstLineOf.get(parsed.data.badgeNumber);
    if (first !== undefined) {
      errors.push({ line, column: 'badge_number', key: 'officers.import.error.duplicate', params: { first } });
      continue;
    }
    firstLineOf.set(parsed.data.badgeNumber, line);
    rows.push({ line, values: parsed.data });
  }
  return { ok: true, rows, errors };
}
