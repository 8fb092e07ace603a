/**
 * Checks a MinHash run over the generated corpus of dedup-corpus.ts against its planted duplicates:
 * which copies ended in the same cluster as their source, how many planted duplicates were removed,
 * and whether anything outside the planted clusters was removed or planted clusters were merged.
 * Reads the clusters step's per-shard files (work/minhash/clusters/s*.bin: doc, cluster id = global
 * index of the kept document, size, kept).
 */
import { existsSync } from 'node:fs';
import { CLUSTER_KIND, CLUSTER_WORDS, clusterFile, type MinhashLayout } from '../../src/dedup/minhash-steps.js';
import { readAllRecords } from '../../src/dedup/record-file.js';
import { EXACT, NEAR, ORIGINAL, type DedupTruth } from './dedup-corpus.js';

export interface DedupCheckInput {
  /** The stage's work folder (RUN/work/minhash). */
  workDir: string;
  shards: number;
  perShard: number;
  /** Documents in the run (the first `docs` documents of the corpus). */
  docs: number;
  truth: DedupTruth;
  bands: number;
  rows: number;
}

export interface DedupCheckResult {
  copies: number;
  removed: number;
  removedPlanted: number;
  /** Documents removed beyond one kept per planted cluster (originals with no copy, or merged clusters). */
  wronglyRemoved: number;
  recall: number;
}

const BANDS: [string, number, number][] = [
  ['>=0.9', 0.9, 1.01],
  ['0.8-0.9', 0.8, 0.9],
  ['0.7-0.8', 0.7, 0.8],
  ['0.5-0.7', 0.5, 0.7],
  ['<0.5', -1, 0.5],
];

export function checkDedup(o: DedupCheckInput): DedupCheckResult {
  const { truth, docs } = o;
  const layout: MinhashLayout = { workDir: o.workDir, bands: o.bands, rows: o.rows, shards: o.shards };
  const cluster = new Int32Array(docs).fill(-1);
  const removed = new Uint8Array(docs);
  for (let s = 0; s < o.shards; s++) {
    const f = clusterFile(layout, s);
    if (!existsSync(f)) continue;
    const rec = readAllRecords(f, CLUSTER_KIND, CLUSTER_WORDS);
    for (let i = 0; i < rec.length; i += CLUSTER_WORDS) {
      const g = s * o.perShard + rec[i]!;
      cluster[g] = rec[i + 1]!;
      if (rec[i + 3] === 0) removed[g] = 1;
    }
  }
  // Planted clusters: every copy belongs to the cluster of the original it descends from.
  const root = new Int32Array(docs);
  const plantedSize = new Uint32Array(docs);
  for (let g = 0; g < docs; g++) {
    root[g] = truth.kind[g] === ORIGINAL ? g : root[truth.source[g]!]!;
    plantedSize[root[g]!]!++;
  }
  let copies = 0;
  let exact = 0;
  let exactCaught = 0;
  const near = BANDS.map(() => ({ n: 0, caught: 0, expected: 0 }));
  const nearByEdits = [0, 1, 2, 3].map(() => ({ n: 0, caught: 0 }));
  let removedAll = 0;
  let removedPlanted = 0;
  const removedPerPlanted = new Map<number, number>();
  const rootsPerCluster = new Map<number, Set<number>>();
  for (let g = 0; g < docs; g++) {
    if (cluster[g]! >= 0) {
      let set = rootsPerCluster.get(cluster[g]!);
      if (!set) rootsPerCluster.set(cluster[g]!, (set = new Set()));
      set.add(root[g]!);
    }
    if (removed[g]) {
      removedAll++;
      if (plantedSize[root[g]!]! >= 2) {
        removedPlanted++;
        removedPerPlanted.set(root[g]!, (removedPerPlanted.get(root[g]!) ?? 0) + 1);
      }
    }
    if (truth.kind[g] === ORIGINAL) continue;
    copies++;
    const src = truth.source[g]!;
    const caught = cluster[g]! >= 0 && cluster[g] === cluster[src] ? 1 : 0;
    if (truth.kind[g] === EXACT) {
      exact++;
      exactCaught += caught;
    } else if (truth.kind[g] === NEAR) {
      const j = truth.jaccard[g]!;
      const b = near[BANDS.findIndex(([, lo, hi]) => j >= lo && j < hi)]!;
      b.n++;
      b.caught += caught;
      b.expected += 1 - (1 - j ** o.rows) ** o.bands;
      const e = nearByEdits[Math.min(3, truth.edits[g]!)]!;
      e.n++;
      e.caught += caught;
    }
  }
  let overRemoved = 0;
  for (const [r, n] of removedPerPlanted) overRemoved += Math.max(0, n - (plantedSize[r]! - 1));
  let merged = 0;
  let largest = 0;
  for (const set of rootsPerCluster.values()) {
    merged += set.size - 1;
    largest = Math.max(largest, set.size);
  }
  const wronglyRemoved = removedAll - removedPlanted + overRemoved;
  let plantedClusters = 0;
  let largestPlanted = 0;
  for (let g = 0; g < docs; g++) {
    if (plantedSize[g]! >= 2) plantedClusters++;
    largestPlanted = Math.max(largestPlanted, plantedSize[g]!);
  }

  const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(2)}%`);
  console.log(`\nplanted: ${copies.toLocaleString('en-US')} copies (${exact.toLocaleString('en-US')} exact, ${(copies - exact).toLocaleString('en-US')} near) in ${plantedClusters.toLocaleString('en-US')} clusters (largest ${largestPlanted} members)`);
  console.log(`found:   ${rootsPerCluster.size.toLocaleString('en-US')} clusters, ${removedAll.toLocaleString('en-US')} documents removed`);
  console.log(`\n${'copy kind'.padEnd(26)} ${'copies'.padStart(9)} ${'same cluster as source'.padStart(23)} ${'expected 1-(1-J^r)^b'.padStart(21)}`);
  console.log(`${'exact'.padEnd(26)} ${String(exact).padStart(9)} ${pct(exactCaught, exact).padStart(23)} ${'100.00%'.padStart(21)}`);
  BANDS.forEach(([name], i) => {
    const b = near[i]!;
    if (b.n > 0) console.log(`${`near, 5-gram Jaccard ${name}`.padEnd(26)} ${String(b.n).padStart(9)} ${pct(b.caught, b.n).padStart(23)} ${pct(b.expected, b.n).padStart(21)}`);
  });
  for (const k of [1, 2, 3]) {
    const e = nearByEdits[k]!;
    if (e.n > 0) console.log(`${`near, ${k} word edit(s)`.padEnd(26)} ${String(e.n).padStart(9)} ${pct(e.caught, e.n).padStart(23)}`);
  }
  const nearAll = near.reduce((a, b) => ({ n: a.n + b.n, caught: a.caught + b.caught, expected: a.expected + b.expected }), { n: 0, caught: 0, expected: 0 });
  console.log(`${'near, all'.padEnd(26)} ${String(nearAll.n).padStart(9)} ${pct(nearAll.caught, nearAll.n).padStart(23)} ${pct(nearAll.expected, nearAll.n).padStart(21)}`);
  console.log(`\nrecall of planted duplicates (removed members of planted clusters / copies): ${removedPlanted.toLocaleString('en-US')} / ${copies.toLocaleString('en-US')} = ${pct(removedPlanted, copies)}`);
  console.log(`wrongly removed (outside planted clusters, or more than size-1 of one): ${wronglyRemoved} (${removedAll - removedPlanted} outside, ${overRemoved} over); planted clusters merged together: ${merged}`);
  console.log(`(the copy "expected" column assumes ideal hashing; a copy can also join its source's cluster through other members)`);
  return { copies, removed: removedAll, removedPlanted, wronglyRemoved, recall: copies === 0 ? 1 : removedPlanted / copies };
}
