/**
 * Character classes and case folding for decontamination n-grams: one byte of class and one code
 * unit of folded form per BMP code point, built once per thread (about 40 ms).
 *
 * - Letters and digits (\p{L}, \p{N}) and spacing marks (\p{Mc}) are word characters. Each is
 *   folded: compatibility decomposition (NFKD), non-spacing marks removed, lowercased, when that
 *   gives a single code unit ("É" -> "e", fullwidth "Ａ" -> "a", "１" -> "1"); otherwise it is
 *   lowercased alone when that is one code unit, or kept.
 * - Non-spacing and enclosing marks (\p{Mn}, \p{Me}) and format characters other than the zero
 *   width space (soft hyphen, joiners, byte-order mark) are ignored: they neither belong to a
 *   word nor end one, so "cafe\u0301" and "café" are the same word.
 * - Han, Hiragana and Katakana characters are words on their own, since those scripts do not
 *   separate words with spaces.
 * - Characters whose folded form is an ASCII digit are digits (for the number rules).
 * - Everything else (punctuation, symbols, whitespace, controls) separates words.
 * Characters outside the BMP (surrogate pairs) are classified one by one through `astralFold`.
 */

export const SEP = 0;
export const IGNORE = 1;
export const CJK = 2;
export const HIGH = 3; // high surrogate: an astral character may follow
/** Word characters have the highest classes: `k >= WORD` tests for either. */
export const WORD = 4;
export const DIGIT = 5;

export interface CharTables {
  /** Class of each BMP code unit (SEP, IGNORE, CJK, HIGH, WORD, DIGIT). */
  cls: Uint8Array;
  /** Folded code unit of each BMP word character or digit. */
  fold: Uint16Array;
  /** Both in one entry, for the hot loop: fold << 3 | cls. */
  both: Int32Array;
}

let tables: CharTables | null = null;

const WORD_RE = /^[\p{L}\p{N}\p{Mc}]$/u;
const IGNORE_RE = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const CJK_RE = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u;
const MARKS_RE = /[\p{Mn}\p{Me}]/gu;

/** The folded form of one character (NFKD, marks removed, lowercased), or null when it is not one code unit. */
function foldOne(s: string): number | null {
  const f = s.normalize('NFKD').replace(MARKS_RE, '').toLowerCase();
  if (f.length === 1) return f.charCodeAt(0);
  const l = s.toLowerCase();
  return l.length === 1 ? l.charCodeAt(0) : null;
}

export function charTables(): CharTables {
  if (tables) return tables;
  const cls = new Uint8Array(0x10000);
  const fold = new Uint16Array(0x10000);
  for (let c = 0; c < 0x80; c++) {
    if (c >= 0x30 && c <= 0x39) {
      cls[c] = DIGIT;
      fold[c] = c;
    } else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
      cls[c] = WORD;
      fold[c] = c | 0x20;
    }
  }
  for (let c = 0x80; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) {
      cls[c] = c <= 0xdbff ? HIGH : SEP;
      continue;
    }
    const s = String.fromCharCode(c);
    if (c === 0x200b) continue; // zero width space separates words
    if (IGNORE_RE.test(s)) {
      cls[c] = IGNORE;
    } else if (CJK_RE.test(s)) {
      cls[c] = CJK;
      fold[c] = foldOne(s) ?? c;
    } else if (WORD_RE.test(s)) {
      const f = foldOne(s) ?? c;
      fold[c] = f;
      cls[c] = f >= 0x30 && f <= 0x39 ? DIGIT : WORD;
    }
  }
  const both = new Int32Array(0x10000);
  for (let c = 0; c < 0x10000; c++) both[c] = (fold[c]! << 3) | cls[c]!;
  tables = { cls, fold, both };
  return tables;
}

const astral = new Map<number, { cls: number; units: string }>();

/**
 * Class and folded code units of a character outside the BMP (cached): CJK for Han ideographs of
 * the supplementary planes, WORD for letters and digits (mathematical alphanumerics fold to ASCII),
 * IGNORE for marks and format characters, SEP otherwise.
 */
export function astralFold(cp: number): { cls: number; units: string } {
  let r = astral.get(cp);
  if (r) return r;
  const s = String.fromCodePoint(cp);
  if (IGNORE_RE.test(s)) r = { cls: IGNORE, units: '' };
  else if (CJK_RE.test(s)) r = { cls: CJK, units: s };
  else if (WORD_RE.test(s)) {
    const f = s.normalize('NFKD').replace(MARKS_RE, '').toLowerCase();
    r = { cls: WORD, units: f.length > 0 ? f : s };
  } else r = { cls: SEP, units: '' };
  astral.set(cp, r);
  return r;
}
