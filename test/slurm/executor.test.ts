/**
 * sift's Slurm executor end to end, on the local cluster: a run through real sbatch gives the same
 * bytes as a local run; a failing task cancels the steps after it (nothing left pending); submitting
 * again after the fault is fixed completes the run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readManifest } from '../../src/core/manifest.js';
import { readSlurmState } from '../../src/exec/slurm/submit.js';
import { RunDir } from '../../src/exec/run-dir.js';
import { folderBytes, jsonl, removeTempDirs, sift, tempDir, writeCompressed } from '../helpers/fixtures.js';
import { describeWithCluster, listedJobs, slurmEnv, waitGone } from '../helpers/slurm.js';

const STAGES = `stages:
  - type: length
    min_words: 3
  - type: fineweb_quality
    mode: tag
  - type: minhash
    bands: 4
    rows: 4
  - type: sample
    rate: 0.8
    seed: 5
`;

/** Letters only (MinHash turns digits into 0): documents with near copies across shards. */
function words(seed: number, n: number): string {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return 'abcdefghijklmnopqrstuvwxyz'.slice(s % 20, (s % 20) + 3 + (s % 4));
  }).join(' ');
}

function docs(shard: number): { id: string; text: string }[] {
  return Array.from({ length: 60 }, (_, i) => ({ id: `s${shard}-${i}`, text: i % 3 === 0 ? `${words(i % 9, 40)}.\nShared story.` : `${words(shard * 1000 + i, 12 + (i % 7))}.` }));
}

describeWithCluster('the Slurm executor', () => {
  let dir = '';
  const submitted: string[] = [];
  const jobIds = (run: string): string[] => (readSlurmState(new RunDir(join(dir, run)))?.jobs ?? []).map((j) => j.jobId!).filter(Boolean);

  beforeAll(() => {
    dir = tempDir();
    for (let s = 0; s < 5; s++) writeCompressed(join(dir, `in-${s}.jsonl.zst`), jsonl(docs(s)));
    writeCompressed(join(dir, 'in-5.jsonl.gz'), jsonl(docs(5)));
    writeFileSync(join(dir, 'pipe.yaml'), `inputs: ["in-*"]\nrun_dir: local\nrejected: true\non_error: fail\n${STAGES}`);
    const local = sift(['run', 'pipe.yaml', '-q'], dir);
    expect(local.status, local.stderr).toBe(0);
    // The stages have work to do: MinHash removes the copies spread across shards.
    expect(readManifest(join(dir, 'local', 'manifest.json')).totals!.dropsByStage.minhash).toBeGreaterThan(20);
  });

  afterAll(() => {
    const left = listedJobs(submitted);
    if (left.length > 0) sift(['slurm', 'cancel', join(dir, 'slurm-a')], dir, slurmEnv);
    removeTempDirs();
  });

  it('gives the same output as a local run, with arrays split at MaxArraySize', async () => {
    const r = sift(['slurm', 'submit', 'pipe.yaml', '--run-dir', 'slurm-a', '--tasks', '4', '--parallel', '2', '--max-array-size', '2'], dir, slurmEnv);
    expect(r.status, r.stderr).toBe(0);
    // pass-0 (4 tasks: 2 chunks), minhash.buckets (4 bands: 2 chunks), minhash.clusters, pass-1 (2 chunks), finalize.
    expect(r.stdout.match(/submitted job/g)).toHaveLength(8);
    const ids = jobIds('slurm-a');
    submitted.push(...ids);
    await waitGone(ids, 120_000);
    const status = sift(['slurm', 'status', join(dir, 'slurm-a')], dir, slurmEnv);
    expect(status.stdout).toMatch(/the run is complete/);
    expect(status.stdout).toMatch(/pass-0\s+6\/6\s+0\s+0\s+0\s+0/);
    for (const sub of ['output', 'rejected']) {
      const local = folderBytes(join(dir, 'local', sub));
      const slurm = folderBytes(join(dir, 'slurm-a', sub));
      expect([...slurm.keys()]).toEqual([...local.keys()]);
      for (const [k, v] of local) expect(slurm.get(k)!.equals(v), `${sub}/${k}`).toBe(true);
    }
    expect(sift(['stats', join(dir, 'slurm-a')], dir).stdout).toMatch(/read 360 = kept \d+ \+ dropped \d+ \+ unreadable 0 +\(every document accounted for\)/);
  });

  it('cancels the steps after a failed task, and a new submission completes the run', async () => {
    const shard = join(dir, 'in-5.jsonl.gz');
    const good = readFileSync(shard);
    const bad = Buffer.from(good);
    bad[Math.floor(bad.length / 2)]! ^= 0xff;
    writeFileSync(shard, bad);
    const r = sift(['slurm', 'submit', 'pipe.yaml', '--run-dir', 'slurm-b', '--tasks', '3'], dir, slurmEnv);
    expect(r.status, r.stderr).toBe(0);
    const first = jobIds('slurm-b');
    submitted.push(...first);
    await waitGone(first, 120_000);
    const status = sift(['slurm', 'status', join(dir, 'slurm-b')], dir, slurmEnv);
    // Shard 5 is task 2 (5 mod 3) of pass-0: it fails; shards of the other array tasks finish.
    expect(status.stdout).toMatch(/pass-0\s+5\/6\s+0\s+0\s+1\s+0/);
    expect(status.stdout).toMatch(/minhash\.buckets\s+0\/4\s+0\s+0\s+0\s+\d/);
    expect(status.stdout).toMatch(/failed: pass-0 job \d+_2 \(FAILED/);
    expect(status.stdout).toMatch(/the run is not complete/);
    expect(listedJobs(first)).toEqual([]);
    const log = readFileSync(join(dir, 'slurm-b', 'slurm', 'logs', `pass-0-0_${first[0]}_2.log`), 'utf8');
    expect(log).toMatch(/in-5\.jsonl\.gz:\d+: damaged_input/);

    writeFileSync(shard, good);
    const again = sift(['slurm', 'submit', 'pipe.yaml', '--run-dir', 'slurm-b', '--tasks', '3'], dir, slurmEnv);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/submitted job \d+: pass-0, array 2\n/);
    const second = jobIds('slurm-b');
    submitted.push(...second);
    await waitGone(second, 120_000);
    expect(sift(['slurm', 'status', join(dir, 'slurm-b')], dir, slurmEnv).stdout).toMatch(/the run is complete/);
    const local = folderBytes(join(dir, 'local', 'output'));
    const slurm = folderBytes(join(dir, 'slurm-b', 'output'));
    expect([...slurm.keys()]).toEqual([...local.keys()]);
    for (const [k, v] of local) expect(slurm.get(k)!.equals(v)).toBe(true);
  });

  it('writes the scripts and submits nothing in a dry run', () => {
    const r = sift(['slurm', 'submit', 'pipe.yaml', '--run-dir', 'slurm-c', '--tasks', '2', '--dry-run', '--partition', 'debug', '--time', '10:00', '--mem', '1G'], dir, slurmEnv);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/would submit: pass-0, array 0-1\n/);
    const script = readFileSync(join(dir, 'slurm-c', 'slurm', 'pass-0-0.sbatch'), 'utf8');
    expect(script).toMatch(/#SBATCH --partition=debug\n#SBATCH --time=10:00\n#SBATCH --mem=1G/);
    expect(script).toMatch(/slurm task '.*slurm-c' --step 'pass-0' --index "\$\(\(0 \+ SLURM_ARRAY_TASK_ID\)\)" --world 2/);
    expect(readSlurmState(new RunDir(join(dir, 'slurm-c')))).toBeNull();
  });
});

