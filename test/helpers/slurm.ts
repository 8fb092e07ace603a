/**
 * The local Slurm cluster for tests (scripts/slurm-local.sh): how to reach it, whether it is up,
 * and waiting for jobs. Tests that need it run when it answers and say loudly that they were
 * skipped when it does not.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';

const defaultConf = join(process.env.SIFT_SLURM_DIR ?? '/tmp/sift-slurm', 'etc', 'slurm.conf');
const slurmConf = process.env.SLURM_CONF ?? (existsSync(defaultConf) ? defaultConf : undefined);

/** The environment for Slurm clients: SLURM_CONF, or the local cluster's conf when it is unset. */
export const slurmEnv: NodeJS.ProcessEnv = { ...process.env, ...(slurmConf ? { SLURM_CONF: slurmConf } : {}) };

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

export function runSlurmCommand(cmd: string, args: string[], timeoutMs = 15_000): RunResult {
  const r = spawnSync(cmd, args, { env: slurmEnv, encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ...(r.error ? { error: r.error } : {}) };
}

function lastLine(r: RunResult): string {
  return (r.stdout + '\n' + r.stderr).trim().split('\n').filter((l) => l.trim() !== '').pop() ?? '';
}

/** Why the cluster cannot be used, or null when it answers. */
export function clusterProblem(): string | null {
  const version = runSlurmCommand('sbatch', ['--version'], 5_000);
  if (version.error) return `sbatch is not installed (${version.error.message})`;
  // Without a configuration the clients fail at once; with one but no controller, `scontrol ping`
  // also fails at once (sinfo and squeue would retry for ~10 s).
  const ping = runSlurmCommand('scontrol', ['ping'], 5_000);
  if (!/is UP/.test(ping.stdout)) {
    const why = ping.stdout.trim().split('\n')[0] || lastLine(ping);
    return `slurmctld does not answer (SLURM_CONF=${slurmConf ?? 'unset'}): ${why}`;
  }
  const sinfo = runSlurmCommand('sinfo', ['-h', '-o', '%T'], 10_000);
  if (sinfo.code !== 0 || !/idle|mixed|allocated/.test(sinfo.stdout)) return `sinfo shows no usable node: ${lastLine(sinfo)}`;
  return null;
}

/** `describe` that runs only when the local cluster answers, with a loud notice otherwise. */
export function describeWithCluster(name: string, fn: () => void): void {
  const problem = clusterProblem();
  if (problem === null) describe(name, fn);
  else {
    console.warn(`\n*** SKIPPED "${name}": local Slurm cluster not running (scripts/slurm-local.sh start): ${problem} ***\n`);
    describe.skip(name, fn);
  }
}

/** squeue lines (`id|state|reason`) of those jobs still queued, running or completing. */
export function listedJobs(ids: string[]): string[] {
  if (ids.length === 0) return [];
  const r = runSlurmCommand('squeue', ['-h', '-o', '%i|%T|%r', '-j', ids.join(',')]);
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}

/** Waits until none of the jobs is pending, running or completing any more. */
export async function waitGone(ids: string[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = listedJobs(ids);
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`jobs still queued after ${timeoutMs} ms: ${left.join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
