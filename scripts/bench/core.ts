/**
 * The floor every stage is compared against: reading (decompress + parse) and reading + writing a
 * generated corpus of ~1 KB documents, for 1 and 2 workers.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseConfig } from '../../src/config/load.js';
import { runLocal } from '../../src/exec/local.js';
import { benchCorpus } from './corpus.js';
import { printRow, type BenchRow } from './report.js';

const run = promisify(execFile);

export async function benchCore(): Promise<BenchRow[]> {
  const shards = 4;
  const perShard = 100_000;
  const corpus = benchCorpus(shards, perShard);
  const docs = shards * perShard;
  const rows: BenchRow[] = [];

  for (const workers of [1, 2]) {
    // Read-only: each worker process reads its own shards, in parallel; timed inside the processes
    // (from the first byte read to the last document), so process start-up is not counted.
    const perWorker = Array.from({ length: workers }, (_, w) => corpus.files.filter((_, i) => i % workers === w));
    const times = await Promise.all(
      perWorker.map(async (files) => {
        let seconds = 0;
        for (const f of files) {
          const { stdout } = await run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'read-one.ts'), f]);
          seconds += (JSON.parse(stdout) as { seconds: number }).seconds;
        }
        return seconds;
      }),
    );
    rows.push(printRow({ bench: 'core', what: `read only (decompress, split, parse)`, workers, docs, bytes: corpus.bytes, seconds: Math.max(...times) }));
  }

  for (const workers of [1, 2]) {
    const runDir = join(corpus.dir, `run-${workers}`);
    rmSync(runDir, { recursive: true, force: true });
    const spec = parseConfig(`inputs: [${JSON.stringify(join(corpus.dir, '*.jsonl.zst'))}]\nrun_dir: ${JSON.stringify(runDir)}\n`, join(corpus.dir, 'bench.yaml'));
    const t0 = performance.now();
    await runLocal(spec, { workers, force: true });
    const seconds = (performance.now() - t0) / 1000;
    rows.push(printRow({ bench: 'core', what: 'read + write (sift run, no stages)', workers, docs, bytes: corpus.bytes, seconds }));
    rmSync(runDir, { recursive: true, force: true });
  }
  return rows;
}
