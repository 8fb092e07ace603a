import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBenchmarks } from '../../src/decon/benchmarks.js';
import { buildDeconIndex, buildIndexFromItems, IndexFileError, loadDeconIndex, parseDeconIndex, saveDeconIndex, serializeDeconIndex } from '../../src/decon/index.js';
import { matchText } from '../../src/decon/match.js';
import { removeTempDirs, tempDir } from '../helpers/fixtures.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { benchmarks, wordsText } from './helpers.js';

afterAll(removeTempDirs);

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'decon');

function fixtureYaml(dir: string): string {
  const yaml = join(dir, 'benchmarks.yaml');
  writeFileSync(
    yaml,
    [
      'benchmarks:',
      `  - {name: gsm8k, split: test, files: ${join(FIXTURES, 'gsm8k-test-head20.jsonl')}, fields: [question, answer]}`,
      `  - {name: humaneval, files: ${join(FIXTURES, 'humaneval-head6.jsonl')}, fields: [prompt, canonical_solution], id_field: task_id}`,
    ].join('\n'),
  );
  return yaml;
}

describe('index build, save and load', () => {
  it('writes the index and its sidecar, and loads it back identical', async () => {
    const dir = tempDir();
    const file = join(dir, 'bench.decon');
    const report = await buildDeconIndex(fixtureYaml(dir), file, { n: 8 });
    expect(report.items).toBe(26);
    expect(report.settings).toEqual({ n: 8, minWords: 6, maxItemsPerNgram: 10, stride: 4, normalization: 1 });
    expect(report.benchmarks.map((b) => [b.name, b.items, b.indexedItems])).toEqual([
      ['gsm8k', 20, 20],
      ['humaneval', 6, 6],
    ]);
    const sidecar = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { n: number; benchmarks: { name: string; items: number }[] };
    expect(sidecar.n).toBe(8);
    expect(sidecar.benchmarks.map((b) => [b.name, b.items])).toEqual([
      ['gsm8k', 20],
      ['humaneval', 6],
    ]);

    const loaded = await loadBenchmarks(fixtureYaml(dir));
    const built = buildIndexFromItems(loaded, { n: 8 }).index;
    const index = loadDeconIndex(file);
    expect(index.settings).toEqual(built.settings);
    expect(index.benchmarks).toEqual(built.benchmarks);
    for (const [name, array] of Object.entries(built.arrays)) expect([name, Array.from(index.arrays[name as keyof typeof built.arrays])]).toEqual([name, Array.from(array)]);
    expect(index.benchmarks[1]!.ids).toEqual(['HumanEval/0', 'HumanEval/1', 'HumanEval/2', 'HumanEval/3', 'HumanEval/4', 'HumanEval/5']);
    expect(index.benchmarks[0]!.ids).toBeNull();

    const question = loaded.items[3]!.parts[0]![0]!;
    const doc = `Some unrelated words first.\n${question}\nAnd then more words.`;
    expect(matchText(index, doc)).toEqual(matchText(built, doc));
    expect(matchText(index, doc).hits[0]).toMatchObject({ benchmark: 'gsm8k', split: 'test', item: 3, part: 'question', coverage: 1 });
    expect(matchText(index, loaded.items[22]!.parts[0]![0]!).hits[0]).toMatchObject({ benchmark: 'humaneval', id: 'HumanEval/2', part: 'prompt' });
  });

  it('refuses a damaged, truncated or foreign file with a clear error', async () => {
    const dir = tempDir();
    const file = join(dir, 'bench.decon');
    await buildDeconIndex(fixtureYaml(dir), file);
    const good = readFileSync(file);
    const errorOf = (bytes: Uint8Array): string => {
      try {
        parseDeconIndex(bytes, 'x.decon');
      } catch (e) {
        expect(e).toBeInstanceOf(IndexFileError);
        return (e as Error).message;
      }
      throw new Error('expected the index to be refused');
    };
    const flipped = Buffer.from(good);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x40;
    expect(errorOf(flipped)).toBe('x.decon: damaged: the checksum does not match the contents');
    expect(errorOf(good.subarray(0, good.length - 100))).toBe(`x.decon: truncated: ${good.length - 100} of ${good.length} bytes`);
    expect(errorOf(Buffer.concat([good, Buffer.from('xx')]))).toBe(`x.decon: 2 unexpected bytes after the end of the index (${good.length} bytes)`);
    expect(errorOf(Buffer.from('{"not": "an index"}'))).toMatch(/^x\.decon: not a sift decontamination index/);
    const newer = Buffer.from(good);
    newer.writeUInt32LE(99, 8);
    expect(errorOf(newer)).toBe('x.decon: index format version 99; this sift reads version 1: rebuild the index');
    writeFileSync(join(dir, 'bad.decon'), flipped);
    expect(() => loadDeconIndex(join(dir, 'bad.decon'))).toThrow(/bad\.decon: damaged/);
    expect(() => loadDeconIndex(join(dir, 'missing.decon'))).toThrow(/missing\.decon: cannot read the decontamination index: ENOENT/);
    // bytes that do not start at an aligned offset still load
    const shifted = Buffer.alloc(good.length + 3);
    good.copy(shifted, 3);
    expect(parseDeconIndex(shifted.subarray(3)).keyCount).toBe(loadDeconIndex(file).keyCount);
  });

  it('serializes deterministically', async () => {
    const dir = tempDir();
    const loaded = await loadBenchmarks(fixtureYaml(dir));
    const a = serializeDeconIndex(buildIndexFromItems(loaded).index);
    const b = serializeDeconIndex(buildIndexFromItems(loaded).index);
    expect(a.equals(b)).toBe(true);
    saveDeconIndex(buildIndexFromItems(loaded).index, join(dir, 'x.decon'));
    expect(readFileSync(join(dir, 'x.decon')).equals(a)).toBe(true);
  });

  it('creates the folder of the index file when it does not exist yet', async () => {
    const dir = tempDir();
    const loaded = await loadBenchmarks(fixtureYaml(dir));
    const file = join(dir, 'new', 'folder', 'x.decon');
    saveDeconIndex(buildIndexFromItems(loaded).index, file);
    expect(loadDeconIndex(file).keyCount).toBeGreaterThan(0);
  });
});

describe('what the index keeps', () => {
  it('drops n-grams shared by more than max_items_per_ngram texts (boilerplate)', () => {
    const prefix = wordsText('shared', 13);
    const items = Array.from({ length: 12 }, (_, i) => [`${prefix} ${wordsText(`own${i}x`, 20)}`]);
    const b = benchmarks({ name: 'tpl', parts: ['input'], items });
    const capped = buildIndexFromItems(b, { stride: 1 }).index;
    expect(matchText(capped, `intro ${prefix} outro`, { mode: 'any' }).hits).toEqual([]);
    expect(matchText(capped, items[5]![0] as string).hits.map((h) => h.item)).toEqual([5]);
    const loose = buildIndexFromItems(b, { stride: 1, maxItemsPerNgram: 12 }).index;
    expect(matchText(loose, `intro ${prefix} outro`, { mode: 'any' }).hits).toHaveLength(12);
  });

  it('stores a text shared by several items once, and reports every item', () => {
    const passage = wordsText('passage', 40);
    const items = Array.from({ length: 11 }, (_, i) => [passage, `question number ${wordsText(`q${i}x`, 8)}`]);
    const { index } = buildIndexFromItems(benchmarks({ name: 'rc', parts: ['passage', 'question'], items }));
    expect(index.textCount).toBe(12);
    const hits = matchText(index, `Read this. ${passage} Done.`).hits;
    expect(hits.map((h) => [h.item, h.part, h.coverage])).toEqual(Array.from({ length: 11 }, (_, i) => [i, 'passage', 1]));
  });

  it('does not index n-grams made only of counting numbers, but keeps other number sequences', () => {
    const counting = Array.from({ length: 20 }, (_, i) => String(i + 1)).join(', ');
    const sums = '((-1 + 2 + 9 * 5) - (-2 + -4 + -4 * -7)) = 24; ((3 * -3 * 6 + -5) - (-2 + -7 - 7 - -7)) = -50';
    const { index } = buildIndexFromItems(benchmarks({ name: 'nums', parts: ['x'], items: [[counting], [sums]] }), { stride: 1 });
    expect(matchText(index, `pages ${counting}`, { mode: 'any' }).hits).toEqual([]);
    expect(matchText(index, `work: ${sums}`).hits.map((h) => h.item)).toEqual([1]);
  });

  it('indexes every stride-th n-gram and the last one', () => {
    const text = wordsText('w', 30); // 18 windows of 13 words: 0, 4, 8, 12, 16 and 17
    const { index, counts } = buildIndexFromItems(benchmarks({ name: 'long', parts: ['text'], items: [[text]] }), { stride: 4 });
    expect(counts[0]!.ngrams).toBe(6);
    expect(index.keyCount).toBe(6);
    // any 16 consecutive words hold an indexed n-gram
    for (let from = 0; from + 16 <= 30; from++) {
      expect(matchText(index, `x ${wordsText('w', 16, from)} y`, { mode: 'any' }).hits).toHaveLength(1);
    }
  });

  it('rejects bad settings', () => {
    const b = benchmarks({ name: 'x', parts: ['t'], items: [['some words here']] });
    expect(() => buildIndexFromItems(b, { n: 0 })).toThrow('n must be an integer from 1 to 64, not 0');
    expect(() => buildIndexFromItems(b, { stride: 1.5 })).toThrow('stride must be an integer');
  });
});
