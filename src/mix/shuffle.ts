/**
 * The shuffle of a mix. Scatter: each copy of each taken document gets a key (a hash of its source,
 * id and copy number) and goes to bucket key mod buckets, as a line plus a key record:
 *   work/mix/buckets/from-s<shard>/p<bucket>.jsonl.zst and p<bucket>.keys.bin
 * Gather: a bucket's lines from every shard, ordered by key, are written as output shards
 * part-<bucket>-<seq>. A bucket is the most a worker holds in memory.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readAllRecords, RecordWriter } from '../dedup/record-file.js';
import type { TaskContext } from '../exec/plan.js';
import { readShard } from '../io/read-shard.js';
import { recordReader } from '../io/record.js';
import { ShardWriter, type WrittenShard } from '../io/shard-writer.js';
import type { ShardInfo } from '../io/shards.js';
import { readFileDecompressed } from '../io/whole-file.js';
import { hash53 } from '../text/hash.js';
import { copiesOf } from './budget.js';
import { drawOf, readTokenCounts } from './count.js';
import type { MixPlanFile } from './plan.js';
import type { MixSpec } from './spec.js';

const KEY_KIND = 'mixkey';
/** [key high, key low, tokens, source index] */
const KEY_WORDS = 4;
const pad = (n: number, w = 5): string => String(n).padStart(w, '0');

export interface ScatterResult {
  source: string;
  /** Documents taken at least once. */
  docsTaken: number;
  /** Copies written (documents times their repeats) and their tokens. */
  copies: number;
  tokens: number;
}

export interface GatherResult {
  bucket: number;
  docs: number;
  tokens: number;
  outputs: WrittenShard[];
  tokensBySource: Record<string, number>;
}

function bucketDir(runDir: string, shard: number): string {
  return join(runDir, 'work', 'mix', 'buckets', `from-s${pad(shard)}`);
}

export async function scatterTask(spec: MixSpec, shard: ShardInfo, plan: MixPlanFile, ctx: TaskContext): Promise<ScatterResult> {
  const sourceIndex = spec.sources.findIndex((s) => s.name === shard.source);
  const sp = plan.sources[sourceIndex]!;
  const tokens = readTokenCounts(spec.runDir, shard.index);
  const dir = bucketDir(spec.runDir, shard.index);
  mkdirSync(dir, { recursive: true });
  const lines = new Map<number, ShardWriter>();
  const keys = new Map<number, RecordWriter>();
  const rec = new Uint32Array(KEY_WORDS);
  const records = recordReader(spec.document);
  let index = 0;
  let docsTaken = 0;
  let copies = 0;
  let taken = 0;
  for await (const batch of readShard(shard, { records, maxLineBytes: spec.maxLineBytes })) {
    for (const doc of batch.docs) {
      const n = tokens[index++];
      if (n === undefined) throw new Error(`mix: ${shard.label} has more documents than when it was counted; was it changed?`);
      const k = copiesOf(sp, drawOf(sp.name, doc.id, spec.seed));
      if (k > 0) docsTaken++;
      for (let c = 0; c < k; c++) {
        const key = hash53(`${sp.name}\u0000${doc.id}\u0000${c}`, spec.seed + 1);
        const bucket = key % plan.buckets;
        let w = lines.get(bucket);
        if (!w) {
          w = new ShardWriter(dir, `p${pad(bucket)}`, { compression: 'zstd', level: 1, maxDocs: Number.MAX_SAFE_INTEGER, maxBytes: null });
          lines.set(bucket, w);
          keys.set(bucket, new RecordWriter(join(dir, `p${pad(bucket)}.keys.bin`), KEY_KIND, KEY_WORDS));
        }
        w.write(doc.rawLine ?? doc.serialize());
        rec[0] = Math.floor(key / 2 ** 32);
        rec[1] = key >>> 0;
        rec[2] = n;
        rec[3] = sourceIndex;
        keys.get(bucket)!.push(rec);
        copies++;
        taken += n;
      }
    }
    ctx.progress(batch.docs.length, batch.bytesIn);
  }
  if (index !== tokens.length) throw new Error(`mix: ${shard.label} has fewer documents than when it was counted; was it changed?`);
  for (const w of lines.values()) w.close();
  for (const k of keys.values()) k.close();
  return { source: sp.name, docsTaken, copies, tokens: taken };
}

export async function gatherTask(spec: MixSpec, shards: readonly ShardInfo[], bucket: number, ctx: TaskContext): Promise<GatherResult> {
  const all: { hi: number; lo: number; line: string; tokens: number; source: number }[] = [];
  for (const shard of shards) {
    const dir = bucketDir(spec.runDir, shard.index);
    const keyFile = join(dir, `p${pad(bucket)}.keys.bin`);
    if (!existsSync(keyFile)) continue;
    const keys = readAllRecords(keyFile, KEY_KIND, KEY_WORDS);
    const dataFile = readdirSync(dir).find((f) => f.startsWith(`p${pad(bucket)}-`) && f.endsWith('.jsonl.zst'));
    if (!dataFile) throw new Error(`mix: ${dir} has keys for bucket ${bucket} but no documents; resume the run so the scatter step redoes shard ${shard.label}`);
    const text = readFileDecompressed(join(dir, dataFile)).toString('utf8');
    let start = 0;
    for (let i = 0; i < keys.length; i += KEY_WORDS) {
      const end = text.indexOf('\n', start);
      if (end < 0) throw new Error(`mix: ${join(dir, dataFile)} holds fewer documents than its keys file`);
      all.push({ hi: keys[i]!, lo: keys[i + 1]!, line: text.slice(start, end), tokens: keys[i + 2]!, source: keys[i + 3]! });
      start = end + 1;
    }
    if (start !== text.length) throw new Error(`mix: ${join(dir, dataFile)} holds more documents than its keys file`);
  }
  // Hash order; equal keys (a document repeated in one bucket cannot collide) keep their order.
  const order = all.map((_, i) => i).sort((a, b) => all[a]!.hi - all[b]!.hi || all[a]!.lo - all[b]!.lo || a - b);
  const out = new ShardWriter(join(spec.runDir, 'output'), `part-${pad(bucket)}`, {
    compression: spec.output.compression,
    level: spec.output.level,
    maxDocs: spec.output.maxDocsPerShard,
    maxBytes: spec.output.maxBytesPerShard,
  });
  let tokens = 0;
  const tokensBySource: Record<string, number> = {};
  for (const i of order) {
    const d = all[i]!;
    out.write(d.line);
    tokens += d.tokens;
    const name = spec.sources[d.source]!.name;
    tokensBySource[name] = (tokensBySource[name] ?? 0) + d.tokens;
  }
  ctx.progress(all.length, 0);
  return { bucket, docs: all.length, tokens, outputs: out.close(), tokensBySource };
}
