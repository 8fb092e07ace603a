import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { readJsonLines, removeTempDirs, sift, tempDir } from '../helpers/fixtures.js';
import { describeWithSharedData, REPO_ROOT } from '../helpers/shared-data.js';

afterAll(removeTempDirs);

describeWithSharedData('pipelines/sft-decon.yaml', ['benchmarks', 'gsm8k', 'test.jsonl'], () => {
  it('removes the conversations holding benchmark items and keeps the rest', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'runs'));
    const index = sift(['decon', 'index', join(REPO_ROOT, 'pipelines', 'benchmarks.yaml'), '-o', join(REPO_ROOT, 'runs', 'benchmarks.idx')]);
    expect(index.status, index.stderr).toBe(0);
    const r = sift(['run', join(REPO_ROOT, 'pipelines', 'sft-decon.yaml'), '--run-dir', join(dir, 'run'), '-q']);
    expect(r.status, r.stderr).toBe(0);
    const kept = readJsonLines<{ id: string; source: string }>(join(dir, 'run', 'output'));
    const dropped = readJsonLines<{ id: string; source: string; metadata: { sift_reason: string } }>(join(dir, 'run', 'rejected'));
    expect(kept.length + dropped.length).toBe(102);
    expect(dropped.filter((d) => d.source === 'gsm8k-test')).toHaveLength(25);
    expect(dropped.filter((d) => d.source === 'humaneval')).toHaveLength(10);
    expect(kept.every((d) => d.source === 'handwritten' || d.source === 'udhr')).toBe(true);
    expect(r.stdout).toMatch(/gsm8k\s+test\s+25\s+25/);
    expect(r.stdout).toMatch(/humaneval\s+\S*\s*10\s+10/);
  });
});
