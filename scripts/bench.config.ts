import path from 'node:path';
import { loadConfig, type Config } from '../server/platform/config.js';

/**
 * The per-client limits the bench raises: a benchmark is one client doing what thousands of
 * residents do. The results say so (results.json `limitsRaised`, and the table's heading).
 */
export const RAISED_LIMITS = {
  FILINGS_PER_CLIENT_PER_HOUR: '100000',
  DRAFTS_PER_CLIENT_PER_HOUR: '100000',
  UPLOAD_CLIENT_MB_PER_DAY: '1000000',
  RECEIPTS_PER_ADDRESS_PER_DAY: '1000',
} as const;

/** The configuration every bench process shares: production mode, silent, a temporary folder. */
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
    // As behind the TLS proxy production needs: staff pages answer the bench's requests that say
    // X-Forwarded-Proto: https (in production they refuse plain HTTP).
    TRUST_PROXY: 'loopback',
    ...RAISED_LIMITS,
  });
}
