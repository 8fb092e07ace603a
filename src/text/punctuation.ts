/**
 * The punctuation sets of the reference quality filters, as code points.
 *
 * - TERMINAL_PUNCTUATION: the 159 sentence-ending marks of many scripts (`.`, `!`, `?`, `。`, `।`,
 *   `؟`, `።`, ...). FineWeb's line rule counts lines that end with one of them.
 * - PUNCTUATION_SET: all ASCII punctuation, a list of common non-ASCII marks (’ “ ” „ « » – — … and
 *   CJK / full-width brackets and stops), the control characters 0-8, 11-31 and 127-159 (so not
 *   `\t` or `\n`), and TERMINAL_PUNCTUATION. Gopher's "symbol words" are made only of these.
 *   Not in the set: ‘ • · and letters, digits, spaces (except the one full-width digit `１`, which
 *   the reference lists).
 *
 * Lookups are a byte per BMP code unit (built once) and a small set for the astral marks.
 */
import * as python from './python.js';

// a module-local copy for the hot loop (some loaders put accessors in front of imported bindings)
const { isPyAlpha } = python;

/** Code points of the sentence-ending marks (159). */
export const TERMINAL_PUNCTUATION: readonly number[] = [
  0x21, 0x2e, 0x3f, 0x589, 0x61d, 0x61e, 0x61f, 0x6d4, 0x700, 0x701, 0x702, 0x7f9,
  0x837, 0x839, 0x83d, 0x83e, 0x964, 0x965, 0x104a, 0x104b, 0x1362, 0x1367, 0x1368, 0x166e,
  0x1735, 0x1736, 0x17d4, 0x17d5, 0x17d6, 0x17d9, 0x17da, 0x1803, 0x1809, 0x1944, 0x1945, 0x1aa8,
  0x1aa9, 0x1aaa, 0x1aab, 0x1b5a, 0x1b5b, 0x1b5e, 0x1b5f, 0x1b7d, 0x1b7e, 0x1c3b, 0x1c3c, 0x1c7e,
  0x1c7f, 0x203c, 0x203d, 0x2047, 0x2048, 0x2049, 0x2e2e, 0x2e3c, 0x2e53, 0x2e54, 0x3002, 0xa4ff,
  0xa60e, 0xa60f, 0xa6f3, 0xa6f7, 0xa876, 0xa877, 0xa8ce, 0xa8cf, 0xa92f, 0xa9c8, 0xa9c9, 0xaa5d,
  0xaa5e, 0xaa5f, 0xaaf0, 0xaaf1, 0xabeb, 0xfe52, 0xfe56, 0xfe57, 0xff01, 0xff0e, 0xff1f, 0xff61,
  0x10a56, 0x10a57, 0x10f55, 0x10f56, 0x10f57, 0x10f58, 0x10f59, 0x10f86, 0x10f87, 0x10f88, 0x10f89, 0x11047,
  0x11048, 0x110be, 0x110bf, 0x110c0, 0x110c1, 0x11141, 0x11142, 0x11143, 0x111c5, 0x111c6, 0x111cd, 0x111de,
  0x111df, 0x11238, 0x11239, 0x1123b, 0x1123c, 0x112a9, 0x1144b, 0x1144c, 0x115c2, 0x115c3, 0x115c9, 0x115ca,
  0x115cb, 0x115cc, 0x115cd, 0x115ce, 0x115cf, 0x115d0, 0x115d1, 0x115d2, 0x115d3, 0x115d4, 0x115d5, 0x115d6,
  0x115d7, 0x11641, 0x11642, 0x1173c, 0x1173d, 0x1173e, 0x11944, 0x11946, 0x11a42, 0x11a43, 0x11a9b, 0x11a9c,
  0x11c41, 0x11c42, 0x11ef7, 0x11ef8, 0x11f43, 0x11f44, 0x16a6e, 0x16a6f, 0x16af5, 0x16b37, 0x16b38, 0x16b44,
  0x16e98, 0x1bc9f, 0x1da88,
];

/** The printable marks of the general punctuation list, besides ASCII punctuation. */
const OTHER_MARKS: readonly number[] = [
  0xab, 0xb4, 0xbb, 0x2013, 0x2014, 0x2019, 0x201c, 0x201d, 0x201e, 0x2026, 0x2236, 0x2501,
  0x25ba, 0x3001, 0x3002, 0x3008, 0x3009, 0x300a, 0x300b, 0x300c, 0x300d, 0x3010, 0x3011, 0xff01,
  0xff05, 0xff08, 0xff09, 0xff0c, 0xff0e, 0xff11, 0xff1a, 0xff1b, 0xff1f, 0xff5e,
];

const ASCII_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

const PUNCT = 1;
const TERMINAL = 2;

/** One byte of flags per BMP code unit. */
const BMP_FLAGS = new Uint8Array(0x10000);
const ASTRAL_PUNCT = new Set<number>();
const ASTRAL_TERMINAL = new Set<number>();

function build(): void {
  for (let c = 0; c <= 8; c++) BMP_FLAGS[c] = PUNCT;
  for (let c = 11; c <= 31; c++) BMP_FLAGS[c] = PUNCT;
  for (let c = 127; c <= 159; c++) BMP_FLAGS[c] = PUNCT;
  for (let i = 0; i < ASCII_PUNCTUATION.length; i++) BMP_FLAGS[ASCII_PUNCTUATION.charCodeAt(i)] = PUNCT;
  for (const c of OTHER_MARKS) BMP_FLAGS[c] = PUNCT;
  for (const c of TERMINAL_PUNCTUATION) {
    if (c < 0x10000) BMP_FLAGS[c] = PUNCT | TERMINAL;
    else {
      ASTRAL_PUNCT.add(c);
      ASTRAL_TERMINAL.add(c);
    }
  }
}
build();

/** True when the code point is in PUNCTUATION_SET. */
export function isPunctuation(cp: number): boolean {
  return cp < 0x10000 ? (BMP_FLAGS[cp]! & PUNCT) !== 0 : ASTRAL_PUNCT.has(cp);
}

/** True when the code point is one of TERMINAL_PUNCTUATION. */
export function isTerminalPunctuation(cp: number): boolean {
  return cp < 0x10000 ? (BMP_FLAGS[cp]! & TERMINAL) !== 0 : ASTRAL_TERMINAL.has(cp);
}

/** All code points of PUNCTUATION_SET, ascending (for documentation and tests). */
export function punctuationCodePoints(): number[] {
  const out: number[] = [];
  for (let c = 0; c < 0x10000; c++) if (BMP_FLAGS[c]! & PUNCT) out.push(c);
  for (const c of [...ASTRAL_PUNCT].sort((a, b) => a - b)) out.push(c);
  return out;
}

/** True when every character of `s` is in PUNCTUATION_SET (true for ""). */
export function isAllPunctuation(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        if (!ASTRAL_PUNCT.has(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000)) return false;
        i++;
        continue;
      }
    }
    if ((BMP_FLAGS[c]! & PUNCT) === 0) return false;
  }
  return true;
}

/** `wordClass` flags. */
export const NON_SYMBOL = 1;
export const HAS_ALPHA = 2;

/**
 * What the Gopher rules ask of one word, in one pass that stops as soon as both are known:
 * NON_SYMBOL when a character lies outside PUNCTUATION_SET, HAS_ALPHA when a character is a
 * Python letter (`str.isalpha`).
 */
export function wordClass(w: string): number {
  return wordClassRange(w, 0, w.length);
}

/** `wordClass` of `s[start, end)` (offsets at code point boundaries). */
export function wordClassRange(s: string, start: number, end: number): number {
  let flags = 0;
  for (let i = start; i < end && flags !== (NON_SYMBOL | HAS_ALPHA); i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      flags |= ASCII_CLASS[c]!;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
      }
    }
    if (!isPunctuation(c)) flags |= NON_SYMBOL;
    if (isPyAlpha(c)) flags |= HAS_ALPHA;
  }
  return flags;
}

/** `wordClass` flags of the ASCII characters. */
const ASCII_CLASS = new Uint8Array(0x80).map((_, c) => (isPunctuation(c) ? 0 : NON_SYMBOL) | (isPyAlpha(c) ? HAS_ALPHA : 0));
