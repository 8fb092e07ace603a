/**
 * Builds the stages of one per-shard pass from their specs: looks up each type in the registry and
 * creates it with its validated options. Done once per worker; filters load their models here.
 *
 * In a pass, a global stage (one that needs the whole corpus) appears as its collector, at the end
 * of the pass that reaches it, or as its applier, at the start of the pass after its global steps.
 */
import { join, resolve } from 'node:path';
import { findStageType, isGlobalStage } from '../../filters/index.js';
import type { PipelineSpec, StageSpec } from '../config/schema.js';
import type { ShardInfo } from '../io/shards.js';
import type { Filter } from './filter.js';
import type { GlobalStageContext, GlobalStageParts } from './global-stage.js';

export type StageRole = 'filter' | 'collector' | 'applier';

export interface PassStageSpec {
  spec: StageSpec;
  /** 1-based position in the pipeline. */
  index: number;
  role: StageRole;
}

export interface Stage {
  spec: StageSpec;
  index: number;
  role: StageRole;
  filter: Filter;
  /** False for a collector: it sees documents and decides nothing, so it gets no stats rows. */
  counted: boolean;
}

export function globalStageContext(spec: PipelineSpec, stage: StageSpec, index: number, shards: readonly ShardInfo[]): GlobalStageContext {
  return {
    spec,
    stageName: stage.name,
    stageIndex: index,
    shards,
    workDir: join(spec.runDir, 'work', stage.name),
    resolvePath: (p) => resolve(spec.configDir, p),
  };
}

/** The global steps and per-pass parts of a global stage. */
export function globalStageParts(spec: PipelineSpec, stage: StageSpec, index: number, shards: readonly ShardInfo[]): GlobalStageParts {
  const def = findStageType(stage.type);
  if (!def || !isGlobalStage(def)) throw new Error(`stage ${stage.name}: "${stage.type}" is not a corpus-wide stage`);
  return def.plan(def.options.parse(stage.options), globalStageContext(spec, stage, index, shards));
}

export async function createStages(spec: PipelineSpec, specs: readonly PassStageSpec[], shards: readonly ShardInfo[]): Promise<Stage[]> {
  const out: Stage[] = [];
  for (const s of specs) {
    const def = findStageType(s.spec.type);
    if (!def) throw new Error(`unknown stage type "${s.spec.type}"`);
    let filter: Filter;
    if (isGlobalStage(def)) {
      if (s.role === 'filter') throw new Error(`stage ${s.spec.name} needs the whole corpus and cannot run as a plain filter`);
      const parts = globalStageParts(spec, s.spec, s.index, shards);
      filter = await (s.role === 'collector' ? parts.collector() : parts.applier());
    } else {
      filter = await def.create(def.options.parse(s.spec.options), {
        stageName: s.spec.name,
        stageIndex: s.index,
        resolvePath: (p) => resolve(spec.configDir, p),
      });
    }
    out.push({ spec: s.spec, index: s.index, role: s.role, filter, counted: s.role !== 'collector' });
  }
  return out;
}

/** The pipeline's per-document stages, each as a plain filter (for checking a config). */
export function filterStageSpecs(spec: PipelineSpec): PassStageSpec[] {
  return spec.stages
    .map((s, i): PassStageSpec => ({ spec: s, index: i + 1, role: 'filter' }))
    .filter((s) => {
      const def = findStageType(s.spec.type);
      return def !== undefined && !isGlobalStage(def);
    });
}

export async function closeStages(stages: readonly Stage[]): Promise<void> {
  for (const s of stages) await s.filter.close?.();
}
