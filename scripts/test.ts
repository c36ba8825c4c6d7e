/**
 * `npm test`: the three tiers side by side (none of them keeps both cores busy alone: the tests
 * wait on Chromium, on the database and on the processes they start). Each tier's output is kept
 * and printed whole when that tier ends, with its wall time; the exit code is non-zero when any
 * tier failed. One tier alone: `npm run test:unit`, `test:db` or `test:browser`.
 */
import { spawn } from 'node:child_process';

const TIERS = ['unit', 'db', 'browser'] as const;

function runTier(tier: (typeof TIERS)[number]): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', `test:${tier}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('close', (code) => {
      const seconds = Math.round((Date.now() - started) / 1000);
      process.stdout.write(`\n==> ${tier} tier: exit ${code} in ${Math.floor(seconds / 60)} min ${seconds % 60} s\n`);
      process.stdout.write(Buffer.concat(output));
      resolve(code ?? 1);
    });
  });
}

const codes = await Promise.all(TIERS.map(runTier));
process.exitCode = codes.some((code) => code !== 0) ? 1 : 0;
