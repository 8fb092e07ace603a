import { describe, expect, it } from 'vitest';
import { Doc } from '../../src/core/document.js';
import type { Filter, Metrics } from '../../src/core/filter.js';
import fineWebQuality, { fineWebQualityOptions, fineWebQualityVerdict, nonBlankLines } from '../../filters/fineweb_quality.js';
import { readJsonlFile } from '../../src/io/whole-file.js';
import { describeWithSharedData, sharedPath } from '../helpers/shared-data.js';

const LINES = [
  'The committee met on Tuesday to discuss the new budget for the city library.',
  'Members agreed that the building needs a new roof and better heating before the winter.',
  'They also talked about longer opening hours, because many students want to study in the evening.',
  'The mayor said that the council would look at the plan with care and report back next month.',
];

function run(text: string, opts: Record<string, unknown> = {}): { verdict: string | undefined; m: Metrics } {
  const f = fineWebQuality.create(fineWebQuality.options.parse(opts), { stageName: 'f', stageIndex: 0, resolvePath: (p) => p }) as Filter;
  const m: Metrics = {};
  const verdict = f.check(Doc.fromText(text), m) as string | undefined;
  return { verdict, m };
}

/** Distinct long words, so that lines neither repeat nor count as short. */
const word = (i: number): string => `Extraordinarily${'abcdefghijklmnopqrstuvwxyz'[i % 26]}${'abcdefghijklmnopqrstuvwxyz'[Math.floor(i / 26) % 26]}`;

describe('fineweb_quality', () => {
  it('splits on "\\n" only and skips blank lines, without stripping', () => {
    const text = 'a.\r\n \n\tb\u2028c\n\n';
    expect(nonBlankLines(text.split('\n'))).toEqual(['a.\r', '\tb\u2028c']);
  });

  it('keeps ordinary prose and records its metrics', () => {
    const { verdict, m } = run(LINES.join('\n'));
    expect(verdict).toBeUndefined();
    expect(m).toEqual({
      fineweb_lines: 4,
      fineweb_line_punct_ratio: 1,
      fineweb_short_line_ratio: 0,
      fineweb_char_dup_ratio: 0,
      fineweb_list_ratio: 3 / 68, // 63 words and 5 punctuation tokens
    });
  });

  it('wants lines that end with terminal punctuation of any script, not with quotes or "\\r"', () => {
    const menu = ['Home', 'About us', 'Contact', 'Shop', 'Careers', 'Press', 'Blog', 'Help', LINES[0]!].join('\n');
    expect(run(menu).m.fineweb_line_punct_ratio).toBeCloseTo(1 / 9, 9);
    expect(run(menu).verdict).toBe('line_punct_ratio');
    expect(run(menu, { line_punct_thr: 0.1 }).verdict).toBe('short_line_ratio');
    const quoted = LINES.map((l) => `"${l}"`).join('\n');
    expect(run(quoted).verdict).toBe('line_punct_ratio');
    expect(run(LINES.join('\r\n')).m.fineweb_line_punct_ratio).toBe(0.25); // only the last line ends with "."
    const hindi = 'समिति ने मंगलवार को शहर के पुस्तकालय के नए बजट पर चर्चा की।\nसदस्य इस बात पर सहमत हुए कि इमारत को नई छत चाहिए।';
    expect(run(hindi).m.fineweb_line_punct_ratio).toBe(1);
    expect(run(`${LINES[0]}\n${'合同书第一条甲方乙方双方同意签订本合同。'.repeat(2)}`).m.fineweb_line_punct_ratio).toBe(1);
  });

  it('can spare text without any punctuated line, and take other line endings', () => {
    const bare = LINES.map((l) => l.slice(0, -1)).join('\n');
    expect(run(bare).verdict).toBe('line_punct_ratio');
    expect(run(bare, { line_punct_exclude_zero: true }).verdict).toBeUndefined();
    expect(run(bare, { stop_chars: ['library', 'winter', 'evening', 'month'] }).verdict).toBeUndefined();
    expect(run(LINES.join('\n'), { stop_chars: [';'] }).verdict).toBe('line_punct_ratio');
  });

  it('drops text of mostly short lines, counting code points', () => {
    const short = ['Yes.', 'No.', 'Maybe.', LINES[0]!].join('\n');
    expect(run(short).m.fineweb_short_line_ratio).toBe(0.75);
    expect(run(short).verdict).toBe('short_line_ratio');
    expect(run(short, { short_line_thr: 0.8 }).verdict).toBeUndefined();
    expect(run(short, { short_line_length: 3 }).verdict).toBeUndefined();
    // 30 astral letters are 30 characters: short
    const astral = `${'𝐀'.repeat(29)}.`;
    expect(run([astral, `${astral} `, LINES[0]!].join('\n')).m.fineweb_short_line_ratio).toBeCloseTo(1 / 3, 9);
  });

  it('drops text with repeated lines', () => {
    const text = [...LINES, LINES[1]!].join('\n');
    const { verdict, m } = run(text);
    expect(m.fineweb_char_dup_ratio).toBeCloseTo(LINES[1]!.length / (text.length - 4), 9);
    expect(verdict).toBe('char_dup_ratio');
    expect(run(text, { char_duplicates_ratio: 0.5 }).verdict).toBeUndefined();
  });

  it('drops list-like text: many newlines per word, blank lines included', () => {
    const list = Array.from({ length: 40 }, (_, i) => `${word(i)} incomprehensibilities.`).join('\n');
    expect(run(list).m.fineweb_list_ratio).toBeCloseTo(39 / 120, 9);
    expect(run(list).verdict).toBe('list_ratio');
    const spaced = LINES.join('\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n');
    expect(run(spaced).verdict).toBe('list_ratio');
    expect(run(spaced, { new_line_ratio: null }).verdict).toBeUndefined();
  });

  it('gives empty and blank text the reason `empty`', () => {
    expect(run('').verdict).toBe('empty');
    expect(run(' \n\t\n\u3000\x1c').verdict).toBe('empty');
    expect(run('').m.fineweb_line_punct_ratio).toBeNull();
    // words are only used by the last rule: no words but a "\n" is list-like
    expect(fineWebQualityVerdict('A.\nB.', [], fineWebQualityOptions.parse({ short_line_thr: null }), {})).toBe('list_ratio');
  });

  it('judges non-English text by the same rules', () => {
    const ru = 'Комитет собрался во вторник, чтобы обсудить новый бюджет городской библиотеки.\nЧлены комитета согласились, что зданию нужна новая крыша.';
    expect(run(ru).verdict).toBeUndefined();
  });

  it('rejects bad options', () => {
    expect(fineWebQualityOptions.safeParse({ stop_chars: [''] }).success).toBe(false);
    expect(fineWebQualityOptions.safeParse({ short_line_length: 1.5 }).success).toBe(false);
  });

  it('runs in linear time on degenerate input', () => {
    const t = performance.now();
    expect(run('a'.repeat(10_000_000)).verdict).toBe('line_punct_ratio');
    expect(run('\n'.repeat(1_000_000)).verdict).toBe('empty');
    expect(run(`${LINES.join(' ')} `.repeat(14_000)).verdict).toBe('line_punct_ratio'); // one 5 MB line
    expect(run(`${LINES[0]}\n`.repeat(100_000)).verdict).toBe('char_dup_ratio');
    expect(performance.now() - t).toBeLessThan(60_000);
  });
});

interface RefRow {
  id: string;
  fineweb_quality: { keep: boolean; reason: string | null };
}

describeWithSharedData('fineweb_quality parity on the dev corpus', ['parity', 'dev', 'tokens.jsonl.zst'], () => {
  it('matches the reference decision and reason on every document, given the reference tokens', () => {
    const docs: { id: string; text?: string }[] = [];
    for (let s = 0; s < 4; s++) docs.push(...readJsonlFile<{ id: string; text?: string }>(sharedPath('corpus', 'dev', `dev-000${s}.jsonl.zst`)));
    const refs = readJsonlFile<RefRow>(sharedPath('parity', 'dev', 'filters.jsonl.zst'));
    const tokens = readJsonlFile<{ id: string; tokens: string[] }>(sharedPath('parity', 'dev', 'tokens.jsonl.zst'));
    const o = fineWebQualityOptions.parse({});
    const wrong: string[] = [];
    docs.forEach((d, i) => {
      const ours = fineWebQualityVerdict(d.text ?? '', tokens[i]!.tokens, o, {});
      const ref = refs[i]!.fineweb_quality;
      if ((ours ?? null) !== (ref.keep ? null : ref.reason)) wrong.push(`${d.id}: ${ours} vs ${ref.reason}`);
    });
    expect(wrong).toEqual([]);
  });
});
