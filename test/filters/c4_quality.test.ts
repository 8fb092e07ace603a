import { describe, expect, it } from 'vitest';
import { Doc } from '../../src/core/document.js';
import type { Filter, Metrics } from '../../src/core/filter.js';
import c4Quality, { c4QualityOptions, c4QualityVerdict, englishSentences, sentenceBound, type Sentences } from '../../filters/c4_quality.js';
import { isTerminalPunctuation } from '../../src/text/punctuation.js';
import { countSentences, splitWords } from '../../src/text/tokenizer.js';
import { readJsonlFile } from '../../src/io/whole-file.js';
import { describeWithSharedData, sharedPath } from '../helpers/shared-data.js';

const S = [
  'The committee met on Tuesday to discuss the new budget for the city library.',
  'Members agreed that the building needs a new roof and better heating before the winter.',
  'They also talked about longer opening hours, because many students want to study in the evening.',
  'The mayor said that the council would look at the plan with care and report back next month.',
  'Everyone left the meeting in a good mood.',
  'A second meeting will take place in June.',
];

function run(text: string | Doc, opts: Record<string, unknown> = {}): { verdict: string | undefined; m: Metrics; text: string } {
  const f = c4Quality.create(c4Quality.options.parse(opts), { stageName: 'c4', stageIndex: 0, resolvePath: (p) => p }) as Filter;
  const m: Metrics = {};
  const doc = typeof text === 'string' ? Doc.fromText(text) : text;
  const verdict = f.check(doc, m) as string | undefined;
  return { verdict, m, text: doc.text };
}

/** Five good lines plus `extra`, to see what happens to the extra line. */
function withLine(extra: string, opts: Record<string, unknown> = {}): { verdict: string | undefined; m: Metrics; text: string } {
  return run([...S.slice(0, 5), extra].join('\n'), opts);
}

describe('c4_quality', () => {
  it('keeps good lines, rewrites the text to them and records its metrics', () => {
    const text = ['  Welcome', ...S.slice(0, 5), 'Share this page', ''].join('\n');
    const r = run(text);
    expect(r.verdict).toBeUndefined();
    expect(r.text).toBe(S.slice(0, 5).join('\n'));
    expect(r.m).toEqual({
      c4_lines: 7, // splitlines: the final "\n" ends a line, it starts none
      c4_lines_too_long_word: 0,
      c4_lines_no_terminal_punct: 2,
      c4_lines_too_few_words: 0,
      c4_lines_javascript: 0,
      c4_lines_policy: 0,
      c4_kept_lines: 5,
      c4_sentences: null, // five kept lines hold five sentences at least: not split
    });
    expect(run(text, { rewrite: false }).text).toBe(text);
    expect(run(text, { exact_sentence_count: true }).m.c4_sentences).toBe(5);
  });

  it('drops lines with a word of more than max_word_length code points', () => {
    const long = `This line has ${'x'.repeat(1001)} in it.`;
    expect(withLine(long).m.c4_lines_too_long_word).toBe(1);
    expect(withLine(long, { max_word_length: -1 }).m.c4_kept_lines).toBe(6);
    expect(withLine(`Some ${'x'.repeat(1000)} is fine.`).m.c4_kept_lines).toBe(6);
    expect(withLine(`Astral ${'𝐀'.repeat(600)} counts code points.`).m.c4_kept_lines).toBe(6);
  });

  it('removes citations before the punctuation test, counting words before', () => {
    expect(withLine('The sky is blue.[1]').text.endsWith('The sky is blue.')).toBe(true);
    expect(withLine('The sky is blue.[citation needed]').text.endsWith('The sky is blue.')).toBe(true);
    expect(withLine('History of the town[edit]').m.c4_lines_no_terminal_punct).toBe(1);
    expect(withLine('The sky is blue.[12]', { remove_citations: false }).m.c4_lines_no_terminal_punct).toBe(1);
    // three words before the citations go, so the line stays with one
    expect(withLine('Yes [1] [2].').text.endsWith('Yes  .')).toBe(true);
  });

  it('keeps only lines ending with . ? ! " \' and not with an ellipsis', () => {
    for (const line of ['Is this the end?', 'It is the end!', 'He said "it is the end."', "It is the end.'"]) {
      expect(withLine(line).m.c4_kept_lines, line).toBe(6);
    }
    for (const line of ['It is the end', 'It is the end...', 'It is the end…', 'It is the end:', 'It is the end。']) {
      expect(withLine(line).m.c4_lines_no_terminal_punct, line).toBe(1);
    }
    expect(withLine('It is the end', { filter_no_terminal_punct: false }).m.c4_kept_lines).toBe(6);
  });

  it('drops lines of fewer than min_words_per_line words', () => {
    expect(withLine('Thank you.').m.c4_lines_too_few_words).toBe(1);
    expect(withLine('Thank you.', { min_words_per_line: 2 }).m.c4_kept_lines).toBe(6);
  });

  it('drops the document for lorem ipsum or a curly bracket in a surviving line', () => {
    expect(withLine('Lorem Ipsum dolor sit amet, consectetur.').verdict).toBe('lorem_ipsum');
    expect(withLine('Lorem ipsum dolor sit amet').verdict).toBeUndefined(); // no punctuation: the line goes first
    expect(withLine('Lorem ipsum dolor sit amet.', { filter_lorem_ipsum: false }).verdict).toBeUndefined();
    expect(withLine('Write {name} in the form.').verdict).toBe('curly_bracket');
    expect(withLine('function f() { return 1; }').verdict).toBeUndefined();
    expect(withLine('Write {name} in the form.', { filter_curly_bracket: false }).verdict).toBeUndefined();
    const m = withLine('Write {name} in the form.').m;
    expect(m.c4_kept_lines).toBeNull();
  });

  it('drops lines about javascript and site policies', () => {
    expect(withLine('Please enable JavaScript to view this page.').m.c4_lines_javascript).toBe(1);
    expect(withLine('Please enable JavaScript to view this page.', { filter_javascript: false }).m.c4_kept_lines).toBe(6);
    for (const p of ['Read our Privacy Policy now.', 'This site uses cookies to work.', 'See the terms of use here.', 'We use cookies for ads.']) {
      expect(withLine(p).m.c4_lines_policy, p).toBe(1);
    }
    expect(withLine('Read our Privacy Policy now.', { filter_policy: false }).m.c4_kept_lines).toBe(6);
  });

  it('counts sentences over the kept lines when there are fewer lines than min_num_sentences', () => {
    const four = S.slice(0, 4).join(' ');
    expect(run(four).verdict).toBe('too_few_sentences');
    expect(run(four).m.c4_sentences).toBe(4);
    expect(run(S.slice(0, 5).join(' ')).verdict).toBeUndefined();
    expect(run(`${S.slice(0, 3).join(' ')}\n${S.slice(3, 5).join(' ')}`).m.c4_sentences).toBe(5);
    expect(run(four, { min_num_sentences: 4 }).verdict).toBeUndefined();
    expect(run(four, { min_num_sentences: -1 }).verdict).toBeUndefined();
    // the reference's split of a line is never empty: a line counts one sentence at least
    const none: Sentences = { split: (t) => [t], count: () => 0 };
    expect(c4QualityVerdict(S.slice(0, 2).join('\n'), c4QualityOptions.parse({ min_num_sentences: 2 }), none, {}).verdict).toBeUndefined();
  });

  it('bounds the sentences of a line by its sentence-ending marks, which the splitter ends sentences at only', () => {
    // every character after which the splitter can start a new sentence is a terminal mark
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      if (countSentences(`a ${String.fromCodePoint(c)} b`) > 1) expect(isTerminalPunctuation(c), c.toString(16)).toBe(true);
    }
    for (const line of [...S, S.join(' '), 'U.S. stocks rose 3.5 pct. Why? Nobody knows!', 'नमस्ते। आप कैसे हैं?', 'a 𑁇 b', '']) {
      expect(countSentences(line)).toBeLessThanOrEqual(sentenceBound(line));
    }
    expect(sentenceBound('One. Two! Three? Four')).toBe(4);
    expect(sentenceBound('नमस्ते। आप कैसे हैं?')).toBe(3);
    // a bound below the minimum settles the outcome without counting
    let counted = false;
    const counting: Sentences = { ...englishSentences, count: (t, a, b) => ((counted = true), countSentences(t, a, b)) };
    expect(c4QualityVerdict('It rained all day. We stayed home.', c4QualityOptions.parse({}), counting, {}).verdict).toBe('too_few_sentences');
    expect(counted).toBe(false);
  });

  it('can judge sentences instead of lines', () => {
    const text = `${S.slice(0, 3).join(' ')}\n${S.slice(3).join(' ')} Click here`;
    const r = run(text, { split_paragraph: false });
    expect(r.verdict).toBeUndefined();
    expect(r.text).toBe(S.join(' '));
  });

  it('splits lines as Python splitlines: \\r\\n, \\u2028 and friends', () => {
    const r = run([...S.slice(0, 3), 'Menu', ...S.slice(3, 5)].join('\r\n').replace('Menu\r\n', 'Menu\u2028'));
    expect(r.m.c4_lines).toBe(6);
    expect(r.text).toBe(S.slice(0, 5).join('\n'));
  });

  it('judges non-English text by the same rules', () => {
    const ru = ['Комитет собрался во вторник, чтобы обсудить бюджет.', 'Члены комитета согласились, что зданию нужна крыша.'];
    expect(run([...ru, ...ru, ru[0]!].join('\n')).verdict).toBeUndefined();
    expect(run('委员会星期二开会讨论了城市图书馆的新预算。\n'.repeat(6)).verdict).toBe('too_few_sentences');
  });

  it('gives empty and blank text a defined outcome', () => {
    expect(run('').verdict).toBe('too_few_sentences');
    expect(run(' \n\u2028\t').verdict).toBe('too_few_sentences');
    expect(run('', { min_num_sentences: -1 })).toMatchObject({ verdict: undefined, text: '' });
  });

  it('rewrites a document of several segments segment by segment', () => {
    const record = { id: 'd', a: `${S.slice(0, 3).join('\n')}\nMenu`, b: `Home\n${S.slice(3, 5).join('\n')}` };
    const doc = new Doc({
      id: 'd',
      record,
      rawLine: null,
      shard: '',
      lineNo: 0,
      segments: [
        { path: ['a'], text: record.a },
        { path: ['b'], text: record.b },
      ],
    });
    expect(run(doc).verdict).toBeUndefined();
    expect(doc.textSegments.map((s) => s.text)).toEqual([S.slice(0, 3).join('\n'), S.slice(3, 5).join('\n')]);
  });

  it('leaves the words of the rewritten text to the stages after it, when a stage before asked for them', () => {
    const lines = ['  Welcome', `${S[0]} [1]`, S[1], 'Share this page', `\t${S[2]}  `, S[3], `He said it's fine:) [edit].`, S[4]];
    for (const opts of [{}, { filter_no_terminal_punct: false }, { remove_citations: false }]) {
      const doc = Doc.fromText(lines.join('\r\n'));
      doc.memo('words', splitWords);
      expect(run(doc, opts).verdict).toBeUndefined();
      const given = doc.memo('words', () => [] as string[]);
      expect(given).toEqual(splitWords(doc.text));
    }
  });

  it('rejects bad options', () => {
    expect(c4QualityOptions.safeParse({ min_num_sentences: -2 }).success).toBe(false);
    expect(c4QualityOptions.safeParse({ rewrite: 'yes' }).success).toBe(false);
  });

  it('runs in linear time on degenerate input', () => {
    const t = performance.now();
    expect(run('a'.repeat(10_000_000)).verdict).toBe('too_few_sentences');
    expect(run('\n'.repeat(1_000_000)).verdict).toBe('too_few_sentences');
    expect(run(`${S.join(' ')} `.repeat(10_000)).verdict).toBeUndefined(); // one 5 MB line
    expect(run(`[${'1'.repeat(5_000_000)}`).verdict).toBe('too_few_sentences');
    expect(run(`${S[0]}\n`.repeat(200_000)).m.c4_kept_lines).toBe(200_000);
    expect(performance.now() - t).toBeLessThan(60_000);
  });
});

interface RefRow {
  id: string;
  c4_quality: { keep: boolean; reason: string | null };
}

describeWithSharedData('c4_quality parity on the dev corpus', ['parity', 'dev', 'c4_text.jsonl.zst'], () => {
  const docs: { id: string; text?: string }[] = [];
  for (let s = 0; s < 4; s++) docs.push(...readJsonlFile<{ id: string; text?: string }>(sharedPath('corpus', 'dev', `dev-000${s}.jsonl.zst`)));
  const refs = readJsonlFile<RefRow>(sharedPath('parity', 'dev', 'filters.jsonl.zst'));
  const c4Text = new Map(readJsonlFile<{ id: string; c4_text: string }>(sharedPath('parity', 'dev', 'c4_text.jsonl.zst')).map((r) => [r.id, r.c4_text]));
  const o = c4QualityOptions.parse({});

  it('matches the line rules and the rewritten text wherever sentences need no counting', () => {
    let decided = 0;
    const wrong: string[] = [];
    docs.forEach((d, i) => {
      let counted = false;
      const flag: Sentences = { split: (t) => [t], count: () => ((counted = true), 1) };
      const r = c4QualityVerdict(d.text ?? '', o, flag, {});
      if (counted) return; // the sentence splitter's part: checked below
      decided++;
      const ref = refs[i]!.c4_quality;
      if ((r.verdict ?? null) !== (ref.keep ? null : ref.reason)) wrong.push(`${d.id}: ${r.verdict} vs ${ref.reason}`);
      else if (ref.keep && r.text !== c4Text.get(d.id)) wrong.push(`${d.id}: rewritten text differs`);
    });
    expect(wrong).toEqual([]);
    expect(decided).toBeGreaterThan(5000);
  });

  it('matches the reference on every document with the shared sentence splitter', () => {
    const wrong: string[] = [];
    docs.forEach((d, i) => {
      const r = c4QualityVerdict(d.text ?? '', o, englishSentences, {});
      const ref = refs[i]!.c4_quality;
      if ((r.verdict ?? null) !== (ref.keep ? null : ref.reason)) wrong.push(`${d.id}: ${r.verdict} vs ${ref.reason}`);
      else if (ref.keep && r.text !== c4Text.get(d.id)) wrong.push(`${d.id}: rewritten text differs`);
    });
    expect(wrong.length).toBeLessThanOrEqual(docs.length * 0.005);
  });
});
