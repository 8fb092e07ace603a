import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRunConfig } from '../../src/config/run-config.js';
import { runLocal } from '../../src/exec/local.js';
import { openRunDatabase } from '../../src/stats/query.js';
import { folderBytes, jsonl, readJsonLines, removeTempDirs, sift, tempDir, writeCompressed } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

/** Source `name`: `shards` shards of `n` documents of 20..219 words each. */
function writeSource(dir: string, name: string, shards: number, n: number): number {
  let words = 0;
  for (let s = 0; s < shards; s++) {
    const docs = Array.from({ length: n }, (_, i) => {
      const len = 20 + ((i * 37 + s * 11) % 200);
      words += len;
      return { id: `${name}-${s}-${i}`, text: Array.from({ length: len }, (_, w) => `${name}${w % 13}`).join(' ') };
    });
    writeCompressed(join(dir, `${name}-${s}.jsonl.zst`), jsonl(docs));
  }
  return words;
}

describe('sift mix', () => {
  it('hits each source\'s token budget within 0.5%, repeats when asked, shuffles across sources', async () => {
    const dir = tempDir();
    const web = writeSource(dir, 'web', 3, 4000);
    const code = writeSource(dir, 'code', 2, 1500);
    writeFileSync(
      join(dir, 'mix.yaml'),
      `run_dir: run\ntokenizer: whitespace\nseed: 5\nshuffle_buckets: 3\ntotal_tokens: ${Math.round(web * 0.75)}\nsources:\n  - name: web\n    inputs: ["web-*.jsonl.zst"]\n    weight: 1\n  - name: code\n    inputs: ["code-*.jsonl.zst"]\n    weight: 1\noutput:\n  max_docs_per_shard: 1000\n`,
    );
    const spec = loadRunConfig(join(dir, 'mix.yaml'));
    const out = await runLocal(spec, { workers: 2 });
    const rows = out.manifest.mix!;
    const webRow = rows.find((r) => r.source === 'web')!;
    const codeRow = rows.find((r) => r.source === 'code')!;
    expect(webRow.requested_tokens).toBe(Math.round(Math.round(web * 0.75) / 2));
    expect(code).toBeLessThan(web * 0.375);
    expect(Math.abs(webRow.error)).toBeLessThan(0.005);
    // code is asked for more than it has: every document at least once, some twice.
    expect(codeRow.repetition).toBeGreaterThan(1);
    expect(Math.abs(codeRow.error)).toBeLessThan(0.005);
    expect(codeRow.docs_taken).toBe(3000);
    expect(codeRow.copies).toBeGreaterThan(3000);

    const docs = readJsonLines<{ id: string; text: string }>(join(dir, 'run', 'output'));
    expect(docs).toHaveLength(webRow.copies + codeRow.copies);
    const tokens = docs.reduce((n, d) => n + d.text.split(' ').length, 0);
    expect(tokens).toBe(webRow.tokens_taken + codeRow.tokens_taken);
    // Shuffled: the sources are interleaved, not one block after the other.
    const firstHundred = docs.slice(0, 100).map((d) => d.id.split('-')[0]);
    expect(new Set(firstHundred)).toEqual(new Set(['web', 'code']));
    expect(out.manifest.totals).toMatchObject({ read: 15000, kept: webRow.docs_taken + 3000, conserved: true });

    const db = await openRunDatabase(join(dir, 'run'));
    try {
      const mix = (await db.con.runAndReadAll('SELECT source, tokens_taken FROM mix ORDER BY source')).getRowObjectsJS();
      expect(mix.map((r) => r.source)).toEqual(['code', 'web']);
    } finally {
      db.close();
    }

    // The same config gives the same bytes, with any number of workers.
    await runLocal(loadRunConfig(join(dir, 'mix.yaml'), { runDir: join(dir, 'run2') }), { workers: 1 });
    const a = folderBytes(join(dir, 'run', 'output'));
    const b = folderBytes(join(dir, 'run2', 'output'));
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(b.get(k)!.equals(v)).toBe(true);
  });

  it('counts real BPE tokens, prints the composition, and explains bad configs', () => {
    const dir = tempDir();
    writeSource(dir, 'a', 1, 300);
    writeSource(dir, 'b', 1, 300);
    writeFileSync(join(dir, 'mix.yaml'), 'run_dir: run\nsources:\n  - name: a\n    inputs: [a-0.jsonl.zst]\n    tokens: 20000\n  - name: b\n    inputs: [b-0.jsonl.zst]\n    weight: 1\n');
    const r = sift(['mix', 'mix.yaml', '-q'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Mix composition[\s\S]*a\s+[\d,]+\s+[\d,]+\s+20,000/);
    writeFileSync(join(dir, 'bad.yaml'), 'run_dir: run\ntotal_tokens: 100\nsources:\n  - name: a\n    inputs: [a-0.jsonl.zst]\n    weight: 1\n    tokens: 5\n');
    const bad = sift(['mix', 'bad.yaml'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:4:\d+: sources\.0: give a source either a weight or a token count, not both/);
    writeFileSync(join(dir, 'bad-tok.yaml'), 'run_dir: run\nsources:\n  - name: a\n    inputs: [a-0.jsonl.zst]\n    weight: 1\noutput:\n  tokenizer: gpt2\n');
    const badTok = sift(['mix', 'bad-tok.yaml'], dir);
    expect(badTok.status).toBe(2);
    expect(badTok.stderr).toMatch(/bad-tok\.yaml:7:\d+: output\.tokenizer: a mix counts tokens with the top-level `tokenizer:`/);
    writeFileSync(join(dir, 'pipe.yaml'), 'inputs: [a-0.jsonl.zst]\nrun_dir: run\n');
    const notMix = sift(['mix', 'pipe.yaml'], dir);
    expect(notMix.status).toBe(2);
    expect(notMix.stderr).toMatch(/is a pipeline config \(no sources:\); run it with sift run/);
  });
});
