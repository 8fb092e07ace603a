/**
 * Runs a pipeline on this machine: prepares the run directory (lock, resume or start over), finds
 * the shards, then runs each step's unfinished tasks on a pool of worker threads, and finally merges
 * the stats.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { RunSpec } from '../config/schema.js';
import { configHash, newManifest, readManifest, writeManifest, type Manifest } from '../core/manifest.js';
import { discoverRunShards, type ShardInfo } from '../io/shards.js';
import { acquireLock } from './lock.js';
import { buildPlan, type Step, type TaskContext } from './plan.js';
import { WorkerPool } from './pool.js';
import { RunDir } from './run-dir.js';
import { pendingTasks, runTask, type TaskMarker } from './task.js';

export class RunDirError extends Error {
  override name = 'RunDirError';
}

export interface ProgressSink {
  step(step: Step, pending: number, done: number, bytes: number): void;
  progress(docs: number, bytes: number): void;
  taskDone(step: Step, marker: TaskMarker): void;
  stepDone(step: Step): void;
  log(line: string): void;
  stop(): void;
}

export interface LocalRunOptions {
  resume?: boolean;
  force?: boolean;
  workers?: number;
  sink?: ProgressSink;
}

export interface RunOutcome {
  run: RunDir;
  manifest: Manifest;
  /** True when the run had already finished and nothing was done. */
  alreadyComplete: boolean;
}

export async function runLocal(spec: RunSpec, opts: LocalRunOptions = {}): Promise<RunOutcome> {
  const run = new RunDir(spec.runDir);
  const sink = opts.sink ?? silentSink;
  run.create();
  const lock = acquireLock(run.lock, `run directory ${run.root}`);
  if (lock.staleTakenOver) sink.log(`note: took over a stale lock of pid ${lock.staleTakenOver.pid} (no longer running)`);
  let pool: WorkerPool | null = null;
  try {
    const shards = await discoverRunShards(spec);
    const prepared = prepareManifest(run, spec, shards, opts);
    if (prepared.alreadyComplete) return { run, manifest: prepared.manifest, alreadyComplete: true };
    const manifest = prepared.manifest;
    const plan = buildPlan(spec, manifest);
    manifest.steps = plan.map((s) => ({ name: s.name, tasks: s.tasks }));
    writeManifest(run.manifest, manifest);

    const workers = Math.max(1, opts.workers ?? spec.workers ?? availableParallelism());
    pool = new WorkerPool(workers, { spec, runDir: run.root });
    const mainCtx: TaskContext = { spec, manifest, run, cache: new Map(), progress: (d, b) => sink.progress(d, b) };
    for (const step of plan) {
      const pending = pendingTasks(run, step);
      const bytes = pending.reduce((sum, t) => sum + step.taskBytes(t), 0);
      sink.step(step, pending.length, step.tasks - pending.length, bytes);
      if (pending.length === 0) continue;
      if (step.name === 'finalize') {
        const marker = await runTask(step, 0, mainCtx);
        sink.taskDone(step, marker);
      } else {
        await pool.runStep(step.name, pending, { progress: (d, b) => sink.progress(d, b), taskDone: (m) => sink.taskDone(step, m) });
      }
      sink.stepDone(step);
    }
    return { run, manifest: readManifest(run.manifest), alreadyComplete: false };
  } finally {
    sink.stop();
    await pool?.close();
    lock.release();
  }
}

/**
 * Decides what to do with the run directory: start fresh, continue (resume), or refuse. Returns the
 * manifest to run with.
 */
export function prepareManifest(run: RunDir, spec: RunSpec, shards: ShardInfo[], opts: { resume?: boolean; force?: boolean }): { manifest: Manifest; alreadyComplete: boolean } {
  const fresh = (): Manifest => newManifest(spec, shards, []);
  if (!existsSync(run.manifest)) {
    if (!opts.force && !opts.resume && hasProducts(run)) {
      throw new RunDirError(`run directory ${run.root} holds files of an earlier run but no manifest; use --force to start over`);
    }
    if (opts.force || !opts.resume) clearProducts(run);
    return { manifest: fresh(), alreadyComplete: false };
  }
  const old = readManifest(run.manifest);
  if (opts.force) {
    clearProducts(run);
    return { manifest: fresh(), alreadyComplete: false };
  }
  if (old.status === 'complete') {
    if (opts.resume) return { manifest: old, alreadyComplete: true };
    throw new RunDirError(`run directory ${run.root} holds a finished run (${old.finished_at}); use --force to run again from scratch, or another --run-dir`);
  }
  if (!opts.resume) {
    throw new RunDirError(`run directory ${run.root} holds an unfinished run (started ${old.started_at}); use --resume to continue it or --force to start over`);
  }
  if (old.config_hash !== configHash(spec)) {
    throw new RunDirError(`cannot resume ${run.root}: the pipeline config changed since the run started; use --force to start over`);
  }
  const changed = inputsChanged(old.inputs, shards);
  if (changed) throw new RunDirError(`cannot resume ${run.root}: ${changed}; use --force to start over`);
  return { manifest: { ...old, status: 'running' }, alreadyComplete: false };
}

function inputsChanged(before: readonly ShardInfo[], now: readonly ShardInfo[]): string | null {
  if (before.length !== now.length) return `the inputs changed (${before.length} shards then, ${now.length} now)`;
  for (let i = 0; i < now.length; i++) {
    const a = before[i]!;
    const b = now[i]!;
    if (a.path !== b.path) return `the inputs changed (shard ${i} was ${a.path}, is now ${b.path})`;
    if (a.bytes !== b.bytes) return `input ${b.path} changed size (${a.bytes} bytes then, ${b.bytes} now)`;
  }
  return null;
}

function hasProducts(run: RunDir): boolean {
  return run.products.some((d) => existsSync(d) && listFiles(d).length > 0);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

function clearProducts(run: RunDir): void {
  for (const d of run.products) rmSync(d, { recursive: true, force: true });
  rmSync(run.manifest, { force: true });
  run.create();
}

const silentSink: ProgressSink = {
  step() {},
  progress() {},
  taskDone() {},
  stepDone() {},
  log() {},
  stop() {},
};
