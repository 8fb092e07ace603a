/**
 * fineweb_quality: the FineWeb line rules as the reference implements them (datatrove
 * FineWebQualityFilter, default thresholds). Lines are text.split("\n") without the blank ones
 * (whitespace-only); they are not stripped, so "a.\r" does not end with ".". In this order:
 *
 * 0. no lines -> `empty` (empty or whitespace-only text)
 * 1. share of lines ending with one of `stop_chars` (default: the 159 terminal punctuation marks;
 *    of ASCII only . ! ?) < line_punct_thr (0.12) -> `line_punct_ratio`, unless
 *    line_punct_exclude_zero is set and the share is 0
 * 2. share of lines with at most short_line_length (30) code points > short_line_thr (0.67)
 *    -> `short_line_ratio`
 * 3. characters of repeated lines (every occurrence after the first) / code points of the text
 *    without "\n" > char_duplicates_ratio (0.01) -> `char_dup_ratio`
 * 4. count("\n") (blank lines included) / words > new_line_ratio (0.3) -> `list_ratio`
 *
 * Words are the shared English word tokens (`doc.memo('words')`); lines come from the pieces of
 * text.split("\n") shared with gopher_repetition (`doc.memo('newlinePieces')`). A threshold set to
 * null switches its rule off. A text with lines always has words; were it to have none, rule 4
 * would count it as `list_ratio` when it has a "\n" (the reference divides by zero there).
 *
 * Metrics: fineweb_lines (non-blank), fineweb_line_punct_ratio, fineweb_short_line_ratio,
 * fineweb_char_dup_ratio, fineweb_list_ratio (null when there are no lines / words).
 */
import { z } from 'zod';
import { defineFilter, type Metrics, type Verdict } from '../src/core/filter.js';
import * as punctuation from '../src/text/punctuation.js';
import * as python from '../src/text/python.js';
import { stringDuplicates } from '../src/text/repetition.js';
import { splitWords } from '../src/text/tokenizer.js';

// module-local copies for the hot loops (some loaders put accessors in front of imported bindings)
const { isTerminalPunctuation } = punctuation;
const { codePointBefore, codePointLength, hasSurrogates, isPyWhitespace, pySplitNewlines } = python;

const ratio = z.number().nonnegative().nullable();

export const fineWebQualityOptions = z.strictObject({
  line_punct_thr: ratio.default(0.12),
  line_punct_exclude_zero: z.boolean().default(false),
  /** Line endings that count as punctuated; null = the terminal punctuation marks. */
  stop_chars: z.array(z.string().min(1)).nullable().default(null),
  short_line_thr: ratio.default(0.67),
  short_line_length: z.number().int().nonnegative().default(30),
  char_duplicates_ratio: ratio.default(0.01),
  new_line_ratio: ratio.default(0.3),
});
export type FineWebQualityOptions = z.output<typeof fineWebQualityOptions>;

/** The lines of text.split("\n") that are not blank, from the pieces of that split. */
export function nonBlankLines(pieces: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of pieces) {
    let i = 0;
    while (i < line.length && isPyWhitespace(line.charCodeAt(i))) i++;
    if (i < line.length) out.push(line);
  }
  return out;
}

function endsWithAny(line: string, suffixes: readonly string[]): boolean {
  for (const s of suffixes) if (line.endsWith(s)) return true;
  return false;
}

/**
 * The rules above over a text and its words; records metrics and returns the reason or undefined.
 * `pieces`: text.split("\n"), when already made.
 */
export function fineWebQualityVerdict(
  text: string,
  words: readonly string[],
  o: FineWebQualityOptions,
  m: Metrics,
  pieces: readonly string[] = pySplitNewlines(text),
): Verdict {
  const lines = nonBlankLines(pieces);
  const nLines = lines.length;
  m.fineweb_lines = nLines;
  if (nLines === 0) {
    m.fineweb_line_punct_ratio = null;
    m.fineweb_short_line_ratio = null;
    m.fineweb_char_dup_ratio = null;
    m.fineweb_list_ratio = null;
    return 'empty';
  }
  const astral = hasSurrogates(text);
  let punct = 0;
  let short = 0;
  for (const line of lines) {
    if (o.stop_chars === null ? isTerminalPunctuation(codePointBefore(line, line.length)) : endsWithAny(line, o.stop_chars)) {
      punct++;
    }
    // a line is short when it has at most short_line_length code points; UTF-16 length bounds it
    const units = line.length;
    const cps = units > o.short_line_length && units <= 2 * o.short_line_length && astral ? codePointLength(line) : units;
    if (cps <= o.short_line_length) short++;
  }
  const dupChars = stringDuplicates(lines, astral).chars;
  const newlines = pieces.length - 1;
  const punctRatio = punct / nLines;
  const shortRatio = short / nLines;
  const dupRatio = dupChars / ((astral ? codePointLength(text) : text.length) - newlines);
  const listRatio = words.length > 0 ? newlines / words.length : newlines > 0 ? Infinity : 0;
  m.fineweb_line_punct_ratio = punctRatio;
  m.fineweb_short_line_ratio = shortRatio;
  m.fineweb_char_dup_ratio = dupRatio;
  m.fineweb_list_ratio = words.length > 0 ? listRatio : null;

  if (o.line_punct_thr !== null && punctRatio < o.line_punct_thr && !(punctRatio === 0 && o.line_punct_exclude_zero)) {
    return 'line_punct_ratio';
  }
  if (o.short_line_thr !== null && shortRatio > o.short_line_thr) return 'short_line_ratio';
  if (o.char_duplicates_ratio !== null && dupRatio > o.char_duplicates_ratio) return 'char_dup_ratio';
  if (o.new_line_ratio !== null && listRatio > o.new_line_ratio) return 'list_ratio';
  return undefined;
}

export default defineFilter({
  type: 'fineweb_quality',
  summary: 'FineWeb line rules: punctuated lines, short lines, repeated lines, list-like text',
  options: fineWebQualityOptions,
  create(o) {
    return {
      check(doc, m) {
        return fineWebQualityVerdict(doc.text, doc.memo('words', splitWords), o, m, doc.memo('newlinePieces', pySplitNewlines));
      },
    };
  },
});
