/**
 * gopher_quality: the Gopher quality rules (Rae et al. 2021) as the reference implements them
 * (datatrove GopherQualityFilter, default thresholds). Checks in this order; the first failure is
 * the reason:
 *
 * 1. non-symbol words (tokens with a character outside PUNCTUATION_SET) < min_doc_words (50)
 *    -> `gopher_short_doc`; > max_doc_words (100000) -> `gopher_long_doc`
 * 2. their mean length in code points < min_avg_word_length (3) -> `gopher_below_avg_threshold`;
 *    > max_avg_word_length (10) -> `gopher_above_avg_threshold`
 * 3. count("#") / words > max_symbol_word_ratio (0.1) -> `gopher_too_many_hashes`
 * 4. (count("...") + count("…")) / words > max_symbol_word_ratio -> `gopher_too_many_ellipsis`
 * 5. share of lines (Python splitlines, blank lines included) whose left-stripped text starts with
 *    "•" or "-" > max_bullet_lines_ratio (0.9) -> `gopher_too_many_bullets`
 * 6. share of lines whose right-stripped text ends with "..." or "…" > max_ellipsis_lines_ratio
 *    (0.3) -> `gopher_too_many_end_ellipsis`
 * 7. share of words with an alphabetic character < max_non_alpha_words_ratio (0.8)
 *    -> `gopher_below_alpha_threshold`
 * 8. distinct words of `stop_words` (the be to of and that have with; case-sensitive) present
 *    < min_stop_words (2) -> `gopher_enough_stop_words`
 *
 * Words are the shared English word tokens (`doc.memo('words')`); punctuation tokens are words.
 * Their classes and lengths come from the word table shared with gopher_repetition
 * (`doc.memo('wordTable')`, once per distinct word), the lines from `doc.memo('splitlineBounds')`,
 * shared with c4_quality.
 * A threshold set to null switches its rule off (the reference also switches a rule off for 0;
 * here 0 is a real threshold).
 *
 * Empty input: a text with no words fails rule 1 (`gopher_short_doc`) as in the reference; when
 * min_doc_words is null or 0 it is dropped as `empty` (the reference divides by zero there). With
 * words but no non-symbol words the mean length is undefined and rule 2 does not fire (as the
 * reference's NaN comparisons).
 *
 * Metrics: gopher_words, gopher_non_symbol_words, gopher_avg_word_len, gopher_hash_ratio,
 * gopher_ellipsis_ratio, gopher_bullet_lines_ratio, gopher_end_ellipsis_lines_ratio,
 * gopher_alpha_words_ratio, gopher_stop_words (distinct). Ratios are null when undefined.
 */
import { z } from 'zod';
import { defineFilter, type Metrics, type Verdict } from '../src/core/filter.js';
import * as punctuation from '../src/text/punctuation.js';
import * as python from '../src/text/python.js';
import { splitWords } from '../src/text/tokenizer.js';
import { wordTable, type WordTable } from '../src/text/word-table.js';

// module-local copies for the hot loops (some loaders put accessors in front of imported bindings)
const { HAS_ALPHA, NON_SYMBOL } = punctuation;
const { isPyWhitespace, pyCount, pySplitlineBounds } = python;

export const GOPHER_STOP_WORDS: readonly string[] = ['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with'];

const count = z.number().int().nonnegative().nullable();
const ratio = z.number().nonnegative().nullable();

export const gopherQualityOptions = z.strictObject({
  min_doc_words: count.default(50),
  max_doc_words: count.default(100000),
  min_avg_word_length: z.number().nonnegative().nullable().default(3),
  max_avg_word_length: z.number().nonnegative().nullable().default(10),
  max_symbol_word_ratio: ratio.default(0.1),
  max_bullet_lines_ratio: ratio.default(0.9),
  max_ellipsis_lines_ratio: ratio.default(0.3),
  max_non_alpha_words_ratio: ratio.default(0.8),
  min_stop_words: count.default(2),
  stop_words: z.array(z.string()).default([...GOPHER_STOP_WORDS]),
});
export type GopherQualityOptions = z.output<typeof gopherQualityOptions>;

/** Stop-word lookup: the words by length (each with its index), so most words are rejected by length. */
interface StopWords {
  size: number;
  byLength: ({ words: string[]; index: number[] } | undefined)[];
}

function stopWordTable(list: readonly string[]): StopWords {
  const byLength: ({ words: string[]; index: number[] } | undefined)[] = [];
  const seen = new Set<string>();
  for (const w of list) {
    if (seen.has(w)) continue;
    const group = (byLength[w.length] ??= { words: [], index: [] });
    group.words.push(w);
    group.index.push(seen.size);
    seen.add(w);
  }
  for (let len = 0; len < byLength.length; len++) byLength[len] ??= undefined; // no holes
  return { size: seen.size, byLength };
}

/** Index of `w` in the stop words, or -1. */
function stopIndex(stop: StopWords, w: string): number {
  const group = w.length < stop.byLength.length ? stop.byLength[w.length] : undefined;
  if (group === undefined) return -1;
  const words = group.words;
  for (let k = 0; k < words.length; k++) if (words[k] === w) return group.index[k]!;
  return -1;
}

const tables = new WeakMap<readonly string[], StopWords>();
function stopWordsOf(list: readonly string[]): StopWords {
  let t = tables.get(list);
  if (t === undefined) {
    t = stopWordTable(list);
    tables.set(list, t);
  }
  return t;
}

function startsWithBullet(text: string, start: number, end: number): boolean {
  while (start < end && isPyWhitespace(text.charCodeAt(start))) start++;
  if (start >= end) return false;
  const c = text.charCodeAt(start);
  return c === 0x2022 || c === 0x2d; // • -
}

function endsWithEllipsis(text: string, start: number, end: number): boolean {
  while (end > start && isPyWhitespace(text.charCodeAt(end - 1))) end--;
  if (end <= start) return false;
  if (text.charCodeAt(end - 1) === 0x2026) return true; // …
  return end - start >= 3 && text.charCodeAt(end - 1) === 0x2e && text.charCodeAt(end - 2) === 0x2e && text.charCodeAt(end - 3) === 0x2e;
}

function ratioOrNull(num: number, den: number): number | null {
  return den > 0 ? num / den : null;
}

/** What the rules take from the document's shared memos (computed here when not given). */
export interface QualityInputs {
  /** The words' table, `wordTable(words, text)`. */
  table?: WordTable;
  /** The bounds of text.splitlines(), `pySplitlineBounds(text)`. */
  lines?: readonly number[];
}

/** The rules above over a text and its words; records metrics and returns the reason or undefined. */
export function gopherQualityVerdict(
  text: string,
  words: readonly string[],
  o: GopherQualityOptions,
  m: Metrics,
  inputs: QualityInputs = {},
): Verdict {
  const table = inputs.table ?? wordTable(words, text);
  const nWords = words.length;
  const stop = stopWordsOf(o.stop_words);
  const { typeCount, typeFirst, typeClass, cp } = table;
  let nonSymbol = 0;
  let nonSymbolChars = 0;
  let alphaWords = 0;
  let stopWords = 0;
  // per distinct word: its class and length are the same at every occurrence
  for (let t = 0; t < table.types; t++) {
    const count = typeCount[t]!;
    const w = typeFirst[t]!;
    const cls = typeClass[t]!;
    if (cls & NON_SYMBOL) {
      nonSymbol += count;
      nonSymbolChars += count * (cp[w + 1]! - cp[w]!);
    }
    if (cls & HAS_ALPHA) alphaWords += count;
    if (stopIndex(stop, words[w]!) >= 0) stopWords++; // distinct words: each stop word counts once
  }
  const avgLen = nonSymbol > 0 ? nonSymbolChars / nonSymbol : NaN;
  const hashRatio = ratioOrNull(pyCount(text, '#'), nWords);
  const ellipsisRatio = ratioOrNull(pyCount(text, '...') + pyCount(text, '…'), nWords);

  const lines = inputs.lines ?? pySplitlineBounds(text);
  const nLines = lines.length / 2;
  let bullets = 0;
  let endEllipsis = 0;
  for (let k = 0; k < lines.length; k += 2) {
    if (startsWithBullet(text, lines[k]!, lines[k + 1]!)) bullets++;
    if (endsWithEllipsis(text, lines[k]!, lines[k + 1]!)) endEllipsis++;
  }
  const bulletRatio = ratioOrNull(bullets, nLines);
  const endEllipsisRatio = ratioOrNull(endEllipsis, nLines);
  const alphaRatio = ratioOrNull(alphaWords, nWords);

  m.gopher_words = nWords;
  m.gopher_non_symbol_words = nonSymbol;
  m.gopher_avg_word_len = nonSymbol > 0 ? avgLen : null;
  m.gopher_hash_ratio = hashRatio;
  m.gopher_ellipsis_ratio = ellipsisRatio;
  m.gopher_bullet_lines_ratio = bulletRatio;
  m.gopher_end_ellipsis_lines_ratio = endEllipsisRatio;
  m.gopher_alpha_words_ratio = alphaRatio;
  m.gopher_stop_words = stopWords;

  if (o.min_doc_words !== null && nonSymbol < o.min_doc_words) return 'gopher_short_doc';
  if (o.max_doc_words !== null && nonSymbol > o.max_doc_words) return 'gopher_long_doc';
  if (nWords === 0) return 'empty';
  if (o.min_avg_word_length !== null && avgLen < o.min_avg_word_length) return 'gopher_below_avg_threshold';
  if (o.max_avg_word_length !== null && avgLen > o.max_avg_word_length) return 'gopher_above_avg_threshold';
  if (o.max_symbol_word_ratio !== null) {
    if (hashRatio! > o.max_symbol_word_ratio) return 'gopher_too_many_hashes';
    if (ellipsisRatio! > o.max_symbol_word_ratio) return 'gopher_too_many_ellipsis';
  }
  // nWords > 0 means the text is not empty, so it has at least one line
  if (o.max_bullet_lines_ratio !== null && bulletRatio! > o.max_bullet_lines_ratio) return 'gopher_too_many_bullets';
  if (o.max_ellipsis_lines_ratio !== null && endEllipsisRatio! > o.max_ellipsis_lines_ratio) {
    return 'gopher_too_many_end_ellipsis';
  }
  if (o.max_non_alpha_words_ratio !== null && alphaRatio! < o.max_non_alpha_words_ratio) {
    return 'gopher_below_alpha_threshold';
  }
  if (o.min_stop_words !== null && stopWords < o.min_stop_words) return 'gopher_enough_stop_words';
  return undefined;
}

export default defineFilter({
  type: 'gopher_quality',
  summary: 'Gopher quality rules: word count and length, symbols, bullets, ellipses, alphabetic words, stop words',
  options: gopherQualityOptions,
  create(o) {
    return {
      check(doc, m) {
        const words = doc.memo('words', splitWords);
        return gopherQualityVerdict(doc.text, words, o, m, {
          table: doc.memo('wordTable', (text) => wordTable(words, text)),
          lines: doc.memo('splitlineBounds', pySplitlineBounds),
        });
      },
    };
  },
});
