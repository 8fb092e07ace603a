/** Benchmark figures: one printed line per measurement. */

export interface BenchRow {
  bench: string;
  what: string;
  workers: number;
  docs: number;
  /** Uncompressed bytes of the documents processed. */
  bytes: number;
  seconds: number;
}

export function printRow(r: BenchRow): BenchRow {
  const dps = r.docs / r.seconds;
  const mbps = r.bytes / 1e6 / r.seconds;
  const perWorker = r.workers > 1 ? `  (${Math.round(dps / r.workers).toLocaleString('en-US')} docs/s per worker)` : '';
  console.log(
    `${r.bench.padEnd(8)} ${r.what.padEnd(44)} workers=${r.workers}  ${Math.round(dps).toLocaleString('en-US').padStart(9)} docs/s  ${mbps.toFixed(1).padStart(7)} MB/s  ${r.seconds.toFixed(2)} s${perWorker}`,
  );
  return r;
}
