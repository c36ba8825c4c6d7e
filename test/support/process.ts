import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function tempDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'oversight-process-'));
}

export interface Spawned {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Runs a TypeScript entry point of this repository as the npm scripts do (tsx). */
export function runTs(entry: string, args: string[], env: Record<string, string>): Spawned {
  return run(['--import', 'tsx', entry, ...args], env);
}

/**
 * Builds the app as `npm run build` does, into a folder of this run's own under test-results/
 * (dist/ may be another run's), and returns the folder.
 */
export function buildApp(): string {
  mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
  const outDir = mkdtempSync(path.join(ROOT, 'test-results', 'build-'));
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: ROOT });
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
  return outDir;
}

/** Runs `npm start`'s command (its Node flags, then dist/server/main.js) on a build of buildApp(). */
export function runStart(outDir: string, env: Record<string, string>): Spawned {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  const command = words.slice(words.indexOf('node') + 1);
  const script = command.find((word) => word.startsWith('dist/'));
  if (!script) throw new Error('npm start runs no script of dist/');
  return run(
    [...command.filter((word) => word.startsWith('--')), path.join(outDir, script.slice('dist/'.length))],
    env,
  );
}

function run(args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}
