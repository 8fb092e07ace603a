import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import language from '../../filters/language.js';
import { loadFastTextModel, type FastTextModel } from '../../src/classify/fasttext.js';
import { Doc } from '../../src/core/document.js';
import type { Filter, Metrics, Verdict } from '../../src/core/filter.js';
import { readJsonlFile } from '../../src/io/whole-file.js';
import { describeWithSharedData, sharedPath } from '../helpers/shared-data.js';

const EN = [
  'The village council met on Tuesday evening to discuss the new footpath along the river.',
  'Most residents agreed that the path should be finished before the summer holidays begin.',
  'A few farmers worried about walkers leaving gates open, so the council promised clear signs.',
];
const FR = "Le conseil municipal s'est réuni mardi soir pour parler du nouveau sentier le long de la rivière.";
const DE = 'Der Gemeinderat traf sich am Dienstagabend, um über den neuen Fußweg am Fluss zu sprechen.';
const ZH = '村委会星期二晚上开会，讨论沿河修建新步道的事情。';
const AR = 'اجتمع مجلس القرية مساء الثلاثاء لمناقشة الممر الجديد على طول النهر.';

let tmp: string;
let lid: FastTextModel;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sift-language-'));
  lid = await loadFastTextModel();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ctx = { stageName: 'language', stageIndex: 1, resolvePath: (p: string) => resolve(tmp, p) };

function make(options: Record<string, unknown> = {}): Promise<Filter> {
  return Promise.resolve(language.create(language.options.parse(options), ctx));
}

async function run(f: Filter, text: string): Promise<{ verdict: Verdict; m: Metrics }> {
  const m: Metrics = {};
  const verdict = await f.check(Doc.fromText(text), m);
  return { verdict, m };
}

describe('language filter, document level', () => {
  it.each([
    ['en', EN.join(' ')],
    ['fr', FR],
    ['de', DE],
    ['zh', ZH],
    ['ar', AR],
  ])('records %s and keeps it when listed', async (lang, text) => {
    const { verdict, m } = await run(await make({ languages: [lang] }), text);
    expect(m.lang).toBe(lang);
    expect(m.lang_score).toBeGreaterThan(0.8);
    expect(verdict).toBeUndefined();
  });

  it('drops other languages with reason "language", and takes a single code or __label__ codes', async () => {
    const f = await make({ languages: ['en', '__label__de'] });
    expect((await run(f, FR)).verdict).toBe('language');
    expect((await run(f, DE)).verdict).toBeUndefined();
    const single = await make({ languages: 'fr' });
    expect((await run(single, FR)).verdict).toBeUndefined();
    expect((await run(single, DE)).verdict).toBe('language');
  });

  it('with no list keeps any language whose score is above the threshold (datatrove semantics)', async () => {
    const f = await make();
    for (const t of [FR, DE, ZH, AR]) expect((await run(f, t)).verdict).toBeUndefined();
    const weak = 'ok';
    const score = lid.predict(weak, 1)[0]!.score;
    expect(score).toBeLessThan(0.65);
    const { verdict, m } = await run(f, weak);
    expect(m.lang_score).toBe(score);
    expect(verdict).toBe('language');
  });

  it('keeps a document only when the score is strictly above the threshold', async () => {
    const text = 'Merci beaucoup, see you tomorrow';
    const [top] = lid.predict(text, 1);
    const lang = top!.label;
    expect((await run(await make({ languages: [lang], threshold: top!.score - 0.01 }), text)).verdict).toBeUndefined();
    expect((await run(await make({ languages: [lang], threshold: top!.score }), text)).verdict).toBe('language');
  });

  it('keeps a listed language that is not the top one when it scores above a low threshold', async () => {
    const text = 'Guten Morgen und vielen Dank. Good morning and many thanks to all of you.';
    const [first, second] = lid.predict(text, 2);
    expect(second!.score).toBeGreaterThan(0.15);
    const f = await make({ languages: [second!.label], threshold: 0.15 });
    const { verdict, m } = await run(f, text);
    expect(m.lang).toBe(first!.label);
    expect(verdict).toBeUndefined();
    expect((await run(await make({ languages: [second!.label], threshold: second!.score }), text)).verdict).toBe('language');
  });

  it('scores multi-line text as one line', async () => {
    const text = `${EN[0]}\n${DE}\n${DE}\n${DE}`;
    const { m } = await run(await make(), text);
    expect(m.lang).toBe('de');
    expect(m.lang_score).toBe(lid.predict(text.replaceAll('\n', ' '), 1)[0]!.score);
  });

  it('gives empty and whitespace-only text no language and drops it', async () => {
    for (const f of [await make(), await make({ languages: ['en'], threshold: 0 })]) {
      for (const text of ['', '   ', '\n\n', ' \t\r\n\u3000']) {
        const { verdict, m } = await run(f, text);
        expect(m).toEqual({ lang: null, lang_score: 0 });
        expect(verdict).toBe('language');
      }
    }
  });

  it('rejects language codes the model does not have, listing what it has', async () => {
    await expect(make({ languages: ['eng'] })).rejects.toThrow(/"eng" not among the labels of .*lid\.176\.ftz \(176 labels, e\.g\. en, /);
  });

  it('resolves `model` through the context and names a missing model', async () => {
    await expect(make({ model: 'models/lid.176.bin' })).rejects.toThrow(`fastText model not found: ${join(tmp, 'models', 'lid.176.bin')}`);
  });

  it('rejects unknown options', () => {
    expect(() => language.options.parse({ langs: ['en'] })).toThrow();
    expect(() => language.options.parse({ level: 'sentence' })).toThrow();
  });
});

describe('language filter, paragraph level', () => {
  const mixed = [EN[0], '', FR, '', EN[1], EN[2]].join('\n');

  it('records the character share of the kept languages and decides by min_fraction', async () => {
    const enChars = EN.join('').length;
    const share = enChars / (enChars + FR.length);
    const { verdict, m } = await run(await make({ languages: ['en'], level: 'paragraph' }), mixed);
    expect(m.lang).toBe('en');
    expect(m.lang_fraction as number).toBeGreaterThan(share - 0.05);
    expect(m.lang_fraction as number).toBeLessThanOrEqual(share + 0.01);
    expect(m.lang_score as number).toBeCloseTo(m.lang_fraction as number, 2);
    expect(verdict).toBeUndefined();
    const strict = await make({ languages: ['en'], level: 'paragraph', min_fraction: 0.9 });
    expect((await run(strict, mixed)).verdict).toBe('language_fraction');
    const french = await make({ languages: ['fr'], level: 'paragraph' });
    const fr = await run(french, mixed);
    expect(fr.m.lang_fraction as number).toBeGreaterThan(1 - share - 0.05);
    expect(fr.verdict).toBe('language_fraction');
    const both = await run(await make({ languages: ['fr', 'en'], level: 'paragraph', min_fraction: 0.95 }), mixed);
    expect(both.verdict).toBeUndefined();
  });

  it('with no list counts every language as kept', async () => {
    const { verdict, m } = await run(await make({ level: 'paragraph' }), mixed);
    expect(m.lang_fraction).toBe(1);
    expect(verdict).toBeUndefined();
  });

  it('gives empty and whitespace-only text no language and drops it', async () => {
    const f = await make({ languages: ['en'], level: 'paragraph', min_fraction: 0 });
    for (const text of ['', '\n \n\t\n']) {
      const { verdict, m } = await run(f, text);
      expect(m).toEqual({ lang: null, lang_score: 0, lang_fraction: 0 });
      expect(verdict).toBe('language_fraction');
    }
  });
});

interface LangRec {
  text: string;
  metadata: { lang?: string; bcp47?: string };
}

describeWithSharedData('language filter on shared language-ID data', ['langid'], () => {
  it('names the language of UDHR translations', async () => {
    const docs = readJsonlFile<LangRec & { id: string }>(sharedPath('langid', 'udhr.jsonl.zst'));
    const f = await make();
    const expected: Record<string, string> = {
      'udhr-eng': 'en',
      'udhr-fra': 'fr',
      'udhr-deu_1996': 'de',
      'udhr-spa': 'es',
      'udhr-rus': 'ru',
      'udhr-arb': 'ar',
      'udhr-jpn': 'ja',
      'udhr-hin': 'hi',
      'udhr-cmn_hans': 'zh',
      'udhr-cmn_hant': 'zh',
    };
    for (const [id, lang] of Object.entries(expected)) {
      const doc = docs.find((d) => d.id === id);
      expect(doc, id).toBeDefined();
      const { verdict, m } = await run(f, doc!.text);
      expect(m.lang, id).toBe(lang);
      expect(verdict, id).toBeUndefined();
    }
  });

  it('is right on nine in ten lingua sentences in languages lid.176 has', async () => {
    const docs = readJsonlFile<LangRec>(sharedPath('langid', 'lingua_sentences.jsonl.zst'));
    const labels = new Set(lid.labels);
    const covered = docs.filter((d) => labels.has(d.metadata.lang!));
    const f = await make();
    let ok = 0;
    for (const d of covered) if ((await run(f, d.text)).m.lang === d.metadata.lang) ok++;
    // lid.176.ftz on these 13,200 sentences: 89.4% (see scripts/bench-langid.ts)
    expect(ok / covered.length).toBeGreaterThan(0.88);
  });
});
