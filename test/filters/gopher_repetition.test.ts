import { describe, expect, it } from 'vitest';
import { Doc } from '../../src/core/document.js';
import type { Filter, Metrics } from '../../src/core/filter.js';
import gopherRepetition, {
  gopherRepetitionOptions,
  gopherRepetitionVerdict,
  lineRuns,
  paragraphBounds,
} from '../../filters/gopher_repetition.js';
import { readJsonlFile } from '../../src/io/whole-file.js';
import { describeWithSharedData, sharedPath } from '../helpers/shared-data.js';

const PARA =
  'The committee met on Tuesday to discuss the new budget for the city library. Members agreed that the ' +
  'building needs a new roof and better heating before the winter.';
const OTHER = 'They also talked about longer opening hours, because many students want to study in the evening.';
const THIRD = 'The mayor said that the council would look at the plan with care and report back next month.';

function run(text: string, opts: Record<string, unknown> = {}): { verdict: string | undefined; m: Metrics } {
  const f = gopherRepetition.create(gopherRepetition.options.parse(opts), { stageName: 'r', stageIndex: 0, resolvePath: (p) => p }) as Filter;
  const m: Metrics = {};
  const verdict = f.check(Doc.fromText(text), m) as string | undefined;
  return { verdict, m };
}

function pieces(text: string, bounds: number[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < bounds.length; k += 2) out.push(text.slice(bounds[k], bounds[k + 1]));
  return out;
}

describe('gopher_repetition', () => {
  it('splits paragraphs on blank lines of the stripped text and lines on runs of "\\n"', () => {
    expect(pieces(' \na\n\n\nb\nc\n\n', paragraphBounds(' \na\n\n\nb\nc\n\n'))).toEqual(['a', 'b\nc']);
    expect(pieces('  ', paragraphBounds('  '))).toEqual(['']);
    expect(lineRuns('\na\n\nb\n'.split('\n'))).toEqual(['', 'a', 'b', '']);
    expect(lineRuns('a\r\nb\u2028c'.split('\n'))).toEqual(['a\r', 'b\u2028c']);
    expect(lineRuns('\n\n\n'.split('\n'))).toEqual(['', '']);
    expect(lineRuns(''.split('\n'))).toEqual(['']);
  });

  it('keeps varied prose and records every fraction', () => {
    const { verdict, m } = run([PARA, OTHER, THIRD].join('\n\n'));
    expect(verdict).toBeUndefined();
    expect(m.gopher_rep_dup_para_frac).toBe(0);
    expect(m.gopher_rep_dup_line_frac).toBe(0);
    expect(m.gopher_rep_top_2_gram_frac).toBeGreaterThan(0);
    expect(m.gopher_rep_dup_5_gram_frac).toBe(0);
    expect(Object.keys(m)).toHaveLength(4 + 3 + 6);
  });

  it('drops repeated paragraphs, by count and by characters', () => {
    const text = [PARA, OTHER, PARA].join('\n\n');
    const { verdict, m } = run(text);
    expect(m.gopher_rep_dup_para_frac).toBeCloseTo(1 / 3, 9);
    expect(m.gopher_rep_dup_para_char_frac).toBeCloseTo(PARA.length / text.length, 9);
    expect(verdict).toBe('dup_para_frac');
    const chars = [PARA, 'a', 'b', 'c', PARA].join('\n\n'); // 1 of 5 repeated, but most characters
    expect(run(chars).verdict).toBe('dup_para_char_frac');
    expect(run(text, { dup_para_frac: 0.4 }).verdict).toBe('dup_para_char_frac');
    expect(run(text, { dup_para_frac: null, dup_para_char_frac: null }).verdict).toBe('dup_line_frac');
  });

  it('drops repeated lines, by count and by characters', () => {
    const text = [PARA, OTHER, PARA, THIRD].join('\n');
    expect(run(text).m.gopher_rep_dup_line_frac).toBe(0.25);
    expect(run(text).verdict).toBe('dup_line_char_frac');
    expect(run([PARA, OTHER, PARA].join('\n')).verdict).toBe('dup_line_frac');
    expect(run(text, { dup_line_char_frac: 0.5 }).verdict).toBe('duplicated_5_n_grams');
  });

  it('drops a dominant top n-gram, computed even when every n-gram occurs once', () => {
    const text = Array.from({ length: 30 }, (_, i) => `new york ${'abcdefghijklmnopqrstuvwxyz'[i % 26]}${i}`).join(' ');
    expect(run(text).verdict).toBe('top_2_gram');
    expect(run('one two three').m.gopher_rep_top_2_gram_frac).toBeCloseTo('one two'.length / 13, 9);
    expect(run('one two three').m.gopher_rep_top_4_gram_frac).toBe(0);
    expect(run(PARA, { top_n_grams: [[3, 0.01]] }).verdict).toBe('top_3_gram');
  });

  it('drops duplicated n-grams, joined without a separator', () => {
    const sentence = 'the quick brown fox jumps over the lazy dog';
    const text = Array.from({ length: 4 }, (_, i) => `${sentence} number ${i} said someone else entirely`).join(' ');
    expect(run(text, { top_n_grams: [] }).verdict).toBe('duplicated_5_n_grams');
    const m = run(text, { top_n_grams: [] }).m;
    expect(m.gopher_rep_dup_10_gram_frac).toBeGreaterThan(0);
    expect(run(text, { top_n_grams: [], dup_n_grams: [[7, 0.01]] }).verdict).toBe('duplicated_7_n_grams');
    // "ab c" and "a bc" are the same ""-joined n-gram
    const shift = 'ab c x y z w q r s t u v a bc x y z';
    expect(gopherRepetitionVerdict(shift, shift.split(' '), gopherRepetitionOptions.parse({ top_n_grams: [], dup_n_grams: [[5, 0.1]] }), {})).toBe(
      'duplicated_5_n_grams',
    );
  });

  it('measures characters in code points', () => {
    const astral = '𝐀𝐁𝐂 𝐃𝐄𝐅';
    const text = `${astral}\n${astral}\nplain text here`;
    expect(run(text).m.gopher_rep_dup_line_char_frac).toBeCloseTo(7 / (7 + 1 + 7 + 1 + 15), 9);
  });

  it('gives empty text its own reason and judges blank text normally', () => {
    const { verdict, m } = run('');
    expect(verdict).toBe('empty');
    expect(m.gopher_rep_dup_para_frac).toBeNull();
    expect(m.gopher_rep_top_2_gram_frac).toBeNull();
    expect(run('  \n  ').verdict).toBe('dup_line_frac'); // lines "  " and "  "
    expect(run(' ').verdict).toBeUndefined();
    expect(run('\n').verdict).toBe('dup_line_frac'); // lines "" and ""
  });

  it('judges non-English text with the same rules', () => {
    const ru = 'Комитет собрался во вторник, чтобы обсудить новый бюджет городской библиотеки.';
    expect(run([ru, ru, ru].join('\n\n')).verdict).toBe('dup_para_frac');
    // Chinese without spaces is a single word (and its full stop): the one 2-gram is the whole text
    expect(run('委员会星期二开会讨论了城市图书馆的新预算。').verdict).toBe('top_2_gram');
    expect(run('委员会星期二开会讨论了城市图书馆的新预算。').m.gopher_rep_top_2_gram_frac).toBeCloseTo(22 / 21, 9);
  });

  it('rejects bad options', () => {
    expect(gopherRepetitionOptions.safeParse({ top_n_grams: [[0, 0.1]] }).success).toBe(false);
    expect(gopherRepetitionOptions.safeParse({ dup_line_frac: -1 }).success).toBe(false);
  });

  it('runs in linear time on degenerate input', () => {
    const t = performance.now();
    expect(run('a'.repeat(10_000_000)).verdict).toBeUndefined();
    expect(run('\n'.repeat(1_000_000)).verdict).toBe('dup_line_frac');
    expect(run('word '.repeat(1_000_000)).verdict).toBe('top_2_gram'); // one 5 MB line
    expect(run(`${PARA}\n`.repeat(20_000)).verdict).toBe('dup_line_frac');
    expect(performance.now() - t).toBeLessThan(60_000);
  });
});

interface RefRow {
  id: string;
  gopher_repetition: { keep: boolean | null; reason: string | null };
}

describeWithSharedData('gopher_repetition parity on the dev corpus', ['parity', 'dev', 'tokens.jsonl.zst'], () => {
  it('matches the reference decision and reason on every document, given the reference tokens', () => {
    const docs: { id: string; text?: string }[] = [];
    for (let s = 0; s < 4; s++) docs.push(...readJsonlFile<{ id: string; text?: string }>(sharedPath('corpus', 'dev', `dev-000${s}.jsonl.zst`)));
    const refs = readJsonlFile<RefRow>(sharedPath('parity', 'dev', 'filters.jsonl.zst'));
    const tokens = readJsonlFile<{ id: string; tokens: string[] }>(sharedPath('parity', 'dev', 'tokens.jsonl.zst'));
    const o = gopherRepetitionOptions.parse({});
    const wrong: string[] = [];
    let refErrors = 0;
    docs.forEach((d, i) => {
      const ours = gopherRepetitionVerdict(d.text ?? '', tokens[i]!.tokens, o, {});
      const ref = refs[i]!.gopher_repetition;
      if (ref.keep === null) {
        refErrors++; // the reference divides by zero on empty text
        if (ours !== 'empty') wrong.push(`${d.id}: ${ours} vs reference error`);
      } else if ((ours ?? null) !== (ref.keep ? null : ref.reason)) wrong.push(`${d.id}: ${ours} vs ${ref.reason}`);
    });
    expect(wrong).toEqual([]);
    expect(refErrors).toBe(41);
  });
});
