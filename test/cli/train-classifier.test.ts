import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { topicDocs } from '../classify/two-topics.js';
import { jsonl, readJsonLines, removeTempDirs, sift, tempDir } from '../helpers/fixtures.js';

afterAll(removeTempDirs);

describe('sift train-classifier', () => {
  it('trains a model, prints held-out accuracy, and the model filters a pipeline', () => {
    const dir = tempDir();
    const kitchen = topicDocs('kitchen', 400, 7);
    const sky = topicDocs('sky', 400, 8);
    writeFileSync(join(dir, 'pos.jsonl'), jsonl(kitchen.map((text, i) => ({ id: `k${i}`, text }))));
    writeFileSync(join(dir, 'neg.jsonl'), jsonl(sky.map((text, i) => ({ id: `s${i}`, text }))));
    const r = sift(['train-classifier', '--positive', 'pos.jsonl', '--negative', 'neg.jsonl', '-o', 'model.bin', '--labels', 'hq,lq', '--epochs', '10'], dir);
    expect(r.status, r.stderr).toBe(0);
    const acc = /held-out accuracy ([\d.]+)%/.exec(r.stdout);
    expect(acc, r.stdout).not.toBeNull();
    expect(Number(acc![1])).toBeGreaterThan(95);
    expect(existsSync(join(dir, 'model.bin'))).toBe(true);

    writeFileSync(join(dir, 'mixed.jsonl'), jsonl([...kitchen.slice(0, 20).map((text, i) => ({ id: `k${i}`, text })), ...sky.slice(0, 20).map((text, i) => ({ id: `s${i}`, text }))]));
    writeFileSync(join(dir, 'pipe.yaml'), 'inputs: [mixed.jsonl]\nrun_dir: run\nstages:\n  - type: fasttext_classifier\n    model: model.bin\n    label: hq\n    threshold: 0.5\n');
    expect(sift(['run', 'pipe.yaml', '-q'], dir).status).toBe(0);
    const kept = readJsonLines<{ id: string }>(join(dir, 'run', 'output')).map((d) => d.id);
    expect(kept.filter((id) => id.startsWith('k')).length).toBeGreaterThanOrEqual(19);
    expect(kept.filter((id) => id.startsWith('s')).length).toBeLessThanOrEqual(1);
  });

  it('explains a bad option', () => {
    const r = sift(['train-classifier', '--positive', 'a', '--negative', 'b', '-o', 'm.bin', '--labels', 'one']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--labels takes two names/);
  });
});
