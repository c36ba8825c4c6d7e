import autocannon from 'autocannon';

// Load runs: autocannon in this process, without workers, every response's latency recorded from
// its 'response' events, so p50/p95/p99 are exact (not autocannon's histogram buckets); rounds
// interleaved with a baseline, and the medians of the rounds.

export interface Step {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The status of a good answer; any other counts the operation as an error. */
  expect: number;
  /** Keeps the cookies this answer sets for the next step of the same operation (a browser's jar). */
  keepCookies?: boolean;
  /** Sends the cookies kept by an earlier step of the operation. */
  sendCookies?: boolean;
  /** Changes each request before it is sent (another case to look up, another resident's address). */
  vary?: (request: autocannon.Request) => autocannon.Request;
}

/**
 * What each virtual user (connection) does over and over: the steps in turn, each `perOp` of them
 * one operation (2 for the web status lookup: the POST and the page its 303 leads to). An
 * operation's latency is the sum of its steps'; req/s counts the operations answered as expected,
 * and the latencies are theirs: the others are errors.
 */
export interface Load {
  base: string;
  steps: Step[];
  perOp: number;
}

export interface Run {
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** The statuses of the answers that were not as expected (and 'lost': connection errors, timeouts), by count. */
  unexpected: Record<string, number>;
  operations: number;
}

type Jar = { jar?: Record<string, string> };
type Headers = Record<string, string | string[] | undefined> | undefined;
/** autocannon's client, as far as this file reads it: which of the steps it has just been answered for. */
type Client = { requestIterator?: { currentRequestIndex?: number } };

function keepCookies(_status: number, _body: string, context: object, headers: Headers): void {
  const jar = ((context as Jar).jar ??= {});
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'set-cookie' || value === undefined) continue;
    for (const cookie of [value].flat()) {
      const pair = cookie.split(';')[0] ?? '';
      const at = pair.indexOf('=');
      if (at > 0) jar[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
}

function sendCookies(request: autocannon.Request, context: object): autocannon.Request {
  const cookie = Object.entries((context as Jar).jar ?? {})
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
  return cookie ? { ...request, headers: { ...request.headers, cookie } } : request;
}

/** The q-th quantile (nearest rank) of sorted values. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Raw {
  latencies: number[];
  errors: number;
  unexpected: Record<string, number>;
  operations: number;
  seconds: number;
}

/**
 * One autocannon run of a load. (Not autocannon's idReplacement: with its URL-safe ids it sends a
 * Content-Length longer than the body it replaces them in; a step's `vary` makes requests differ.)
 * autocannon checks for the end of a run every `sampleInt` ms: 100, so a run lasts what it is asked.
 */
function runRaw(load: Load, connections: number, seconds: number): Promise<Raw> {
  const latencies: number[] = [];
  let errors = 0;
  const unexpected: Record<string, number> = {};
  const count = (what: string, n = 1) => {
    if (n > 0) unexpected[what] = (unexpected[what] ?? 0) + n;
  };
  const open = new WeakMap<object, { ms: number; ok: boolean }>();
  const requests: autocannon.Request[] = load.steps.map((step) => ({
    method: step.method,
    path: step.path,
    ...(step.headers ? { headers: step.headers } : {}),
    ...(step.body !== undefined ? { body: step.body } : {}),
    ...(step.keepCookies ? { onResponse: keepCookies } : {}),
    ...(step.vary || step.sendCookies
      ? {
          setupRequest: (request: autocannon.Request, context: object) => {
            const varied = step.vary ? step.vary(request) : request;
            return step.sendCookies ? sendCookies(varied, context) : varied;
          },
        }
      : {}),
  }));
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: load.base, connections, duration: seconds, requests, sampleInt: 100 },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error as Error);
        // Connection errors and timeouts are errors too (each lost its operation).
        errors += result.errors + result.timeouts;
        count('lost', result.errors + result.timeouts);
        resolve({ latencies, errors, unexpected, operations: latencies.length, seconds: result.duration });
      },
    );
    instance.on('response', (client: unknown, status: number, _bytes: number, ms: number) => {
      const index = (client as Client).requestIterator?.currentRequestIndex;
      if (index === undefined) throw new Error('autocannon no longer says which request a response answers');
      const first = index % load.perOp === 0;
      const op = first ? { ms: 0, ok: true } : (open.get(client as object) ?? { ms: 0, ok: false });
      op.ms += ms;
      if (status !== load.steps[index]!.expect) {
        op.ok = false;
        count(String(status));
      }
      if ((index + 1) % load.perOp !== 0) {
        open.set(client as object, op);
        return;
      }
      open.delete(client as object);
      // Only good operations count towards req/s and the latencies: fast refusals are no speed.
      if (op.ok) latencies.push(op.ms);
      else errors += 1;
    });
  });
}

function added(all: Array<Record<string, number>>): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const one of all) for (const [k, n] of Object.entries(one)) sum[k] = (sum[k] ?? 0) + n;
  return sum;
}

function summarise(raws: Raw[]): Run {
  const latencies = raws.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const operations = raws.reduce((n, r) => n + r.operations, 0);
  return {
    // Loads run side by side (the mixed load over two instances): their rates add up.
    reqPerSec: raws.reduce((sum, r) => sum + r.operations / Math.max(r.seconds, 0.001), 0),
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    errors: raws.reduce((n, r) => n + r.errors, 0),
    unexpected: added(raws.map((r) => r.unexpected)),
    operations,
  };
}

/** How long each run lasts, how many rounds, and what to wait for before each (the servers drained). */
export interface Pace {
  seconds: number;
  rounds: number;
  drain: () => Promise<void>;
}

/** One run of a load, or of several side by side (each with its share of the connections), once `drain` resolves. */
export async function runLoads(
  loads: Load[],
  connections: number,
  seconds: number,
  drain: () => Promise<void>,
): Promise<Run> {
  await drain();
  const share = (i: number) => Math.floor(connections / loads.length) + (i < connections % loads.length ? 1 : 0);
  return summarise(await Promise.all(loads.map((load, i) => runRaw(load, share(i), seconds))));
}

/** The medians of rounds: req/s and each percentile; errors added up over every round. */
export function medianOf(runs: Run[]): Run {
  return {
    reqPerSec: median(runs.map((r) => r.reqPerSec)),
    p50: median(runs.map((r) => r.p50)),
    p95: median(runs.map((r) => r.p95)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    unexpected: added(runs.map((r) => r.unexpected)),
    operations: runs.reduce((n, r) => n + r.operations, 0),
  };
}

/**
 * A scenario and its baseline in interleaved rounds (scenario, baseline, scenario, baseline, …),
 * so a change in the machine's speed during the run weighs on both alike; the median of each.
 */
export async function interleaved(
  scenario: Load[],
  baseline: Load | undefined,
  connections: number,
  pace: Pace,
): Promise<{ scenario: Run; baseline: Run | undefined }> {
  const mine: Run[] = [];
  const theirs: Run[] = [];
  for (let round = 0; round < pace.rounds; round++) {
    mine.push(await runLoads(scenario, connections, pace.seconds, pace.drain));
    if (baseline) theirs.push(await runLoads([baseline], connections, pace.seconds, pace.drain));
  }
  return { scenario: medianOf(mine), baseline: baseline ? medianOf(theirs) : undefined };
}
