/**
 * Text normalization before MinHash shingling, as the reference `simplify_text` with its default
 * `TextNormConfig`. The steps, in the reference order:
 *   1. lowercase;
 *   2. numbers: every `\p{Nd}+` with an optional decimal part (one of . , ، ٫ ⎖ ⎗ ⎘ and more
 *      digits) becomes "0" ("3.14" -> "0", "1,000,000" -> "0,0" -> "0 0" after step 4);
 *   3. (off by default) weekday and month names become WEEKDAY / MONTH;
 *   4. every character of the translation list below becomes a space;
 *   5. strip, then every run of whitespace becomes one space;
 *   6. NFD, then combining marks (category Mn) are dropped ("é" -> "e");
 *   7. strip.
 * Whitespace is Python's (`str.isspace`), not JavaScript's `\s` (which adds U+FEFF).
 *
 * The translation list of step 4 is the reference's PUNCTUATION string: ASCII punctuation, 34
 * common non-ASCII marks and the control characters 0-8, 11-31, 127-159. It is PUNCTUATION_SET of
 * `src/text/punctuation.ts` minus the sentence-ending marks of other scripts that only the set
 * includes (।, ؟, ｡, ...): the reference builds its translation table from the string alone, so
 * those marks stay in the text.
 */
import { pyStrip } from '../../text/python.js';

export interface TextNormOptions {
  lowercase: boolean;
  normWhitespace: boolean;
  removePunctuation: boolean;
  normUnicodeDiacritics: boolean;
  normNumbers: boolean;
  normWeekdays: boolean;
  normMonthnames: boolean;
}

export const DEFAULT_TEXT_NORM: Readonly<TextNormOptions> = Object.freeze({
  lowercase: true,
  normWhitespace: true,
  removePunctuation: true,
  normUnicodeDiacritics: true,
  normNumbers: true,
  normWeekdays: false,
  normMonthnames: false,
});

/** The non-ASCII, non-control characters of the translation list. */
const OTHER_MARKS = '«´»–—’“”„…∶━►、。〈〉《》「」【】！％（），．１：；？～';
const ASCII_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** Code points that step 4 turns into spaces. */
export const TRANSLATED_PUNCTUATION: readonly number[] = (() => {
  const cps = new Set<number>();
  for (const [a, b] of [[0, 9], [11, 13], [13, 32], [127, 160]] as const) for (let c = a; c < b; c++) cps.add(c);
  for (const s of [ASCII_PUNCTUATION, OTHER_MARKS]) for (const ch of s) cps.add(ch.codePointAt(0)!);
  return [...cps].sort((x, y) => x - y);
})();

/** Python's whitespace characters (`str.isspace`), all in the BMP. */
const PY_WHITESPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

function classOf(cps: readonly number[]): string {
  return cps.map((c) => `\\u{${c.toString(16)}}`).join('');
}

const NUMBERS = /\p{Nd}+(?:[.,\u060c\u066b\u2396\u2397\u2398]\p{Nd}+)?/gu;
const ASCII_NUMBERS = /[0-9]+(?:[.,][0-9]+)?/g;
const WEEKDAYS = /monday|tuesday|wednesday|thursday|friday|saturday|sunday/g;
const MONTHS = /january|february|march|april|may|june|july|august|september|october|november|december/g;
const PUNCT = new RegExp(`[${classOf(TRANSLATED_PUNCTUATION)}]`, 'gu');
const WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE}]+`, 'gu');
/** Steps 4 and 5 together: a run of punctuation and whitespace becomes one space. */
const PUNCT_OR_WHITESPACE_RUN = new RegExp(`[${classOf(TRANSLATED_PUNCTUATION)}${PY_WHITESPACE}]+`, 'gu');
const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING_MARKS = /\p{Mn}+/gu;
/** In ASCII text, everything but letters and digits is punctuation or whitespace. */
const ASCII_NON_ALNUM_RUN = /[^a-zA-Z0-9]+/g;

function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) === 0x20) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function isDefault(o: Readonly<TextNormOptions>): boolean {
  return (
    o.lowercase && o.normWhitespace && o.removePunctuation && o.normUnicodeDiacritics && o.normNumbers &&
    !o.normWeekdays && !o.normMonthnames
  );
}

/** The reference `simplify_text(text, config)`. */
export function simplifyText(text: string, options: Readonly<TextNormOptions> = DEFAULT_TEXT_NORM): string {
  const ascii = !NON_ASCII.test(text);
  if (ascii && isDefault(options)) {
    // lowercase, numbers, then punctuation and whitespace; NFD leaves ASCII unchanged
    return trimSpaces(text.toLowerCase().replace(ASCII_NUMBERS, '0').replace(ASCII_NON_ALNUM_RUN, ' '));
  }
  let t = options.lowercase ? text.toLowerCase() : text;
  if (options.normNumbers) t = t.replace(ascii ? ASCII_NUMBERS : NUMBERS, '0');
  if (options.normWeekdays) t = t.replace(WEEKDAYS, 'WEEKDAY');
  if (options.normMonthnames) t = t.replace(MONTHS, 'MONTH');
  if (options.removePunctuation && options.normWhitespace) {
    t = trimSpaces(t.replace(PUNCT_OR_WHITESPACE_RUN, ' '));
  } else {
    if (options.removePunctuation) t = t.replace(PUNCT, ' ');
    if (options.normWhitespace) t = pyStrip(t).replace(WHITESPACE_RUN, ' ');
  }
  if (options.normUnicodeDiacritics && NON_ASCII.test(t)) {
    t = t.normalize('NFD').replace(COMBINING_MARKS, '');
  }
  return pyStrip(t);
}

/**
 * Python `s.split()` of normalized text joined back with single spaces: the text whose
 * space-separated runs are the whitespace-tokenizer words. Unchanged for most texts.
 */
export function joinWhitespaceWords(normalized: string): string {
  return normalized.indexOf('  ') < 0 && !NON_ASCII.test(normalized)
    ? trimSpaces(normalized)
    : pyStrip(normalized).replace(WHITESPACE_RUN, ' ');
}
