/**
 * The per-shard step: each task takes one input shard through a chain of stages and writes its kept
 * documents (to output/ when this is the last pass, else to work/<step>/), its rejected documents
 * and its stats.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineSpec, StageSpec } from '../../config/schema.js';
import { runShardPass, shardPrefix } from '../../core/shard-pass.js';
import { closeStages, createStages, type Stage } from '../../core/stages.js';
import type { ShardInfo } from '../../io/shards.js';
import type { Step, TaskContext } from '../plan.js';
import type { RunDir } from '../run-dir.js';

export interface FilterPassOptions {
  name: string;
  spec: PipelineSpec;
  shards: readonly ShardInfo[];
  stages: readonly StageSpec[];
  firstStageIndex: number;
  /** The last pass writes output/; earlier ones write work/<name>/. */
  final: boolean;
}

export function filterPassStep(o: FilterPassOptions): Step {
  const stagesKey = `stages:${o.name}`;
  const outputDir = (run: RunDir): string => (o.final ? run.output : join(run.work, o.name));
  const docStatsPrefix = (shard: ShardInfo): string => `${shardPrefix(shard)}-${o.name}`;
  return {
    name: o.name,
    title: o.stages.length > 0 ? o.stages.map((s) => s.name).join(' > ') : 'copy',
    tasks: o.shards.length,
    taskBytes: (task) => o.shards[task]!.bytes,
    clean(task, run) {
      const shard = o.shards[task]!;
      const prefix = shardPrefix(shard);
      removeMatching(outputDir(run), prefix);
      if (o.spec.rejected) removeMatching(run.rejected, prefix);
      removeMatching(run.statsDocs, docStatsPrefix(shard));
      removeMatching(run.statsErrors, prefix);
    },
    async run(task, ctx) {
      const shard = o.shards[task]!;
      let stages = ctx.cache.get(stagesKey) as Stage[] | undefined;
      if (!stages) {
        stages = await createStages(o.spec, o.stages, o.firstStageIndex);
        ctx.cache.set(stagesKey, stages);
      }
      const dir = outputDir(ctx.run);
      const result = await runShardPass(
        o.spec,
        shard,
        stages,
        {
          outputDir: dir,
          outputPrefix: shardPrefix(shard),
          rejectedDir: o.spec.rejected ? ctx.run.rejected : null,
          docStatsDir: o.spec.stats.docs ? ctx.run.statsDocs : null,
          docStatsPrefix: docStatsPrefix(shard),
          errorsFile: join(ctx.run.statsErrors, `${shardPrefix(shard)}.parquet`),
        },
        ctx.progress,
      );
      return { shard: shard.label, shardIndex: shard.index, ...result };
    },
    async release(ctx: TaskContext) {
      const stages = ctx.cache.get(stagesKey) as Stage[] | undefined;
      if (stages) await closeStages(stages);
      ctx.cache.delete(stagesKey);
    },
  };
}

/** Removes `<prefix>-*` files and their hidden temporary versions `.<prefix>-*`. */
export function removeMatching(dir: string, prefix: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    if (f.startsWith(`${prefix}-`) || f.startsWith(`.${prefix}-`) || f === `${prefix}.parquet` || f === `.${prefix}.parquet.tmp`) rmSync(join(dir, f), { force: true });
  }
}
