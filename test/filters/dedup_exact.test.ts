import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeKey } from '../../filters/dedup_exact.js';
import { parseConfig } from '../../src/config/load.js';
import { readManifest } from '../../src/core/manifest.js';
import { runLocal } from '../../src/exec/local.js';
import { folderBytes, jsonl, readJsonLines, removeTempDirs, tempDir, writeCompressed } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

/** Three shards; texts repeat across and within shards, some differing only in case and spacing. */
function corpus(dir: string): void {
  const shard = (s: number): { id: string; text: string; metadata: { url?: string } }[] =>
    Array.from({ length: 40 }, (_, i) => ({
      id: `s${s}-${i}`,
      text: i % 4 === 0 ? `Shared  text number ${i % 8}` : i % 4 === 1 ? `shared text NUMBER ${i % 8}`.toUpperCase() : `unique text ${s}-${i} with several words in it`,
      metadata: i % 5 === 0 ? {} : { url: `https://example.com/${i % 10}` },
    }));
  for (let s = 0; s < 3; s++) writeCompressed(join(dir, `in-${s}.jsonl.zst`), jsonl(shard(s)));
}

function config(dir: string, stage: string, extra = ''): string {
  const file = join(dir, 'pipe.yaml');
  writeFileSync(file, `inputs: ["in-*.jsonl.zst"]\nrun_dir: run\nrejected: true\nstages:\n  - type: length\n    min_words: 1\n${stage}\n  - type: sample\n    rate: 1\n${extra}`);
  return file;
}

const load = (file: string, runDir?: string) => parseConfig(readFileSync(file, 'utf8'), file, runDir ? { runDir } : {});

describe('dedup_exact', () => {
  it('normalizes by case and whitespace', () => {
    expect(normalizeKey('  Shared \t TEXT\n\nnumber 1 ')).toBe('shared text number 1');
  });

  it('keeps the first of each text across shards and drops the rest, with the reason', async () => {
    const dir = tempDir();
    corpus(dir);
    const file = config(dir, '  - type: dedup_exact\n    partitions: 3');
    const out = await runLocal(load(file), { workers: 2 });
    const kept = readJsonLines<{ id: string; text: string }>(join(dir, 'run', 'output'));
    const texts = kept.map((d) => normalizeKey(d.text));
    expect(new Set(texts).size).toBe(texts.length);
    // Four texts ("shared text number 0, 1, 4, 5", in mixed case and spacing) repeat in every shard;
    // their first copies are in shard 0.
    const shared = kept.filter((d) => /shared/i.test(d.text));
    expect(shared.map((d) => d.id)).toEqual(['s0-0', 's0-1', 's0-4', 's0-5']);
    expect(kept.length).toBe(4 + 3 * 20);
    expect(out.manifest.totals).toMatchObject({ read: 120, kept: 64, dropped: 56, conserved: true, dropsByStage: { dedup_exact: 56 } });
    const rejected = readJsonLines<{ metadata: { sift_reason: string; sift_stage: string } }>(join(dir, 'run', 'rejected'));
    expect(rejected.every((r) => r.metadata.sift_reason === 'exact_duplicate' && r.metadata.sift_stage === 'dedup_exact')).toBe(true);
    expect(readManifest(join(dir, 'run', 'manifest.json')).steps.map((s) => s.name)).toEqual(['pass-0', 'dedup_exact.find', 'pass-1', 'finalize']);
  });

  it('deduplicates by a field, never removing documents without it', async () => {
    const dir = tempDir();
    corpus(dir);
    const file = config(dir, '  - type: dedup_exact\n    field: metadata.url');
    await runLocal(load(file), { workers: 1 });
    const kept = readJsonLines<{ id: string; metadata: { url?: string } }>(join(dir, 'run', 'output'));
    const withUrl = kept.filter((d) => d.metadata.url);
    expect(withUrl.map((d) => d.metadata.url).sort()).toEqual(['https://example.com/1', 'https://example.com/2', 'https://example.com/3', 'https://example.com/4', 'https://example.com/6', 'https://example.com/7', 'https://example.com/8', 'https://example.com/9']);
    expect(kept.filter((d) => !d.metadata.url)).toHaveLength(24);
  });

  it('in tag mode flags the repeats and keeps everything', async () => {
    const dir = tempDir();
    corpus(dir);
    const file = config(dir, '  - type: dedup_exact\n    mode: tag');
    const out = await runLocal(load(file), { workers: 2 });
    expect(out.manifest.totals).toMatchObject({ read: 120, kept: 120, dropped: 0 });
  });

  it('a collect-only first pass reads the inputs twice and gives the same result', async () => {
    const dir = tempDir();
    corpus(dir);
    const file = join(dir, 'first.yaml');
    writeFileSync(file, 'inputs: ["in-*.jsonl.zst"]\nrun_dir: run\nstages:\n  - type: dedup_exact\n');
    await runLocal(load(file), { workers: 2 });
    expect(readdirSync(join(dir, 'run', 'work'))).not.toContain('pass-0');
    expect(readJsonLines(join(dir, 'run', 'output'))).toHaveLength(64);
  });

  it('resumes a run cut off between steps with the same output, and detects damaged intermediate files', async () => {
    const dir = tempDir();
    corpus(dir);
    const file = config(dir, '  - type: dedup_exact\n    partitions: 2');
    await runLocal(load(file), { workers: 2 });
    const run = join(dir, 'run');
    const full = folderBytes(join(run, 'output'));
    const manifest = readManifest(join(run, 'manifest.json'));
    const unfinish = (): void => {
      writeFileSync(join(run, 'manifest.json'), JSON.stringify({ ...manifest, status: 'running', totals: null }));
      for (const step of ['pass-1', 'finalize']) rmSync(join(run, 'done', step), { recursive: true, force: true });
    };
    unfinish();
    rmSync(join(run, 'done', 'dedup_exact.find', '00001.json'));
    await runLocal(load(file), { resume: true, workers: 2 });
    const again = folderBytes(join(run, 'output'));
    expect([...again.keys()]).toEqual([...full.keys()]);
    for (const [k, v] of full) expect(v.equals(again.get(k)!)).toBe(true);

    // Damage a key file: the find step refuses it.
    unfinish();
    rmSync(join(run, 'done', 'dedup_exact.find'), { recursive: true });
    const keyDir = join(run, 'work', 'dedup_exact', 'keys', 'p0000');
    const victim = join(keyDir, readdirSync(keyDir).filter((f) => f.endsWith('.bin'))[0]!);
    const bytes = readFileSync(victim);
    bytes[30]! ^= 0xff;
    writeFileSync(victim, bytes);
    await expect(runLocal(load(file), { resume: true, workers: 1 })).rejects.toThrow(/intermediate file .*keys\/p0000\/s00000-0000\.bin is damaged: its checksum does not match/);
    writeFileSync(victim, bytes.subarray(0, bytes.length - 10));
    await expect(runLocal(load(file), { resume: true, workers: 1 })).rejects.toThrow(/is damaged: it has no footer/);
  });
});
