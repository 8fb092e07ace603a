import { describe, expect, it } from 'vitest';
import { Doc } from '../../src/core/document.js';
import type { Filter, Metrics } from '../../src/core/filter.js';
import gopherQuality, { gopherQualityOptions, gopherQualityVerdict } from '../../filters/gopher_quality.js';
import { readJsonlFile } from '../../src/io/whole-file.js';
import { describeWithSharedData, sharedPath } from '../helpers/shared-data.js';

const PARA =
  'The committee met on Tuesday to discuss the new budget for the city library. Members agreed that the ' +
  'building needs a new roof and better heating before the winter. They also talked about longer opening ' +
  'hours, because many students want to study in the evening. The mayor said that the council would look ' +
  'at the plan with care and report back next month.';

function run(text: string, opts: Record<string, unknown> = {}): { verdict: string | undefined; m: Metrics } {
  const f = gopherQuality.create(gopherQuality.options.parse(opts), { stageName: 'g', stageIndex: 0, resolvePath: (p) => p }) as Filter;
  const m: Metrics = {};
  const verdict = f.check(Doc.fromText(text), m) as string | undefined;
  return { verdict, m };
}

/** The verdict for given words (the rules on their own, without the tokenizer). */
function verdict(text: string, words: string[], opts: Record<string, unknown> = {}): string | undefined {
  return gopherQualityVerdict(text, words, gopherQualityOptions.parse(opts), {});
}

describe('gopher_quality', () => {
  it('keeps ordinary English prose and records its metrics', () => {
    const { verdict: v, m } = run(PARA);
    expect(v).toBeUndefined();
    expect(m.gopher_words).toBe(68); // 63 words and 5 punctuation tokens
    expect(m.gopher_non_symbol_words).toBe(63);
    expect(m.gopher_avg_word_len).toBeCloseTo(287 / 63, 9);
    expect(m.gopher_stop_words).toBe(5); // the to that and with, each counted once
    expect(m.gopher_alpha_words_ratio).toBeCloseTo(63 / 68, 9);
    expect(m.gopher_hash_ratio).toBe(0);
    expect(m.gopher_bullet_lines_ratio).toBe(0);
  });

  it('drops too short and too long documents, counting non-symbol words only', () => {
    expect(run('The cat sat on the mat.').verdict).toBe('gopher_short_doc');
    // 49 words and lots of punctuation tokens: still short
    const words = Array.from({ length: 49 }, () => 'word').concat(Array.from({ length: 30 }, () => '!'));
    expect(verdict(words.join(' '), words)).toBe('gopher_short_doc');
    expect(run(PARA, { max_doc_words: 60 }).verdict).toBe('gopher_long_doc');
    expect(run(PARA, { min_doc_words: 64 }).verdict).toBe('gopher_short_doc');
    expect(run(PARA, { min_doc_words: 63 }).verdict).toBeUndefined();
  });

  it('checks the mean word length in code points', () => {
    const short = Array.from({ length: 60 }, (_, i) => (i % 2 ? 'to' : 'the'));
    expect(verdict(short.join(' '), short)).toBe('gopher_below_avg_threshold');
    const long = Array.from({ length: 60 }, (_, i) => (i % 2 ? 'the' : 'internationalisation'));
    expect(verdict(long.join(' '), long)).toBe('gopher_above_avg_threshold');
    // 3 astral letters are 3 characters, not 6: a mean of 3 passes the lower bound
    const astral = Array.from({ length: 60 }, (_, i) => (i % 2 ? 'the' : '𝐀𝐁𝐂'));
    expect(verdict(astral.join(' '), astral)).toBe('gopher_enough_stop_words');
    expect(verdict(astral.join(' '), astral, { min_avg_word_length: 3.5 })).toBe('gopher_below_avg_threshold');
  });

  it('limits hashes and ellipses per word', () => {
    const hashes = `${PARA} ${'#news '.repeat(10)}`;
    expect(run(hashes).m.gopher_hash_ratio).toBeCloseTo(10 / 88, 9); // each '#news' is two tokens
    expect(run(hashes).verdict).toBe('gopher_too_many_hashes');
    expect(run(hashes, { max_symbol_word_ratio: 0.2 }).verdict).toBeUndefined();
    const dots = `${'and then... '.repeat(5)}${'so… '.repeat(5)}${PARA}`;
    expect(run(dots).verdict).toBe('gopher_too_many_ellipsis');
    expect(run(dots, { max_symbol_word_ratio: null }).verdict).toBeUndefined();
  });

  it('counts bullet lines (• or -) and lines ending with an ellipsis, blank lines included', () => {
    const items = Array.from({ length: 10 }, () => `  • ${PARA.slice(0, 80)}`).join('\n');
    expect(run(items).verdict).toBe('gopher_too_many_bullets');
    const dashes = Array.from({ length: 10 }, () => `- ${PARA.slice(0, 80)}`).join('\r\n');
    expect(run(dashes).verdict).toBe('gopher_too_many_bullets');
    // one blank line in ten: exactly 0.9 is not more than 0.9
    expect(run(`${Array.from({ length: 9 }, () => `• ${PARA.slice(0, 80)}`).join('\n')}\n\n${PARA}`).verdict).toBeUndefined();
    const trailing = [PARA, 'and so it went on...', 'and on…', 'the end'].join('\u2028');
    expect(run(trailing).m.gopher_end_ellipsis_lines_ratio).toBe(0.5);
    expect(run(trailing).verdict).toBe('gopher_too_many_end_ellipsis');
  });

  it('wants 80% of the words to hold a letter', () => {
    const numbers = `${PARA} ${'12 34 56 78 90 '.repeat(4)}`;
    expect(run(numbers).verdict).toBe('gopher_below_alpha_threshold');
    expect(run(numbers, { max_non_alpha_words_ratio: 0.7 }).verdict).toBeUndefined();
  });

  it('wants two distinct stop words, case-sensitive, from a configurable list', () => {
    const words = Array.from({ length: 60 }, (_, i) => (i === 0 ? 'the' : i % 7 ? 'words' : 'the'));
    expect(verdict(words.join(' '), words)).toBe('gopher_enough_stop_words');
    const upper = PARA.replace(/\b(the|to|of|and|that|have|with|for|be)\b/g, (w) => w.toUpperCase());
    expect(run(upper).verdict).toBe('gopher_enough_stop_words');
    expect(run(upper, { stop_words: ['THE', 'TO'] }).verdict).toBeUndefined();
    expect(run(upper, { min_stop_words: null }).verdict).toBeUndefined();
  });

  it('judges non-English text by the same English rules', () => {
    const ru = 'Комитет собрался во вторник, чтобы обсудить новый бюджет городской библиотеки. '.repeat(8);
    expect(run(ru).verdict).toBe('gopher_enough_stop_words');
    const zh = '委员会星期二开会讨论了城市图书馆的新预算。'.repeat(30);
    expect(run(zh).verdict).toBe('gopher_short_doc');
  });

  it('gives empty and blank text a defined outcome', () => {
    expect(run('').verdict).toBe('gopher_short_doc');
    expect(run(' \n\t\u3000 ').verdict).toBe('gopher_short_doc');
    expect(run('', { min_doc_words: null }).verdict).toBe('empty');
    expect(run('', { min_doc_words: null }).m.gopher_avg_word_len).toBeNull();
    expect(run('', { min_doc_words: null }).m.gopher_hash_ratio).toBeNull();
    expect(run('...', { min_doc_words: null }).verdict).toBe('gopher_too_many_ellipsis');
    expect(run('!! ??', { min_doc_words: null }).verdict).toBe('gopher_below_alpha_threshold');
  });

  it('rejects bad options', () => {
    expect(gopherQualityOptions.safeParse({ min_doc_words: -1 }).success).toBe(false);
    expect(gopherQualityOptions.safeParse({ unknown: 1 }).success).toBe(false);
  });

  it('runs in linear time on degenerate input', () => {
    const t = performance.now();
    expect(run('a'.repeat(10_000_000)).verdict).toBe('gopher_short_doc');
    expect(run('\n'.repeat(1_000_000)).verdict).toBe('gopher_short_doc');
    expect(run(`${PARA} `.repeat(12_000)).verdict).toBe('gopher_long_doc'); // one 4 MB line
    expect(performance.now() - t).toBeLessThan(30_000);
  });
});

interface RefRow {
  id: string;
  gopher_quality: { keep: boolean; reason: string | null };
}

describeWithSharedData('gopher_quality parity on the dev corpus', ['parity', 'dev', 'tokens.jsonl.zst'], () => {
  it('matches the reference decision and reason on every document, given the reference tokens', () => {
    const docs: { id: string; text?: string }[] = [];
    for (let s = 0; s < 4; s++) docs.push(...readJsonlFile<{ id: string; text?: string }>(sharedPath('corpus', 'dev', `dev-000${s}.jsonl.zst`)));
    const refs = readJsonlFile<RefRow>(sharedPath('parity', 'dev', 'filters.jsonl.zst'));
    const tokens = readJsonlFile<{ id: string; tokens: string[] }>(sharedPath('parity', 'dev', 'tokens.jsonl.zst'));
    const o = gopherQualityOptions.parse({});
    const wrong: string[] = [];
    docs.forEach((d, i) => {
      const ours = gopherQualityVerdict(d.text ?? '', tokens[i]!.tokens, o, {});
      const ref = refs[i]!.gopher_quality;
      if ((ours ?? null) !== (ref.keep ? null : ref.reason)) wrong.push(`${d.id}: ${ours} vs ${ref.reason}`);
    });
    expect(wrong).toEqual([]);
  });
});
