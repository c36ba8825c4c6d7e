import type { Translate } from '../../platform/i18n.js';
import { columnsOf, SUMMARY_DATASETS } from './openData.schemas.js';

// The data dictionary's words for each file: its columns and its code lists, in the reader's
// language. The summary datasets (#19 part 6) are described from their registry, so a new dataset
// needs only its words in the catalogue, under openData.<name>.

export interface ColumnText {
  name: string;
  meaning: string;
  values: string;
}

/** A file's columns with their meaning and values, from `${prefix}.<column>.meaning|values`. */
export const columnTexts = (t: Translate, prefix: string, columns: readonly string[]): ColumnText[] =>
  columns.map((name) => ({ name, meaning: t(`${prefix}.${name}.meaning`), values: t(`${prefix}.${name}.values`) }));

/** A section of the dictionary per summary dataset: its downloads, columns, codes and notes. */
export function summarySections(t: Translate) {
  return SUMMARY_DATASETS.map((dataset) => {
    const words = (key: string) => t(`openData.${dataset.name}.${key}`);
    return {
      name: dataset.name,
      heading: words('heading'),
      lead: words('lead'),
      downloads: [
        { href: `/data/${dataset.name}.csv`, text: words('csvLink') },
        { href: `/data/${dataset.name}.json`, text: words('jsonLink') },
      ],
      columnsCaption: words('columnsCaption'),
      columns: columnTexts(t, `openData.${dataset.name}.columns`, columnsOf(dataset.row)),
      codeTables: dataset.codeLists.map((list) => ({
        heading: words(`${list.key}Heading`),
        caption: words(`${list.key}Caption`),
        codeHeading: t('openData.code'),
        textHeading: t('openData.meaning'),
        rows: list.codes.map((code) => ({ code, text: t(`${list.textKey}.${code}`) })),
      })),
      notes: [words('period'), words('smallCells')],
    };
  });
}
