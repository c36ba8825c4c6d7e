import type { Db } from '../db/database.js';
import { activeCategories, activeDistricts } from './reference.repository.js';
import type { Language } from '../i18n.js';

export interface Choice {
  value: string;
  label: string;
}

/** The agency's configured lists (districts, allegation categories), named in the reader's language. */
export function referenceService(db: Db) {
  const label = (row: { name_en: string; name_es: string }, language: Language) =>
    language === 'es' ? row.name_es : row.name_en;
  return {
    async districts(language: Language): Promise<Choice[]> {
      return (await activeDistricts(db)).map((d) => ({ value: d.code, label: label(d, language) }));
    },
    async categories(language: Language): Promise<Choice[]> {
      return (await activeCategories(db)).map((c) => ({ value: c.code, label: label(c, language) }));
    },
  };
}

export type ReferenceService = ReturnType<typeof referenceService>;
