/**
 * Exact deduplication by 128-bit keys, shared by the stages that remove repeats (whole documents,
 * paragraphs). Each record is a key (4 words) and a payload (where the item is: a document index,
 * or a document and paragraph index). The collector partitions records by key and spills sorted
 * runs per shard; the find step merges a partition across all shards and writes, per shard, the
 * payloads of every repeat, the first occurrence in input order being kept; the applier reads its
 * shard's repeats back, sorted.
 *
 *   keys/p<partition>/s<shard>-<run>.bin    removed/p<partition>/s<shard>.bin
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { xxh3 } from '@node-rs/xxhash';
import type { Step } from '../exec/plan.js';
import { readAllRecords, RecordReader, RecordWriter } from './record-file.js';
import { mergeRuns, sortRecords } from './sort.js';
import { SpillingSorter } from './spill.js';

const KEY_KIND = 'exactkey';
const REMOVED_KIND = 'removed';
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

export interface ExactLayout {
  workDir: string;
  partitions: number;
  /** Words after the key: 1 (document index) or 2 (document, paragraph). */
  payloadWords: number;
}

const keysDir = (l: ExactLayout, p: number): string => join(l.workDir, 'keys', `p${pad(p, 4)}`);
const removedDir = (l: ExactLayout, p: number): string => join(l.workDir, 'removed', `p${pad(p, 4)}`);

/** Writes the 128-bit hash of `key` into words 0..3 of `rec`. */
export function hashKey(key: string, rec: Uint32Array): void {
  const h = xxh3.xxh128(key);
  rec[0] = Number((h >> 96n) & 0xffffffffn);
  rec[1] = Number((h >> 64n) & 0xffffffffn);
  rec[2] = Number((h >> 32n) & 0xffffffffn);
  rec[3] = Number(h & 0xffffffffn);
}

/** Collects a shard's key records: `push` records [key (4 words), payload...] in input order. */
export class KeyCollector {
  private readonly sorters: SpillingSorter[];

  constructor(
    private readonly l: ExactLayout,
    shard: number,
  ) {
    this.sorters = Array.from({ length: l.partitions }, (_, p) => new SpillingSorter(join(keysDir(l, p), `s${pad(shard, 5)}`), KEY_KIND, 4 + l.payloadWords, 4));
  }

  push(rec: Uint32Array): void {
    this.sorters[rec[0]! % this.l.partitions]!.push(rec);
  }

  close(): void {
    for (const s of this.sorters) s.close();
  }
}

/** Removes a shard's key runs (an unfinished collector's leftovers). */
export function cleanShardKeys(l: ExactLayout, shard: number): void {
  const prefix = `s${pad(shard, 5)}-`;
  for (let p = 0; p < l.partitions; p++) {
    const dir = keysDir(l, p);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.startsWith(prefix) || f.startsWith(`.${prefix}`)) rmSync(join(dir, f), { force: true });
  }
}

/** One task per partition: merge its runs across shards; the payload of every repeat is removed. */
export function findRepeatsStep(name: string, l: ExactLayout): Step {
  const w = 4 + l.payloadWords;
  return {
    name,
    title: `${name}: find repeated keys`,
    tasks: l.partitions,
    perShard: false,
    taskBytes: () => 0,
    clean(p) {
      rmSync(removedDir(l, p), { recursive: true, force: true });
    },
    async run(p, ctx) {
      const dir = keysDir(l, p);
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => /^s\d+-\d+\.bin$/.test(f)).sort() : [];
      const readers = files.map((f) => new RecordReader(join(dir, f), KEY_KIND, w));
      const shardOf = files.map((f) => Number(f.slice(1, f.indexOf('-'))));
      const out = removedDir(l, p);
      mkdirSync(out, { recursive: true });
      const writers = new Map<number, RecordWriter>();
      const prev = new Uint32Array(4);
      let havePrev = false;
      let keys = 0;
      let repeats = 0;
      let records = 0;
      try {
        mergeRuns(readers, 4, (block, i, run) => {
          records++;
          if (records % 65536 === 0) ctx.progress(65536, 0);
          const same = havePrev && block[i] === prev[0] && block[i + 1] === prev[1] && block[i + 2] === prev[2] && block[i + 3] === prev[3];
          if (!same) {
            keys++;
            prev.set(block.subarray(i, i + 4));
            havePrev = true;
            return;
          }
          repeats++;
          const shard = shardOf[run]!;
          let writer = writers.get(shard);
          if (!writer) writers.set(shard, (writer = new RecordWriter(join(out, `s${pad(shard, 5)}.bin`), REMOVED_KIND, l.payloadWords)));
          writer.push(block, i + 4);
        });
      } finally {
        for (const r of readers) r.close();
      }
      for (const writer of writers.values()) writer.close();
      return { partition: p, records, keys, repeats };
    },
  };
}

/** A shard's removed payloads from every partition, sorted (by document, then paragraph). */
export function readRemoved(l: ExactLayout, shard: number): Uint32Array {
  const lists: Uint32Array[] = [];
  for (let p = 0; p < l.partitions; p++) {
    const f = join(removedDir(l, p), `s${pad(shard, 5)}.bin`);
    if (existsSync(f)) lists.push(readAllRecords(f, REMOVED_KIND, l.payloadWords));
  }
  const all = new Uint32Array(lists.reduce((n, x) => n + x.length, 0));
  let off = 0;
  for (const x of lists) {
    all.set(x, off);
    off += x.length;
  }
  return sortRecords(all, l.payloadWords, l.payloadWords);
}
