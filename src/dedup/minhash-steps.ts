/**
 * The corpus-wide steps of MinHash deduplication, over files in the stage's work folder:
 *
 *   sigs/b<band>/s<shard>-<run>.bin   (collect)  band key (rows x 2 words) + document index, sorted
 *   counts/s<shard>.bin               (collect)  documents that reached the stage in the shard
 *   pairs/b<band>.bin                 (buckets)  adjacent documents with equal band keys
 *   clusters/s<shard>.bin             (clusters) members of clusters: doc, cluster id, size, kept
 *   removed/s<shard>.bin              (clusters) documents to drop
 *
 * Clustering follows the reference: union-find with union by size (the first document's root wins
 * a tie) over the pairs in band order, and the root of each cluster is the document kept. It holds
 * two uint32 per document (parent and size) and streams the pairs.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Step } from '../exec/plan.js';
import { readAllRecords, RecordReader, RecordWriter } from './record-file.js';
import { compareKeys, mergeRuns } from './sort.js';

export const SIG_KIND = 'mhsig';
export const COUNT_KIND = 'mhcount';
export const PAIR_KIND = 'mhpair';
export const CLUSTER_KIND = 'mhclust';
export const REMOVED_KIND = 'removed';
/** [doc index, cluster id (the kept document's global index), cluster size, kept (1) or not (0)] */
export const CLUSTER_WORDS = 4;

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

export interface MinhashLayout {
  workDir: string;
  bands: number;
  rows: number;
  shards: number;
}

export const sigDir = (l: MinhashLayout, band: number): string => join(l.workDir, 'sigs', `b${pad(band, 3)}`);
export const countFile = (l: MinhashLayout, shard: number): string => join(l.workDir, 'counts', `s${pad(shard, 5)}.bin`);
export const pairFile = (l: MinhashLayout, band: number): string => join(l.workDir, 'pairs', `b${pad(band, 3)}.bin`);
export const clusterFile = (l: MinhashLayout, shard: number): string => join(l.workDir, 'clusters', `s${pad(shard, 5)}.bin`);
export const removedFile = (l: MinhashLayout, shard: number): string => join(l.workDir, 'removed', `s${pad(shard, 5)}.bin`);
export const shardRunPrefix = (shard: number): string => `s${pad(shard, 5)}`;

/** Key words of a band record: rows values of two words each. */
export const keyWords = (l: MinhashLayout): number => 2 * l.rows;

/** Per band: merge the sorted runs of every shard, and pair each document with the one before it when their keys are equal. */
export function bucketsStep(name: string, l: MinhashLayout): Step {
  return {
    name,
    title: `${name}: pair documents with equal band keys`,
    tasks: l.bands,
    perShard: false,
    taskBytes: () => 0,
    clean(band) {
      rmSync(pairFile(l, band), { force: true });
    },
    async run(band, ctx) {
      const dir = sigDir(l, band);
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => /^s\d+-\d+\.bin$/.test(f)).sort() : [];
      const shardOf = files.map((f) => Number(f.slice(1, f.indexOf('-'))));
      const kw = keyWords(l);
      const readers = files.map((f) => new RecordReader(join(dir, f), SIG_KIND, kw + 1));
      mkdirSync(join(l.workDir, 'pairs'), { recursive: true });
      const out = new RecordWriter(pairFile(l, band), PAIR_KIND, 4);
      const prev = new Uint32Array(kw + 1);
      let prevShard = -1;
      let records = 0;
      const pair = new Uint32Array(4);
      try {
        mergeRuns(readers, kw, (block, i, run) => {
          records++;
          if (prevShard >= 0 && compareKeys(prev, 0, block, i, kw) === 0) {
            pair[0] = prevShard;
            pair[1] = prev[kw]!;
            pair[2] = shardOf[run]!;
            pair[3] = block[i + kw]!;
            out.push(pair);
          }
          for (let k = 0; k <= kw; k++) prev[k] = block[i + k]!;
          prevShard = shardOf[run]!;
          if (records % 65536 === 0) ctx.progress(65536, 0);
        });
      } finally {
        for (const r of readers) r.close();
      }
      out.close();
      return { band, records, pairs: out.records };
    },
  };
}

/** Union-find over all documents; writes per-shard cluster members and documents to remove. */
export function clustersStep(name: string, l: MinhashLayout): Step {
  return {
    name,
    title: `${name}: union-find over the pairs`,
    tasks: 1,
    perShard: false,
    taskBytes: () => 0,
    clean() {
      rmSync(join(l.workDir, 'clusters'), { recursive: true, force: true });
      rmSync(join(l.workDir, 'removed'), { recursive: true, force: true });
    },
    async run(_task, ctx) {
      const counts = Array.from({ length: l.shards }, (_, s) => (existsSync(countFile(l, s)) ? readAllRecords(countFile(l, s), COUNT_KIND, 1)[0]! : missing(countFile(l, s))));
      const offsets = new Float64Array(l.shards + 1);
      for (let s = 0; s < l.shards; s++) offsets[s + 1] = offsets[s]! + counts[s]!;
      const total = offsets[l.shards]!;
      if (total >= 2 ** 32) throw new Error(`minhash: ${total} documents is more than one run can cluster (2^32 - 1); split the corpus`);
      const parent = new Uint32Array(total);
      const size = new Uint32Array(total).fill(1);
      for (let i = 0; i < total; i++) parent[i] = i;
      const find = (x: number): number => {
        let r = x;
        while (parent[r] !== r) r = parent[r]!;
        while (parent[x] !== r) {
          const next = parent[x]!;
          parent[x] = r;
          x = next;
        }
        return r;
      };
      let pairs = 0;
      for (let band = 0; band < l.bands; band++) {
        const reader = new RecordReader(pairFile(l, band), PAIR_KIND, 4, 16384);
        for (let block = reader.next(); block !== null; block = reader.next()) {
          for (let i = 0; i < block.length; i += 4) {
            let ra = find(offsets[block[i]!]! + block[i + 1]!);
            let rb = find(offsets[block[i + 2]!]! + block[i + 3]!);
            if (ra === rb) continue;
            if (size[ra]! < size[rb]!) {
              const t = ra;
              ra = rb;
              rb = t;
            }
            parent[rb] = ra;
            size[ra] = size[ra]! + size[rb]!;
          }
          pairs += block.length / 4;
          ctx.progress(block.length / 4, 0);
        }
      }
      mkdirSync(join(l.workDir, 'clusters'), { recursive: true });
      mkdirSync(join(l.workDir, 'removed'), { recursive: true });
      let clustered = 0;
      let removed = 0;
      // records are staged in reused arrays: no garbage per document
      const rec = new Uint32Array(CLUSTER_WORDS);
      const one = new Uint32Array(1);
      for (let s = 0; s < l.shards; s++) {
        let members: RecordWriter | null = null;
        let drops: RecordWriter | null = null;
        for (let d = 0; d < counts[s]!; d++) {
          const g = offsets[s]! + d;
          const r = find(g);
          if (size[r]! < 2) continue;
          members ??= new RecordWriter(clusterFile(l, s), CLUSTER_KIND, CLUSTER_WORDS);
          rec[0] = d;
          rec[1] = r;
          rec[2] = size[r]!;
          rec[3] = r === g ? 1 : 0;
          members.push(rec);
          clustered++;
          if (r !== g) {
            drops ??= new RecordWriter(removedFile(l, s), REMOVED_KIND, 1);
            one[0] = d;
            drops.push(one);
            removed++;
          }
        }
        members?.close();
        drops?.close();
      }
      return { documents: total, pairs, clustered, removed, clusters: clustered - removed };
    },
  };
}

function missing(file: string): never {
  throw new Error(`minhash: ${file} is missing; the collecting pass has not finished for that shard (resume the run)`);
}
