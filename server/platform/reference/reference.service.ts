import type { Executor } from '../db/executor.js';
import type { Language } from '../i18n.js';
import type { ReferenceCache, ReferenceData } from './reference.cache.js';

export type { ReferenceData } from './reference.cache.js';

export interface Choice {
  value: string;
  label: string;
}

/**
 * The agency's configured lists (districts, allegation categories), named in the reader's
 * language, and the rest of the reference data, from the copy kept in memory (reference.cache.ts).
 */
export function referenceService(cache: ReferenceCache) {
  const label = (row: { name_en: string; name_es: string }, language: Language) =>
    language === 'es' ? row.name_es : row.name_en;
  return {
    async districts(language: Language): Promise<Choice[]> {
      return (await cache.current()).districts.map((d) => ({ value: d.code, label: label(d, language) }));
    },
    async categories(language: Language): Promise<Choice[]> {
      return (await cache.current()).categories.map((c) => ({ value: c.code, label: label(c, language) }));
    },
    /** All of it as the database holds it now (in a transaction: as at its first use there). */
    current: (executor?: Executor): Promise<ReferenceData> => cache.current(executor),
    carry: cache.carry,
  };
}

export type ReferenceService = ReturnType<typeof referenceService>;
