/**
 * A run whose disk fills up: a clear error naming the file, no partial shard under a final name,
 * and --resume finishing the run once there is space, with the same output as an unhindered run.
 * Needs a small file system of its own (a tmpfs, mounted as root); skipped loudly otherwise.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { runLocal } from '../../src/exec/local.js';
import { folderBytes, jsonl, removeTempDirs, tempDir, writeCompressed } from '../helpers/fixtures.js';

const mountPoint = join(tempDir('sift-diskfull-'), 'small');
mkdirSync(mountPoint);
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint]).status === 0;
if (!mounted) console.warn('\n*** SKIPPED "disk full": cannot mount a small tmpfs (needs root) ***\n');

afterAll(() => {
  if (mounted) spawnSync('umount', [mountPoint]);
  removeTempDirs();
});

(mounted ? describe : describe.skip)('a run on a full disk', () => {
  let dir = '';
  beforeAll(() => {
    dir = tempDir();
    let seed = 7;
    const word = (): string => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed % 100000).toString(36);
    };
    // About 6 MB of poorly compressible text in 3 shards: more than the 2 MB file system holds.
    for (let s = 0; s < 3; s++) writeCompressed(join(dir, `in-${s}.jsonl.zst`), jsonl(Array.from({ length: 2000 }, (_, i) => ({ id: `s${s}-${i}`, text: Array.from({ length: 150 }, word).join(' ') }))));
    writeFileSync(join(dir, 'p.yaml'), `inputs: ["in-*.jsonl.zst"]\nrun_dir: run\nstats:\n  docs: false\noutput:\n  compression: none\n  max_docs_per_shard: 500\n`);
  });

  it('fails with a clear error, leaves no partial shard under a final name, and resumes once there is space', async () => {
    const spec = (runDir: string) => parseConfig(readFileSync(join(dir, 'p.yaml'), 'utf8'), join(dir, 'p.yaml'), { runDir });
    await runLocal(spec(join(dir, 'reference')), { workers: 2 });
    const reference = folderBytes(join(dir, 'reference', 'output'));

    const run = join(mountPoint, 'run');
    await expect(runLocal(spec(run), { workers: 2 })).rejects.toThrow(/cannot write .*\.tmp: no space left on the device \(ENOSPC\).*--resume/);
    // Every file with a final name is complete: identical to the reference's file of that name.
    const partial = readdirSync(join(run, 'output'));
    const finals = partial.filter((f) => !f.startsWith('.'));
    for (const f of finals) expect(readFileSync(join(run, 'output', f)).equals(reference.get(f)!), f).toBe(true);

    execFileSync('mount', ['-o', 'remount,size=64m', mountPoint]);
    const out = await runLocal(spec(run), { workers: 2, resume: true });
    expect(out.manifest.totals).toMatchObject({ read: 6000, kept: 6000, conserved: true });
    const resumed = folderBytes(join(run, 'output'));
    expect([...resumed.keys()]).toEqual([...reference.keys()]);
    for (const [k, v] of reference) expect(resumed.get(k)!.equals(v)).toBe(true);
  });
});
