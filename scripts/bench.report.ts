import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The bench's results: a table on standard output and bench/results.json (git-ignored).

export interface ResultRow {
  name: string;
  /** Connections of the load; null for what is timed without a load (a refresh, a sweep, a download). */
  connections: number | null;
  reqPerSec: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  errors: number | null;
  /** The statuses of the unexpected answers ('lost': connection errors and timeouts), by count. */
  unexpected?: Record<string, number>;
  /** What the figure is compared with, measured in the same run: req/s, or a `value` in the row's unit. */
  baseline: { name: string; reqPerSec: number | null; value?: number } | null;
  ratio: number | null;
  target: string;
  /** Null in smoke mode, and where no target applies. */
  met: boolean | null;
  /** The figure of a row without a load, in `unit`. */
  value?: number;
  unit?: string;
}

export interface Results {
  machine: { cpus: { model: string; count: number }; totalMemoryMb: number; node: string; postgres: string };
  complaints: number;
  mode: 'full' | 'quick' | 'smoke';
  limitsRaised: true;
  raisedLimits: Record<string, string>;
  startedAt: string;
  seconds: number;
  scenarios: ResultRow[];
}

export function machine(postgres: string): Results['machine'] {
  const cpus = os.cpus();
  return {
    cpus: { model: cpus[0]?.model ?? 'unknown', count: cpus.length },
    totalMemoryMb: Math.round(os.totalmem() / 1048576),
    node: process.version,
    postgres,
  };
}

const fixed = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? '-'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const verdict = (met: boolean | null) => (met === null ? '-' : met ? 'yes' : 'NO');

function table(header: string[], rows: string[][], right: Set<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function printResults(results: Results): void {
  const { scenarios } = results;
  const loads = scenarios.filter((r) => r.connections !== null);
  const others = scenarios.filter((r) => r.connections === null);
  const out = process.stdout;
  out.write(
    `\n${results.mode} run, ${results.complaints.toLocaleString('en-US')} complaints, ${results.machine.postgres}, ` +
      `${results.machine.cpus.count} × ${results.machine.cpus.model}, Node ${results.machine.node}\n` +
      `Per-client limits raised for the bench: ${Object.entries(results.raisedLimits)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}\n` +
      `req/s counts good operations (a web lookup is its POST and the page it leads to), latencies in ms are ` +
      `theirs, medians of the rounds; errors (unexpected answers, lost requests) added up over them${results.mode === 'smoke' ? '; smoke: targets not judged' : ''}\n\n`,
  );
  out.write(
    table(
      ['scenario', 'conns', 'req/s', 'p50', 'p95', 'p99', 'errors', 'baseline req/s', 'ratio', 'target', 'met'],
      loads.map((r) => [
        r.name,
        String(r.connections),
        fixed(r.reqPerSec, r.reqPerSec !== null && r.reqPerSec < 10 ? 1 : 0),
        fixed(r.p50, 1),
        fixed(r.p95, 1),
        fixed(r.p99, 1),
        fixed(r.errors),
        fixed(r.baseline?.reqPerSec),
        fixed(r.ratio, r.ratio !== null && r.ratio < 0.1 ? 3 : 2),
        r.target,
        verdict(r.met),
      ]),
      new Set([1, 2, 3, 4, 5, 6, 7, 8]),
    ) + '\n\n',
  );
  out.write(
    table(
      ['measure', 'value', 'compared with', 'ratio', 'target', 'met'],
      others.map((r) => [
        r.name,
        `${fixed(r.value, r.unit === 'ms' ? 1 : 0)} ${r.unit ?? ''}`,
        r.baseline ? `${r.baseline.name}: ${fixed(r.baseline.value, 1)} ${r.unit ?? ''}` : '-',
        fixed(r.ratio, 2),
        r.target,
        verdict(r.met),
      ]),
      new Set([1, 3]),
    ) + '\n\n',
  );
}

export function writeResults(root: string, results: Results): string {
  const file = path.join(root, 'bench', 'results.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
