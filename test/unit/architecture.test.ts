import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

const ROOT = path.resolve(import.meta.dirname, '../..');

function sources(dir: string, extension = '.ts'): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sources(relative, extension);
    return entry.name.endsWith(extension) ? [relative] : [];
  });
}

const SOURCES = [...sources('server'), ...sources('workflows')];
const text = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
/** Files that are HTTP only (the linter's "routes"). */
const isRoute = (file: string) => /\.(routes|page|pages)\.ts$|complaintForm\.[a-z]+\.ts$/.test(file);

describe('the shape of the tree (#16)', () => {
  it('keeps every source file under server/ and workflows/ at 250 lines or fewer', () => {
    const long = SOURCES.map((file) => ({ file, lines: text(file).split('\n').length - 1 })).filter(
      (f) => f.lines > 250,
    );
    expect(long).to.deep.equal([]);
  });

  it('leaves mapping errors to the one mapper: routes test an error class at most once', () => {
    const checks = SOURCES.filter(isRoute).flatMap((file) =>
      text(file)
        .split('\n')
        .filter((line) => /\binstanceof\s+[\w.]*(Error|Exception|NotFound|Conflict|Transition)\b/.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(checks.length, checks.join('\n')).to.be.at.most(1);
  });

  it('writes the record-id pattern and its schema once, in the domain core', () => {
    const uuid = /\[0-9a-f\]\{8\}-\[0-9a-f\]\{4\}-\[0-9a-f\]\{4\}/;
    expect(SOURCES.filter((file) => uuid.test(text(file)))).to.deep.equal(['server/domain/ids.ts']);
    // And one schema of it: forms and the API take idSchema(), not a zod uuid of their own.
    expect(SOURCES.filter((file) => /\bz\.(uuid|guid)\(/.test(text(file)))).to.deep.equal([]);
  });

  it('writes the findings vocabulary once: a list of several findings appears only in the domain core', () => {
    const list = /\[\s*'sustained',\s*'not_sustained',\s*'exonerated'/;
    const found = SOURCES.filter((file) => list.test(text(file)) && !file.startsWith('server/demo/'));
    expect(found).to.deep.equal(['server/domain/vocabulary.ts']);
  });

  it('keeps SQL in the database layer: no service or route builds a query', () => {
    const query = /\.(selectFrom|insertInto|updateTable|deleteFrom)\(/;
    const outside = SOURCES.filter(
      (file) => query.test(text(file)) && !/\.repository\.ts$/.test(file) && !file.startsWith('server/platform/db/'),
    );
    expect(outside).to.deep.equal([]);
  });

  it('has views and routes read named fields of view models, never the snake_case column of a table row', () => {
    // A property read such as `meeting.scheduled_for`; catalogue keys in quotes are words, not fields.
    const rowField = /(?<![\w.'"-])[a-z]\w*\.[a-z]+_[a-z_]+\b/g;
    const unquoted = (line: string) => line.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "''");
    const reads = [...sources('views', '.njk'), ...SOURCES.filter(isRoute)].flatMap((file) =>
      text(file)
        .split('\n')
        .flatMap((line, index) =>
          (unquoted(line).match(rowField) ?? []).map((read) => `${file}:${index + 1}: ${read}`),
        ),
    );
    expect(reads).to.deep.equal([]);
  });
});
