/**
 * Benchmark decontamination, measured on the shared data (../shared/data):
 *
 *   npx tsx scripts/bench/decon.ts [--sample N] [--seed S] [--n N] [--stride K] [--min-words M] [--show] [--no-recall]
 *
 * 1. Builds the index over every benchmark of pipelines/benchmarks.yaml: build time, memory, size,
 *    then loads it back from the file (load time).
 * 2. Matches every dev-corpus document (corpus/dev) in modes `coverage` and `any`: documents with
 *    hits, by source, and each such document with its best hit, to tell true contamination
 *    (evaluation code that quotes test items, texts that benchmarks quote) from false alarms.
 * 3. Plants up to N items of each benchmark (default 200) into documents without any hit, verbatim
 *    and perturbed (see src/decon/perturb.ts), and prints recall per benchmark x perturbation for
 *    both modes; checks that cutting the matched spans removes a verbatim plant.
 * 4. Throughput: documents per CPU second of one thread (best of 5 passes), matching alone and
 *    reading + matching. Targets: recall >= 99% verbatim and >= 95% perturbed, false positives <=
 *    0.01% of clean documents, >= 30,000 docs/s per worker. Exits 1 when a target is missed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBenchmarks, type BenchmarkItem } from '../../src/decon/benchmarks.js';
import { buildIndexFromItems, loadDeconIndex, saveDeconIndex, type DeconIndex } from '../../src/decon/index.js';
import { DeconMatcher, type MatchMode } from '../../src/decon/match.js';
import { WordScanner } from '../../src/decon/ngrams.js';
import { itemText, PERTURBATIONS, plant, rng } from '../../src/decon/perturb.js';
import { cutSpans } from '../../src/decon/spans.js';
import { readJsonlFile } from '../../src/io/whole-file.js';
import { hasSharedData, REPO_ROOT, sharedPath } from '../../test/helpers/shared-data.js';

const { values: args } = parseArgs({
  options: {
    sample: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    n: { type: 'string' },
    stride: { type: 'string' },
    'min-words': { type: 'string' },
    show: { type: 'boolean', default: false },
    'no-recall': { type: 'boolean', default: false },
  },
});
const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

interface CorpusDoc {
  id: string;
  text: string;
  source: string;
}

const MODES: readonly MatchMode[] = ['coverage', 'any'];
const pct = (x: number, of: number): string => (of === 0 ? '—' : `${((100 * x) / of).toFixed(x === of ? 0 : 1)}`);
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

async function main(): Promise<number> {
  if (!hasSharedData('benchmarks') || !hasSharedData('corpus', 'dev')) {
    console.error(`*** SKIPPED: ${sharedPath()} has no benchmarks/ or corpus/dev/ (shared data not present) ***`);
    return 0;
  }
  let failures = 0;
  const check = (ok: boolean, what: string): void => {
    if (!ok) {
      failures++;
      console.log(`  TARGET MISSED: ${what}`);
    }
  };

  // 1. Build, save, load.
  const yaml = join(REPO_ROOT, 'pipelines', 'benchmarks.yaml');
  const rss0 = process.memoryUsage().rss;
  let t = performance.now();
  const loaded = await loadBenchmarks(yaml);
  const loadSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const built = buildIndexFromItems(loaded, { n: num(args.n), stride: num(args.stride), minWords: num(args['min-words']) });
  const buildSeconds = (performance.now() - t) / 1000;
  const rssBuilt = process.memoryUsage().rss;
  const dir = mkdtempSync(join(tmpdir(), 'sift-decon-'));
  const file = join(dir, 'benchmarks.decon');
  const bytes = saveDeconIndex(built.index, file);
  t = performance.now();
  const index = loadDeconIndex(file);
  const loadIndexMs = performance.now() - t;
  rmSync(dir, { recursive: true, force: true });
  const s = index.settings;
  console.log(`index: n=${s.n} stride=${s.stride} min_words=${s.minWords} max_items_per_ngram=${s.maxItemsPerNgram}`);
  console.log(`  ${loaded.items.length} items of ${loaded.benchmarks.length} benchmark entries; ${index.textCount} distinct texts, ${index.keyCount} keys`);
  console.log(`  reading the benchmarks ${loadSeconds.toFixed(2)} s, building ${buildSeconds.toFixed(2)} s, RSS +${mb(rssBuilt - rss0)} while building`);
  console.log(`  index file ${mb(bytes)}, loaded in ${loadIndexMs.toFixed(0)} ms (one read, checksum, typed-array views)`);
  console.log('  per benchmark: items / indexed items / parts long, short (whole), too short, dropped / n-grams');
  for (const c of built.counts) {
    console.log(`    ${`${c.name}${c.split ? `:${c.split}` : ''}`.padEnd(26)} ${String(c.items).padStart(6)} ${String(c.indexedItems).padStart(6)}   ${c.partsLong} ${c.partsShort} ${c.partsTooShort} ${c.partsDropped}   ${c.ngrams}`);
  }

  // 2. Clean documents.
  const docs: CorpusDoc[] = [];
  for (let i = 0; i < 4; i++) docs.push(...readJsonlFile<CorpusDoc>(sharedPath('corpus', 'dev', `dev-000${i}.jsonl.zst`)));
  const matcher = new DeconMatcher(index);
  const dirty = new Set<number>();
  console.log(`\nclean dev corpus: ${docs.length} documents`);
  for (const mode of MODES) {
    const bySource = new Map<string, number>();
    const lines: string[] = [];
    docs.forEach((d, i) => {
      const r = matcher.match(d.text, { mode });
      if (r.hits.length === 0) return;
      dirty.add(i);
      bySource.set(d.source, (bySource.get(d.source) ?? 0) + 1);
      const h = r.hits[0]!;
      const snippet = d.text.slice(h.spans[0]![0], h.spans[0]![1]).replace(/\s+/g, ' ').slice(0, 90);
      lines.push(`    ${d.id}: ${r.hits.length} hit(s); best ${h.benchmark}#${h.id} ${h.part} ${h.matched}/${h.total} «${snippet}»`);
    });
    const total = [...bySource.values()].reduce((a, b) => a + b, 0);
    console.log(`  mode ${mode}: ${total} documents with hits (${pct(total, docs.length)}%): ${[...bySource].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
    for (const l of mode === 'coverage' || args.show ? lines : []) console.log(l);
  }

  // 3. Planted items.
  const clean = docs.map((_, i) => i).filter((i) => !dirty.has(i) && docs[i]!.text.length > 0);
  const perBench = Number(args.sample);
  const random = rng(Number(args.seed));
  const header = `  ${'benchmark'.padEnd(26)} ${'items'.padStart(5)}  ${PERTURBATIONS.map((p) => p.padStart(12)).join('')}`;
  const results = new Map<string, number[][]>(); // mode -> [perturbation][hits, tried]
  const rows: string[][] = [];
  let cutStill = 0;
  let cutTried = 0;
  const scanner = new WordScanner();
  const longQuestion: Record<MatchMode, number[]> = { coverage: [0, 0], any: [0, 0] }; // no_options with >= min_words words: [hits, tried]
  for (let b = 0; b < (args['no-recall'] ? 0 : loaded.benchmarks.length); b++) {
    const info = loaded.benchmarks[b]!;
    const items = loaded.items.filter((it) => it.bench === b);
    const sample = pick(items, perBench, random);
    const cells: Record<MatchMode, string[]> = { coverage: [], any: [] };
    for (const p of PERTURBATIONS) {
      const hits: Record<MatchMode, number> = { coverage: 0, any: 0 };
      let tried = 0;
      for (const item of sample) {
        const text = itemText(item, info.parts, p, random);
        if (text === null) continue;
        tried++;
        const doc = docs[clean[Math.floor(random() * clean.length)]!]!;
        const planted = plant(doc.text, text, random).text;
        const detectable = p === 'no_options' && scanner.scan(text) >= index.settings.minWords;
        for (const mode of MODES) {
          const r = matcher.match(planted, { mode });
          const hit = r.hits.some((h) => isItem(h, index, item));
          if (hit) hits[mode]++;
          if (detectable) {
            longQuestion[mode][0]! += hit ? 1 : 0;
            longQuestion[mode][1]!++;
          }
          if (mode === 'coverage' && p === 'verbatim') {
            cutTried++;
            const rest = cutSpans(planted, r.spans).text;
            if (matcher.match(rest, { mode: 'any' }).hits.some((h) => isItem(h, index, item))) cutStill++;
          }
        }
      }
      for (const mode of MODES) {
        cells[mode].push(tried === 0 ? '—' : pct(hits[mode], tried));
        const agg = results.get(mode) ?? PERTURBATIONS.map(() => [0, 0]);
        const at = PERTURBATIONS.indexOf(p);
        agg[at]![0]! += hits[mode];
        agg[at]![1]! += tried;
        results.set(mode, agg);
      }
    }
    rows.push([`${info.name}${info.split ? `:${info.split}` : ''}`, String(sample.length), ...cells.coverage, '|', ...cells.any]);
  }
  for (const mode of args['no-recall'] ? [] : MODES) {
    console.log(`\nrecall (%), mode ${mode}${mode === 'coverage' ? ' (threshold 0.5)' : ''}: items planted into documents without hits`);
    console.log(header);
    const off = mode === 'coverage' ? 2 : 3 + PERTURBATIONS.length;
    for (const r of rows) console.log(`  ${r[0]!.padEnd(26)} ${r[1]!.padStart(5)}  ${r.slice(off, off + PERTURBATIONS.length).map((c) => c.padStart(12)).join('')}`);
    const agg = results.get(mode)!;
    console.log(`  ${'ALL'.padEnd(26)} ${''.padStart(5)}  ${agg.map(([h, n]) => pct(h!, n!).padStart(12)).join('')}`);
    agg.forEach(([h, n], i) => {
      const target = PERTURBATIONS[i] === 'verbatim' ? 0.99 : 0.95;
      check(n === 0 || h! / n! >= target, `mode ${mode}, ${PERTURBATIONS[i]}: recall ${pct(h!, n!)}% < ${target * 100}%`);
    });
    const [lh, ln] = longQuestion[mode] as [number, number];
    const [, allN] = agg[PERTURBATIONS.indexOf('no_options')] as [number, number];
    console.log(`  no_options, questions of at least ${index.settings.minWords} words (${pct(ln, allN)}% of them): ${pct(lh, ln)}%`);
  }
  if (!args['no-recall']) console.log(`\ncutting the matched spans (no context) of verbatim plants: the item still matches (mode any) in ${cutStill} of ${cutTried}`);

  // 4. Throughput.
  console.log('\nthroughput, one thread, documents per CPU second (best of 5):');
  for (const mode of MODES) {
    const best = bestOf(5, () => {
      for (const d of docs) matcher.match(d.text, { mode });
    });
    console.log(`  match, mode ${mode}: ${Math.round(docs.length / best)} docs/s (${((docs.reduce((a, d) => a + d.text.length, 0) / best) / 1e6).toFixed(0)} M chars/s)`);
    if (mode === 'coverage') check(docs.length / best >= 30000, `throughput ${Math.round(docs.length / best)} docs/s < 30,000`);
  }
  const readMatch = bestOf(3, () => {
    for (let i = 0; i < 4; i++) for (const d of readJsonlFile<CorpusDoc>(sharedPath('corpus', 'dev', `dev-000${i}.jsonl.zst`))) matcher.match(d.text);
  });
  console.log(`  read (readJsonlFile) + match: ${Math.round(docs.length / readMatch)} docs/s`);
  const fp = [...dirty].length;
  console.log(`\nfalse-positive check: see the documents listed above (${fp} with any hit in mode any or coverage)`);
  console.log(failures === 0 ? '\nall targets met' : `\n${failures} target(s) missed`);
  return failures === 0 ? 0 : 1;
}

function isItem(h: { benchmark: string; split: string | null; item: number }, index: DeconIndex, item: BenchmarkItem): boolean {
  const b = index.benchmarks[item.bench]!;
  return h.benchmark === b.name && h.split === b.split && h.item === item.index;
}

/** Up to k items, drawn without replacement. */
function pick<T>(items: readonly T[], k: number, random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}

/** Least CPU seconds of `reps` runs. */
function bestOf(reps: number, f: () => void): number {
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1e6);
  }
  return best;
}

process.exitCode = await main();
