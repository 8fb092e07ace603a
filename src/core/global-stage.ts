/**
 * The contract of a stage that needs the whole corpus before it can decide (exact and near-duplicate
 * removal, paragraph deduplication). It works in three parts:
 *
 *  1. a collector, run in the per-shard pass that reaches the stage: it sees every document that got
 *     this far, in order, and writes what it needs (keys, signatures) under the stage's work folder;
 *  2. global steps over those files, each split into independent tasks (merge, cluster, ...);
 *  3. an applier, run at the start of the next per-shard pass over the same documents in the same
 *     order: a filter that drops (or edits) documents by what the global steps decided.
 *
 * Documents are identified by their position in their shard's stream at the stage (shard index,
 * document index), which both passes see identically.
 */
import type { z } from 'zod';
import type { PipelineSpec } from '../config/schema.js';
import type { ShardInfo } from '../io/shards.js';
import type { Step } from '../exec/plan.js';
import type { RunDir } from '../exec/run-dir.js';
import type { AnyOptionsSchema, Filter } from './filter.js';

export interface GlobalStageContext {
  spec: PipelineSpec;
  /** The stage's name in the pipeline, and its 1-based position. */
  stageName: string;
  stageIndex: number;
  shards: readonly ShardInfo[];
  /** This stage's folder for intermediate files: RUN/work/<stage name>. */
  workDir: string;
  resolvePath(path: string): string;
}

export interface GlobalStageParts {
  /** Sees every document reaching the stage, in order; keeps them all. */
  collector(): Filter | Promise<Filter>;
  /** The steps between the passes, named `<stage name>.<step>`, run in order. */
  steps: Step[];
  /** Decides per document in the next pass (drops, edits, or tags in tag mode). */
  applier(): Filter | Promise<Filter>;
  /** Removes what an unfinished attempt of the collector or applier left for a shard. */
  cleanShard(role: 'collector' | 'applier', shardIndex: number): void;
  /** Runs in the run's last step, after every pass: e.g. merges per-shard reports into one file. */
  finalize?(run: RunDir): Promise<void>;
}

export interface GlobalStageDefinition<S extends AnyOptionsSchema = AnyOptionsSchema> {
  kind: 'global';
  type: string;
  summary: string;
  options: S;
  plan(options: z.output<S>, ctx: GlobalStageContext): GlobalStageParts;
}

export function defineGlobalStage<S extends AnyOptionsSchema>(def: Omit<GlobalStageDefinition<S>, 'kind'>): GlobalStageDefinition<S> {
  return { kind: 'global', ...def };
}
