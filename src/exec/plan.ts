/**
 * A run as a list of steps, each split into independent tasks. The local executor runs a step's
 * tasks on the worker pool; the Slurm executor runs them as an array job. A task that finished
 * leaves a completion marker (done/<step>/<task>.json) holding its summary, so a resumed run skips
 * it; a task that did not finish is cleaned and run again from the start.
 */
import type { PipelineSpec } from '../config/schema.js';
import type { Manifest } from '../core/manifest.js';
import { filterPassStep } from './steps/filter-pass.js';
import { finalizeStep } from './steps/finalize.js';
import type { RunDir } from './run-dir.js';

export interface TaskContext {
  spec: PipelineSpec;
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
  /** Input bytes of a task, for progress and ETA. */
  taskBytes(task: number): number;
  /** Removes whatever an unfinished attempt at the task may have left. */
  clean(task: number, run: RunDir): void;
  /** Does the task; the result is stored in its completion marker. */
  run(task: number, ctx: TaskContext): Promise<unknown>;
  /** Frees what the worker cached for this step. */
  release?(ctx: TaskContext): Promise<void>;
}

export function buildPlan(spec: PipelineSpec, manifest: Pick<Manifest, 'inputs'>): Step[] {
  const shards = manifest.inputs;
  return [filterPassStep({ name: 'filter', spec, shards, stages: spec.stages, firstStageIndex: 1, final: true }), finalizeStep(['filter'])];
}

export function findStep(plan: readonly Step[], name: string): Step {
  const step = plan.find((s) => s.name === name);
  if (!step) throw new Error(`no step "${name}" in this run (steps: ${plan.map((s) => s.name).join(', ')})`);
  return step;
}
