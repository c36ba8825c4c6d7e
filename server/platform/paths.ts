import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's folder: the nearest one above this module holding package.json. The same from
 * the TypeScript sources (tsx: tests, the CLI) and from their build in dist/ (`npm start`), so the
 * views, catalogues and assets, which are not compiled, are found either way.
 */
function repositoryRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error('package.json not found above server/platform/paths');
    folder = parent;
  }
  return folder;
}

export const ROOT = repositoryRoot();
