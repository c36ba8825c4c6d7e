import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { LANGUAGES, createTranslator, readCatalogue } from '../../server/platform/i18n.js';
import { VIEWS_DIR } from '../../server/platform/views.js';
import { formatInstant } from '../../server/platform/dates.js';

function flatten(tree: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object')
      for (const [k, v] of flatten(value as Record<string, unknown>, full)) out.set(k, v);
    else out.set(full, value);
  }
  return out;
}

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? templates(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

describe('translation catalogue', () => {
  const catalogues = Object.fromEntries(LANGUAGES.map((lng) => [lng, flatten(readCatalogue(lng))]));
  const english = catalogues['en']!;

  for (const language of LANGUAGES) {
    it(`${language} has every key of every other language, each a non-empty string`, () => {
      const mine = catalogues[language]!;
      for (const other of LANGUAGES) {
        const missing = [...catalogues[other]!.keys()].filter((key) => !mine.has(key));
        expect(missing, `keys missing in ${language}.json`).to.deep.equal([]);
      }
      for (const [key, value] of mine) {
        expect(value, `${language}:${key}`).to.be.a('string');
        expect(String(value).trim(), `${language}:${key}`).not.to.equal('');
      }
    });

    it(`${language} keeps the same {{placeholders}} as English`, () => {
      for (const [key, value] of english) {
        const names = (text: unknown) => [...String(text).matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();
        expect(names(catalogues[language]!.get(key)), key).to.deep.equal(names(value));
      }
    });
  }

  it('every key used in a template exists in the catalogue', () => {
    const used = templates(VIEWS_DIR).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([^']+)'/g)].map((m) => m[1]!),
    );
    expect(used.length).to.be.greaterThan(10);
    // 'publicStage.' + stage: a key built in the template must at least have its prefix in the catalogue.
    // A key with a count may have only its plural forms ('_one', '_other').
    const known = (key: string) =>
      key.endsWith('.')
        ? [...english.keys()].some((k) => k.startsWith(key))
        : english.has(key) || english.has(`${key}_other`);
    expect(used.filter((key) => !known(key))).to.deep.equal([]);
  });

  it('gives the same text for a key asked again, in each language, and the key itself when unknown', () => {
    const translator = createTranslator();
    for (const language of LANGUAGES) {
      const t = translator.t(language);
      for (const key of ['layout.skipLink', 'dashboard.title', 'no.such.key']) {
        const expected = key === 'no.such.key' ? key : catalogues[language]!.get(key);
        expect(t(key), `${language}:${key}`).to.equal(expected);
        expect(t(key), `${language}:${key} again`).to.equal(expected);
      }
    }
    expect(translator.t('en')('dashboard.title')).not.to.equal(translator.t('es')('dashboard.title'));
  });

  it('ends a sentence on a time with one full stop, not "p. m.." (#17)', () => {
    const evening = formatInstant(new Date('2026-11-27T05:30:00Z'), 'es', 'America/Los_Angeles', 'dateTime');
    expect(evening).to.match(/m\.$/);
    const t = createTranslator().t;
    expect(t('es')('earlyIntervention.flags.asOf', { time: evening })).to.equal(`Contado el ${evening}`);
    expect(t('es')('earlyIntervention.flags.asOf', { time: '26 nov 2026, 9:30 p. m.' })).to.equal(
      'Contado el 26 nov 2026, 9:30 p. m.',
    );
    expect(t('en')('earlyIntervention.flags.asOf', { time: 'Nov 26, 2026, 9:30 PM' })).to.equal(
      'Counted on Nov 26, 2026, 9:30 PM.',
    );
  });

  it('translates with interpolation and does not HTML-escape (Nunjucks does)', () => {
    const t = createTranslator().t('es');
    expect(t('layout.homeLink', { agency: 'A & B' })).to.equal('Página principal de A & B');
  });
});
