/**
 * gopher_repetition: the Gopher repetition rules (Rae et al. 2021) as the reference implements them
 * (datatrove GopherRepetitionFilter, default thresholds). Every comparison is a strict ">", and
 * character fractions are of len(text) in code points. In this order:
 *
 * 1. paragraphs = re.split(r"\n{2,}", text.strip()); repeated paragraphs / paragraphs >
 *    dup_para_frac (0.3) -> `dup_para_frac`; their characters > dup_para_char_frac (0.2)
 *    -> `dup_para_char_frac`. "Repeated" = every occurrence after the first.
 * 2. lines = re.split(r"\n+", text) (not stripped, so "" can occur at either end); the same with
 *    dup_line_frac (0.3) -> `dup_line_frac` and dup_line_char_frac (0.2) -> `dup_line_char_frac`
 * 3. for each [n, limit] of top_n_grams ([2, 0.2], [3, 0.18], [4, 0.16]): the most frequent word
 *    n-gram (words joined by " "; ties to the first seen), len(ngram) * count > limit
 *    -> `top_{n}_gram` (computed even when the count is 1; skipped with fewer than n words)
 * 4. for each [n, limit] of dup_n_grams ([5, 0.15] ... [10, 0.1]): characters of repeated word
 *    n-grams (joined by ""; a repeat adds its length and the scan jumps n words) > limit
 *    -> `duplicated_{n}_n_grams`
 *
 * Words are the shared English word tokens (`doc.memo('words')`), read through the word table
 * shared with gopher_quality (`doc.memo('wordTable')`); lines come from the pieces of
 * text.split("\n") shared with fineweb_quality (`doc.memo('newlinePieces')`). A threshold set to
 * null switches its rule off (the reference also switches a rule off for 0; here 0 is a real
 * threshold).
 *
 * Empty text is dropped as `empty` (the reference divides by zero). Whitespace-only text is judged
 * normally (its lines may repeat).
 *
 * Metrics (fractions): gopher_rep_dup_para_frac, gopher_rep_dup_para_char_frac,
 * gopher_rep_dup_line_frac, gopher_rep_dup_line_char_frac, gopher_rep_top_{n}_gram_frac,
 * gopher_rep_dup_{n}_gram_frac; all null for empty text.
 */
import { z } from 'zod';
import { defineFilter, type Metrics, type Verdict } from '../src/core/filter.js';
import { duplicatedNgramScores, topNgramScores } from '../src/text/ngrams.js';
import * as python from '../src/text/python.js';
import { rangeDuplicates, stringDuplicates } from '../src/text/repetition.js';
import { splitWords } from '../src/text/tokenizer.js';
import { wordTable, type WordTable } from '../src/text/word-table.js';

// module-local copies for the hot loops (some loaders put accessors in front of imported bindings)
const { codePointLength, hasSurrogates, isPyWhitespace, pySplitNewlines } = python;

const frac = z.number().nonnegative().nullable();
const nGramLimits = z.array(z.tuple([z.number().int().min(1), z.number().nonnegative()]));

export const gopherRepetitionOptions = z.strictObject({
  dup_line_frac: frac.default(0.3),
  dup_para_frac: frac.default(0.3),
  dup_line_char_frac: frac.default(0.2),
  dup_para_char_frac: frac.default(0.2),
  top_n_grams: nGramLimits.default([
    [2, 0.2],
    [3, 0.18],
    [4, 0.16],
  ]),
  dup_n_grams: nGramLimits.default([
    [5, 0.15],
    [6, 0.14],
    [7, 0.13],
    [8, 0.12],
    [9, 0.11],
    [10, 0.1],
  ]),
});
export type GopherRepetitionOptions = z.output<typeof gopherRepetitionOptions>;

/** Bounds of re.split(r"\n{2,}", text.strip()) as [start, end, ...] offsets into `text`. */
export function paragraphBounds(text: string): number[] {
  let a = 0;
  let b = text.length;
  while (a < b && isPyWhitespace(text.charCodeAt(a))) a++;
  while (b > a && isPyWhitespace(text.charCodeAt(b - 1))) b--;
  const out: number[] = [];
  let start = a;
  // the stripped range neither starts nor ends with "\n", so every run of them lies inside it
  for (let i = text.indexOf('\n\n', a); i >= 0 && i < b; i = text.indexOf('\n\n', start)) {
    let j = i + 2;
    while (text.charCodeAt(j) === 0x0a) j++;
    out.push(start, i);
    start = j;
  }
  out.push(start, b);
  return out;
}

/**
 * The pieces of re.split(r"\n+", text) from those of text.split("\n"): a run of "\n" leaves empty
 * pieces inside it, which go; an empty piece at either end stays.
 */
export function lineRuns(pieces: readonly string[]): string[] {
  const out: string[] = [];
  const last = pieces.length - 1;
  for (let k = 0; k <= last; k++) if (pieces[k]!.length > 0 || k === 0 || k === last) out.push(pieces[k]!);
  return out;
}

/** What the rules take from the document's shared memos (computed here when not given). */
export interface RepetitionInputs {
  /** The words' table, `wordTable(words, text)`. */
  table?: WordTable;
  /** text.split("\n"). */
  pieces?: readonly string[];
}

/** Metric names per n, made once. */
const topNames = new Map<number, string>();
const dupNames = new Map<number, string>();
function topName(n: number): string {
  let s = topNames.get(n);
  if (s === undefined) topNames.set(n, (s = `gopher_rep_top_${n}_gram_frac`));
  return s;
}
function dupName(n: number): string {
  let s = dupNames.get(n);
  if (s === undefined) dupNames.set(n, (s = `gopher_rep_dup_${n}_gram_frac`));
  return s;
}

/** The rules above over a text and its words; records metrics and returns the reason or undefined. */
export function gopherRepetitionVerdict(
  text: string,
  words: readonly string[],
  o: GopherRepetitionOptions,
  m: Metrics,
  inputs: RepetitionInputs = {},
): Verdict {
  if (text.length === 0) {
    m.gopher_rep_dup_para_frac = null;
    m.gopher_rep_dup_para_char_frac = null;
    m.gopher_rep_dup_line_frac = null;
    m.gopher_rep_dup_line_char_frac = null;
    for (const [n] of o.top_n_grams) m[topName(n)] = null;
    for (const [n] of o.dup_n_grams) m[dupName(n)] = null;
    return 'empty';
  }
  const astral = hasSurrogates(text);
  const chars = astral ? codePointLength(text) : text.length;
  let verdict: Verdict;

  const paras = paragraphBounds(text);
  const pd = rangeDuplicates(text, paras, paras.length / 2, astral);
  const paraFrac = pd.count / (paras.length / 2);
  const paraCharFrac = pd.chars / chars;
  m.gopher_rep_dup_para_frac = paraFrac;
  m.gopher_rep_dup_para_char_frac = paraCharFrac;
  if (o.dup_para_frac !== null && paraFrac > o.dup_para_frac) verdict ??= 'dup_para_frac';
  if (o.dup_para_char_frac !== null && paraCharFrac > o.dup_para_char_frac) verdict ??= 'dup_para_char_frac';

  const lines = lineRuns(inputs.pieces ?? pySplitNewlines(text));
  const ld = stringDuplicates(lines, astral);
  const lineFrac = ld.count / lines.length;
  const lineCharFrac = ld.chars / chars;
  m.gopher_rep_dup_line_frac = lineFrac;
  m.gopher_rep_dup_line_char_frac = lineCharFrac;
  if (o.dup_line_frac !== null && lineFrac > o.dup_line_frac) verdict ??= 'dup_line_frac';
  if (o.dup_line_char_frac !== null && lineCharFrac > o.dup_line_char_frac) verdict ??= 'dup_line_char_frac';

  const h = inputs.table ?? wordTable(words, text);
  const top = topNgramScores(h, o.top_n_grams.map(([n]) => n));
  o.top_n_grams.forEach(([n, limit], k) => {
    const f = top[k]! / chars;
    m[topName(n)] = f;
    if (f > limit) verdict ??= `top_${n}_gram`;
  });
  const dup = duplicatedNgramScores(h, o.dup_n_grams.map(([n]) => n));
  o.dup_n_grams.forEach(([n, limit], k) => {
    const f = dup[k]! / chars;
    m[dupName(n)] = f;
    if (f > limit) verdict ??= `duplicated_${n}_n_grams`;
  });
  return verdict;
}

export default defineFilter({
  type: 'gopher_repetition',
  summary: 'Gopher repetition rules: repeated paragraphs, lines and word n-grams',
  options: gopherRepetitionOptions,
  create(o) {
    return {
      check(doc, m) {
        const words = doc.memo('words', splitWords);
        return gopherRepetitionVerdict(doc.text, words, o, m, {
          table: doc.memo('wordTable', (text) => wordTable(words, text)),
          pieces: doc.memo('newlinePieces', pySplitNewlines),
        });
      },
    };
  },
});
