import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src/core/manifest.js';
import { removeTempDirs, sift, tempDir } from '../helpers/fixtures.js';
import { describeWithSharedData, REPO_ROOT } from '../helpers/shared-data.js';

afterAll(removeTempDirs);

const pipeline = (name: string): string => join(REPO_ROOT, 'pipelines', name);

describe('pipelines/quickstart.yaml', () => {
  it('runs the web-text filters and MinHash on the bundled sample, accounting for every document', () => {
    const run = join(tempDir(), 'quickstart');
    const r = sift(['run', pipeline('quickstart.yaml'), '--run-dir', run, '-q']);
    expect(r.status, r.stderr).toBe(0);
    for (const stage of ['language', 'gopher_repetition', 'gopher_quality', 'c4_quality', 'fineweb_quality', 'pii', 'minhash']) expect(r.stdout).toContain(stage);
    const t = readManifest(join(run, 'manifest.json')).totals!;
    expect(t).toMatchObject({ read: 903, conserved: true });
    expect(t.kept).toBeGreaterThan(50);
    expect(r.stdout).toMatch(/tokens written \(cl100k_base\)/);
  });
});

describeWithSharedData('pipelines/web-en.yaml and pipelines/dolmino-mix.yaml', ['corpus', 'dev', 'dev-0000.jsonl.zst'], () => {
  it('filters the dev corpus, then mixes its output with token budgets', () => {
    const dir = tempDir();
    const runs = join(dir, 'runs');
    mkdirSync(runs);
    const web = sift(['run', pipeline('web-en.yaml'), '--run-dir', join(runs, 'web-en'), '-q']);
    expect(web.status, web.stderr).toBe(0);
    const t = readManifest(join(runs, 'web-en', 'manifest.json')).totals!;
    expect(t).toMatchObject({ read: 9529, conserved: true });
    expect(t.dropsByStage.language).toBeGreaterThan(1000);
    expect(t.dropsByStage.minhash).toBeGreaterThan(100);
    expect(sift(['run', pipeline('quickstart.yaml'), '--run-dir', join(runs, 'quickstart'), '-q']).status).toBe(0);
    // The mix config as shipped, pointed at these runs.
    const mix = join(dir, 'pipelines', 'dolmino-mix.yaml');
    mkdirSync(join(dir, 'pipelines'));
    writeFileSync(mix, readFileSync(pipeline('dolmino-mix.yaml'), 'utf8'));
    const m = sift(['mix', mix, '-q']);
    expect(m.status, m.stderr).toBe(0);
    const rows = readManifest(join(runs, 'dolmino-mix', 'manifest.json')).mix!;
    for (const row of rows) expect(Math.abs(row.error)).toBeLessThan(0.005);
    expect(rows.find((r) => r.source === 'sample')!.repetition).toBeGreaterThan(2);
  }, 300_000);
});
