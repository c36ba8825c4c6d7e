import type { Language } from '../../domain/vocabulary.js';

/** Whom a case's mail goes to: the complainant's address, else the filer's; undefined with none. */
export function contactAmong(
  people: ReadonlyArray<{ role: string; email?: string | null | undefined; preferred_language?: Language | undefined }>,
): { email: string; language: Language } | undefined {
  const reachable = people.filter((p) => p.email);
  const chosen = reachable.find((p) => p.role === 'complainant') ?? reachable[0];
  // A row written without a language is stored with the column's default, English.
  return chosen?.email ? { email: chosen.email, language: chosen.preferred_language ?? 'en' } : undefined;
}
