/**
 * MinHash deduplication at scale, step by step: a generated corpus of 2,000,000 short documents with
 * planted exact and near duplicates (dedup-corpus.ts) goes through a pipeline with one `minhash`
 * stage (defaults), each step in its own process with `node bin/sift.js dedup STEP CONFIG`, one task
 * at a time, so the figures are per core. Prints per step wall and CPU time, docs/s and peak RSS,
 * then the clusters step's memory per document, the total against the reference's ~520 docs/s, and
 * how many planted duplicates were removed (dedup-check.ts).
 *
 *   npm run bench -- dedup-scale
 *   npx tsx scripts/bench/dedup-scale.ts [--docs 2000000] [--shards 8] [--mid 500000] [--tiny 8000]
 *                                        [--prof DIR] [--keep] [--sift PATH/bin/sift.js]
 *
 * Runs three corpora with the same steps: a tiny one (the process baseline), the first shards of
 * the big corpus holding `--mid` documents, and the whole big corpus. Uses the compiled CLI: run
 * `npm run build` after changing the sources (`--sift` names another build's bin/sift.js).
 * `--prof DIR` writes a V8 CPU profile of every step (node --cpu-prof) to DIR. Peak RSS and CPU
 * time come from /usr/bin/time when it is there, else from the `peak memory` line of `sift dedup`
 * (and no CPU time).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { RunDir } from '../../src/exec/run-dir.js';
import { checkDedup } from './dedup-check.js';
import { dedupCorpus, type DedupCorpus } from './dedup-corpus.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const DOCS = Number(arg('docs', '2000000'));
const SHARDS = Number(arg('shards', '8'));
const MID = Number(arg('mid', '500000'));
const TINY = Number(arg('tiny', '8000'));
const PROF = process.argv.includes('--prof') ? arg('prof', '') : '';
const KEEP = process.argv.includes('--keep');
/** The reference's MinHash throughput (one core, all four steps), and the target factor over it. */
const REFERENCE_DOCS_PER_S = 520;
const TARGET_FACTOR = 20;
/** filters/minhash.ts: band records held per worker before a sorted run is written (all bands). */
const SPILL_RECORDS = 1 << 20;
const BANDS = 14;
const ROWS = 8;

const SIFT = resolve(arg('sift', join(import.meta.dirname, '..', '..', 'bin', 'sift.js')));
const ROOT = dirname(dirname(SIFT));
const STEPS = ['signatures', 'buckets', 'clusters', 'filter', 'finalize'] as const;
const TIME = '/usr/bin/time';
const CLUSTERS_STEP = 'minhash.clusters';
const CLUSTER_REPEATS = 3;

interface StepRow {
  step: string;
  wall: number;
  /** User + system CPU seconds (NaN without /usr/bin/time). */
  cpu: number;
  /** Peak resident set, MB. */
  rssMB: number;
  load: number;
  /** Lowest and highest peak RSS over repeated runs of the step, MB. */
  rssRange?: [number, number];
}

if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
  console.error('dedup-scale: the CLI is not built; run `npm run build` first');
  process.exit(1);
}
const built = statSync(join(ROOT, 'dist', 'src', 'dedup', 'minhash-steps.js')).mtimeMs;
for (const f of ['src/dedup/minhash-steps.ts', 'src/dedup/sort.ts', 'src/dedup/spill.ts', 'src/dedup/record-file.ts', 'filters/minhash.ts']) {
  if (statSync(join(ROOT, f)).mtimeMs > built) console.warn(`*** dedup-scale: ${f} is newer than dist/; the figures are for the last build (npm run build) ***`);
}

function runStep(step: string, config: string, profDir: string): StepRow {
  const load = loadavg()[0]!;
  const node = [process.execPath, ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-name', `${step}.cpuprofile`] : []), SIFT, 'dedup', step, config];
  const useTime = existsSync(TIME);
  const t0 = performance.now();
  const r = useTime ? spawnSync(TIME, ['-f', 'SIFT_TIME %e %U %S %M', ...node], { encoding: 'utf8' }) : spawnSync(node[0]!, node.slice(1), { encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`sift dedup ${step} failed (exit ${r.status})`);
  }
  const sift = /peak memory (\d+) MB/.exec(r.stderr);
  const timed = /SIFT_TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (timed) return { step, wall: Number(timed[1]), cpu: Number(timed[2]) + Number(timed[3]), rssMB: Number(timed[4]) / 1024, load };
  return { step, wall, cpu: NaN, rssMB: sift ? Number(sift[1]) : NaN, load };
}

/** Runs every step on the given input shards; returns the rows and the run directory. */
function runAll(label: string, dir: string, inputs: readonly string[]): { rows: StepRow[]; runDir: string } {
  const runDir = join(dir, `run-${label}`);
  const config = join(dir, `minhash-${label}.yaml`);
  rmSync(runDir, { recursive: true, force: true });
  writeFileSync(config, `inputs: ${JSON.stringify(inputs)}\nrun_dir: ${JSON.stringify(runDir)}\nstages:\n  - type: minhash\n`);
  const profDir = PROF ? join(PROF, label) : '';
  if (profDir) mkdirSync(profDir, { recursive: true });
  const rows: StepRow[] = [];
  for (const step of STEPS) {
    if (step !== 'clusters') {
      rows.push(runStep(step, config, profDir));
      continue;
    }
    // Its peak RSS is the figure that matters and varies by a few MB with garbage collection: run it
    // CLUSTER_REPEATS times (removing its completion marker in between) and keep the lowest peak.
    const tries: StepRow[] = [];
    for (let t = 0; t < CLUSTER_REPEATS; t++) {
      rmSync(new RunDir(runDir).marker(CLUSTERS_STEP, 0), { force: true });
      tries.push(runStep(step, config, t === 0 ? profDir : ''));
    }
    const best = tries.reduce((a, b) => (b.rssMB < a.rssMB ? b : a));
    rows.push({ ...best, rssRange: [best.rssMB, Math.max(...tries.map((r) => r.rssMB))] });
  }
  return { rows, runDir };
}

const n0 = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '-');

function printRows(title: string, docs: number, rows: readonly StepRow[]): StepRow {
  console.log(`\n${title}: ${docs.toLocaleString('en-US')} documents`);
  console.log(`${'step'.padEnd(18)} ${'wall s'.padStart(8)} ${'cpu s'.padStart(8)} ${'docs/s wall'.padStart(12)} ${'docs/s cpu'.padStart(11)} ${'peak RSS MB'.padStart(12)} ${'load'.padStart(5)}`);
  const line = (r: StepRow): void =>
    console.log(`${r.step.padEnd(18)} ${f2(r.wall).padStart(8)} ${f2(r.cpu).padStart(8)} ${n0(docs / r.wall).padStart(12)} ${n0(docs / r.cpu).padStart(11)} ${r.rssMB.toFixed(0).padStart(12)} ${r.load.toFixed(2).padStart(5)}${r.rssRange ? `  (peak RSS ${r.rssRange[0].toFixed(0)}-${r.rssRange[1].toFixed(0)} MB over ${CLUSTER_REPEATS} runs; lowest shown)` : ''}`);
  rows.filter((r) => r.step !== 'finalize').forEach(line);
  const four = rows.filter((r) => r.step !== 'finalize');
  const total: StepRow = {
    step: 'total (4 steps)',
    wall: four.reduce((a, r) => a + r.wall, 0),
    cpu: four.reduce((a, r) => a + r.cpu, 0),
    rssMB: Math.max(...four.map((r) => r.rssMB)),
    load: four.reduce((a, r) => a + r.load, 0) / four.length,
  };
  line(total);
  rows.filter((r) => r.step === 'finalize').forEach(line);
  return total;
}

const rss = (rows: readonly StepRow[], step: string): number => rows.find((r) => r.step === step)!.rssMB;

console.log(`load at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min; the machine is shared, wall times are noisy: CPU time is the per-core figure)`);
const t0 = performance.now();
const big = dedupCorpus(DOCS, SHARDS);
const genSeconds = (performance.now() - t0) / 1000;
console.log(`corpus: ${big.docs.toLocaleString('en-US')} documents in ${SHARDS} zstd shards, ${(big.bytes / 1e6).toFixed(0)} MB of JSONL, in ${big.dir} (${genSeconds > 1 ? `generated in ${genSeconds.toFixed(0)} s` : 'cached'})`);
const tiny = dedupCorpus(TINY, SHARDS);

interface Scenario {
  label: string;
  corpus: DedupCorpus;
  shards: number;
  docs: number;
  rows: StepRow[];
  runDir: string;
}
const scenarios: Scenario[] = [];
const midShards = MID > 0 ? Math.round(MID / big.perShard) : 0;
for (const [label, corpus, shards] of [
  ['tiny', tiny, SHARDS],
  ...(midShards > 0 && midShards < SHARDS ? [['mid', big, midShards] as const] : []),
  ['full', big, SHARDS],
] as const) {
  const docs = Math.min(corpus.docs, shards * corpus.perShard);
  const { rows, runDir } = runAll(label, corpus.dir, corpus.files.slice(0, shards));
  scenarios.push({ label, corpus, shards, docs, rows, runDir });
  printRows(`${label} run (${shards} shard(s))`, docs, rows);
}

const full = scenarios.find((s) => s.label === 'full')!;
const base = scenarios.find((s) => s.label === 'tiny')!;
const mid = scenarios.find((s) => s.label === 'mid');
const fullTotal = {
  wall: full.rows.filter((r) => r.step !== 'finalize').reduce((a, r) => a + r.wall, 0),
  cpu: full.rows.filter((r) => r.step !== 'finalize').reduce((a, r) => a + r.cpu, 0),
};

console.log('\n== memory ==');
const perDoc = (a: Scenario, b: Scenario): number => ((rss(b.rows, 'clusters') - rss(a.rows, 'clusters')) * 1024 * 1024) / (b.docs - a.docs);
console.log(
  `clusters step peak RSS: tiny ${rss(base.rows, 'clusters').toFixed(0)} MB, ${mid ? `mid ${rss(mid.rows, 'clusters').toFixed(0)} MB, ` : ''}full ${rss(full.rows, 'clusters').toFixed(0)} MB`,
);
const bpd = perDoc(base, full);
console.log(`  per document: (full - tiny) / (${full.docs.toLocaleString('en-US')} - ${base.docs.toLocaleString('en-US')}) = ${bpd.toFixed(1)} bytes` + (mid ? `; slope mid -> full: ${perDoc(mid, full).toFixed(1)} bytes` : ''));
console.log(`  (the tiny run is the process baseline: Node, the CLI's modules, the config; pair reading buffers are 16,384 pairs x 16 bytes = 256 KiB)`);
console.log(`  target <= ~16 bytes per document plus the pair buffers: ${bpd <= 16.5 ? 'MET' : 'NOT MET'}`);
const sigBound = (SPILL_RECORDS * (2 * ROWS + 1) * 4) / 2 ** 20;
console.log(
  `signatures step peak RSS: tiny ${rss(base.rows, 'signatures').toFixed(0)} MB, ${mid ? `mid (${mid.docs.toLocaleString('en-US')} docs) ${rss(mid.rows, 'signatures').toFixed(0)} MB, ` : ''}full (${full.docs.toLocaleString('en-US')} docs) ${rss(full.rows, 'signatures').toFixed(0)} MB`,
);
console.log(`  spill buffers: at most ${SPILL_RECORDS.toLocaleString('en-US')} band records of ${(2 * ROWS + 1) * 4} bytes held at once = ${sigBound.toFixed(0)} MiB, whatever the corpus size; sorted runs go to disk`);
if (mid) {
  const growth = rss(full.rows, 'signatures') - rss(mid.rows, 'signatures');
  console.log(`  growth from ${mid.docs.toLocaleString('en-US')} to ${full.docs.toLocaleString('en-US')} documents: ${growth.toFixed(0)} MB (all signatures of the full corpus would be ${((full.docs * BANDS * ROWS * 8) / 2 ** 20).toFixed(0)} MiB)`);
}
for (const step of ['buckets', 'filter']) console.log(`${step} step peak RSS: tiny ${rss(base.rows, step).toFixed(0)} MB${mid ? `, mid ${rss(mid.rows, step).toFixed(0)} MB` : ''}, full ${rss(full.rows, step).toFixed(0)} MB`);

console.log('\n== throughput (full run, four steps: signatures, buckets, clusters, filter) ==');
const perCore = full.docs / fullTotal.cpu;
console.log(`docs/s per core (CPU time): ${n0(perCore)}; by wall time: ${n0(full.docs / fullTotal.wall)}`);
console.log(`reference: ~${REFERENCE_DOCS_PER_S} docs/s per core -> ${(perCore / REFERENCE_DOCS_PER_S).toFixed(1)}x (target >= ${TARGET_FACTOR}x = ${n0(TARGET_FACTOR * REFERENCE_DOCS_PER_S)} docs/s): ${perCore >= TARGET_FACTOR * REFERENCE_DOCS_PER_S ? 'MET' : 'NOT MET'}`);

for (const s of [mid, full]) {
  if (!s) continue;
  console.log(`\n== planted duplicates: ${s.label} run (${s.docs.toLocaleString('en-US')} documents) ==`);
  checkDedup({ workDir: join(s.runDir, 'work', 'minhash'), shards: s.shards, perShard: s.corpus.perShard, docs: s.docs, truth: s.corpus.truth, bands: BANDS, rows: ROWS });
}
console.log(`\nload at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (!KEEP) for (const s of scenarios) rmSync(s.runDir, { recursive: true, force: true });
else console.log(`run directories kept: ${scenarios.map((s) => s.runDir).join(', ')}`);
