/**
 * A mix as steps over files:
 *
 *   count    (per shard)  tokens of every document, and a histogram of tokens over the draw
 *   plan     (1 task)     each source's repeat and cutoff, and the number of shuffle buckets
 *   scatter  (per shard)  every copy of every taken document to a bucket chosen by hash
 *   gather   (per bucket) a bucket's documents in hash order, into output shards
 *   finalize (1 task)     stats/mix.parquet and the manifest
 *
 * Memory is bounded by the shuffle bucket size (`shuffle_bucket_bytes`), whatever the mix's size.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShardInfo } from '../io/shards.js';
import { temporaryName } from '../io/shard-writer.js';
import type { Step } from '../exec/plan.js';
import { removeMatching } from '../exec/steps/filter-pass.js';
import { readMarker } from '../exec/task.js';
import { planSources, type SourcePlan, type SourceTotals } from './budget.js';
import { countTask, readHistogram, type CountResult } from './count.js';
import { gatherTask, scatterTask, type GatherResult, type ScatterResult } from './shuffle.js';
import type { MixSpec } from './spec.js';
import { finishMix } from './report.js';

export interface MixPlanFile {
  buckets: number;
  sources: SourcePlan[];
}

export function mixPlanPath(runDir: string): string {
  return join(runDir, 'work', 'mix', 'plan.json');
}

export function readMixPlan(runDir: string): MixPlanFile {
  return JSON.parse(readFileSync(mixPlanPath(runDir), 'utf8')) as MixPlanFile;
}

/** Compressed JSONL is about this many times smaller than the text it holds. */
const ASSUMED_COMPRESSION = 6;

/** Shuffle buckets: fixed before anything is counted, so that every executor plans the same tasks. */
export function bucketCount(spec: MixSpec, shards: readonly ShardInfo[]): number {
  if (spec.shuffleBuckets !== null) return spec.shuffleBuckets;
  const bytes = shards.reduce((n, s) => n + s.bytes, 0) * ASSUMED_COMPRESSION;
  return Math.max(1, Math.ceil(bytes / spec.shuffleBucketBytes));
}

export function buildMixPlan(spec: MixSpec, shards: readonly ShardInfo[]): Step[] {
  const buckets = bucketCount(spec, shards);
  const perShard = (name: string, title: string, run: Step['run'], clean: Step['clean']): Step => ({
    name,
    title,
    tasks: shards.length,
    perShard: true,
    taskBytes: (t) => shards[t]!.bytes,
    clean,
    run,
  });
  const workDir = join(spec.runDir, 'work', 'mix');
  const count = perShard(
    'count',
    `count ${spec.tokenizer} tokens`,
    (t, ctx) => countTask(spec, shards[t]!, ctx),
    (t) => {
      rmSync(join(workDir, 'counts', `s${String(t).padStart(5, '0')}.bin`), { force: true });
      rmSync(join(workDir, 'tokens', `s${String(t).padStart(5, '0')}.bin`), { force: true });
      rmSync(join(spec.runDir, 'stats', 'errors', `part-${String(t).padStart(5, '0')}.parquet`), { force: true });
    },
  );
  const plan: Step = {
    name: 'plan',
    title: 'plan each source and the shuffle',
    tasks: 1,
    perShard: false,
    taskBytes: () => 0,
    clean: () => rmSync(mixPlanPath(spec.runDir), { force: true }),
    async run(_t, ctx) {
      const totals: SourceTotals[] = spec.sources.map((s) => ({ name: s.name, weight: s.weight, tokens: s.tokens, docs: 0, availableTokens: 0, bytes: 0, histogram: new Float64Array(0) }));
      for (const shard of shards) {
        const r = readMarker<CountResult>(ctx.run, 'count', shard.index)?.result;
        if (!r) throw new Error(`mix: shard ${shard.label} has not been counted`);
        const total = totals.find((x) => x.name === shard.source)!;
        total.docs += r.docs;
        total.availableTokens += r.tokens;
        total.bytes += r.bytes;
        const h = readHistogram(spec.runDir, shard.index);
        if (total.histogram.length === 0) total.histogram = h;
        else for (let i = 0; i < h.length; i++) total.histogram[i]! += h[i]!;
      }
      const sources = planSources(totals, spec.totalTokens);
      const bytes = sources.reduce((n, s) => n + s.expectedBytes, 0);
      const file: MixPlanFile = { buckets, sources };
      mkdirSync(workDir, { recursive: true });
      const tmp = join(workDir, temporaryName('plan.json'));
      writeFileSync(tmp, JSON.stringify(file, null, 2));
      renameSync(tmp, mixPlanPath(spec.runDir));
      // Reported so that a mix much larger than its inputs (heavy repetition) can be given more buckets.
      return { buckets, expectedBytesPerBucket: Math.round(bytes / buckets), sources: sources.map((s) => ({ name: s.name, rate: s.rate, requested: s.requestedTokens })) };
    },
  };
  const scatter = perShard(
    'scatter',
    'copy taken documents to shuffle buckets',
    (t, ctx) => scatterTask(spec, shards[t]!, readMixPlan(spec.runDir), ctx),
    (t) => {
      // Bucket files of this shard, in every bucket folder.
      rmSync(join(workDir, 'buckets', `from-s${String(t).padStart(5, '0')}`), { recursive: true, force: true });
    },
  );
  const gather: Step = {
    name: 'gather',
    title: 'shuffle each bucket into output shards',
    tasks: buckets,
    perShard: false,
    taskBytes: () => 0,
    clean: (p) => removeMatching(join(spec.runDir, 'output'), `part-${String(p).padStart(5, '0')}`),
    run: (p, ctx) => gatherTask(spec, shards, p, ctx),
  };
  const finalize: Step = {
    name: 'finalize',
    title: 'mix report',
    tasks: 1,
    perShard: false,
    taskBytes: () => 0,
    clean() {},
    run: (_t, ctx) =>
      finishMix(
        spec,
        ctx,
        shards.map((s) => readMarker<CountResult>(ctx.run, 'count', s.index)!.result),
        shards.map((s) => readMarker<ScatterResult>(ctx.run, 'scatter', s.index)!.result),
        Array.from({ length: buckets }, (_, p) => readMarker<GatherResult>(ctx.run, 'gather', p)!.result),
      ),
  };
  return [count, plan, scatter, gather, finalize];
}
