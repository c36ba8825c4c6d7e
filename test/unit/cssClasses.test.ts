import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

/**
 * Every class a page uses is styled by a stylesheet the layout links (#17 item 7): USWDS's own and
 * server/assets/app.css. A class that no stylesheet defines is a page left bare (the check page was a
 * plain list) or a hook for a script, which is a data- attribute's job.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const USWDS_CSS = path.resolve(
  path.dirname(fileURLToPath(import.meta.resolve('@uswds/uswds'))),
  '..',
  'css',
  'uswds.min.css',
);

/** Classes no stylesheet defines on purpose, each with its reason. Keep it short. */
const USWDS_HOOK = "USWDS's character count script finds its parts by this class (usa-character-count/src/index.js)";
const ALLOWED: Record<string, string> = {
  'usa-character-count': USWDS_HOOK,
  'usa-character-count__field': USWDS_HOOK,
  'usa-character-count__message': USWDS_HOOK,
};

function files(dir: string, extension: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return files(relative, extension);
    return entry.name.endsWith(extension) ? [relative] : [];
  });
}

const text = (file: string) => readFileSync(path.isAbsolute(file) ? file : path.join(ROOT, file), 'utf8');

/** A stand-in for a Nunjucks expression inside a class name (`usa-{{ kind }}__input`). */
const ANY = '§';
const CLASS_TOKEN = /^-?[_a-zA-Z§][\w§-]*$/;
/** A string literal in a template tag that is a list of classes (`'usa-button--secondary'`, a map of colours). */
const CLASS_LIST_LITERAL = /^(?:(?:usa|app|bg|text|margin|padding|font|display|grid|flex)-[\w-]+\s*)+$/;

/** The class tokens of one `class="…"` value: literal text, `{% if %}` branches included; an expression is ANY. */
function classTokens(value: string): string[] {
  const literals = [...value.matchAll(/\{\{([\s\S]*?)\}\}/g)].flatMap((m) =>
    [...m[1]!.matchAll(/'([^']*)'|"([^"]*)"/g)].map((s) => s[1] ?? s[2] ?? ''),
  );
  const bare = value
    .replace(/\{%[\s\S]*?%\}/g, ' ')
    .replace(/\{#[\s\S]*?#\}/g, ' ')
    .replace(/\{\{[\s\S]*?\}\}/g, ANY);
  return [...bare.split(/\s+/), ...literals.flatMap((l) => l.split(/\s+/))].filter(
    (token) => token !== ANY && CLASS_TOKEN.test(token),
  );
}

/** The classes a template uses: in class attributes, and as class lists in its tags (passed to a macro, in a map). */
function templateClasses(source: string): string[] {
  const inAttributes = [...source.matchAll(/\sclass="([^"]*)"/g)].flatMap((m) => classTokens(m[1]!));
  const inTags = [...source.matchAll(/\{[{%]([\s\S]*?)[}%]\}/g)].flatMap((m) =>
    [...m[1]!.matchAll(/'([^']*)'|"([^"]*)"/g)]
      .map((s) => (s[1] ?? s[2] ?? '').trim())
      .filter((literal) => CLASS_LIST_LITERAL.test(literal))
      .flatMap((literal) => literal.split(/\s+/)),
  );
  return [...inAttributes, ...inTags];
}

/** The classes a script sets (classList.add/toggle/…, className =). */
function scriptClasses(source: string): string[] {
  const calls = [...source.matchAll(/classList\.(?:add|remove|toggle|replace|contains)\(([^)]*)\)/g)];
  const assigned = [...source.matchAll(/className\s*=\s*(['"`])([^'"`]*)\1/g)].map((m) => m[2]!);
  return [
    ...calls.flatMap((m) => [...m[1]!.matchAll(/'([^']*)'|"([^"]*)"/g)].map((s) => s[1] ?? s[2] ?? '')),
    ...assigned,
  ].flatMap((list) => list.split(/\s+/).filter(Boolean));
}

/** The class selectors of a stylesheet (from each rule's selector, never its declarations). */
function definedClasses(css: string): Set<string> {
  const selectors = css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{/g);
  const defined = new Set<string>();
  for (const [, selector] of selectors) {
    for (const m of selector!.matchAll(/\.((?:[\w-]|\\.)+)/g)) defined.add(m[1]!.replace(/\\(.)/g, '$1'));
  }
  return defined;
}

const escaped = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('every class the pages use is styled (#17 item 7)', () => {
  const used = new Map<string, Set<string>>();
  const use = (name: string, file: string) => used.set(name, (used.get(name) ?? new Set()).add(file));
  for (const file of files('views', '.njk')) for (const name of templateClasses(text(file))) use(name, file);
  for (const file of files('server/assets', '.js')) for (const name of scriptClasses(text(file))) use(name, file);
  const defined = new Set([...definedClasses(text(USWDS_CSS)), ...definedClasses(text('server/assets/app.css'))]);

  const isDefined = (name: string) => {
    if (!name.includes(ANY)) return defined.has(name);
    const pattern = new RegExp(`^${name.split(ANY).map(escaped).join('[\\w-]+')}$`);
    return [...defined].some((d) => pattern.test(d));
  };

  it('reads the classes of the templates and the stylesheets', () => {
    expect(used.has('usa-button'), 'a USWDS class in a template').to.equal(true);
    expect(used.has('usa-button--secondary'), 'a class in an {% if %} branch').to.equal(true);
    expect(defined.has('usa-button'), 'a USWDS selector').to.equal(true);
    expect(defined.has('app-hash'), 'an app.css selector').to.equal(true);
    expect(classTokens('usa-input{% if f.error %} usa-input--error{% endif %} x-{{ y }}')).to.deep.equal([
      'usa-input',
      'usa-input--error',
      `x-${ANY}`,
    ]);
    expect(classTokens("usa-button {{ kind or 'usa-button--outline' }}")).to.deep.equal([
      'usa-button',
      'usa-button--outline',
    ]);
  });

  it('finds a stylesheet rule for every class used in views/ and server/assets/*.js, or a reason not to', () => {
    const undefinedClasses = [...used]
      .filter(([name]) => !isDefined(name) && !(name in ALLOWED))
      .map(([name, where]) => `${name.replaceAll(ANY, '{{…}}')} (${[...where].join(', ')})`)
      .sort();
    expect(undefinedClasses, `classes that no stylesheet defines:\n${undefinedClasses.join('\n')}\n`).to.deep.equal([]);
  });

  it('keeps the allow-list to classes still used and still unstyled', () => {
    const stale = Object.keys(ALLOWED).filter((name) => !used.has(name) || defined.has(name));
    expect(stale).to.deep.equal([]);
  });
});
