import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { developmentSecretFile, loadConfig } from '../platform/config.js';
import type { SecretGroup } from '../platform/security/keys.js';
import { runCommand } from './context.js';

// npm run keys:rotate -- <session|access-code|token|survey>
// Makes a new secret for one group of keys and prints the setting that puts it first in the ring:
// the new secret signs and hashes from then on, the old ones still verify, so nothing is retired.
// In development, without SESSION_SECRET set, the session ring in DATA_DIR is rewritten instead.
const GROUPS: Record<string, { group: SecretGroup; variable: string; covers: string }> = {
  session: { group: 'session', variable: 'SESSION_SECRET', covers: 'staff sessions, form tokens, case passes' },
  'access-code': { group: 'accessCode', variable: 'ACCESS_CODE_SECRET', covers: 'access codes, submission keys' },
  token: { group: 'token', variable: 'TOKEN_SECRET', covers: 'API tokens, password links, TOTP secrets at rest' },
  survey: { group: 'survey', variable: 'SURVEY_SECRET', covers: 'closing-survey links, community survey ballots' },
};

await runCommand(async () => {
  const { positionals } = parseArgs({ allowPositionals: true });
  const chosen = GROUPS[positionals[0] ?? ''];
  if (!chosen) throw new Error(`Usage: npm run keys:rotate -- <${Object.keys(GROUPS).join('|')}>`);
  const config = loadConfig();
  const fresh = randomBytes(32).toString('base64url');
  const ring = [fresh, ...(config.secrets[chosen.group] ?? [])];
  if (chosen.group === 'session' && config.sessionSecretInFile) {
    writeFileSync(developmentSecretFile(config.dataDir), `${ring.join(',')}\n`, { mode: 0o600 });
    process.stdout.write(`Rotated the development session secret in ${developmentSecretFile(config.dataDir)}.\n`);
    return;
  }
  process.stdout.write(
    `Set this in the app's environment and restart every instance (${chosen.covers}):\n\n` +
      `${chosen.variable}=${ring.join(',')}\n\n` +
      'The new secret, first, signs and hashes from then on; the ones after it still verify, so nothing ' +
      'is retired. Drop an old secret only once nothing it made is needed any more' +
      (chosen.group === 'session' ? ' (sessions last at most 12 hours).\n' : '.\n') +
      (config.secrets[chosen.group] === undefined && chosen.group !== 'session'
        ? 'Until now these keys came from SESSION_SECRET: keep every SESSION_SECRET that was ever in use, so what they made still verifies.\n'
        : ''),
  );
});
