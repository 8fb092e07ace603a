/**
 * The count step of a mix: reads a shard, counts the tokens of every document, and writes the
 * per-document token counts (for the scatter step) and a histogram of tokens over the documents'
 * draws (for the plan step). Unreadable records are reported as in a pipeline run.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readAllRecords, RecordWriter } from '../dedup/record-file.js';
import type { TaskContext } from '../exec/plan.js';
import { readShard, type ReadError } from '../io/read-shard.js';
import { recordReader } from '../io/record.js';
import type { ShardInfo } from '../io/shards.js';
import { writeErrorsParquet } from '../stats/errors.js';
import { unitHash } from '../text/hash.js';
import { DRAW_BINS } from './budget.js';
import type { MixSpec } from './spec.js';
import { loadTokenizer } from './tokens.js';

export interface CountResult {
  source: string;
  shard: string;
  docs: number;
  tokens: number;
  /** Uncompressed bytes of the documents' lines. */
  bytes: number;
  unreadable: number;
  errors: ReadError[];
}

const pad = (n: number): string => String(n).padStart(5, '0');
const HIST_KIND = 'mixhist';
const TOKENS_KIND = 'mixtok';

export function tokensFile(runDir: string, shard: number): string {
  return join(runDir, 'work', 'mix', 'tokens', `s${pad(shard)}.bin`);
}

function histogramFile(runDir: string, shard: number): string {
  return join(runDir, 'work', 'mix', 'counts', `s${pad(shard)}.bin`);
}

/** The draw of a document: uniform in [0, 1), fixed by its source, id and the seed. */
export function drawOf(source: string, id: string, seed: number): number {
  return unitHash(`${source}\u0000${id}`, seed);
}

export function readHistogram(runDir: string, shard: number): Float64Array {
  const words = readAllRecords(histogramFile(runDir, shard), HIST_KIND, 2);
  return new Float64Array(words.buffer, words.byteOffset, words.length / 2);
}

export function readTokenCounts(runDir: string, shard: number): Uint32Array {
  return readAllRecords(tokensFile(runDir, shard), TOKENS_KIND, 1);
}

export async function countTask(spec: MixSpec, shard: ShardInfo, ctx: TaskContext): Promise<CountResult> {
  const tokenizer = await loadTokenizer(spec.tokenizer);
  const histogram = new Float64Array(DRAW_BINS);
  mkdirSync(join(spec.runDir, 'work', 'mix', 'tokens'), { recursive: true });
  mkdirSync(join(spec.runDir, 'work', 'mix', 'counts'), { recursive: true });
  const perDoc = new RecordWriter(tokensFile(spec.runDir, shard.index), TOKENS_KIND, 1);
  const records = recordReader(spec.document);
  const errors: ReadError[] = [];
  let docs = 0;
  let tokens = 0;
  let bytes = 0;
  const one = new Uint32Array(1);
  for await (const batch of readShard(shard, { records, maxLineBytes: spec.maxLineBytes })) {
    for (const e of batch.errors) {
      if (spec.onError === 'fail') throw new Error(`${shard.path}:${e.line}: ${e.kind}: ${e.message}`);
      errors.push(e);
    }
    for (const doc of batch.docs) {
      const n = tokenizer.count(doc.text);
      one[0] = n;
      perDoc.push(one);
      histogram[Math.floor(drawOf(shard.source!, doc.id, spec.seed) * DRAW_BINS)]! += n;
      docs++;
      tokens += n;
      bytes += Buffer.byteLength(doc.rawLine ?? '') + 1;
    }
    ctx.progress(batch.docs.length + batch.errors.length, batch.bytesIn);
  }
  perDoc.close();
  const hist = new RecordWriter(histogramFile(spec.runDir, shard.index), HIST_KIND, 2);
  hist.pushAll(new Uint32Array(histogram.buffer));
  hist.close();
  if (errors.length > 0) await writeErrorsParquet(join(spec.runDir, 'stats', 'errors', `part-${pad(shard.index)}.parquet`), errors);
  return { source: shard.source!, shard: shard.label, docs, tokens, bytes, unreadable: errors.length, errors: errors.slice(0, 20) };
}
