import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Secrets } from './security/keys.js';

/** A secret, or several separated by commas (the new one first; older ones still verify), each of 32 characters or more. */
const secretRing = z
  .string()
  .transform((value) => value.split(',').map((part) => part.trim()))
  .refine((parts) => parts.every((part) => part.length >= 32), 'each secret must be at least 32 characters');

/** The only reader of process.env: every setting is parsed here once, and a bad value stops start-up. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
  /**
   * On PostgreSQL, the longest a statement of the app may run (ms; 0: no limit). A slow query then
   * fails alone (503) instead of holding a pooled connection for minutes (#18 item 3). The
   * statistics rebuild and the migrations lift it for their own transaction.
   */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
  DATA_DIR: z.string().min(1).default('./data'),
  UPLOAD_DIR: z.string().min(1).default('./uploads'),
  UPLOAD_MAX_FILES: z.coerce.number().int().min(1).max(50).default(10),
  UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(2048).default(25),
  /** All the files of one complaint form, together. */
  UPLOAD_DRAFT_MB: z.coerce.number().int().min(1).max(100_000).default(100),
  /** What one client may upload as a resident in a day. */
  UPLOAD_CLIENT_MB_PER_DAY: z.coerce.number().int().min(1).max(1_000_000).default(500),
  /** Below this much free space for uploads, uploads are refused and admins told. */
  UPLOAD_MIN_FREE_MB: z.coerce.number().int().min(0).max(1_000_000).default(1024),
  /** Files no record points to are removed once this old (younger ones may be uploads in flight). */
  UPLOAD_ORPHAN_GRACE_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(60),
  /** Evidence in an S3-compatible bucket, not UPLOAD_DIR/files (#18 item 5); keys come from the AWS SDK's own chain. */
  EVIDENCE_S3_BUCKET: z.stringFormat('bucket', /^[a-z\d][a-z\d.-]{1,61}[a-z\d]$/, 'must be a bucket name').optional(),
  EVIDENCE_S3_PREFIX: z.string().endsWith('/', 'must end in /').default('evidence/'),
  EVIDENCE_S3_REGION: z.stringFormat('region', /^[a-z\d-]+$/, 'must be a region like us-east-1').default('us-east-1'),
  EVIDENCE_S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  EVIDENCE_S3_FORCE_PATH_STYLE: z.stringbool('must be true or false').default(false),
  EVIDENCE_S3_SSE: z.enum(['AES256', 'aws:kms'], { error: 'must be AES256 or aws:kms' }).optional(),
  /** The bearer token a Prometheus scraper sends for /metrics; without it /metrics is not served. */
  METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Where the audit chain's checkpoints are written, outside the database (default DATA_DIR/audit-checkpoints). */
  AUDIT_CHECKPOINT_DIR: z.string().min(1).optional(),
  /** Where the daily checkpoint is also mailed, if set. */
  AUDIT_CHECKPOINT_EMAIL: z.email().optional(),
  FILINGS_PER_CLIENT_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(10),
  DRAFTS_PER_CLIENT_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),
  RECEIPTS_PER_ADDRESS_PER_DAY: z.coerce.number().int().min(1).max(1000).default(5),
  TRUST_PROXY: z
    .string()
    .regex(/^(false|true|\d{1,2}|loopback|[\d.:/a-f, ]+)$/i, 'must be false, a hop count, loopback or addresses')
    .default('false'),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  SESSION_SECRET: secretRing.optional(),
  ACCESS_CODE_SECRET: secretRing.optional(),
  TOKEN_SECRET: secretRing.optional(),
  SURVEY_SECRET: secretRing.optional(),
  AGENCY_NAME: z.string().min(1).max(200).default('Civilian Police Oversight Agency'),
  AGENCY_TIMEZONE: z
    .string()
    .default('America/Los_Angeles')
    .refine(isTimeZone, 'must be an IANA time zone such as America/Los_Angeles'),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  AGENCY_HOLIDAY_REGION: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'must be a country or country-region code such as US-CA or US-NY')
    .default('US-CA'),
  DEMO_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(128).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  production: boolean;
  port: number;
  databaseUrl: string | undefined;
  /** The app's statement timeout on PostgreSQL, ms (0: none); command-line tools use none. */
  statementTimeoutMs: number;
  dataDir: string;
  uploadDir: string;
  uploads: { maxFiles: number; maxBytes: number };
  evidenceStore: ReturnType<typeof evidenceStore>;
  /** The token /metrics asks for; undefined: no /metrics. */
  metricsToken: string | undefined;
  /** Audit chain checkpoints: a folder outside the database, and an address to mail them to. */
  auditCheckpoints: { dir: string; mailTo: string | undefined };
  /** Against abuse by the anonymous (#15 item 6): per client, per draft, per address, and a disk floor. */
  limits: {
    draftBytes: number;
    clientBytesPerDay: number;
    minFreeBytes: number;
    orphanGraceMs: number;
    filingsPerHour: number;
    draftsPerHour: number;
    receiptsPerDay: number;
  };
  /** Express's 'trust proxy': which proxies' X-Forwarded-For to believe for the client address. */
  trustProxy: boolean | number | string;
  smtpUrl: string | undefined;
  /** The session secret in force (the first of SESSION_SECRET). */
  sessionSecret: string;
  /** Every configured secret by group, each a ring with the current one first (keys.ts). */
  secrets: Secrets;
  /** True when the session secrets come from the development file in DATA_DIR, not SESSION_SECRET. */
  sessionSecretInFile: boolean;
  agencyName: string;
  agencyTimeZone: string;
  /** Public holidays of this region are days off for business-day clocks (date-holidays codes). */
  agencyHolidayRegion: string;
  publicBaseUrl: string;
  demoPassword: string | undefined;
  logLevel: Env['LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment (process.env by default); throws ConfigError naming every bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  const problems: string[] = [];
  if (production && !env.SESSION_SECRET) problems.push('SESSION_SECRET: required when NODE_ENV=production');
  if (production && !env.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL: required when NODE_ENV=production');
  // Captured mail would hold residents' messages on disk and never reach them.
  if (production && !env.SMTP_URL) problems.push('SMTP_URL: required when NODE_ENV=production');
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(env.DATA_DIR);
  const sessionSecrets = env.SESSION_SECRET ?? developmentSecret(dataDir).split(',');
  return {
    env: env.NODE_ENV,
    production,
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    dataDir,
    uploadDir: path.resolve(env.UPLOAD_DIR),
    uploads: { maxFiles: env.UPLOAD_MAX_FILES, maxBytes: env.UPLOAD_MAX_MB * 1024 * 1024 },
    evidenceStore: evidenceStore(env),
    metricsToken: env.METRICS_TOKEN,
    auditCheckpoints: {
      dir: path.resolve(env.AUDIT_CHECKPOINT_DIR ?? path.join(dataDir, 'audit-checkpoints')),
      mailTo: env.AUDIT_CHECKPOINT_EMAIL,
    },
    limits: {
      draftBytes: env.UPLOAD_DRAFT_MB * 1024 * 1024,
      clientBytesPerDay: env.UPLOAD_CLIENT_MB_PER_DAY * 1024 * 1024,
      minFreeBytes: env.UPLOAD_MIN_FREE_MB * 1024 * 1024,
      orphanGraceMs: env.UPLOAD_ORPHAN_GRACE_MINUTES * 60 * 1000,
      filingsPerHour: env.FILINGS_PER_CLIENT_PER_HOUR,
      draftsPerHour: env.DRAFTS_PER_CLIENT_PER_HOUR,
      receiptsPerDay: env.RECEIPTS_PER_ADDRESS_PER_DAY,
    },
    trustProxy: trustProxyValue(env.TRUST_PROXY),
    smtpUrl: env.SMTP_URL,
    sessionSecret: sessionSecrets[0]!,
    sessionSecretInFile: env.SESSION_SECRET === undefined,
    secrets: {
      session: sessionSecrets,
      accessCode: env.ACCESS_CODE_SECRET,
      token: env.TOKEN_SECRET,
      survey: env.SURVEY_SECRET,
    },
    agencyName: env.AGENCY_NAME,
    agencyTimeZone: env.AGENCY_TIMEZONE,
    agencyHolidayRegion: env.AGENCY_HOLIDAY_REGION,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    demoPassword: env.DEMO_PASSWORD,
    logLevel: env.LOG_LEVEL,
  };
}

function evidenceStore(env: Env) {
  const { EVIDENCE_S3_BUCKET: bucket, EVIDENCE_S3_PREFIX: prefix, EVIDENCE_S3_REGION: region } = env;
  if (!bucket) return { kind: 'local' as const };
  const more = { endpoint: env.EVIDENCE_S3_ENDPOINT, serverSideEncryption: env.EVIDENCE_S3_SSE };
  return { kind: 's3' as const, bucket, prefix, region, forcePathStyle: env.EVIDENCE_S3_FORCE_PATH_STYLE, ...more };
}

function trustProxyValue(value: string): boolean | number | string {
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** The file that holds the development session secret (a ring), in DATA_DIR. */
export function developmentSecretFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'session-secret');
}

/** Outside production, a secret generated once and kept in DATA_DIR, so sessions survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = developmentSecretFile(dataDir);
  const existing = readSecret(file);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    // An empty or cut file is replaced; a process that started at the same moment may win the race.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: existing === '' ? 'w' : 'wx' });
    return secret;
  } catch (error) {
    const winner = (error as NodeJS.ErrnoException).code === 'EEXIST' ? readSecret(file) : undefined;
    if (winner) return winner;
    throw error;
  }
}

/** The stored secret (a ring: 'new,old' after npm run keys:rotate), '' when unusable, undefined when absent. */
function readSecret(file: string): string | undefined {
  try {
    const secret = readFileSync(file, 'utf8').trim();
    return secret.split(',').every((part) => part.trim().length >= 32) ? secret : '';
  } catch {
    return undefined;
  }
}

/** The environment for a child process (pg_dump) with extra variables; env is read here only. */
export function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
