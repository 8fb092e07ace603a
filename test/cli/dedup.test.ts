import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { folderBytes, jsonl, removeTempDirs, sift, tempDir, writeCompressed } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

describe('sift dedup STEP', () => {
  it('runs the MinHash steps one by one (tasks split by rank) to the same output as sift run', () => {
    const dir = tempDir();
    let seed = 11;
    const word = (): string => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      // Letters only: MinHash normalization turns digits into 0.
      return (seed % 20000).toString(26).replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)]!);
    };
    const base = Array.from({ length: 40 }, () => Array.from({ length: 60 }, word).join(' '));
    for (let s = 0; s < 3; s++) writeCompressed(join(dir, `in-${s}.jsonl.zst`), jsonl(base.map((text, i) => ({ id: `s${s}-${i}`, text: s === 0 || i % 2 === 0 ? text : `${text} extra` }))));
    writeFileSync(join(dir, 'pipe.yaml'), 'inputs: ["in-*.jsonl.zst"]\nrun_dir: run\nstages:\n  - type: length\n    min_words: 3\n  - type: minhash\n');
    expect(sift(['run', 'pipe.yaml', '--run-dir', 'whole', '-q'], dir).status).toBe(0);

    const early = sift(['dedup', 'buckets', 'pipe.yaml'], dir);
    expect(early.status).toBe(2);
    expect(early.stderr).toMatch(/needs step pass-0, which has not finished/);
    for (const args of [
      ['signatures', '--rank', '0', '--world', '2'],
      ['signatures', '--rank', '1', '--world', '2'],
      ['buckets', '--task', '3'],
      ['buckets'],
      ['clusters'],
      ['filter'],
      ['finalize'],
    ]) {
      const r = sift(['dedup', args[0]!, 'pipe.yaml', ...args.slice(1)], dir);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/task\(s\) run.*peak memory \d+ MB/);
    }
    const a = folderBytes(join(dir, 'whole', 'output'));
    const b = folderBytes(join(dir, 'run', 'output'));
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(b.get(k)!.equals(v)).toBe(true);
    expect(sift(['stats', join(dir, 'run')], dir).stdout).toMatch(/minhash\s+minhash\s+drop\s+120\s+40\s+80/);
  });
});
