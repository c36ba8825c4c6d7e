import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/platform/config.js';
import type { DatabaseHandle } from '../../server/platform/db/database.js';
import { createTranslator } from '../../server/platform/i18n.js';
import type { Logger } from '../../server/platform/logger.js';
import { services, type Services } from '../../server/compose.js';
import { silentLogger } from './logger.js';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'oversight-test-')),
    UPLOAD_DIR: mkdtempSync(path.join(tmpdir(), 'oversight-uploads-')),
    AGENCY_NAME: 'Test Oversight Board',
    // Tests file and upload far more from one address than a person would; the limits' own tests set them.
    UPLOAD_MIN_FREE_MB: '0',
    FILINGS_PER_CLIENT_PER_HOUR: '100000',
    DRAFTS_PER_CLIENT_PER_HOUR: '100000',
    RECEIPTS_PER_ADDRESS_PER_DAY: '1000',
    UPLOAD_CLIENT_MB_PER_DAY: '1000000',
    ...overrides,
  });
}

/** The real app on a test database; a test replaces only the services it must. */
export function testApp(
  database: DatabaseHandle,
  options: { config?: Config; logger?: Logger; override?: (svc: Services) => Partial<Services> } = {},
) {
  const config = options.config ?? testConfig();
  const logger = options.logger ?? silentLogger;
  const translator = createTranslator();
  const base = services({ config, database, translator, logger });
  const svc = { ...base, ...options.override?.(base) };
  return { app: createApp({ config, logger, translator, services: svc }), services: svc, config };
}
