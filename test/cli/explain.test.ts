import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonl, removeTempDirs, sampleDocs, sift, tempDir, writeCompressed } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

describe('sift explain', () => {
  it('shows sample dropped documents with their metrics and text, by reason', () => {
    const dir = tempDir();
    writeCompressed(join(dir, 'a.jsonl.gz'), jsonl(sampleDocs(100)));
    writeFileSync(join(dir, 'pipe.yaml'), 'inputs: [a.jsonl.gz]\nrun_dir: run\nrejected: true\nstages:\n  - type: length\n    min_words: 20\n    max_words: 80\n');
    expect(sift(['run', 'pipe.yaml', '-q'], dir).status).toBe(0);
    const r = sift(['explain', 'run', '--stage', 'length', '--reason', 'too_many_words', '-n', '3'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/stage length \(length, mode drop\): too_few_words 20, too_many_words 10/);
    const shown = r.stdout.match(/── doc-\d+ {2}\(a\.jsonl\.gz\) {2}reason: too_many_words/g);
    expect(shown).toHaveLength(3);
    expect(r.stdout).toMatch(/words=90/);
    expect(r.stdout).toMatch(/word0 word1 word2/);
    const bad = sift(['explain', 'run', '--stage', 'nope'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no stage "nope" in this run; its stages: length/);
  });
});
