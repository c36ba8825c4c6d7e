import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../server/platform/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  const dataDir = () => mkdtempSync(path.join(tmpdir(), 'oversight-config-'));

  it('has working defaults: port 3000, embedded database, Los Angeles time', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(config.port).to.equal(3000);
    expect(config.databaseUrl).to.equal(undefined);
    expect(config.agencyTimeZone).to.equal('America/Los_Angeles');
    expect(config.publicBaseUrl).to.equal('http://localhost:3000');
    expect(config.uploadDir).to.equal(path.resolve('./uploads'));
  });

  it('generates a development session secret once and keeps it in DATA_DIR', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).sessionSecret;
    expect(first).to.have.length.greaterThan(30);
    expect(loadConfig({ DATA_DIR: dir }).sessionSecret).to.equal(first);
    expect(readFileSync(path.join(dir, 'session-secret'), 'utf8').trim()).to.equal(first);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), PORT: '', DATABASE_URL: '' }).port).to.equal(3000);
  });

  it('names each bad value', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      AGENCY_TIMEZONE: 'Mars/Olympus',
      SMTP_URL: 'not a url',
      NODE_ENV: 'staging',
    });
    expect(problems.join('\n'))
      .to.match(/PORT/)
      .and.match(/DATABASE_URL/)
      .and.match(/AGENCY_TIMEZONE/);
    expect(problems.join('\n'))
      .to.match(/SMTP_URL/)
      .and.match(/NODE_ENV/);
  });

  it('refuses a short DEMO_PASSWORD or SESSION_SECRET', () => {
    expect(problemsOf({ DEMO_PASSWORD: 'short' })[0]).to.match(/DEMO_PASSWORD: must be at least 12/);
    expect(problemsOf({ SESSION_SECRET: 'short' })[0]).to.match(/SESSION_SECRET/);
  });

  it('requires SESSION_SECRET, PUBLIC_BASE_URL and SMTP_URL in production', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).to.deep.equal([
      'SESSION_SECRET: required when NODE_ENV=production',
      'PUBLIC_BASE_URL: required when NODE_ENV=production',
      'SMTP_URL: required when NODE_ENV=production',
    ]);
  });

  it('replaces an unusable session secret file and keeps a good one', () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, 'session-secret'), 'short\n');
    const replaced = loadConfig({ DATA_DIR: dir }).sessionSecret;
    expect(replaced).to.have.length.greaterThan(31);
    expect(loadConfig({ DATA_DIR: dir }).sessionSecret).to.equal(replaced);
  });

  it('accepts a full production configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      PUBLIC_BASE_URL: 'https://oversight.example.gov/',
      DATABASE_URL: 'postgres://app@db.internal/oversight',
      SMTP_URL: 'smtp://mail.internal:587',
      AGENCY_TIMEZONE: 'America/New_York',
      PORT: '8080',
    });
    expect(config.production).to.equal(true);
    expect(config.publicBaseUrl).to.equal('https://oversight.example.gov');
    expect(config.port).to.equal(8080);
  });
});
