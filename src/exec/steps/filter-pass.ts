/**
 * The per-shard step: each task takes one shard through a chain of stages and writes its kept
 * documents (to output/ when this is the last pass, else to work/<pass>/ for the next pass), its
 * rejected documents and its stats.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineSpec } from '../../config/schema.js';
import { runShardPass, shardPrefix } from '../../core/shard-pass.js';
import { closeStages, createStages, globalStageParts, type PassStageSpec, type Stage } from '../../core/stages.js';
import type { ShardInfo } from '../../io/shards.js';
import { loadTokenizer } from '../../mix/tokens.js';
import type { Step, TaskContext } from '../plan.js';
import type { RunDir } from '../run-dir.js';

/** Where a pass reads: the input shards, or what an earlier pass wrote to work/<step>/. */
export type PassInput = { kind: 'shards' } | { kind: 'work'; step: string };

export interface FilterPassOptions {
  name: string;
  spec: PipelineSpec;
  shards: readonly ShardInfo[];
  stages: readonly PassStageSpec[];
  input: PassInput;
  /** final: output/; work: work/<name>/ for the next pass; none: nothing (the pass only collects). */
  output: 'final' | 'work' | 'none';
  /** The first pass reads the inputs: it alone counts what was read and reports unreadable records. */
  first: boolean;
}

/** Intermediate shards are written fast and whole (one file per shard). */
const WORK_WRITER = { compression: 'zstd', level: 1, maxDocs: Number.MAX_SAFE_INTEGER, maxBytes: null } as const;

export function workShardPath(run: RunDir, step: string, shard: ShardInfo): string {
  return join(run.work, step, `${shardPrefix(shard)}-0000.jsonl.zst`);
}

export function filterPassStep(o: FilterPassOptions): Step {
  const stagesKey = `stages:${o.name}`;
  const outputDir = (run: RunDir): string | null => (o.output === 'final' ? run.output : o.output === 'work' ? join(run.work, o.name) : null);
  const taskPrefix = (shard: ShardInfo): string => `${shardPrefix(shard)}-${o.name}`;
  const titles = o.stages.map((s) => (s.role === 'filter' ? s.spec.name : `${s.spec.name} (${s.role === 'collector' ? 'collect' : 'apply'})`));
  return {
    name: o.name,
    title: titles.length > 0 ? titles.join(' > ') : 'copy',
    tasks: o.shards.length,
    perShard: true,
    taskBytes: (task) => o.shards[task]!.bytes,
    clean(task, run) {
      const shard = o.shards[task]!;
      const out = outputDir(run);
      if (out) removeMatching(out, shardPrefix(shard));
      if (o.spec.rejected) removeMatching(run.rejected, taskPrefix(shard));
      removeMatching(run.statsDocs, taskPrefix(shard));
      if (o.first) removeMatching(run.statsErrors, shardPrefix(shard));
      const reports = join(run.stats, 'reports');
      if (existsSync(reports)) for (const kind of readdirSync(reports)) removeMatching(join(reports, kind), taskPrefix(shard));
      for (const s of o.stages) {
        if (s.role !== 'filter') globalStageParts(o.spec, s.spec, s.index, o.shards).cleanShard(s.role, shard.index);
      }
    },
    async run(task, ctx) {
      const original = o.shards[task]!;
      let stages = ctx.cache.get(stagesKey) as Stage[] | undefined;
      if (!stages) {
        stages = await createStages(o.spec, o.stages, o.shards);
        ctx.cache.set(stagesKey, stages);
      }
      const input = inputShard(ctx.run, o.input, original);
      const out = outputDir(ctx.run);
      const result = await runShardPass(
        o.spec,
        input,
        stages,
        {
          outputDir: out,
          outputPrefix: shardPrefix(original),
          output:
            o.output === 'final'
              ? { compression: o.spec.output.compression, level: o.spec.output.level, maxDocs: o.spec.output.maxDocsPerShard, maxBytes: o.spec.output.maxBytesPerShard }
              : WORK_WRITER,
          alwaysWrite: o.output === 'work',
          rejectedDir: o.spec.rejected ? ctx.run.rejected : null,
          rejectedPrefix: taskPrefix(original),
          docStatsDir: o.spec.stats.docs ? ctx.run.statsDocs : null,
          docStatsPrefix: taskPrefix(original),
          errorsFile: join(ctx.run.statsErrors, `${shardPrefix(original)}.parquet`),
          reportsDir: join(ctx.run.stats, 'reports'),
          reportPrefix: taskPrefix(original),
          // Intermediate files are sift's own: a problem there is a fault, never a skipped record.
          onError: o.first ? o.spec.onError : 'fail',
          tokenizer: o.output === 'final' && o.spec.output.tokenizer ? await loadTokenizer(o.spec.output.tokenizer) : null,
        },
        ctx.progress,
      );
      return { shard: original.label, shardIndex: original.index, ...result };
    },
    async release(ctx: TaskContext) {
      const stages = ctx.cache.get(stagesKey) as Stage[] | undefined;
      if (stages) await closeStages(stages);
      ctx.cache.delete(stagesKey);
    },
  };
}

function inputShard(run: RunDir, input: PassInput, original: ShardInfo): ShardInfo {
  if (input.kind === 'shards') return original;
  const path = workShardPath(run, input.step, original);
  if (!existsSync(path)) throw new Error(`intermediate shard ${path} is missing; resume the run so that step ${input.step} redoes it`);
  return { ...original, path, bytes: statSync(path).size, format: 'jsonl', compression: 'zstd' };
}

/** Removes `<prefix>-*` files and their hidden temporary versions `.<prefix>-*`. */
export function removeMatching(dir: string, prefix: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    if (f.startsWith(`${prefix}-`) || f.startsWith(`.${prefix}-`) || f === `${prefix}.parquet` || f === `.${prefix}.parquet.tmp`) rmSync(join(dir, f), { force: true });
  }
}
