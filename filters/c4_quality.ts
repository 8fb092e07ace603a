/**
 * c4_quality: the C4 line rules (Raffel et al. 2020) as the reference implements them (datatrove
 * C4QualityFilter, defaults). Lines are Python `text.splitlines()` (or, with split_paragraph: false,
 * the sentences of the text as the shared splitter gives them: stripped, empty ones left out), each
 * stripped. For each line, in order:
 *
 * 1. words = line.split() (before citation removal); a word longer than max_word_length (1000)
 *    code points drops the line (-1: off)
 * 2. remove_citations: delete `[12]`, `[]`, `[edit]`, `[citation needed]`
 * 3. filter_no_terminal_punct: drop the line unless it ends with . ? ! " ' ; also when it ends
 *    with "..." ("…" is no terminal punctuation)
 * 4. fewer than min_words_per_line (3) words -> drop the line
 * 5. filter_lorem_ipsum: "lorem ipsum" in the lowercased line -> drop the doc (`lorem_ipsum`)
 * 6. filter_javascript: "javascript" in the lowercased line -> drop the line
 * 7. filter_curly_bracket: "{" in the line -> drop the doc (`curly_bracket`)
 * 8. filter_policy: terms of use, privacy policy, cookie policy, uses cookies, use of cookies,
 *    use cookies in the lowercased line -> drop the line
 *
 * Only lines that survive 1-4 can trigger 5 and 7. Then the sentences of the kept lines (the
 * shared sentence splitter, per line) < min_num_sentences (5) -> `too_few_sentences` (-1: off);
 * with split_paragraph: false each kept sentence counts once. A kept document's text becomes
 * "\n".join(kept_lines).strip() (" " with split_paragraph: false) unless rewrite is false; a
 * document of several text segments is rewritten segment by segment with the same line rules.
 *
 * Sentence counting: every kept line holds at least one sentence (as in the reference, where even
 * an empty line counts one), and at most one plus its sentence-ending marks; where these bounds
 * settle the outcome the lines are not split and `c4_sentences` is null. exact_sentence_count:
 * true always counts.
 *
 * Empty input: empty or whitespace-only text has no kept line -> `too_few_sentences` (as the
 * reference). With min_num_sentences: -1 such a document is kept with empty text.
 *
 * Shared work: the lines are `doc.memo('splitlineBounds')` (as gopher_quality's). When a stage
 * before asked for the document's words, the words of the rewritten text follow from them (the
 * kept lines' tokens) and are left in `doc.memo('words')` for the stages after.
 *
 * Metrics: c4_lines, c4_kept_lines, c4_sentences, and the lines dropped per rule:
 * c4_lines_too_long_word, c4_lines_no_terminal_punct, c4_lines_too_few_words, c4_lines_javascript,
 * c4_lines_policy (counted up to the line that drops the doc, when one does).
 */
import { z } from 'zod';
import { defineFilter, type Metrics, type Verdict } from '../src/core/filter.js';
import { isTerminalPunctuation, TERMINAL_PUNCTUATION } from '../src/text/punctuation.js';
import * as python from '../src/text/python.js';
import { countSentences, recentTokenization, splitSentences, wordsOfLines } from '../src/text/tokenizer.js';

// module-local copies for the hot loops (some loaders put accessors in front of imported bindings)
const { codePointLengthRange, isPyWhitespace, pyCount, pySplitlineBounds, pyStrip } = python;

export const c4QualityOptions = z.strictObject({
  split_paragraph: z.boolean().default(true),
  remove_citations: z.boolean().default(true),
  filter_no_terminal_punct: z.boolean().default(true),
  min_num_sentences: z.number().int().min(-1).default(5),
  min_words_per_line: z.number().int().min(-1).default(3),
  max_word_length: z.number().int().min(-1).default(1000),
  filter_lorem_ipsum: z.boolean().default(true),
  filter_javascript: z.boolean().default(true),
  filter_curly_bracket: z.boolean().default(true),
  filter_policy: z.boolean().default(true),
  /** Rewrite a kept document to its kept lines (false: only filter). */
  rewrite: z.boolean().default(true),
  /** Count the sentences of every document, not only where the kept lines leave it open. */
  exact_sentence_count: z.boolean().default(false),
});
export type C4QualityOptions = z.output<typeof c4QualityOptions>;

/** The sentence splitter C4 needs: the sentences of a text, and their number. */
export interface Sentences {
  split(text: string): readonly string[];
  /** Sentences of `text`, or of `text.slice(start, end)` when given (lines are counted in place). */
  count(text: string, start?: number, end?: number): number;
  /** Optionally, a cheap upper bound of `count` (to skip counting where it settles the outcome). */
  maxCount?(text: string): number;
}

export interface C4Result {
  verdict: Verdict;
  /** The kept lines joined (the rewritten text); null when the document is dropped. */
  text: string | null;
  /** The kept lines when the document is kept, else null. */
  lines: KeptLines | null;
}

/** Lines kept by rules 1-8, and where each stands in the text (-1: changed, or not from the text). */
export interface KeptLines {
  lines: string[];
  from: number[];
}

const CITATION = /\[\p{Nd}*\]|\[edit\]|\[citation needed\]/gu;
const POLICY_SUBSTRINGS = ['terms of use', 'privacy policy', 'cookie policy', 'uses cookies', 'use of cookies', 'use cookies'];
const SPECIAL_PHRASES = new RegExp(['lorem ipsum', 'javascript', ...POLICY_SUBSTRINGS].join('|'), 'iu');

/** Number of words of Python `line.split()`, counted up to `enough`. */
function countWords(line: string, enough: number): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < line.length && words < enough; i++) {
    const ws = isPyWhitespace(line.charCodeAt(i));
    if (!ws && !inWord) words++;
    inWord = !ws;
  }
  return words;
}

/** True when `s[a:b].split()` has a word longer than `maxLen` code points. */
function hasLongWord(s: string, a: number, b: number, maxLen: number): boolean {
  let start = -1;
  for (let i = a; i <= b; i++) {
    if (i === b || isPyWhitespace(s.charCodeAt(i))) {
      if (start >= 0) {
        const units = i - start;
        if (units > maxLen && (units > 2 * maxLen || codePointLengthRange(s, start, i) > maxLen)) return true;
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  return false;
}

/** Last character test of rule 3: . ? ! " ' but not "..." */
function endsWithTerminal(line: string): boolean {
  const n = line.length;
  if (n === 0) return false;
  const c = line.charCodeAt(n - 1);
  if (c !== 0x2e && c !== 0x3f && c !== 0x21 && c !== 0x22 && c !== 0x27) return false;
  return !(c === 0x2e && n >= 3 && line.charCodeAt(n - 2) === 0x2e && line.charCodeAt(n - 3) === 0x2e);
}

/** Whether a line ending with `c` may pass rule 3: removing a citation only changes an ending "]". */
function mayEndWithTerminal(c: number): boolean {
  return c === 0x2e || c === 0x3f || c === 0x21 || c === 0x22 || c === 0x27 || c === 0x5d;
}

interface LineCounts {
  lines: number;
  tooLongWord: number;
  noTerminalPunct: number;
  tooFewWords: number;
  javascript: number;
  policy: number;
}

function newCounts(): LineCounts {
  return { lines: 0, tooLongWord: 0, noTerminalPunct: 0, tooFewWords: 0, javascript: 0, policy: 0 };
}

/** A rule that drops the whole document. */
interface DocDrop {
  docReason: string;
}
const LOREM_IPSUM: DocDrop = { docReason: 'lorem_ipsum' };
const CURLY_BRACKET: DocDrop = { docReason: 'curly_bracket' };

/** Rules 1-8 for the line `src[a:b]` (already stripped): the kept line, null to drop the line, or a doc drop. */
function judgeLine(src: string, a: number, b: number, o: C4QualityOptions, counts: LineCounts): string | null | DocDrop {
  if (o.max_word_length >= 0 && b - a > o.max_word_length && hasLongWord(src, a, b, o.max_word_length)) {
    counts.tooLongWord++;
    return null;
  }
  if (o.filter_no_terminal_punct && (a === b || !mayEndWithTerminal(src.charCodeAt(b - 1)))) {
    counts.noTerminalPunct++;
    return null;
  }
  let line = src.slice(a, b);
  const words = countWords(line, o.min_words_per_line); // before citation removal, as the reference
  if (o.remove_citations && line.includes('[')) line = line.replace(CITATION, '');
  if (o.filter_no_terminal_punct && !endsWithTerminal(line)) {
    counts.noTerminalPunct++;
    return null;
  }
  if (words < o.min_words_per_line) {
    counts.tooFewWords++;
    return null;
  }
  // the phrases, case-insensitively: a line without any needs no lowercasing (Python's lower() finds
  // a phrase only where this finds it too)
  const lower = SPECIAL_PHRASES.test(line) ? line.toLowerCase() : null;
  if (o.filter_lorem_ipsum && lower?.includes('lorem ipsum')) return LOREM_IPSUM;
  if (o.filter_javascript && lower?.includes('javascript')) {
    counts.javascript++;
    return null;
  }
  if (o.filter_curly_bracket && line.includes('{')) return CURLY_BRACKET;
  if (o.filter_policy && lower !== null && POLICY_SUBSTRINGS.some((p) => lower.includes(p))) {
    counts.policy++;
    return null;
  }
  return line;
}

/**
 * Applies rules 1-8 to the lines of `text` (`bounds`: those of text.splitlines(), when already
 * made); returns the kept lines, or a doc-level reason.
 */
function keptLines(
  text: string,
  o: C4QualityOptions,
  sentences: Sentences,
  counts: LineCounts,
  bounds?: readonly number[],
): KeptLines | string {
  const kept: KeptLines = { lines: [], from: [] };
  const judge = (src: string, a: number, b: number): string | undefined => {
    counts.lines++;
    while (a < b && isPyWhitespace(src.charCodeAt(a))) a++;
    while (b > a && isPyWhitespace(src.charCodeAt(b - 1))) b--;
    const r = judgeLine(src, a, b, o, counts);
    if (typeof r === 'string') {
      kept.lines.push(r);
      // rules 1-8 only ever cut characters out of a line: one as long as its range is that range
      kept.from.push(o.split_paragraph && r.length === b - a ? a : -1);
    } else if (r !== null) return r.docReason;
    return undefined;
  };
  if (o.split_paragraph) {
    const lines = bounds ?? pySplitlineBounds(text);
    for (let k = 0; k < lines.length; k += 2) {
      const reason = judge(text, lines[k]!, lines[k + 1]!);
      if (reason !== undefined) return reason;
    }
  } else {
    for (const piece of sentences.split(text)) {
      const reason = judge(piece, 0, piece.length);
      if (reason !== undefined) return reason;
    }
  }
  return kept;
}

/**
 * The rules above over a text; records metrics and returns the verdict with the rewritten text.
 * `sentences` splits and counts sentences (of a kept line; of the text when split_paragraph is false).
 * `lines`: the bounds of text.splitlines() (`pySplitlineBounds`), when already made.
 */
export function c4QualityVerdict(
  text: string,
  o: C4QualityOptions,
  sentences: Sentences,
  m: Metrics,
  lines?: readonly number[],
): C4Result {
  const counts = newCounts();
  const result = keptLines(text, o, sentences, counts, lines);
  m.c4_lines = counts.lines;
  m.c4_lines_too_long_word = counts.tooLongWord;
  m.c4_lines_no_terminal_punct = counts.noTerminalPunct;
  m.c4_lines_too_few_words = counts.tooFewWords;
  m.c4_lines_javascript = counts.javascript;
  m.c4_lines_policy = counts.policy;
  if (typeof result === 'string') {
    m.c4_kept_lines = null;
    m.c4_sentences = null;
    return { verdict: result, text: null, lines: null };
  }
  const kept = result.lines;
  m.c4_kept_lines = kept.length;
  let n: number | null = null;
  if (!o.split_paragraph) n = kept.length;
  else if (o.exact_sentence_count || (o.min_num_sentences !== -1 && kept.length < o.min_num_sentences)) {
    let bound = 0;
    if (!o.exact_sentence_count && sentences.maxCount !== undefined) {
      for (let k = 0; k < kept.length && bound < o.min_num_sentences; k++) bound += Math.max(1, sentences.maxCount(kept[k]!));
    }
    if (sentences.maxCount === undefined || o.exact_sentence_count || bound >= o.min_num_sentences) {
      // a line counts one sentence at least, as the reference's split of a line is never empty
      n = 0;
      for (let k = 0; k < kept.length; k++) {
        const a = result.from[k]!;
        n += Math.max(1, a >= 0 ? sentences.count(text, a, a + kept[k]!.length) : sentences.count(kept[k]!));
      }
    } else {
      m.c4_sentences = null;
      return { verdict: 'too_few_sentences', text: null, lines: null }; // fewer even at most
    }
  }
  m.c4_sentences = n;
  // without a count, the kept lines (one sentence or more each) already reach the minimum
  if (o.min_num_sentences !== -1 && n !== null && n < o.min_num_sentences) {
    return { verdict: 'too_few_sentences', text: null, lines: null };
  }
  return { verdict: undefined, text: pyStrip(kept.join(o.split_paragraph ? '\n' : ' ')), lines: result };
}

/** The text of one segment after the line rules (the kept lines joined), for multi-segment docs. */
export function c4RewriteSegment(text: string, o: C4QualityOptions, sentences: Sentences): string {
  const kept = keptLines(text, { ...o, filter_lorem_ipsum: false, filter_curly_bracket: false }, sentences, newCounts());
  return typeof kept === 'string' ? text : pyStrip(kept.lines.join(o.split_paragraph ? '\n' : ' '));
}

/** Sentence-ending marks beyond ASCII . ! ? (as a character class). */
const OTHER_TERMINAL = new RegExp(
  `[${TERMINAL_PUNCTUATION.filter((c) => c > 0x7f)
    .map((c) => `\\u{${c.toString(16)}}`)
    .join('')}]`,
  'u',
);

/**
 * At most this many sentences in `line`: one, plus one per sentence-ending mark (a sentence ends
 * only after a mark of TERMINAL_PUNCTUATION standing as a token of its own).
 */
export function sentenceBound(line: string): number {
  if (!OTHER_TERMINAL.test(line)) return 1 + pyCount(line, '.') + pyCount(line, '!') + pyCount(line, '?');
  let n = 1;
  for (const ch of line) if (isTerminalPunctuation(ch.codePointAt(0)!)) n++;
  return n;
}

/** The shared English sentence splitter. */
export const englishSentences: Sentences = { split: splitSentences, count: countSentences, maxCount: sentenceBound };

export default defineFilter({
  type: 'c4_quality',
  summary: 'C4 line rules: keep punctuated lines of 3+ words, drop code, lorem ipsum and boilerplate; rewrites the text',
  options: c4QualityOptions,
  create(o) {
    return {
      check(doc, m) {
        const lines = o.split_paragraph ? doc.memo('splitlineBounds', pySplitlineBounds) : undefined;
        const r = c4QualityVerdict(doc.text, o, englishSentences, m, lines);
        if (r.verdict !== undefined || !o.rewrite) return r.verdict;
        const single = doc.textSegments.length === 1;
        const rewritten = r.text!;
        // the words of the text, when a stage before asked for them, give those of the kept lines
        const source = single && o.split_paragraph ? recentTokenization(doc.text) : null;
        const changed = doc.mapText((seg) => (single ? rewritten : c4RewriteSegment(seg, o, englishSentences)));
        if (changed && source !== null) doc.memo('words', (text) => wordsOfLines(source, r.lines!.lines, r.lines!.from, text));
        return undefined;
      },
    };
  },
});
