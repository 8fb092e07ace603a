/**
 * Runs a pipeline as Slurm job arrays: one sbatch script per step (per chunk, for arrays larger than
 * the cluster's MaxArraySize), each step depending on the one before with afterok, so that a failed
 * task cancels everything after it. Per-shard steps run as `--tasks N` array tasks, task t taking the
 * shards i with i mod N = t. Only unfinished tasks are submitted, so submitting a partly finished
 * run completes it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RunSpec } from '../../config/schema.js';
import { writeManifest, type Manifest } from '../../core/manifest.js';
import { discoverRunShards } from '../../io/shards.js';
import { PACKAGE_ROOT } from '../../version.js';
import { prepareManifest, RunDirError } from '../local.js';
import { acquireLock } from '../lock.js';
import { buildPlan, type Step } from '../plan.js';
import { RunDir } from '../run-dir.js';
import { pendingTasks } from '../task.js';
import { maxArraySize, sbatch, squeueStates } from './commands.js';

export interface SubmitOptions {
  /** Array tasks for per-shard steps. */
  tasks: number;
  /** At most this many tasks of an array at once (`%W`). */
  parallel?: number;
  partition?: string;
  time?: string;
  mem?: string;
  cpusPerTask?: number;
  /** Override the cluster's MaxArraySize. */
  maxArraySize?: number;
  sbatchArgs?: string[];
  dryRun?: boolean;
  force?: boolean;
}

export interface SubmittedJob {
  step: string;
  chunk: number;
  /** null in a dry run. */
  jobId: string | null;
  /** The --array value, e.g. `0-3,7%2`. */
  array: string;
  script: string;
  dependsOn: string[];
}

export interface SlurmState {
  submitted_at: string;
  world: number;
  jobs: SubmittedJob[];
}

export function slurmDir(run: RunDir): string {
  return join(run.root, 'slurm');
}

export function readSlurmState(run: RunDir): SlurmState | null {
  const file = join(slurmDir(run), 'jobs.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SlurmState) : null;
}

/** Array indices as Slurm's compact list: `0-3,7,9-10`. */
export function arrayRanges(indices: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length; ) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j]! + 1) j++;
    parts.push(i === j ? `${indices[i]}` : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The array indices a step needs: per-shard steps by task mod world, others one per task. */
export function stepIndices(step: Step, pending: readonly number[], world: number): number[] {
  const set = new Set(step.perShard ? pending.map((t) => t % world) : pending);
  return [...set].sort((a, b) => a - b);
}

const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

function script(run: RunDir, step: Step, chunk: number, offset: number, array: string, world: number, o: SubmitOptions): string {
  const logDir = join(slurmDir(run), 'logs');
  const header = [
    `--job-name=sift:${basename(run.root)}:${step.name}`,
    `--output=${join(logDir, `${step.name}-${chunk}_%A_%a.log`)}`,
    `--array=${array}`,
    ...(o.partition ? [`--partition=${o.partition}`] : []),
    ...(o.time ? [`--time=${o.time}`] : []),
    ...(o.mem ? [`--mem=${o.mem}`] : []),
    ...(o.cpusPerTask ? [`--cpus-per-task=${o.cpusPerTask}`] : []),
  ];
  const sift = join(PACKAGE_ROOT, 'bin', 'sift.js');
  return [
    '#!/bin/bash',
    `# sift: step ${step.name} (${step.title}) of run ${run.root}`,
    ...header.map((h) => `#SBATCH ${h}`),
    'set -euo pipefail',
    `cd ${quote(process.cwd())}`,
    `exec ${quote(process.execPath)} ${quote(sift)} slurm task ${quote(run.root)} --step ${quote(step.name)} --index "$((${offset} + SLURM_ARRAY_TASK_ID))" --world ${world}`,
    '',
  ].join('\n');
}

export async function submitSlurm(spec: RunSpec, o: SubmitOptions, log: (line: string) => void = () => {}): Promise<{ run: RunDir; jobs: SubmittedJob[]; manifest: Manifest }> {
  const run = new RunDir(spec.runDir);
  run.create();
  const lock = acquireLock(run.lock, `run directory ${run.root}`);
  try {
    const previous = readSlurmState(run);
    if (previous && !o.dryRun) {
      const ids = previous.jobs.map((j) => j.jobId).filter((j): j is string => j !== null);
      const queued = squeueStates(ids);
      if (queued.length > 0) {
        throw new RunDirError(`jobs of an earlier submission are still queued or running (${[...new Set(queued.map((q) => q.id.split('_')[0]))].join(', ')}); wait, or cancel them with sift slurm cancel ${run.root}`);
      }
    }
    const shards = await discoverRunShards(spec);
    // A partly finished run continues (only its unfinished tasks are submitted); --force starts over.
    const prepared = prepareManifest(run, spec, shards, { resume: !o.force, force: o.force });
    if (prepared.alreadyComplete) throw new RunDirError(`run directory ${run.root} holds a finished run; use --force to run it again from scratch`);
    const manifest = prepared.manifest;
    const plan = buildPlan(spec, manifest);
    manifest.steps = plan.map((s) => ({ name: s.name, tasks: s.tasks }));
    writeManifest(run.manifest, manifest);

    const limit = o.maxArraySize ?? (o.dryRun ? 1001 : maxArraySize());
    mkdirSync(join(slurmDir(run), 'logs'), { recursive: true });
    const jobs: SubmittedJob[] = [];
    let before: string[] = [];
    for (const step of plan) {
      const pending = pendingTasks(run, step);
      if (pending.length === 0) continue;
      const indices = stepIndices(step, pending, o.tasks);
      // Array indices must be below MaxArraySize: split into windows, each a chunk with an offset.
      const chunks = new Map<number, number[]>();
      for (const i of indices) {
        const c = Math.floor(i / limit);
        chunks.set(c, [...(chunks.get(c) ?? []), i - c * limit]);
      }
      let previousChunk: string | null = null as string | null;
      for (const [c, local] of [...chunks.entries()].sort((a, b) => a[0] - b[0])) {
        const array = `${arrayRanges(local)}${o.parallel ? `%${o.parallel}` : ''}`;
        const file = join(slurmDir(run), `${step.name}-${c}.sbatch`);
        writeFileSync(file, script(run, step, c, c * limit, array, o.tasks, o), { mode: 0o755 });
        // Chunks of one step run one after another; the first waits for the previous step.
        const deps: string[] = previousChunk !== null ? [previousChunk] : before;
        const args: string[] = deps.length > 0 ? [`--dependency=afterok:${deps.join(':')}`, '--kill-on-invalid-dep=yes'] : [];
        const jobId: string | null = o.dryRun ? null : sbatch(file, [...args, ...(o.sbatchArgs ?? [])]);
        const ref: string = jobId ?? `<${step.name}-${c}>`;
        log(`${o.dryRun ? 'would submit' : `submitted job ${jobId}`}: ${step.name}${chunks.size > 1 ? ` (chunk ${c})` : ''}, array ${array}${deps.length > 0 ? `, after ${deps.join(', ')}` : ''}`);
        jobs.push({ step: step.name, chunk: c, jobId, array, script: file, dependsOn: deps });
        previousChunk = ref;
      }
      // The next step waits for the last chunk (which itself waited for the ones before it).
      before = previousChunk ? [previousChunk] : [];
    }
    if (!o.dryRun) {
      const state: SlurmState = { submitted_at: new Date().toISOString(), world: o.tasks, jobs };
      writeFileSync(join(slurmDir(run), 'jobs.json'), JSON.stringify(state, null, 2) + '\n');
    }
    return { run, jobs, manifest };
  } finally {
    lock.release();
  }
}
