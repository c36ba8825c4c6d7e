import { closeSharedDatabases, databaseKind } from './database.js';

export const mochaHooks = {
  beforeAll() {
    process.stdout.write(`  Database under test: ${databaseKind}\n`);
  },
  async afterAll() {
    await closeSharedDatabases();
  },
};
