import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fasttextClassifier, { metricName } from '../../filters/fasttext_classifier.js';
import { loadFastTextModel, type FastTextModel } from '../../src/classify/fasttext.js';
import { trainClassifier } from '../../src/classify/train.js';
import { Doc } from '../../src/core/document.js';
import type { Filter, Metrics, Verdict } from '../../src/core/filter.js';
import { topicDocs } from '../classify/two-topics.js';

let tmp: string;
let model: FastTextModel;
const [KITCHEN] = topicDocs('kitchen', 1, 4242);
const [SKY] = topicDocs('sky', 1, 4343);

// A DCLM-style binary classifier: `hq` (kitchen writing) against `cc` (sky writing).
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sift-classifier-'));
  const write = (name: string, texts: string[]) =>
    writeFileSync(join(tmp, name), texts.map((text) => JSON.stringify({ text })).join('\n') + '\n');
  write('hq.jsonl', topicDocs('kitchen', 150, 1));
  write('cc.jsonl', topicDocs('sky', 150, 2));
  await trainClassifier({
    positive: join(tmp, 'hq.jsonl'),
    negative: join(tmp, 'cc.jsonl'),
    output: join(tmp, 'quality.bin'),
    positiveLabel: 'hq',
    negativeLabel: 'cc',
    epochs: 25,
    lr: 0.5,
    dim: 16,
    bucket: 50_000,
    seed: 3,
  });
  model = await loadFastTextModel(join(tmp, 'quality.bin'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ctx = { stageName: 'quality', stageIndex: 1, resolvePath: (p: string) => resolve(tmp, p) };

function make(options: Record<string, unknown>): Promise<Filter> {
  return Promise.resolve(fasttextClassifier.create(fasttextClassifier.options.parse(options), ctx));
}

async function run(f: Filter, text: string): Promise<{ verdict: Verdict; m: Metrics }> {
  const m: Metrics = {};
  const verdict = await f.check(Doc.fromText(text), m);
  return { verdict, m };
}

describe('fasttext_classifier filter', () => {
  it('keeps documents scoring at least the threshold (keep: above) and records the score', async () => {
    const f = await make({ model: 'quality.bin', label: 'hq', threshold: 0.5 });
    const hq = await run(f, KITCHEN!);
    expect(hq.m.hq_score as number).toBeGreaterThan(0.9);
    expect(hq.m.hq_score).toBe(model.scoreOf(KITCHEN!, 'hq'));
    expect(hq.verdict).toBeUndefined();
    const cc = await run(f, SKY!);
    expect(cc.m.hq_score as number).toBeLessThan(0.1);
    expect(cc.verdict).toBe('classifier_below_threshold');
  });

  it('uses ≥ at the threshold, as datatrove does', async () => {
    const score = model.scoreOf(KITCHEN!, 'hq');
    expect((await run(await make({ model: 'quality.bin', label: 'hq', threshold: score }), KITCHEN!)).verdict).toBeUndefined();
    const below = await make({ model: 'quality.bin', label: 'hq', threshold: score, keep: 'below' });
    expect((await run(below, KITCHEN!)).verdict).toBe('classifier_above_threshold');
  });

  it('drops documents scoring at least the threshold with keep: below', async () => {
    const f = await make({ model: 'quality.bin', label: '__label__cc', threshold: 0.8, keep: 'below' });
    expect((await run(f, KITCHEN!)).verdict).toBeUndefined();
    const sky = await run(f, SKY!);
    expect(sky.m.cc_score as number).toBeGreaterThan(0.9);
    expect(sky.verdict).toBe('classifier_above_threshold');
  });

  it('names the metric as configured, as a safe column name', async () => {
    const f = await make({ model: 'quality.bin', label: 'hq', metric: 'DCLM Quality-Score' });
    expect(Object.keys((await run(f, KITCHEN!)).m)).toEqual(['dclm_quality_score']);
    expect(metricName('__label__hq_score')).toBe('label_hq_score');
    expect(metricName('2nd-model prob')).toBe('_2nd_model_prob');
    expect(metricName('!!!')).toBe('score');
  });

  it('scores the text as one line', async () => {
    const f = await make({ model: 'quality.bin', label: 'hq' });
    const lines = `${KITCHEN}\n\n${SKY}`;
    expect((await run(f, lines)).m.hq_score).toBe(model.scoreOf(lines.replaceAll('\n', ' '), 'hq'));
  });

  it('does not score empty or whitespace-only text, and treats it as scoring 0', async () => {
    const above = await make({ model: 'quality.bin', label: 'hq' });
    const below = await make({ model: 'quality.bin', label: 'hq', keep: 'below' });
    for (const text of ['', ' \n\t ']) {
      expect(await run(above, text)).toEqual({ verdict: 'classifier_below_threshold', m: { hq_score: null } });
      expect(await run(below, text)).toEqual({ verdict: undefined, m: { hq_score: null } });
    }
  });

  it('rejects a label the model does not have, listing its labels', async () => {
    await expect(make({ model: 'quality.bin', label: 'good' })).rejects.toThrow(/label "good" is not in .*quality\.bin \(labels: (hq, cc|cc, hq)\)/);
  });

  it('names a model path that does not exist, and requires one', async () => {
    await expect(make({ model: 'models/missing.bin', label: 'hq' })).rejects.toThrow(
      `fastText model not found: ${join(tmp, 'models', 'missing.bin')}`,
    );
    expect(() => fasttextClassifier.options.parse({ label: 'hq' })).toThrow();
    expect(() => fasttextClassifier.options.parse({ model: 'm.bin', label: 'hq', keep: 'between' })).toThrow();
  });

  it('works with a quantized model too (lid.176.ftz, one label of many)', async () => {
    const lid = await loadFastTextModel();
    const f = await make({ model: lid.path!, label: 'fr', threshold: 0.5, metric: 'french' });
    const fr = await run(f, "C'est une belle journée pour se promener au bord de la mer.");
    expect(fr.m.french as number).toBeGreaterThan(0.5);
    expect(fr.verdict).toBeUndefined();
    expect((await run(f, KITCHEN!)).verdict).toBe('classifier_below_threshold');
  });
});
