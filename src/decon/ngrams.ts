/**
 * Words and word n-gram keys for decontamination, shared by the index build and the matcher so
 * that both see text the same way.
 *
 * Normalization (version 1), applied while scanning, without building strings:
 * - words are maximal runs of letters and digits (see `chars.ts`): case folded, accents and other
 *   non-spacing marks removed, compatibility forms folded ("Ａ" -> "a"); everything that is not a
 *   letter or digit (punctuation, symbols, whitespace) separates words; Han, Hiragana and Katakana
 *   characters are one word each;
 * - a word of a single letter (outside those scripts) is dropped: articles and pronouns ("a",
 *   "I"), variables, and the option labels of multiple-choice prompts ("A. ... B. ..."), so that a
 *   question written with lettered options still shows its options as one run of words;
 * - numbers: a comma between digits that is followed by exactly three digits (and then no digit)
 *   is a thousands separator and is dropped ("1,000,000" = "1000000"); a point between digits is a
 *   decimal point, kept, and the fraction loses its trailing zeros ("3.50" = "3.5", "3.00" = "3",
 *   "1,000.00" = "1000"). Everything else stays as written ("0.5" and ".5" differ, "1 000" is two
 *   words, "1.000,5" is "1" and "5").
 *
 * Each word is hashed once to 64 bits (two uint32 halves, FNV-style chains finished with murmur3's
 * mixer). The key of an n-gram (a window of n consecutive words) is a polynomial hash over the
 * window's word hashes, one per half (mod 2^32, odd bases), rolled along the text with Math.imul,
 * and tagged with the window length. Nothing is allocated per word or per n-gram.
 */
import { CJK, DIGIT, HIGH, IGNORE, SEP, WORD, astralFold, charTables } from './chars.js';
import { fmix32 } from '../text/hash.js';

export const DEFAULT_N = 13;
/** Bumped whenever the rules above change: an index built with other rules is refused. */
export const NORMALIZATION_VERSION = 1;

/** Bases of the polynomial window hash, one per half. */
export const B1 = 0x9e3779b1 | 0;
export const B2 = 0x85ebca77 | 0;

/** Mixed into a window's key: keys of windows of different lengths never coincide by construction. */
export function keyTag(len: number): number {
  return Math.imul(len, 0x27d4eb2f);
}


/**
 * Scans text into words: per word its 64-bit hash (`hi`, `lo`) and its span in the text (`start`,
 * `end`, UTF-16 offsets; the span covers the characters the word was made of, including a dropped
 * thousands separator or fraction zeros). The arrays are reused from one text to the next.
 */
export class WordScanner {
  count = 0;
  hi: Uint32Array;
  lo: Uint32Array;
  start: Int32Array;
  end: Int32Array;
  /** When set, the folded code units of each word are collected (for `words`). */
  private units: number[] | null = null;
  private bounds: number[] = [];

  constructor(capacity = 1024) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
  }

  /** Grows the word arrays to `cap` entries, keeping their contents. */
  private grow(cap: number): [Uint32Array, Uint32Array, Int32Array, Int32Array] {
    const hi = new Uint32Array(cap);
    hi.set(this.hi.subarray(0, Math.min(cap, this.hi.length)));
    const lo = new Uint32Array(cap);
    lo.set(this.lo.subarray(0, Math.min(cap, this.lo.length)));
    const start = new Int32Array(cap);
    start.set(this.start.subarray(0, Math.min(cap, this.start.length)));
    const end = new Int32Array(cap);
    end.set(this.end.subarray(0, Math.min(cap, this.end.length)));
    this.hi = hi;
    this.lo = lo;
    this.start = start;
    this.end = end;
    return [hi, lo, start, end];
  }

  /** The normalized words of `text`, as strings. */
  words(text: string): string[] {
    this.units = [];
    this.bounds = [];
    try {
      this.scan(text);
      const out: string[] = [];
      for (let w = 0; w < this.count; w++) out.push(String.fromCharCode(...this.units.slice(this.bounds[w], this.bounds[w + 1])));
      return out;
    } finally {
      this.units = null;
    }
  }

  /** Scans `text`; returns the number of words (also in `count`). */
  scan(text: string): number {
    const { cls, fold, both } = charTables();
    const n = text.length;
    // a word per 6 characters is typical; the arrays grow when a text has more
    if (this.hi.length < n / 4) this.grow(Math.ceil(n / 4));
    let hiA = this.hi;
    let loA = this.lo;
    let startA = this.start;
    let endA = this.end;
    const units = this.units;
    if (units) this.bounds = [0];
    let count = 0;
    let i = 0;
    while (i < n) {
      let c = text.charCodeAt(i);
      let k = cls[c]!;
      if (k === SEP) {
        i++;
        continue;
      }
      let astral: AstralChar | null = null;
      if (k === HIGH) {
        astral = astralAt(text, i, c);
        if (astral === null || astral.cls === SEP || astral.cls === IGNORE) {
          i += astral === null ? 1 : 2;
          continue;
        }
        if (astral.cls === CJK) {
          if (count === hiA.length) [hiA, loA, startA, endA] = this.grow(2 * count);
          const u = astral.units;
          count = single(u.charCodeAt(0), u.length > 1 ? u.charCodeAt(1) : -1, i, i + 2, count, hiA, loA, startA, endA, units, this.bounds);
          i += 2;
          continue;
        }
      } else if (k === CJK) {
        if (count === hiA.length) [hiA, loA, startA, endA] = this.grow(2 * count);
        count = single(fold[c]!, -1, i, i + 1, count, hiA, loA, startA, endA, units, this.bounds);
        i++;
        continue;
      } else if (k === IGNORE) {
        i++;
        continue;
      }
      // A word: letters, digits, ignorable characters, astral letters.
      const wStart = i;
      let wEnd = i;
      let a = 0x811c9dc5;
      let b = 0x2f1b3c5d;
      let afterPoint = false; // the number had its decimal point: no more number rules in this word
      let len = 0; // code units hashed
      for (;;) {
        if (k >= WORD) {
          // a run of letters and digits: the common case, kept tight
          const run = i;
          let e = both[c]!;
          do {
            const f = e >>> 3;
            a = Math.imul(a ^ f, 0x01000193);
            b = Math.imul(b ^ f, 0x5bd1e995);
            if (++i >= n) break;
            c = text.charCodeAt(i);
            e = both[c]!;
          } while ((e & 7) >= WORD);
          k = e & 7;
          if (units) for (let p = run; p < i; p++) units.push(fold[text.charCodeAt(p)]!);
          len += i - run;
          wEnd = i;
          if (i >= n) break;
          // number rules, after a digit: thousands separator, decimal point
          if ((c === 0x2c || c === 0x2e) && !afterPoint && cls[text.charCodeAt(i - 1)] === DIGIT && i + 1 < n && cls[text.charCodeAt(i + 1)] === DIGIT) {
            if (c === 0x2c) {
              // ",ddd" not followed by another digit: dropped
              if (i + 3 < n && cls[text.charCodeAt(i + 2)] === DIGIT && cls[text.charCodeAt(i + 3)] === DIGIT && (i + 4 >= n || cls[text.charCodeAt(i + 4)] !== DIGIT)) {
                i++;
                c = text.charCodeAt(i);
                k = cls[c]!;
              }
              continue;
            }
            // decimal point: kept with the fraction, less its trailing zeros
            let j = i + 1;
            let lastNonZero = -1;
            while (j < n && cls[text.charCodeAt(j)] === DIGIT) {
              if (fold[text.charCodeAt(j)] !== 0x30) lastNonZero = j;
              j++;
            }
            for (let p = i; p <= lastNonZero; p++) {
              const g = p === i ? 0x2e : fold[text.charCodeAt(p)]!;
              a = Math.imul(a ^ g, 0x01000193);
              b = Math.imul(b ^ g, 0x5bd1e995);
              if (units) units.push(g);
              len++;
            }
            i = wEnd = j;
            afterPoint = true;
          } else if (k === IGNORE) {
            i++;
          } else if (k !== HIGH) break;
        } else if (k === IGNORE) {
          i++;
        } else if (k === HIGH) {
          astral ??= astralAt(text, i, c);
          if (astral === null || (astral.cls !== WORD && astral.cls !== IGNORE)) break;
          for (let p = 0; p < astral.units.length; p++) {
            const g = astral.units.charCodeAt(p);
            a = Math.imul(a ^ g, 0x01000193);
            b = Math.imul(b ^ g, 0x5bd1e995);
            if (units) units.push(g);
            len += 2; // an astral letter is never dropped as a single letter
          }
          i += 2;
          if (astral.cls === WORD) wEnd = i;
          astral = null;
        } else break;
        if (i >= n) break;
        c = text.charCodeAt(i);
        k = cls[c]!;
      }
      if (len === 1 && cls[text.charCodeAt(wStart)] === WORD) {
        // a single letter: an article, a pronoun, an option label ("A."), a variable; dropped
        if (units) units.length = this.bounds[this.bounds.length - 1]!;
        continue;
      }
      if (count === hiA.length) [hiA, loA, startA, endA] = this.grow(2 * count);
      const x = fmix32(a);
      hiA[count] = x;
      loA[count] = fmix32(b ^ x);
      startA[count] = wStart;
      endA[count] = wEnd;
      if (units) this.bounds.push(units.length);
      count++;
    }
    this.count = count;
    return count;
  }
}

interface AstralChar {
  cls: number;
  units: string;
}

/** The astral character whose high surrogate `c` is at `i`, or null for a lone surrogate. */
function astralAt(text: string, i: number, c: number): AstralChar | null {
  if (i + 1 >= text.length) return null;
  const lo = text.charCodeAt(i + 1);
  if (lo < 0xdc00 || lo > 0xdfff) return null;
  return astralFold(((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000);
}

/** A word of one CJK character: code unit `u1`, and `u2` unless it is -1. */
function single(u1: number, u2: number, start: number, end: number, count: number, hiA: Uint32Array, loA: Uint32Array, startA: Int32Array, endA: Int32Array, units: number[] | null, bounds: number[]): number {
  let a = Math.imul(0x811c9dc5 ^ u1, 0x01000193);
  let b = Math.imul(0x2f1b3c5d ^ u1, 0x5bd1e995);
  if (units) units.push(u1);
  if (u2 >= 0) {
    a = Math.imul(a ^ u2, 0x01000193);
    b = Math.imul(b ^ u2, 0x5bd1e995);
    if (units) units.push(u2);
  }
  return emit(a, b, start, end, count, hiA, loA, startA, endA, units, bounds);
}

/** Finishes a word's hash (64 bits from the two chains) and stores the word. */
function emit(a: number, b: number, start: number, end: number, count: number, hiA: Uint32Array, loA: Uint32Array, startA: Int32Array, endA: Int32Array, units: number[] | null, bounds: number[]): number {
  const x = fmix32(a);
  hiA[count] = x;
  loA[count] = fmix32(b ^ x);
  startA[count] = start;
  endA[count] = end;
  if (units) bounds.push(units.length);
  return count + 1;
}

/** B^len mod 2^32 for both halves: the factor that drops the word leaving a window of `len` words. */
export function windowPowers(len: number): [number, number] {
  let p1 = 1;
  let p2 = 1;
  for (let i = 0; i < len; i++) {
    p1 = Math.imul(p1, B1);
    p2 = Math.imul(p2, B2);
  }
  return [p1, p2];
}

/**
 * Keys of every window of `len` words among `count` words: window j (words j .. j+len-1) gets
 * (outHi[j], outLo[j]). Returns the number of windows (0 when there are fewer words than `len`).
 * Output arrays must hold at least `count` entries.
 *
 * The key's first half is the raw polynomial hash of the window's first word halves (xor the
 * length tag): it is already uniform, since word hashes are, and the matcher rolls only this half
 * along the document for its Bloom filter checks. The second half (the polynomial hash of the
 * second word halves, mixed with the first) is computed only for windows that pass the filter
 * (`windowKeyLo`).
 */
export function windowKeys(hi: Uint32Array, lo: Uint32Array, count: number, len: number, outHi: Uint32Array, outLo: Uint32Array): number {
  if (count < len) return 0;
  const [p1, p2] = windowPowers(len);
  const tag = keyTag(len);
  let h1 = 0;
  let h2 = 0;
  for (let i = 0; i < count; i++) {
    h1 = (Math.imul(h1, B1) + hi[i]!) | 0;
    h2 = (Math.imul(h2, B2) + lo[i]!) | 0;
    if (i >= len) {
      h1 = (h1 - Math.imul(hi[i - len]!, p1)) | 0;
      h2 = (h2 - Math.imul(lo[i - len]!, p2)) | 0;
    }
    if (i >= len - 1) {
      const k1 = (h1 ^ tag) >>> 0;
      outHi[i - len + 1] = k1;
      outLo[i - len + 1] = finishLo(h2, k1);
    }
  }
  return count - len + 1;
}

/** The second key half of the window of `len` words at `pos` (see `windowKeys`). */
export function windowKeyLo(lo: Uint32Array, pos: number, len: number, k1: number): number {
  let h2 = 0;
  for (let i = pos; i < pos + len; i++) h2 = (Math.imul(h2, B2) + lo[i]!) | 0;
  return finishLo(h2, k1);
}

function finishLo(h2: number, k1: number): number {
  const k2 = fmix32(h2 ^ k1);
  return k2 === 0 && k1 === 0 ? 1 : k2; // (0, 0) marks an empty table slot
}

/** The normalized words of a text (for inspection and tests; the hot paths use `WordScanner`). */
export function normalizeWords(text: string): string[] {
  return new WordScanner(64).words(text);
}
