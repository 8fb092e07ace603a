import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Doc, type JsonObject } from '../../src/core/document.js';
import type { Filter, Metrics, Verdict } from '../../src/core/filter.js';
import c4Badwords from '../../filters/c4_badwords.js';
import { removeTempDirs, tempDir, writeCompressed } from '../helpers/fixtures.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'badwords');
const ctx = { stageName: 'c4_badwords', stageIndex: 1, resolvePath: (p: string) => resolve(FIXTURES, p) };
const LISTS = { en: 'en.txt', ja: 'ja.txt', zh: 'zh.txt' };

afterAll(removeTempDirs);

async function make(opts: Record<string, unknown> = {}): Promise<Filter> {
  return c4Badwords.create(c4Badwords.options.parse({ lists: LISTS, ...opts }), ctx);
}

async function check(f: Filter, text: string, language?: string, id = 'doc'): Promise<{ verdict: Verdict; m: Metrics }> {
  const record: JsonObject = { id, text, ...(language === undefined ? {} : { metadata: { language } }) };
  const m: Metrics = {};
  const verdict = await f.check(Doc.fromText(text, id, record), m);
  return { verdict, m };
}

const DROP = 'document_removed_with_badwords';

describe('c4_badwords: matching', () => {
  it('matches whole words, case-insensitively, in languages with spaces', async () => {
    const f = await make();
    expect(await check(f, 'Well, DARN it!')).toEqual({ verdict: DROP, m: { badwords_lang: 'en', badwords_count: 1, badwords_first: 'darn' } });
    for (const t of ['darn', 'x-darn-y', '(heck)', 'it was "crud".', 'oh d@ng!', 'and\ndarn\n', 'tab\tfrick\t']) {
      expect((await check(f, t)).verdict, t).toBe(DROP);
    }
    for (const t of ['darned socks', 'undarn', 'darn_it', 'darn1', 'heckle', 'checkers', 'd@nger', 'ádarn', 'darné']) {
      expect(await check(f, t), t).toEqual({ verdict: undefined, m: { badwords_lang: 'en', badwords_count: 0, badwords_first: null } });
    }
  });

  it('matches phrases, counts every occurrence and names the first', async () => {
    const f = await make();
    expect((await check(f, 'Gosh darn, heck, and darn again.')).m).toEqual({ badwords_lang: 'en', badwords_count: 4, badwords_first: 'gosh darn' });
    expect((await check(f, 'heck heck heck')).m.badwords_count).toBe(3);
  });

  it('matches substrings in languages written without spaces, minus the allowlist', async () => {
    const f = await make();
    expect(await check(f, 'あなたはばかですか', 'ja')).toEqual({ verdict: DROP, m: { badwords_lang: 'ja', badwords_count: 1, badwords_first: 'ばか' } });
    expect(await check(f, '他是个笨蛋吧', 'zh')).toEqual({ verdict: DROP, m: { badwords_lang: 'zh', badwords_count: 1, badwords_first: '笨蛋' } });
    // "sm" (ja) and "性" (zh) are in the default allowlist: common parts of ordinary words
    expect((await check(f, 'smile スマイル', 'ja')).verdict).toBeUndefined();
    expect((await check(f, '性能很好', 'zh')).verdict).toBeUndefined();
    const noAllow = await make({ allowlist: {} });
    expect((await check(noAllow, '性能很好', 'zh')).verdict).toBe(DROP);
    const allSubstrings = await make({ substring_languages: ['en'] });
    expect((await check(allSubstrings, 'darned socks')).verdict).toBe(DROP);
  });
});

describe('c4_badwords: languages', () => {
  it('takes the language from the record, its lowercase form or primary subtag, else the default', async () => {
    const f = await make();
    expect((await check(f, '笨蛋', 'zh-Hans')).m.badwords_lang).toBe('zh');
    expect((await check(f, '笨蛋', 'ZH_TW')).verdict).toBe(DROP);
    expect((await check(f, 'darn', 'EN')).verdict).toBe(DROP);
    expect((await check(f, 'darn')).m.badwords_lang).toBe('en');
    expect((await check(f, 'darn', '')).m.badwords_lang).toBe('en');
    const de = await make({ default_language: 'de' });
    expect(await check(de, 'darn')).toEqual({ verdict: undefined, m: { badwords_lang: 'de', badwords_count: null, badwords_first: null } });
  });

  it('keeps documents in languages without a list', async () => {
    const f = await make();
    expect(await check(f, 'darn', 'fr')).toEqual({ verdict: undefined, m: { badwords_lang: 'fr', badwords_count: null, badwords_first: null } });
  });

  it('reads a configured language field', async () => {
    const f = await make({ language_field: 'lang.code' });
    const m: Metrics = {};
    expect(await f.check(Doc.fromText('笨蛋', 'x', { id: 'x', text: '笨蛋', lang: { code: 'zh' } }), m)).toBe(DROP);
    expect(m.badwords_lang).toBe('zh');
  });
});

describe('c4_badwords: keep_fraction', () => {
  async function keptIds(keep_fraction: number, seed: number): Promise<Set<string>> {
    const f = await make({ keep_fraction, seed });
    const out = new Set<string>();
    for (let i = 0; i < 4000; i++) if ((await check(f, 'darn', undefined, `doc-${i}`)).verdict === undefined) out.add(`doc-${i}`);
    return out;
  }

  it('keeps a deterministic share of flagged documents by id', async () => {
    const a = await keptIds(0.25, 3);
    expect(a.size / 4000).toBeGreaterThan(0.22);
    expect(a.size / 4000).toBeLessThan(0.28);
    expect(await keptIds(0.25, 3)).toEqual(a);
    const b = await keptIds(0.25, 4);
    expect([...a].filter((id) => b.has(id)).length / a.size).toBeLessThan(0.4);
    expect((await keptIds(0, 3)).size).toBe(0);
    expect((await keptIds(1, 3)).size).toBe(4000);
  });
});

describe('c4_badwords: lists and options', () => {
  it('reads compressed lists and fails clearly on a missing or empty one', async () => {
    const dir = tempDir();
    writeCompressed(join(dir, 'en.txt.zst'), 'zonk\n');
    writeCompressed(join(dir, 'blank.txt'), '\n# only a comment\n');
    const f = await make({ lists: { en: join(dir, 'en.txt.zst') } });
    expect((await check(f, 'Zonk!')).verdict).toBe(DROP);
    await expect(make({ lists: { en: 'missing.txt' } })).rejects.toThrow(/c4_badwords: list of "en": cannot read .*missing\.txt/);
    await expect(make({ lists: { en: join(dir, 'blank.txt') } })).rejects.toThrow(/blank\.txt has no entries/);
  });

  it('rejects bad options', () => {
    expect(c4Badwords.options.safeParse({ lists: {} }).success).toBe(false);
    expect(c4Badwords.options.safeParse({}).success).toBe(false);
    expect(c4Badwords.options.safeParse({ lists: LISTS, keep_fraction: 1.5 }).success).toBe(false);
    expect(c4Badwords.options.safeParse({ lists: LISTS, language: 'en' }).success).toBe(false);
  });
});

describe('c4_badwords: edge cases', () => {
  it('handles empty, whitespace-only, astral-plane, CRLF and very long texts', async () => {
    const f = await make();
    for (const t of ['', ' \t\r\n ']) expect(await check(f, t)).toEqual({ verdict: undefined, m: { badwords_lang: 'en', badwords_count: 0, badwords_first: null } });
    // an astral letter is a word character (no boundary); an emoji is not
    expect((await check(f, '𝐚darn 𝐛heck')).verdict).toBeUndefined();
    expect((await check(f, '😀darn😀')).verdict).toBe(DROP);
    expect((await check(f, 'line one\r\ndarn\r\n')).verdict).toBe(DROP);
    const long = `${'clean words only, nothing to see. '.repeat(160_000)}heck`;
    expect(long.length).toBeGreaterThan(5_000_000);
    const t = performance.now();
    expect(await check(f, long)).toEqual({ verdict: DROP, m: { badwords_lang: 'en', badwords_count: 1, badwords_first: 'heck' } });
    expect(performance.now() - t).toBeLessThan(5000);
  });

  it('runs in linear time on repetitive input', async () => {
    const f = await make({ lists: { en: 'en.txt', zh: 'zh.txt' } });
    const n = 5 * 1024 * 1024;
    const time = async (text: string, language?: string): Promise<number> => {
      const t = performance.now();
      await check(f, text, language);
      return performance.now() - t;
    };
    const base = await time('the quick brown fox jumps over the lazy dog. '.repeat(n / 45));
    // prefixes of list words over and over: every position extends a partial match
    for (const [text, language] of [
      ['gosh '.repeat(n / 5), 'en'],
      ['d'.repeat(n), 'en'],
      ['darn'.repeat(n / 4), 'en'],
      ['笨'.repeat(n), 'zh'],
    ] as const) {
      expect(await time(text, language)).toBeLessThan(Math.max(20 * base, 500));
    }
  });
});
