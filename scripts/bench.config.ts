import path from 'node:path';
import { loadConfig, type Config } from '../server/platform/config.js';

/** The configuration every bench and its server share: production mode, silent, a temporary folder. */
export function benchConfig(dataDir: string): Config {
  return loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
    PUBLIC_BASE_URL: 'http://localhost',
    SMTP_URL: 'smtp://127.0.0.1:9',
    DATA_DIR: dataDir,
    UPLOAD_DIR: path.join(dataDir, 'uploads'),
    LOG_LEVEL: 'silent',
    // A benchmark is one client doing what thousands of residents do.
    FILINGS_PER_CLIENT_PER_HOUR: '100000',
    DRAFTS_PER_CLIENT_PER_HOUR: '100000',
    UPLOAD_CLIENT_MB_PER_DAY: '1000000',
  });
}
