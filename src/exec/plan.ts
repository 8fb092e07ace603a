/**
 * A run as a list of steps, each split into independent tasks. The local executor runs a step's
 * tasks on the worker pool; the Slurm executor runs them as an array job. A task that finished
 * leaves a completion marker (done/<step>/<task>.json) holding its summary, so a resumed run skips
 * it; a task that did not finish is cleaned and run again from the start.
 *
 * The pipeline's stages run in per-shard passes. A stage that needs the whole corpus ends a pass
 * (its collector sees the pass's surviving documents), runs its own global steps, and starts the
 * next pass (its applier decides). So `[a, b, minhash, c]` becomes:
 *   pass-0 (a, b, minhash collector) -> minhash.* steps -> pass-1 (minhash applier, c) -> finalize
 */
import { findStageType, isGlobalStage } from '../../filters/index.js';
import type { PipelineSpec, RunSpec } from '../config/schema.js';
import type { Manifest } from '../core/manifest.js';
import { globalStageParts, type PassStageSpec } from '../core/stages.js';
import type { RunDir } from './run-dir.js';
import { filterPassStep, type PassInput } from './steps/filter-pass.js';
import { finalizeStep } from './steps/finalize.js';
import { buildMixPlan } from '../mix/plan.js';
import { buildTokenizePlan } from '../mix/tokenize.js';

export interface TaskContext {
  spec: RunSpec;
  manifest: Manifest;
  run: RunDir;
  /** Reports documents and input bytes processed since the last call. */
  progress(docs: number, bytes: number): void;
  /** State a worker keeps between tasks of the same step (loaded models, built stages). */
  cache: Map<string, unknown>;
}

export interface Step {
  name: string;
  /** One line for progress and `sift slurm status`. */
  title: string;
  tasks: number;
  /** Per-shard steps take task i = input shard i (the Slurm executor groups them). */
  perShard: boolean;
  /** Input bytes of a task, for progress and ETA. */
  taskBytes(task: number): number;
  /** Removes whatever an unfinished attempt at the task may have left. */
  clean(task: number, run: RunDir): void;
  /** Does the task; the result is stored in its completion marker. */
  run(task: number, ctx: TaskContext): Promise<unknown>;
  /** Frees what the worker cached for this step. */
  release?(ctx: TaskContext): Promise<void>;
}

export function buildPlan(spec: RunSpec, manifest: Pick<Manifest, 'inputs'>): Step[] {
  if (spec.kind === 'mix') return buildMixPlan(spec, manifest.inputs);
  if (spec.kind === 'tokenize') return buildTokenizePlan(spec, manifest.inputs);
  return buildPipelinePlan(spec, manifest);
}

function buildPipelinePlan(spec: PipelineSpec, manifest: Pick<Manifest, 'inputs'>): Step[] {
  const shards = manifest.inputs;
  const steps: Step[] = [];
  const passNames: string[] = [];
  let pending: PassStageSpec[] = [];
  let input: PassInput = { kind: 'shards' };
  const finalizers: ((run: RunDir) => Promise<void>)[] = [];
  const endPass = (last: boolean): void => {
    const name = `pass-${passNames.length}`;
    // A pass that only collects (nothing before the collector can drop or edit) writes no copy of
    // the documents: the next pass reads the same input again.
    const onlyCollects = !last && pending.every((p) => p.role === 'collector');
    steps.push(filterPassStep({ name, spec, shards, stages: pending, input, output: last ? 'final' : onlyCollects ? 'none' : 'work', first: passNames.length === 0 }));
    passNames.push(name);
    if (!onlyCollects) input = { kind: 'work', step: name };
    pending = [];
  };
  spec.stages.forEach((stage, i) => {
    const index = i + 1;
    const def = findStageType(stage.type);
    if (def && isGlobalStage(def)) {
      pending.push({ spec: stage, index, role: 'collector' });
      endPass(false);
      const parts = globalStageParts(spec, stage, index, shards);
      steps.push(...parts.steps);
      if (parts.finalize) finalizers.push((run) => parts.finalize!(run));
      pending.push({ spec: stage, index, role: 'applier' });
    } else pending.push({ spec: stage, index, role: 'filter' });
  });
  endPass(true);
  steps.push(finalizeStep(passNames, finalizers));
  return steps;
}

export function findStep(plan: readonly Step[], name: string): Step {
  const step = plan.find((s) => s.name === name);
  if (!step) throw new Error(`no step "${name}" in this run (steps: ${plan.map((s) => s.name).join(', ')})`);
  return step;
}
