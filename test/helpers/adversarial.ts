/**
 * Pathological documents and the stages to feed them to: every registered per-document stage (with
 * options that make it do its full work), and the per-document parts of the corpus-wide stages. Used
 * by the linear-time test and by `npm run bench -- adversarial`, which prints the time ratios.
 */
import { join } from 'node:path';
import { filters } from '../../filters/index.js';
import { normalizeKey } from '../../filters/dedup_exact.js';
import { bundledLidModelPath } from '../../src/classify/fasttext.js';
import { Doc } from '../../src/core/document.js';
import type { Filter, Metrics } from '../../src/core/filter.js';
import { buildIndexFromItems, saveDeconIndex } from '../../src/decon/index.js';
import { loadBenchmarks } from '../../src/decon/benchmarks.js';
import { MinhashSigner } from '../../src/dedup/minhash/index.js';
import { REPO_ROOT } from './shared-data.js';

export const SIZE = 10 * 1024 * 1024;

const PROSE =
  'The harbour town woke slowly that morning. Fishermen checked their nets, a baker opened his shutters, and ' +
  'children ran along the sea wall before school. By noon the market square was full: cheese, apples, rope, ' +
  'candles and news from the villages up the valley. Prices had risen since spring (some said by 10%), and ' +
  'the mayor promised to look into it at the council meeting on Thursday. Nobody believed him.\n\n';

/** 10 MB of ordinary text, and of each pathological kind. */
export const INPUTS: Record<string, () => string> = {
  ordinary: () => PROSE.repeat(Math.ceil(SIZE / PROSE.length)).slice(0, SIZE),
  'one repeated character': () => 'a'.repeat(SIZE),
  'no spaces': () => 'word,and.more-words;punct(123)'.repeat(SIZE / 30),
  'a million empty lines': () => '\n'.repeat(1_000_000) + PROSE.repeat(Math.ceil((SIZE - 1_000_000) / PROSE.length)).slice(0, SIZE - 1_000_000),
  'one giant word': () => 'abcdefghij'.repeat(SIZE / 10),
  'combining marks': () => 'a' + '\u0301'.repeat(SIZE - 1),
};

/** Options for each per-document stage type, so that it runs all its rules. */
export async function stageOptions(dir: string): Promise<Record<string, Record<string, unknown>>> {
  const fixtures = join(REPO_ROOT, 'test', 'fixtures');
  const bench = join(dir, 'bench.yaml');
  const { writeFileSync, copyFileSync } = await import('node:fs');
  copyFileSync(join(fixtures, 'decon', 'gsm8k-test-head20.jsonl'), join(dir, 'gsm8k.jsonl'));
  writeFileSync(bench, 'benchmarks:\n  - name: gsm8k\n    files: [gsm8k.jsonl]\n    fields: [question, answer]\n');
  const index = join(dir, 'bench.idx');
  saveDeconIndex(buildIndexFromItems(await loadBenchmarks(bench)).index, index);
  return {
    length: { min_words: 5, max_words: 1_000_000_000 },
    sample: { rate: 0.5 },
    language: { languages: ['en'], level: 'paragraph' },
    fasttext_classifier: { model: bundledLidModelPath(), label: 'en', threshold: 0.5 },
    pii: { action: 'mask' },
    url: { field: 'text', blocklist_files: [join(fixtures, 'url', 'blocklist.txt')], banned_words_files: [join(fixtures, 'url', 'banned_words.txt')] },
    c4_badwords: { lists: { en: join(fixtures, 'badwords', 'en.txt') } },
    decon: { index, match: 'any', action: 'remove_spans' },
    gopher_quality: {},
    gopher_repetition: {},
    c4_quality: {},
    fineweb_quality: {},
  };
}

export interface Runner {
  name: string;
  run(text: string): void | Promise<void>;
}

/** A runner per registered per-document stage, plus the per-document work of the corpus-wide ones. */
export async function runners(dir: string): Promise<Runner[]> {
  const opts = await stageOptions(dir);
  const out: Runner[] = [];
  for (const def of filters) {
    const o = opts[def.type];
    if (!o) throw new Error(`no adversarial options for stage type ${def.type}: add them to test/helpers/adversarial.ts`);
    const filter: Filter = await def.create(def.options.parse(o), { stageName: def.type, stageIndex: 1, resolvePath: (p) => p });
    await filter.beginShard?.({ index: 0, path: '', label: '', bytes: 0, format: 'jsonl', compression: 'none' }, { reportFile: () => join(dir, `${def.type}.parquet`) });
    out.push({
      name: def.type,
      async run(text) {
        const m: Metrics = {};
        const r = filter.check(Doc.fromText(text, 'x', { id: 'x', text, url: text.slice(0, 2000) }), m);
        if (r instanceof Promise) await r;
      },
    });
  }
  const signer = new MinhashSigner();
  out.push({ name: 'minhash (signature)', run: (t) => void signer.sign(t) });
  out.push({ name: 'dedup_exact (key)', run: (t) => void normalizeKey(t) });
  return out;
}

/** Best of `rounds` wall times of `fn`, in ms. */
export async function bestTime(fn: () => void | Promise<void>, rounds = 3): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
