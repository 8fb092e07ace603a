/**
 * Benchmark decontamination index: build it from a benchmarks file and write it, or load it.
 *
 * `buildDeconIndex(yaml, out)` writes `out` (the binary index, see `index-file.ts`) and `out.json`,
 * a small sidecar for people: settings, sizes, and per benchmark its items and what was indexed.
 */
import { loadBenchmarks } from './benchmarks.js';
import { buildIndexFromItems, type BenchmarkBuildCounts, type BuildOptions } from './index-build.js';
import { saveDeconIndex } from './index-file.js';
import { writeFileAtomic } from '../io/shard-writer.js';
import type { IndexSettings } from './index-table.js';

export { buildIndexFromItems, DEFAULT_MAX_ITEMS_PER_NGRAM, DEFAULT_MIN_WORDS, DEFAULT_STRIDE, type BenchmarkBuildCounts, type BuildOptions } from './index-build.js';
export { IndexFileError, loadDeconIndex, parseDeconIndex, saveDeconIndex, serializeDeconIndex } from './index-file.js';
export { DeconIndex, type BenchmarkMeta, type IndexSettings } from './index-table.js';

export interface BuildReport {
  index: string;
  sidecar: string;
  benchmarksFile: string;
  settings: IndexSettings;
  /** Bytes of the index file. */
  bytes: number;
  keys: number;
  texts: number;
  items: number;
  /** Seconds to read the benchmarks, and to build the index. */
  loadSeconds: number;
  buildSeconds: number;
  benchmarks: BenchmarkBuildCounts[];
}

/** Reads the benchmarks file, builds the index, writes it to `indexFile` (and `indexFile.json`). */
export async function buildDeconIndex(benchmarksYaml: string, indexFile: string, opts: BuildOptions = {}): Promise<BuildReport> {
  const t0 = performance.now();
  const loaded = await loadBenchmarks(benchmarksYaml);
  const t1 = performance.now();
  const { index, counts } = buildIndexFromItems(loaded, opts);
  const bytes = saveDeconIndex(index, indexFile);
  const t2 = performance.now();
  const report: BuildReport = {
    index: indexFile,
    sidecar: `${indexFile}.json`,
    benchmarksFile: loaded.file,
    settings: index.settings,
    bytes,
    keys: index.keyCount,
    texts: index.textCount,
    items: index.itemCount,
    loadSeconds: (t1 - t0) / 1000,
    buildSeconds: (t2 - t1) / 1000,
    benchmarks: counts,
  };
  const sidecar = {
    format: 'sift-decon-index',
    benchmarks_file: loaded.file,
    ...report.settings,
    bytes,
    keys: report.keys,
    texts: report.texts,
    items: report.items,
    benchmarks: counts.map((c, i) => ({ ...c, parts: loaded.benchmarks[i]!.parts, files: loaded.benchmarks[i]!.files })),
  };
  writeFileAtomic(report.sidecar, JSON.stringify(sidecar, null, 2) + '\n');
  return report;
}
