import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { LANGUAGES, type Language } from '../domain/vocabulary.js';
import { formatInstant } from './dates.js';
import { ROOT } from './paths.js';

export { LANGUAGES, type Language } from '../domain/vocabulary.js';
export const DEFAULT_LANGUAGE: Language = 'en';

export { localeOf } from './dates.js';

/** A moment as the public reads it: in the agency's time zone, with the zone named, the weekday if asked. */
export function agencyDateTime(at: Date, language: Language, timeZone: string, weekday = false): string {
  return formatInstant(at, language, timeZone, weekday ? 'weekdayDateTimeZone' : 'dateTimeZone');
}

export const LOCALES_DIR = path.join(ROOT, 'server/locales');

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * One language's catalogue: every JSON file in server/locales/<language>/, one per area of the app
 * (public pages, staff pages, admin), merged. Two files may not define the same top-level key.
 */
export function readCatalogue(language: Language): Record<string, unknown> {
  const folder = path.join(LOCALES_DIR, language);
  const catalogue: Record<string, unknown> = {};
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const part = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(part)) {
      if (key in catalogue) throw new Error(`locales/${language}/${file}: '${key}' is already defined`);
      catalogue[key] = value;
    }
  }
  return catalogue;
}

export type Translate = TFunction;

export interface Translator {
  t(language: Language): Translate;
}

/** The translation catalogue: server/locales/<language>/*.json, loaded once. */
export function createTranslator(): Translator {
  const instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    resources: Object.fromEntries(LANGUAGES.map((lng) => [lng, { translation: readCatalogue(lng) }])),
    supportedLngs: [...LANGUAGES],
    fallbackLng: DEFAULT_LANGUAGE,
    // Nunjucks escapes on output; escaping here too would show entities to the reader.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map(LANGUAGES.map((lng) => [lng, remembered(instance.getFixedT(lng))]));
  return { t: (language) => fixed.get(language) ?? fixed.get(DEFAULT_LANGUAGE)! };
}

const REMEMBERED_TEXTS = 10_000;

/**
 * A language's translate function that keeps each text asked for by key alone: the catalogue does
 * not change while the app runs, and a page asks for dozens of such texts (a lookup through
 * i18next costs microseconds each; a kept one, a map read). Texts with values are made each time.
 */
function remembered(t: TFunction): TFunction {
  const texts = new Map<string, string>();
  const translate = (...args: unknown[]): unknown => {
    const key = args[0];
    if (args.length !== 1 || typeof key !== 'string') return oneFullStop(Reflect.apply(t, undefined, args), args[1]);
    let text = texts.get(key);
    if (text === undefined) {
      text = t(key);
      // Bounded, should a key ever be made from input: the catalogue has far fewer.
      if (texts.size < REMEMBERED_TEXTS) texts.set(key, text);
    }
    return text;
  };
  return translate as unknown as TFunction;
}

/**
 * A sentence that ends on a value ending in a full stop ("9:00 p. m.") takes no second one: the
 * text's own stop after such a value is dropped ("Contado el 26 nov 2026, 9:00 p. m.", not "p. m..").
 */
function oneFullStop(text: unknown, values: unknown): unknown {
  if (typeof text !== 'string' || !values || typeof values !== 'object') return text;
  let result = text;
  for (const value of Object.values(values)) {
    if (typeof value === 'string' && value.endsWith('.')) result = result.replaceAll(`${value}.`, value);
  }
  return result;
}
