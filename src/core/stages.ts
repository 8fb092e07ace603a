/**
 * Builds the pipeline's stages from their specs: looks up each type in the registry and creates it
 * with its validated options. Done once per worker; filters load their models here.
 */
import { resolve } from 'node:path';
import { findStageType } from '../../filters/index.js';
import type { PipelineSpec, StageSpec } from '../config/schema.js';
import type { Filter } from './filter.js';

export interface Stage {
  spec: StageSpec;
  /** 1-based position in the pipeline. */
  index: number;
  filter: Filter;
}

export async function createStages(spec: PipelineSpec, specs: readonly StageSpec[] = spec.stages, firstIndex = 1): Promise<Stage[]> {
  const out: Stage[] = [];
  for (const [i, s] of specs.entries()) {
    const def = findStageType(s.type);
    if (!def) throw new Error(`unknown stage type "${s.type}"`);
    const index = firstIndex + i;
    const filter = await def.create(def.options.parse(s.options), {
      stageName: s.name,
      stageIndex: index,
      resolvePath: (p) => resolve(spec.configDir, p),
    });
    out.push({ spec: s, index, filter });
  }
  return out;
}

export async function closeStages(stages: readonly Stage[]): Promise<void> {
  for (const s of stages) await s.filter.close?.();
}
