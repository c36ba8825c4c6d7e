import { z } from 'zod';
import { DISCIPLINES } from '../../domain/vocabulary.js';
import { TRUST_ITEMS } from '../surveys/trustSurvey.bank.js';
import { TRACKER_STATUSES } from '../recommendations/recommendation.view.js';

// The open datasets' rows (#19 part 6), as zod schemas: the files' columns are their keys in order,
// the OpenAPI document is generated from them, and the tests parse the downloads with them. Beside
// the complaints (one row per allegation), the summary datasets publish the dashboard's figures:
// each is a name, a row schema and the code lists its dictionary explains. Adding a dataset is one
// entry of SUMMARY_DATASETS, its rows in openData.summaries.ts and its words in the catalogue.

/** What a withheld value reads in every file (the small-cell rule, server/domain/suppression.ts). */
export const SUPPRESSED = 'suppressed';
/** A column not broken down on this row: every category, discipline or district together. */
export const ALL = 'all';

const code = (description: string) => z.string().describe(description);
const withheld = z.literal(SUPPRESSED);
/** A count under the small-cell rule: 0, or a multiple of 5; 1 to 4 are withheld. */
const count = z.union([z.number().int().min(0).multipleOf(5), withheld]);

export const complaintRow = z.strictObject({
  month_received: code('YYYY-MM, or YYYY when the row is generalised'),
  category: code('A category code, or suppressed'),
  district: code('A district code, unknown, or suppressed'),
  finding: code('A finding code, none, or suppressed'),
  days_to_close: code('A range of days (0-30, 31-90, 91-180, 181-365, over-365), open, or suppressed'),
  stage: code('A stage code, or suppressed'),
});

/** What a row of the responses dataset counts (the dictionary explains each). */
export const RESPONSE_DATA_MEASURES = [
  'responded',
  'concurred',
  'not_concurred',
  'concurrence_percent',
  'discipline',
  'overdue',
] as const;

export const responseRow = z.strictObject({
  year: z.string().regex(/^\d{4}$/),
  measure: z.enum(RESPONSE_DATA_MEASURES),
  category: code('A category code for the discipline measure, else all'),
  discipline: code('A discipline code for the discipline measure, else all'),
  value: z
    .union([z.number().int().min(0), withheld])
    .describe('A count (0 or a multiple of 5), or a whole percentage for concurrence_percent; suppressed when small'),
});

export const trustRow = z.strictObject({
  wave_start: z.iso.date(),
  wave_end: z.iso.date(),
  district: code('A district code, unknown (none given), or all'),
  statement: z.enum(TRUST_ITEMS),
  respondents: count,
  average: z
    .union([z.number().min(1).max(5), withheld])
    .describe('Average agreement from 1 to 5, one decimal, only over 5 answers or more'),
});

/** A policy recommendation the board adopted, and where it stands (#19 part 3): nothing here is about a person. */
export const recommendationRow = z.strictObject({
  reference: code("The recommendation's reference, REC-YYYY-NNN"),
  adopted_on: z.iso.date(),
  votes_for: z.number().int().min(0),
  votes_against: z.number().int().min(0),
  response_due_on: z.iso.date(),
  status: z.enum(TRACKER_STATUSES as [string, ...string[]]),
  status_since: z.union([z.iso.date(), z.literal('')]).describe('The day of the response or update in force, if any'),
  title_en: z.string(),
  title_es: z.string(),
});

export type ComplaintRow = z.infer<typeof complaintRow>;
export type RecommendationRow = z.infer<typeof recommendationRow>;
export type ResponseRow = z.infer<typeof responseRow>;
export type TrustRow = z.infer<typeof trustRow>;

export type OpenDataFormat = 'csv' | 'json';

export const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;

export interface OpenDataDownload {
  /** When the rows were built (undefined before the first refresh: the file is then empty). */
  lastUpdated: Date | undefined;
  filename: string;
  contentType: string;
  /** The file, in chunks of about one page each; stop iterating to stop reading. */
  chunks: AsyncIterable<string>;
}

/** A dataset's JSON file: when its figures were built (null when not known), and its rows. */
export const openDataDocument = (row: z.ZodType) =>
  z.strictObject({ lastUpdated: z.iso.datetime().nullable(), rows: z.array(row) });

/** A list of codes the data dictionary explains, each text at `${textKey}.${code}` in the catalogue. */
export interface CodeList {
  key: string;
  codes: readonly string[];
  textKey: string;
}

export interface SummaryDataset<Row extends z.ZodObject = z.ZodObject> {
  name: string;
  /** For the OpenAPI document (English, as the rest of it); the dictionary's words are in the catalogue. */
  description: string;
  row: Row;
  codeLists: readonly CodeList[];
}

/** The complaints' files, as the OpenAPI document lists them beside the summaries. */
export const COMPLAINTS_DATASET = {
  name: 'complaints',
  description: 'Complaints, one row per allegation, generalised so that no combination points to a person',
  row: complaintRow,
} as const;

export const SUMMARY_DATASETS = [
  {
    name: 'responses',
    description:
      "The department's responses to sustained findings by year: concurrence, discipline by category, overdue",
    row: responseRow,
    codeLists: [
      { key: 'measures', codes: RESPONSE_DATA_MEASURES, textKey: 'openData.responses.measure' },
      { key: 'disciplines', codes: DISCIPLINES, textKey: 'responses.discipline' },
    ],
  },
  {
    name: 'trust',
    description: 'Community trust survey results per wave that is over, for the whole wave and by district',
    row: trustRow,
    codeLists: [{ key: 'statements', codes: TRUST_ITEMS, textKey: 'trustSurvey.item' }],
  },
  {
    name: 'recommendations',
    description: "Policy recommendations the board adopted, the vote, and the department's response and implementation",
    row: recommendationRow,
    codeLists: [{ key: 'statuses', codes: TRACKER_STATUSES, textKey: 'recommendations.status' }],
  },
] as const satisfies readonly SummaryDataset[];

export type SummaryName = (typeof SUMMARY_DATASETS)[number]['name'];

/** A row schema's keys: the files' columns, in order. */
export const columnsOf = (row: z.ZodObject): string[] => Object.keys(row.shape);
