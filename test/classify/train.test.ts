import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFastTextModel, unloadFastTextModel } from '../../src/classify/fasttext.js';
import { trainClassifier } from '../../src/classify/train.js';
import { topicDocs } from './two-topics.js';

let tmp: string;
let positive: string;
let negative: string;

function writeJsonl(path: string, texts: string[], field = 'text'): void {
  writeFileSync(path, texts.map((t, i) => JSON.stringify({ id: `d${i}`, [field]: t })).join('\n') + '\n');
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sift-train-test-'));
  positive = join(tmp, 'kitchen.jsonl');
  negative = join(tmp, 'sky.jsonl');
  // plus documents without text, which are counted and skipped
  writeJsonl(positive, [...topicDocs('kitchen', 200, 1), '', '   \n ']);
  writeJsonl(negative, topicDocs('sky', 200, 2));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('trainClassifier', () => {
  const small = { epochs: 10, dim: 16, bucket: 50_000, seed: 5 };

  it('trains on positive and negative JSONL, holds out a share, and reports held-out metrics', async () => {
    const output = join(tmp, 'models', 'kitchen.bin');
    const r = await trainClassifier({ positive, negative, output, validation: 0.25, ...small });
    expect(r.output).toBe(output);
    expect(existsSync(output)).toBe(true);
    expect(r.labels).toEqual({ positive: 'pos', negative: 'neg' });
    expect(r.skipped).toEqual({ positive: 2, negative: 0 });
    expect(r.heldOut).toEqual({ positive: 50, negative: 50 });
    expect(r.trained).toEqual({ positive: 150, negative: 150 });
    const v = r.validation!;
    expect(v.examples).toBe(100);
    expect(v.truePositives + v.falseNegatives).toBe(50);
    expect(v.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(v.precision).toBeGreaterThanOrEqual(0.9);
    expect(v.recall).toBeGreaterThanOrEqual(0.9);

    const model = await loadFastTextModel(output);
    expect([...model.labels].sort()).toEqual(['neg', 'pos']);
    const [kitchen] = topicDocs('kitchen', 1, 777);
    const [sky] = topicDocs('sky', 1, 778);
    expect(model.predict(kitchen!, 1)[0]!.label).toBe('pos');
    expect(model.predict(sky!, 1)[0]!.label).toBe('neg');
    await unloadFastTextModel(output);
  });

  it('is deterministic for a seed and keeps the training file when asked', async () => {
    const a = join(tmp, 'a.bin');
    const b = join(tmp, 'b.bin');
    const trainFile = join(tmp, 'train.txt');
    await trainClassifier({ positive, negative, output: a, ...small, trainFile });
    await trainClassifier({ positive, negative, output: b, ...small });
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const lines = readFileSync(trainFile, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(360); // 90% of 200 + 200
    for (const line of lines) expect(line).toMatch(/^__label__(pos|neg) \S/);
    // both classes are mixed through the file, not one block after the other
    expect(lines.slice(0, 40).some((l) => l.startsWith('__label__pos'))).toBe(true);
    expect(lines.slice(0, 40).some((l) => l.startsWith('__label__neg'))).toBe(true);
  });

  it('takes other label names, another text field and no validation share', async () => {
    const pos = join(tmp, 'pos-body.jsonl');
    const neg = join(tmp, 'neg-body.jsonl');
    writeJsonl(pos, topicDocs('kitchen', 60, 3), 'body');
    writeJsonl(neg, topicDocs('sky', 60, 4), 'body');
    const output = join(tmp, 'hq.bin');
    const r = await trainClassifier({
      positive: [pos],
      negative: [neg],
      output,
      textField: 'body',
      positiveLabel: 'hq',
      negativeLabel: 'cc',
      validation: 0,
      ...small,
    });
    expect(r.validation).toBeNull();
    expect(r.trained).toEqual({ positive: 60, negative: 60 });
    const model = await loadFastTextModel(output);
    expect([...model.labels].sort()).toEqual(['cc', 'hq']);
    await unloadFastTextModel(output);
  });

  it('explains bad inputs', async () => {
    const output = join(tmp, 'x.bin');
    await expect(trainClassifier({ positive, negative, output, validation: 1 })).rejects.toThrow(/validation share/);
    await expect(trainClassifier({ positive, negative, output, textField: 'missing' })).rejects.toThrow(/no positive documents with text/);
    await expect(trainClassifier({ positive, negative, output, positiveLabel: 'a b' })).rejects.toThrow(/labels must be/);
    await expect(trainClassifier({ positive: join(tmp, 'nope.jsonl'), negative, output })).rejects.toThrow('nope.jsonl');
  });
});
