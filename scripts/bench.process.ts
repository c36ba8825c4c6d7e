import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The bench's child processes: the app (bench.server.ts) and the bare baselines
// (bench.baseline.server.ts), each a server of its own, so the bench process that makes the load
// and records every latency shares no event loop with them, and each one's memory is its own.

const SCRIPTS_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(SCRIPTS_DIR, '..');

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  base: string;
}

/** The Node flags `npm start` gives the server (package.json), so the measured server runs as it would. */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const node = pkg.scripts.start.split(/\s+/);
  return node.slice(node.indexOf('node') + 1).filter((word) => word.startsWith('--'));
}

/** Builds the JavaScript `npm start` runs (`npm run build`: dist/), the bench's app server with it. */
export function buildApp(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * A child's script: built (dist/, after buildApp) as `npm start` runs the app, or from its
 * TypeScript source through tsx.
 */
export type Entry = { built: string } | { source: string };

function commandOf(entry: Entry): string[] {
  if ('built' in entry) return [path.join(ROOT, 'dist/scripts', entry.built.replace(/\.ts$/, '.js'))];
  return ['--import', 'tsx', path.join(SCRIPTS_DIR, entry.source)];
}

/**
 * Starts scripts/<entry> with these variables; resolves once it prints {"port":N}. `spawned`
 * hears of the process at once, so it is stopped even if another start fails first.
 */
export async function startChild(
  name: string,
  entry: Entry,
  env: Record<string, string>,
  spawned: (process: ChildProcess) => void,
): Promise<Child> {
  const args = [...startFlags(), ...commandOf(entry)];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  spawned(child);
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /\{"port":(\d+)\}/.exec(out);
      if (line) resolve(Number(line[1]));
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before listening`)));
  });
  return { name, process: child, pid: child.pid!, base: `http://127.0.0.1:${port}` };
}

/** Stops one child this bench started (SIGTERM, then SIGKILL after 10 s). */
export function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

/** A process's resident memory in MB, from the kernel; 0 once it has gone. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Samples the resident memory of processes every 100 ms until stopped; the peak of each. */
export function sampleRss(pids: number[]): { stop(): number[] } {
  const peaks = pids.map((pid) => rssMb(pid));
  const timer = setInterval(() => {
    pids.forEach((pid, i) => (peaks[i] = Math.max(peaks[i]!, rssMb(pid))));
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      pids.forEach((pid, i) => (peaks[i] = Math.max(peaks[i]!, rssMb(pid))));
      return peaks;
    },
  };
}

/** How long one readiness request takes, in ms (Infinity when it fails). */
async function probe(url: string): Promise<number> {
  const started = performance.now();
  try {
    const res = await fetch(url);
    await res.arrayBuffer();
    return res.ok ? performance.now() - started : Infinity;
  } catch {
    return Infinity;
  }
}

/**
 * Waits until every server answers its readiness check (/readyz: a database round trip) within
 * 50 ms, at most `maxMs`: a run that ends leaves its server with the requests still in flight
 * (queued for the database pool, or on PGlite's one session), and the next run, on this server or
 * another, must not pay for them. Judged by the servers themselves, not by the machine's load,
 * which on a shared machine is not the bench's alone.
 */
export async function drained(bases: string[], maxMs: number): Promise<void> {
  const until = performance.now() + maxMs;
  for (;;) {
    const slowest = Math.max(...(await Promise.all(bases.map((base) => probe(`${base}/readyz`)))));
    if (slowest <= 50 || performance.now() >= until) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
