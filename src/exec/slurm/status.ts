/**
 * Where a Slurm run stands, per step: tasks done (completion markers), and the state of the array
 * elements Slurm still knows about (running, pending, failed), from squeue and scontrol.
 */
import { readManifest } from '../../core/manifest.js';
import { buildPlan } from '../plan.js';
import { RunDir } from '../run-dir.js';
import { pendingTasks } from '../task.js';
import { scancel, scontrolStates, squeueStates, type JobTaskState } from './commands.js';
import { readSlurmState } from './submit.js';

export interface StepStatus {
  step: string;
  tasks: number;
  done: number;
  jobs: string[];
  running: number;
  pending: number;
  failed: JobTaskState[];
  /** Elements Slurm cancelled (a dependency failed, or scancel). */
  cancelled: number;
}

const FAILED = new Set(['FAILED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED']);

export function slurmStatus(runDir: string): { steps: StepStatus[]; complete: boolean } {
  const run = new RunDir(runDir);
  const manifest = readManifest(run.manifest);
  const plan = buildPlan(manifest.config, manifest);
  const state = readSlurmState(run);
  const steps = plan.map((step): StepStatus => {
    const jobs = (state?.jobs ?? []).filter((j) => j.step === step.name && j.jobId !== null).map((j) => j.jobId!);
    const elements = new Map<string, JobTaskState>();
    for (const id of jobs) for (const e of scontrolStates(id)) elements.set(e.id, e);
    for (const e of squeueStates(jobs)) elements.set(e.id, e);
    const all = [...elements.values()];
    return {
      step: step.name,
      tasks: step.tasks,
      done: step.tasks - pendingTasks(run, step).length,
      jobs,
      running: all.filter((e) => e.state === 'RUNNING' || e.state === 'COMPLETING').length,
      pending: all.filter((e) => e.state === 'PENDING').length,
      failed: all.filter((e) => FAILED.has(e.state)),
      cancelled: all.filter((e) => e.state === 'CANCELLED').length,
    };
  });
  return { steps, complete: manifest.status === 'complete' };
}

/** Cancels every job of the run's last submission; returns their ids. */
export function slurmCancel(runDir: string): string[] {
  const state = readSlurmState(new RunDir(runDir));
  const ids = (state?.jobs ?? []).map((j) => j.jobId).filter((j): j is string => j !== null);
  scancel(ids);
  return ids;
}
