import { interleaved, runLoads, type Pace } from './bench.measure.js';
import { sampleRss, type Child } from './bench.process.js';
import type { ResultRow } from './bench.report.js';
import { mixedLoad } from './bench.scenarios.js';
import type { Fixture } from './bench.seed.js';

// The mixed load (lookups, filings, queue pages, dashboard hits) spread over every app instance
// (two on PostgreSQL, sharing the one database), with each instance's resident memory sampled.

export async function runMixed(options: {
  fixture: Fixture;
  apps: Child[];
  pace: Pace;
  warmSeconds: number;
  embedded: boolean;
}): Promise<ResultRow[]> {
  const { fixture, apps, pace, embedded } = options;
  const loads = apps.map((app) => mixedLoad(fixture, app.base));
  // The instances, started for this load, are warmed up first, as the first app was.
  for (const load of loads) await runLoads([load], 8, options.warmSeconds, pace.drain);
  const sampler = sampleRss(apps.map((a) => a.pid));
  const result = await interleaved(loads, undefined, 50, pace);
  const peaks = sampler.stop();
  const { operations: _operations, ...figures } = result.scenario;
  return [
    {
      name: `mixed: lookups, filings, queue pages, dashboard over ${apps.length} instance(s)`,
      connections: 50,
      ...figures,
      baseline: null,
      ratio: null,
      target: 'no errors',
      met: figures.errors === 0,
    },
    ...peaks.map((peak, i) => ({
      name: `server RSS under the mixed load, instance ${i + 1}`,
      connections: null,
      reqPerSec: null,
      p50: null,
      p95: null,
      p99: null,
      errors: 0,
      baseline: null,
      ratio: null,
      target: embedded ? 'none on PGlite (the database runs inside the server)' : '≤ 300 MB',
      met: embedded ? null : peak <= 300,
      value: Math.round(peak),
      unit: 'MB',
    })),
  ];
}
