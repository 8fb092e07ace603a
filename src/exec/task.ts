/**
 * Running one task of a step, the same way everywhere (worker pool, Slurm array task): clean what an
 * earlier attempt left, do the work, then write the completion marker last, atomically.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../io/shard-writer.js';
import type { Step, TaskContext } from './plan.js';
import type { RunDir } from './run-dir.js';

export interface TaskMarker<T = unknown> {
  step: string;
  task: number;
  seconds: number;
  finished_at: string;
  result: T;
}

export async function runTask(step: Step, task: number, ctx: TaskContext): Promise<TaskMarker> {
  const t0 = performance.now();
  step.clean(task, ctx.run);
  const result = await step.run(task, ctx);
  const marker: TaskMarker = { step: step.name, task, seconds: (performance.now() - t0) / 1000, finished_at: new Date().toISOString(), result };
  const file = ctx.run.marker(step.name, task);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(marker));
  return marker;
}

export function readMarker<T = unknown>(run: RunDir, step: string, task: number): TaskMarker<T> | null {
  const file = run.marker(step, task);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as TaskMarker<T>;
}

export function pendingTasks(run: RunDir, step: Step): number[] {
  const out: number[] = [];
  for (let t = 0; t < step.tasks; t++) if (!existsSync(run.marker(step.name, t))) out.push(t);
  return out;
}
