import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { runLocal } from '../../src/exec/local.js';
import { openRunDatabase } from '../../src/stats/query.js';
import { jsonl, readJsonLines, removeTempDirs, tempDir, writeCompressed } from '../helpers/fixtures.js';
import { describeWithSharedData, sharedPath } from '../helpers/shared-data.js';

afterAll(removeTempDirs);

const WORDS = 'river mountain city valley forest ocean desert island bridge castle garden market harbor temple meadow canyon glacier village tower lake'.split(' ');

function article(seed: number, n = 120): string[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return `${WORDS[s % WORDS.length]}${(s >>> 8) % 50}`;
  });
}

/**
 * 3 shards: 30 originals in shards 0 and 1; in shard 2, near-copies (2 words changed) of originals
 * 0..9 and exact copies of 10..14. In each cluster the reference keeps the document read first.
 */
function corpus(dir: string): void {
  const originals = Array.from({ length: 30 }, (_, i) => article(i + 1));
  const shards: { id: string; text: string }[][] = [[], [], []];
  originals.forEach((w, i) => shards[i % 2]!.push({ id: `orig-${i}`, text: w.join(' ') }));
  for (let i = 0; i < 10; i++) {
    const w = [...originals[i]!];
    w[40] = 'changed';
    w[90] = 'words';
    shards[2]!.push({ id: `near-${i}`, text: w.join(' ') });
  }
  for (let i = 10; i < 15; i++) shards[2]!.push({ id: `copy-${i}`, text: originals[i]!.join(' ') });
  shards[0]!.push({ id: 'short', text: 'too short to sign' });
  shards.forEach((docs, s) => writeCompressed(join(dir, `in-${s}.jsonl.zst`), jsonl(docs)));
}

describe('minhash', () => {
  it('removes near and exact copies across shards, keeps one per cluster, and reports the clusters', async () => {
    const dir = tempDir();
    corpus(dir);
    const config = join(dir, 'pipe.yaml');
    writeFileSync(config, 'inputs: ["in-*.jsonl.zst"]\nrun_dir: run\nstages:\n  - type: length\n    min_words: 1\n  - type: minhash\n');
    const out = await runLocal(parseConfig(readFileSync(config, 'utf8'), config), { workers: 2 });
    expect(out.manifest.steps.map((s) => s.name)).toEqual(['pass-0', 'minhash.buckets', 'minhash.clusters', 'pass-1', 'finalize']);
    const kept = readJsonLines<{ id: string }>(join(dir, 'run', 'output')).map((d) => d.id);
    expect(kept.filter((id) => id.startsWith('orig-'))).toHaveLength(30);
    expect(kept.filter((id) => id.startsWith('near-') || id.startsWith('copy-'))).toEqual([]);
    expect(kept).toContain('short');
    expect(out.manifest.totals).toMatchObject({ read: 46, kept: 31, dropped: 15, conserved: true, dropsByStage: { minhash: 15 } });

    const db = await openRunDatabase(join(dir, 'run'));
    try {
      const clusters = (await db.con.runAndReadAll('SELECT size, kept_id, removed_ids FROM dedup_clusters ORDER BY kept_id')).getRowObjectsJS();
      expect(clusters).toHaveLength(15);
      expect(clusters.every((c) => c.size === 2 && String(c.kept_id).startsWith('orig-'))).toBe(true);
      const near0 = clusters.find((c) => c.kept_id === 'orig-0')!;
      expect(near0.removed_ids).toEqual(['near-0']);
      const metrics = (await db.con.runAndReadAll("SELECT id, minhash_cluster_size::INT AS n, reason FROM docs WHERE stage = 'minhash' AND id IN ('near-3', 'orig-3', 'orig-20') ORDER BY id")).getRowObjectsJS();
      expect(metrics).toEqual([
        { id: 'near-3', n: 2, reason: 'minhash_duplicate' },
        { id: 'orig-20', n: null, reason: null },
        { id: 'orig-3', n: 2, reason: null },
      ]);
    } finally {
      db.close();
    }
  });

  it('in tag mode flags the copies and keeps everything; other parameters still find exact copies', async () => {
    const dir = tempDir();
    corpus(dir);
    const config = join(dir, 'pipe.yaml');
    writeFileSync(config, 'inputs: ["in-*.jsonl.zst"]\nrun_dir: run\nstages:\n  - type: minhash\n    mode: tag\n    ngram: 3\n    bands: 20\n    rows: 5\n    hash_bits: 32\n    seed: 7\n');
    const out = await runLocal(parseConfig(readFileSync(config, 'utf8'), config), { workers: 1 });
    expect(out.manifest.totals).toMatchObject({ read: 46, kept: 46, dropped: 0 });
    const db = await openRunDatabase(join(dir, 'run'));
    try {
      const flagged = (await db.con.runAndReadAll("SELECT count(*)::INT AS n FROM docs WHERE stage = 'minhash' AND NOT keep")).getRowObjectsJS();
      expect(flagged[0]!.n).toBeGreaterThanOrEqual(5);
    } finally {
      db.close();
    }
  });
});

describeWithSharedData('minhash parity with the reference on the dev corpus', ['parity', 'dev', 'minhash_removed_ids.txt'], () => {
  it('removes nearly the same documents as the reference (Jaccard of removed ids >= 0.95)', async () => {
    const dir = tempDir();
    const config = join(dir, 'pipe.yaml');
    // The reference reader skips empty texts; so does this pipeline, before MinHash.
    writeFileSync(config, `inputs: ["${sharedPath('corpus', 'dev')}/*.jsonl.zst"]\nrun_dir: run\nrejected: true\nstats:\n  docs: false\nstages:\n  - type: length\n    min_chars: 1\n  - type: minhash\n`);
    const out = await runLocal(parseConfig(readFileSync(config, 'utf8'), config), { workers: 2 });
    expect(out.manifest.totals?.conserved).toBe(true);
    const ours = new Set(readJsonLines<{ id: string; metadata: { sift_stage: string } }>(join(dir, 'run', 'rejected')).filter((d) => d.metadata.sift_stage === 'minhash').map((d) => d.id));
    const ref = new Set(readFileSync(sharedPath('parity', 'dev', 'minhash_removed_ids.txt'), 'utf8').split('\n').filter(Boolean));
    const inter = [...ours].filter((id) => ref.has(id)).length;
    const jaccard = inter / (ours.size + ref.size - inter);
    console.info(`minhash parity: removed ${ours.size} (reference ${ref.size}), Jaccard ${jaccard.toFixed(4)}`);
    expect(jaccard).toBeGreaterThanOrEqual(0.95);
  }, 300_000);
});
