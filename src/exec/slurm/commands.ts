/**
 * The Slurm commands sift uses: sbatch, squeue, scontrol, scancel. No accounting database is
 * assumed: job states come from squeue (queued and running) and scontrol (recently finished).
 */
import { execFileSync, spawnSync } from 'node:child_process';

export class SlurmError extends Error {
  override name = 'SlurmError';
}

function run(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new SlurmError(code === 'ENOENT' ? `${cmd} not found: is this a Slurm login node (is Slurm installed and on PATH)?` : `${cmd} failed: ${r.error.message}`);
  }
  if (r.status !== 0) throw new SlurmError(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** Submits a batch script; returns the job id. */
export function sbatch(script: string, args: readonly string[] = []): string {
  const out = run('sbatch', ['--parsable', ...args, script]).trim();
  const id = out.split(';')[0]!;
  if (!/^\d+$/.test(id)) throw new SlurmError(`sbatch answered "${out}", not a job id`);
  return id;
}

/** The cluster's MaxArraySize (array indices must be below it). */
export function maxArraySize(): number {
  const out = run('scontrol', ['show', 'config']);
  const m = /^MaxArraySize\s*=\s*(\d+)/m.exec(out);
  return m ? Number(m[1]) : 1001;
}

export interface JobTaskState {
  /** The job id as Slurm shows it (`123`, or `123_4` for an array element). */
  id: string;
  state: string;
  reason: string;
}

/** States of the given jobs' queued and running elements (pending arrays may show as `123_[5-9]`). */
export function squeueStates(jobIds: readonly string[]): JobTaskState[] {
  if (jobIds.length === 0) return [];
  const out = run('squeue', ['-h', '-r', '-j', jobIds.join(','), '-o', '%i|%T|%r']);
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [id, state, reason] = l.split('|');
      return { id: id!.trim(), state: state!.trim(), reason: (reason ?? '').trim() };
    });
}

/** Every element of a job that scontrol still knows about (queued, running, or recently finished). */
export function scontrolStates(jobId: string): JobTaskState[] {
  const r = spawnSync('scontrol', ['show', 'job', '-o', jobId], { encoding: 'utf8' });
  if (r.status !== 0) return []; // finished long ago: scontrol forgot it
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const field = (k: string): string => new RegExp(`(?:^|\\s)${k}=(\\S*)`).exec(l)?.[1] ?? '';
      const array = field('ArrayTaskId');
      return { id: array ? `${field('ArrayJobId')}_${array}` : field('JobId'), state: field('JobState'), reason: field('Reason') };
    });
}

export function scancel(jobIds: readonly string[]): void {
  if (jobIds.length > 0) run('scancel', [...jobIds]);
}

export function slurmAvailable(): boolean {
  try {
    execFileSync('scontrol', ['ping'], { stdio: 'ignore', timeout: 15000 });
    return true;
  } catch {
    return false;
  }
}
