/** Column types shared by the table shapes (schema.*.ts): how timestamps, dates and JSON read and write. */

import type { ColumnType } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** `date` columns are read as 'YYYY-MM-DD' strings on both drivers (see database.ts). */
export type DateOnly = string;
export type Json<T = unknown> = ColumnType<T, string, string>;
