import http from 'node:http';
import { sampleRss, rssMb } from './bench.process.js';

// The open-data CSV of every row, downloaded in full from a fresh server, counting lines without
// keeping them, while the server's resident memory is sampled every 100 ms: the file must stream.

export interface CsvResult {
  status: number;
  complete: boolean;
  rows: number;
  megabytes: number;
  ms: number;
  /** The server's resident memory before the download, and its peak during it. */
  rssBefore: number;
  rssPeak: number;
}

export async function downloadCsv(base: string, pid: number): Promise<CsvResult> {
  const rssBefore = rssMb(pid);
  const sampler = sampleRss([pid]);
  const started = performance.now();
  try {
    const got = await new Promise<{ lines: number; bytes: number; complete: boolean; status: number }>(
      (resolve, reject) => {
        http
          .get(`${base}/data/complaints.csv`, (res) => {
            let lines = 0;
            let bytes = 0;
            res.on('data', (chunk: Buffer) => {
              bytes += chunk.length;
              for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
            });
            res.on('error', () => {});
            res.on('close', () => resolve({ lines, bytes, complete: res.complete, status: res.statusCode ?? 0 }));
          })
          .on('error', reject);
      },
    );
    return {
      status: got.status,
      complete: got.complete,
      rows: Math.max(0, got.lines - 1),
      megabytes: got.bytes / 1048576,
      ms: performance.now() - started,
      rssBefore,
      rssPeak: sampler.stop()[0]!,
    };
  } finally {
    sampler.stop();
  }
}
