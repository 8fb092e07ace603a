import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundledLidModelPath,
  loadFastTextModel,
  toFastTextLine,
  trainSupervised,
  unloadFastTextModel,
  type FastTextModel,
} from '../../src/classify/fasttext.js';
import { topicDocs } from './two-topics.js';

const SAMPLES: Record<string, string> = {
  en: 'The library opens at nine in the morning, and children can borrow up to five books at a time.',
  fr: "La bibliothèque ouvre à neuf heures du matin et les enfants peuvent emprunter jusqu'à cinq livres à la fois.",
  de: 'Die Bibliothek öffnet um neun Uhr morgens, und Kinder dürfen bis zu fünf Bücher auf einmal ausleihen.',
  zh: '图书馆早上九点开门，孩子们一次最多可以借五本书。',
  ar: 'تفتح المكتبة أبوابها في الساعة التاسعة صباحا، ويمكن للأطفال استعارة خمسة كتب في المرة الواحدة.',
};

let lid: FastTextModel;
let tmp: string;

beforeAll(async () => {
  lid = await loadFastTextModel();
  tmp = mkdtempSync(join(tmpdir(), 'sift-fasttext-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('loadFastTextModel', () => {
  it('loads the lid.176.ftz bundled with the package', () => {
    expect(bundledLidModelPath()).toMatch(/lid\.176\.ftz$/);
    expect(lid.path).toBe(bundledLidModelPath());
    expect(lid.labels).toHaveLength(176);
    expect(lid.labels).toEqual(expect.arrayContaining(['en', 'fr', 'de', 'zh', 'ar']));
    expect(lid.labels.some((l) => l.startsWith('__label__'))).toBe(false);
    expect(lid.quantized).toBe(true);
  });

  it('loads a file once per thread: the same instance for the same file, however the path is written', async () => {
    expect(await loadFastTextModel()).toBe(lid);
    expect(await loadFastTextModel(bundledLidModelPath())).toBe(lid);
    expect(await loadFastTextModel(relative(process.cwd(), bundledLidModelPath()))).toBe(lid);
  });

  it('names the path when the model does not exist', async () => {
    const missing = join(tmp, 'no-such-model.bin');
    await expect(loadFastTextModel(missing)).rejects.toThrow(`fastText model not found: ${missing}`);
    // a failed load is not cached: the file can appear later
    await expect(loadFastTextModel(missing)).rejects.toThrow(missing);
  });

  it('rejects a folder, a file that is not a model, and a truncated model, naming the path', async () => {
    await expect(loadFastTextModel(tmp)).rejects.toThrow(`not a file: ${tmp}`);
    const text = join(tmp, 'notes.bin');
    writeFileSync(text, 'these are not model weights\n');
    await expect(loadFastTextModel(text)).rejects.toThrow(`not a fastText model (.bin/.ftz): ${text}`);
    const full = readFileSync(bundledLidModelPath());
    for (const cut of [200, 20_000, full.length - 1]) {
      const truncated = join(tmp, `truncated-${cut}.ftz`);
      writeFileSync(truncated, full.subarray(0, cut));
      await expect(loadFastTextModel(truncated)).rejects.toThrow(`corrupt or truncated fastText model ${truncated}`);
    }
  });
});

describe('predict', () => {
  it.each(Object.entries(SAMPLES))('detects %s', (lang, text) => {
    const [top] = lid.predict(text, 1, 0);
    expect(top!.label).toBe(lang);
    expect(top!.score).toBeGreaterThan(0.8);
  });

  it('returns k labels, best first, with probabilities, cut at the threshold', () => {
    const three = lid.predict(SAMPLES.fr!, 3, 0);
    expect(three).toHaveLength(3);
    expect(three[0]!.label).toBe('fr');
    for (let i = 1; i < three.length; i++) expect(three[i]!.score).toBeLessThanOrEqual(three[i - 1]!.score);
    const all = lid.predict(SAMPLES.fr!, -1, 0);
    expect(all.length).toBeGreaterThan(3);
    expect(all.reduce((s, p) => s + p.score, 0)).toBeCloseTo(1, 2);
    const above = lid.predict(SAMPLES.fr!, -1, 0.5);
    expect(above.map((p) => p.label)).toEqual(['fr']);
    expect(lid.predict(SAMPLES.fr!, 5, 0.999)).toEqual([]);
    expect(() => lid.predict('x', 0)).toThrow(/k must be/);
  });

  it('scores the whole text as one line, newlines replaced by spaces, as the reference tools do', () => {
    const text = `${SAMPLES.en}\n${SAMPLES.de}\n\n${SAMPLES.de}`;
    expect(toFastTextLine(text)).toBe(text.replaceAll('\n', ' '));
    expect(lid.predict(text, 2)).toEqual(lid.predict(text.replaceAll('\n', ' '), 2));
    // fastText alone would stop at the first newline and call this English
    expect(lid.predict(text, 1)[0]!.label).toBe('de');
  });

  it('gives text without words the answer fastText gives an empty line', () => {
    const empty = lid.predict('', 1);
    expect(empty).toHaveLength(1);
    for (const blank of [' ', '\n', '\n\n\t  \r\n', '\u000b\f']) expect(lid.predict(blank, 1)).toEqual(empty);
  });

  it('predicts a 5 MB line', () => {
    const para = `${SAMPLES.en} `;
    const big = para.repeat(Math.ceil(5_000_000 / para.length));
    expect(big.length).toBeGreaterThanOrEqual(5_000_000);
    const [top] = lid.predict(big, 1);
    expect(top!.label).toBe('en');
    expect(top!.score).toBeGreaterThan(0.9);
    // one 5 MB token
    expect(lid.predict('x'.repeat(5_000_000), 1)).toHaveLength(1);
    expect(lid.predict(SAMPLES.zh!, 1)[0]!.label).toBe('zh');
  });

  it('does not leak memory over many predictions', () => {
    const texts = [...Object.values(SAMPLES), 'ok', 'Hello world'];
    const round = (n: number) => {
      for (let i = 0; i < n; i++) lid.predict(texts[i % texts.length]!, 3, 0);
    };
    round(10_000);
    const heap = lid.wasmMemoryBytes;
    const rss = process.memoryUsage().rss;
    round(150_000);
    // a leak of even 100 bytes a prediction would grow the wasm memory by 15 MB
    expect(lid.wasmMemoryBytes).toBe(heap);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('trainSupervised', () => {
  it('trains a classifier that separates two topics, saves it, and loads back the same', async () => {
    const train = join(tmp, 'train.txt');
    const kitchen = topicDocs('kitchen', 150, 11).map((t) => `__label__kitchen ${toFastTextLine(t)}`);
    const sky = topicDocs('sky', 150, 12).map((t) => `__label__sky ${toFastTextLine(t)}`);
    // fastText reads the file in order: alternate the classes
    writeFileSync(train, kitchen.flatMap((k, i) => [k, sky[i]!]).join('\n') + '\n');
    const output = join(tmp, 'out', 'topics.bin');
    const progress: number[] = [];
    const model = await trainSupervised(train, {
      output,
      epoch: 10,
      dim: 16,
      wordNgrams: 2,
      bucket: 50_000,
      seed: 1,
      onProgress: (p) => progress.push(p.progress),
    });
    expect(model.path).toBe(output);
    expect([...model.labels].sort()).toEqual(['kitchen', 'sky']);
    expect(progress.length).toBeGreaterThan(0);

    const heldOut = [
      ...topicDocs('kitchen', 40, 99).map((t) => ['kitchen', t] as const),
      ...topicDocs('sky', 40, 98).map((t) => ['sky', t] as const),
    ];
    const correct = heldOut.filter(([gold, t]) => model.predict(t, 1)[0]!.label === gold).length;
    expect(correct / heldOut.length).toBeGreaterThanOrEqual(0.95);

    const loaded = await loadFastTextModel(output);
    expect(loaded).not.toBe(model);
    for (const [, t] of heldOut.slice(0, 10)) expect(loaded.predict(t, 2)).toEqual(model.predict(t, 2));
    await unloadFastTextModel(output);
    model.dispose();
    expect(() => model.predict('x')).toThrow(/disposed/);
  });

  it('names the input when it cannot be read, and explains a file without labels', async () => {
    const missing = join(tmp, 'missing.txt');
    await expect(trainSupervised(missing)).rejects.toThrow(missing);
    const unlabeled = join(tmp, 'unlabeled.txt');
    writeFileSync(unlabeled, 'no labels here\njust text\n');
    await expect(trainSupervised(unlabeled, { dim: 8 })).rejects.toThrow(`fastText training file ${unlabeled} has no labels`);
  });
});
