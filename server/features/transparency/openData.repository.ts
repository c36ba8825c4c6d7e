import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/executor.js';

// The open-data files, read from `open_data_rows` a page at a time and formatted by the database:
// one text per page rather than thousands of row objects, so a download of a million rows makes
// little garbage.

/** The table's columns, as the files name them. */
const COLUMNS = [
  ['month', 'month_received'],
  ['category', 'category'],
  ['district', 'district'],
  ['finding', 'finding'],
  ['days_to_close', 'days_to_close'],
  ['stage', 'stage'],
] as const;

// Passed as values, so the tab and carriage return are real characters, not escapes.
const FORMULA_START = '^[-=+@\t\r]';
const NEEDS_QUOTES = '[",\r\n]';
/** Matched on the line with a comma put first: a quote or line break anywhere, or a field starting like a formula. */
const LINE_NEEDS_CARE = '["\r\n]|,[-=+@\t\r]';
const SEPARATORS = COLUMNS.length - 1;

/**
 * One CSV field (RFC 4180): quoted, its quotes doubled, when it holds a comma, quote or line break;
 * prefixed with an apostrophe when a spreadsheet would run it as a formula (no code starts so).
 */
function csvCell(column: string): RawBuilder<string> {
  const value = sql<string>`case when ${sql.ref(column)} ~ ${FORMULA_START} then '''' || ${sql.ref(column)} else ${sql.ref(column)} end`;
  return sql<string>`case when ${value} ~ ${NEEDS_QUOTES} then '"' || replace(${value}, '"', '""') || '"' else ${value} end`;
}

const PLAIN_LINE = sql.join(
  COLUMNS.map(([column]) => sql.ref(column)),
  sql` || ',' || `,
);
/**
 * A row as a CSV line: the fields joined as they are, unless one needs quoting or defusing (no code
 * does): a quote, line break or formula start shows on the joined line, a comma inside a field as
 * one comma too many.
 */
const CSV_LINE = sql<string>`case
  when (',' || ${PLAIN_LINE}) ~ ${LINE_NEEDS_CARE}
    or length(${PLAIN_LINE}) - length(replace(${PLAIN_LINE}, ',', '')) <> ${sql.lit(SEPARATORS)}
  then ${sql.join(
    COLUMNS.map(([column]) => csvCell(column)),
    sql` || ',' || `,
  )}
  else ${PLAIN_LINE} end`;
const JSON_OBJECT = sql`json_build_object(${sql.join(COLUMNS.map(([column, name]) => sql`${sql.lit(name)}, ${sql.ref(column)}`))})::text`;

export interface OpenDataChunk {
  /** The sort key of the last combination in the chunk: the next chunk starts after it. */
  last: string;
  /** The rows, formatted: CSV lines each ending CRLF, or JSON objects separated by ",\n". */
  text: string;
}

/**
 * The combinations after a sort key (keyset paging on the primary key), each written as many
 * times as the rows it stands for, as CSV lines or JSON objects in order: about `limit` rows (the
 * combinations whose rows start before the limit); undefined when there are none.
 */
export async function openDataChunk(
  db: Executor,
  format: 'csv' | 'json',
  after: string,
  limit: number,
): Promise<OpenDataChunk | undefined> {
  const text =
    format === 'csv'
      ? sql<string>`string_agg(${CSV_LINE} || ${'\r\n'}, '' order by sort_key)`
      : sql<string>`string_agg(${JSON_OBJECT}, ${',\n'} order by sort_key)`;
  const result = await sql<{ last: string | null; text: string | null }>`
    select max(sort_key) as last, ${text} as text
      from (
        select * from (
          select *, sum(n) over (order by sort_key) as upto
            from (select * from open_data_rows where sort_key > ${after} order by sort_key limit ${limit}) p
        ) counted
        where upto - n < ${limit}
      ) page
      cross join lateral generate_series(1, page.n) as copy
  `.execute(db);
  const row = result.rows[0];
  if (!row || row.last === null || row.text === null) return undefined;
  return { last: row.last, text: row.text };
}
