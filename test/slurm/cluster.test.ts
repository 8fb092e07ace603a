/**
 * Checks the local Slurm cluster that scripts/slurm-local.sh starts: job arrays with a concurrency
 * limit, afterok dependencies, and a failed task cancelling its dependent. Runs only when `sbatch`
 * exists and the controller answers; otherwise it says loudly that it was skipped.
 *
 * Clients find the cluster through SLURM_CONF; when it is unset, the slurm.conf under
 * SIFT_SLURM_DIR (default /tmp/sift-slurm) is used if it exists.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithCluster, listedJobs, runSlurmCommand, waitGone } from '../helpers/slurm.js';

function sbatch(args: string[]): string {
  const r = runSlurmCommand('sbatch', ['--parsable', ...args]);
  if (r.code !== 0) throw new Error(`sbatch ${args.join(' ')} failed: ${r.stderr.trim()}`);
  const id = r.stdout.trim().split(';')[0] ?? '';
  expect(id).toMatch(/^\d+$/);
  return id;
}

type JobRecord = Record<string, string>;

/** `scontrol -o show job ID`: one record per job, or per task for an array. */
function showJob(id: string): JobRecord[] {
  const r = runSlurmCommand('scontrol', ['-o', 'show', 'job', id]);
  if (r.code !== 0) throw new Error(`scontrol show job ${id} failed: ${r.stderr.trim()}`);
  return r.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const rec: JobRecord = {};
      for (const m of line.matchAll(/(?:^|\s)(\w+)=(\S*)/g)) rec[m[1]!] ??= m[2]!;
      return rec;
    });
}

describeWithCluster('local Slurm cluster', () => {
  let work = '';
  const submitted: string[] = [];
  const submit = (args: string[]): string => {
    const id = sbatch(['--chdir', work, ...args]);
    submitted.push(id);
    return id;
  };
  const outputs = (): string =>
    readdirSync(work)
      .filter((f) => f.endsWith('.out'))
      .map((f) => `--- ${f}\n${readFileSync(join(work, f), 'utf8')}`)
      .join('\n');

  let maxArraySize = 0;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'sift-slurm-test-'));
    const config = runSlurmCommand('scontrol', ['show', 'config']).stdout;
    maxArraySize = Number(/^MaxArraySize\s*=\s*(\d+)/m.exec(config)?.[1]);
  });

  afterAll(() => {
    const left = submitted.length ? listedJobs(submitted) : [];
    if (left.length) runSlurmCommand('scancel', submitted);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs an array at most 2 tasks at a time, then its afterok dependent', async () => {
    // Four tasks, or fewer when the cluster was started with a smaller MaxArraySize.
    const n = Math.min(4, maxArraySize);
    const ids = Array.from({ length: n }, (_, i) => i);
    const t0 = Date.now();
    const task =
      'echo "$SLURM_ARRAY_TASK_ID $SLURM_ARRAY_TASK_COUNT $(date +%s%3N)" > part_$SLURM_ARRAY_TASK_ID.tmp; ' +
      'sleep 1; echo "$(cat part_$SLURM_ARRAY_TASK_ID.tmp) $(date +%s%3N)" > part_$SLURM_ARRAY_TASK_ID.txt';
    const array = submit([`--array=0-${n - 1}%2`, '-J', 'sift-array', '-o', 'array_%A_%a.out', '--wrap', task]);
    const merge = submit([
      `--dependency=afterok:${array}`,
      '--kill-on-invalid-dep=yes',
      '-J',
      'sift-merge',
      '-o',
      'merge_%j.out',
      '--wrap',
      `cat ${ids.map((i) => `part_${i}.txt`).join(' ')} > merged.txt`,
    ]);

    // While the array runs, the dependent waits on it.
    const dep = showJob(merge)[0]!;
    expect(['PENDING', 'COMPLETED', 'RUNNING']).toContain(dep.JobState);
    if (dep.JobState === 'PENDING') expect(dep.Reason).toBe('Dependency');

    await waitGone([array, merge]);
    const elapsed = Date.now() - t0;

    const tasks = showJob(array);
    expect(tasks.map((t) => Number(t.ArrayTaskId)).sort((a, b) => a - b)).toEqual(ids);
    for (const t of tasks) {
      expect(t.ArrayJobId).toBe(array);
      expect(t.JobState, outputs()).toBe('COMPLETED');
      expect(t.ExitCode).toBe('0:0');
    }
    const m = showJob(merge)[0]!;
    expect(m.JobState, outputs()).toBe('COMPLETED');
    expect(m.ExitCode).toBe('0:0');

    const lines = readFileSync(join(work, 'merged.txt'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(n);
    const spans = lines.map((l) => {
      const [id, count, start, end] = l.split(' ').map(Number);
      expect(count).toBe(n);
      return { id, start: start!, end: end! };
    });
    expect(spans.map((s) => s.id)).toEqual(ids);
    // %2: never more than two tasks at once.
    for (const s of spans) {
      const overlapping = spans.filter((o) => o.start <= s.start && s.start < o.end).length;
      expect(overlapping).toBeLessThanOrEqual(2);
    }
    console.info(`array 0-${n - 1}%2 (1 s tasks) + dependent done in ${elapsed} ms`);
  });

  it('cancels the afterok dependent of a failed task instead of leaving it pending', async () => {
    // Tasks 0..n-1; the last one fails.
    const n = Math.min(3, maxArraySize);
    const last = n - 1;
    const array = submit([
      `--array=0-${last}`,
      '-J',
      'sift-fail',
      '-o',
      'fail_%A_%a.out',
      '--wrap',
      `touch ran_$SLURM_ARRAY_TASK_ID; [ "$SLURM_ARRAY_TASK_ID" != ${last} ] || exit 1`,
    ]);
    const dependent = submit([
      `--dependency=afterok:${array}`,
      '--kill-on-invalid-dep=yes',
      '-o',
      'never_%j.out',
      '--wrap',
      'touch must_not_run',
    ]);
    await waitGone([array, dependent]);

    const tasks = new Map(showJob(array).map((t) => [Number(t.ArrayTaskId), t]));
    expect([...tasks.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    for (const [id, t] of tasks) {
      expect(t.JobState, outputs()).toBe(id === last ? 'FAILED' : 'COMPLETED');
      expect(t.ExitCode).toBe(id === last ? '1:0' : '0:0');
      expect(existsSync(join(work, `ran_${id}`))).toBe(true);
    }

    // Cancelled at once (not left PENDING with DependencyNeverSatisfied), and never run.
    const dep = showJob(dependent)[0]!;
    expect(dep.JobState).toBe('CANCELLED');
    expect(dep.Reason).toBe('DependencyNeverSatisfied');
    expect(dep.Dependency).toMatch(/afterok:\d+_\*\(failed\)/);
    expect(listedJobs([dependent])).toEqual([]);
    expect(existsSync(join(work, 'must_not_run'))).toBe(false);
  });

  it('rejects array indices at or above MaxArraySize', () => {
    const max = maxArraySize;
    expect(max).toBeGreaterThan(0);
    // The limit is on index values, not on the number of tasks.
    const tooHigh = runSlurmCommand('sbatch', ['--parsable', '--hold', '--chdir', work, '-o', '/dev/null', `--array=${max}`, '--wrap', 'true']);
    expect(tooHigh.code).not.toBe(0);
    expect(tooHigh.stderr).toMatch(/Invalid job array specification/);
    const highest = submit(['--hold', '-o', '/dev/null', `--array=${max - 1}`, '--wrap', 'true']);
    expect(showJob(highest)[0]?.ArrayTaskId).toBe(String(max - 1));
    runSlurmCommand('scancel', [highest]);
  });
});
