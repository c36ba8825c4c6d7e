// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** The database layer: the platform's database module and every repository. */
const DATABASE_LAYER = ['server/platform/db/**/*.ts', 'server/**/*.repository.ts'];
/** HTTP only: the route files and the page helpers beside them. */
const ROUTES = ['server/**/*.routes.ts', 'server/**/*.page.ts', 'server/features/residents/complaintForm.*.ts'];
const NO_KYSELY = { name: 'kysely', message: 'SQL lives in the database layer: add a repository function.' };

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'uploads/', 'scratch/', 'dist/', 'test-results/', 'bench/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through server/platform/config.ts.' },
      ],
    },
  },
  {
    // No import cycles anywhere in the app (issue #16): a cycle is two modules that cannot be read apart.
    files: ['server/**/*.ts', 'workflows/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: { 'import-x/no-cycle': 'error' },
  },
  // Boundaries (issue #16): the workflow is pure, the database layer (server/platform/db/ and every
  // *.repository.ts) serves and imports no caller, routes reach the database only through services,
  // migrations are frozen, Kysely stays in the database layer. A forbidden import fails npm run check.
  {
    files: ['server/**/*.ts'],
    ignores: [...DATABASE_LAYER, ...ROUTES, 'server/platform/**', 'server/domain/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [NO_KYSELY] }],
    },
  },
  {
    // The platform is built once and handed to the features: it knows none of them.
    files: ['server/platform/**/*.ts'],
    ignores: [...DATABASE_LAYER, ...ROUTES],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_KYSELY],
          patterns: [
            {
              group: ['**/features/**', '**/demo/**', '**/compose.js'],
              message: 'The platform serves the features and imports none of them.',
            },
          ],
        },
      ],
    },
  },
  {
    // The domain core is words and rules: it imports nothing but itself and the pure workflow.
    files: ['server/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_KYSELY],
          patterns: [
            {
              group: ['**/platform/**', '**/features/**', '**/demo/**', '**/compose.js', '**/cli/**'],
              message: 'The domain core imports nothing of the platform or the features.',
            },
          ],
        },
      ],
    },
  },
  {
    // Repositories own all SQL: a query built outside the database layer fails the check.
    files: ['server/**/*.ts'],
    ignores: DATABASE_LAYER,
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(selectFrom|selectNoFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto)$/]',
          message: 'SQL lives in the database layer: add a repository function and call it.',
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/server/**'], message: 'The workflow is pure: it imports nothing of the server.' }] },
      ],
    },
  },
  {
    files: DATABASE_LAYER,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/*.service.js', '**/*.routes.js', '**/http/**', '**/cli/**', '**/features/**'],
              message: 'The database layer serves the services and imports none of its callers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ROUTES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_KYSELY],
          patterns: [
            { group: ['**/*.repository.js', '**/db/**'], message: 'Routes reach the database only through services.' },
          ],
        },
      ],
    },
  },
  {
    // Migrations are frozen in time and take Kysely<any>, as Kysely's documentation does.
    files: ['migrations/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['./*', '../*'], message: 'A migration is frozen in time: it imports nothing of ours.' }],
        },
      ],
    },
  },
  {
    files: ['server/platform/config.ts', 'test/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The browser's own small scripts (server/assets/*.js, #17 item 4): plain JavaScript, no types.
    files: ['server/assets/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: { document: 'readonly', window: 'readonly' },
    },
  },
);
