/**
 * Prefix, suffix and infix rules of `spacy.blank("en")` (spaCy v3.5.4), written as direct
 * character tests instead of regular expressions so that every call is linear (prefix and suffix
 * tests look at a bounded window, except that a run of periods is measured once).
 *
 * All functions work on `s[lo, hi)`, a substring given by UTF-16 positions at code point
 * boundaries; look-behind and look-ahead never see outside it, as with a sliced Python string.
 */
import * as chars from './tokenizer-chars.js';

// Imports are copied into module-local constants: the hot loops then never go through the
// export accessors that some TypeScript loaders and test runners put in front of live bindings.
const { ALPHA, CHAR_FLAGS, CURRENCIES, DOT_BEFORE, ICON, LOWER, PREFIX_CHAR, QUOTE, SUFFIX_CHAR } = chars;
const { TABLE_SIZE, UNITS, UPPER } = chars;
const FLAGS = CHAR_FLAGS;

function flagsOf(cp: number): number {
  return cp < TABLE_SIZE ? FLAGS[cp] : 0;
}

const DOT = 0x2e;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Code point starting at `i` (a lone surrogate counts as one code point). */
export function cpAt(s: string, i: number, hi: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < hi) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

/** Code point ending just before `i`, or -1 at `lo`. */
function cpBefore(s: string, i: number, lo: number): number {
  if (i <= lo) return -1;
  const d = s.charCodeAt(i - 1);
  if (d >= 0xdc00 && d <= 0xdfff && i - 2 >= lo) {
    const c = s.charCodeAt(i - 2);
    if (c >= 0xd800 && c <= 0xdbff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return d;
}

function cpSize(cp: number): number {
  return cp > 0xffff ? 2 : 1;
}

/** Length of the prefix to split off `s[lo, hi)` (0: none). The first matching rule wins. */
export function findPrefix(s: string, lo: number, hi: number): number {
  if (lo >= hi) return 0;
  const c = s.charCodeAt(lo);
  if (c < 0xd800 || c > 0xdfff) {
    const f = flagsOf(c);
    if (f & PREFIX_CHAR) {
      if (c !== 0x2b) return 1; // "+" only when no digit follows
      if (lo + 1 >= hi || !isDigit(s.charCodeAt(lo + 1))) return 1;
    }
  }
  if (c === DOT && lo + 1 < hi && s.charCodeAt(lo + 1) === DOT) {
    let j = lo + 2;
    while (j < hi && s.charCodeAt(j) === DOT) j++;
    return j - lo;
  }
  if (c === 0x55 && s.startsWith('S$', lo + 1) && lo + 3 <= hi) return 3; // US$
  if ((c === 0x43 || c === 0x41) && lo + 1 < hi && s.charCodeAt(lo + 1) === 0x24) return 2; // C$ A$
  const cp = cpAt(s, lo, hi);
  if (flagsOf(cp) & ICON) return cpSize(cp);
  return 0;
}

const UNIT_OR_CURRENCY = new Set<string>([...UNITS, ...CURRENCIES]);
const LONGEST_AFTER_DIGIT = Math.max(...[...UNIT_OR_CURRENCY].map((u) => u.length));
/** First UTF-16 units of the units and currencies. */
const UNIT_START = new Uint8Array(0x10000);
for (const u of UNIT_OR_CURRENCY) UNIT_START[u.charCodeAt(0)] = 1;

/** Whether `s[p, hi)` matches one of the suffix rules, with look-behind limited to `lo`. */
function suffixAt(s: string, lo: number, p: number, hi: number): boolean {
  const len = hi - p;
  const c = s.charCodeAt(p);
  const before = p > lo ? s.charCodeAt(p - 1) : -1;
  if (len === 1) {
    if (flagsOf(c) & (SUFFIX_CHAR | ICON)) return true; // (no flags on surrogates)
    if (c === 0x2b) return isDigit(before);
    if (c === DOT) {
      const cp = cpBefore(s, p, lo);
      if (cp >= 0 && flagsOf(cp) & DOT_BEFORE) return true;
      if ((before | 0x20) === 0x66 || (before | 0x20) === 0x63 || (before | 0x20) === 0x6b) {
        if (p - 2 >= lo && s.charCodeAt(p - 2) === 0xb0) return true; // °C. °F. °K.
      }
      if (cp >= 0 && flagsOf(cp) & UPPER) {
        const cp2 = cpBefore(s, p - cpSize(cp), lo);
        if (cp2 >= 0 && flagsOf(cp2) & UPPER) return true;
      }
      return false;
    }
  } else if (len === 2) {
    const d = s.charCodeAt(p + 1);
    if (c === 0x2026 && d === 0x2026) return true; // "……"
    if ((c === 0x27 || c === 0x2019) && (d === 0x73 || d === 0x53)) return true; // 's 'S ’s ’S
    if (c >= 0xd800 && c <= 0xdbff && flagsOf(cpAt(s, p, hi)) & ICON) return true;
  }
  return isDigit(before) && UNIT_START[c] === 1 && len <= LONGEST_AFTER_DIGIT && UNIT_OR_CURRENCY.has(s.slice(p, hi));
}

/**
 * Length of the suffix to split off `s[lo, hi)` (0: none). Like a regular-expression search
 * for the alternatives anchored at the end, the match that starts leftmost wins.
 */
export function findSuffix(s: string, lo: number, hi: number): number {
  if (lo >= hi) return 0;
  let best = hi;
  if (s.charCodeAt(hi - 1) === DOT) {
    let r = hi - 1;
    while (r > lo && s.charCodeAt(r - 1) === DOT) r--;
    if (hi - r >= 2) best = r;
  }
  const from = Math.max(lo, hi - LONGEST_AFTER_DIGIT);
  for (let p = from; p < hi && p < best; p++) {
    const c = s.charCodeAt(p);
    if (c >= 0xdc00 && c <= 0xdfff && p > lo) {
      const h = s.charCodeAt(p - 1);
      if (h >= 0xd800 && h <= 0xdbff) continue; // inside a surrogate pair
    }
    if (suffixAt(s, lo, p, hi)) {
      best = p;
      break;
    }
  }
  return hi - best;
}

const HYPHENS: readonly string[] = ['-', '–', '—', '--', '---', '——', '~'];

function isAlphaCp(cp: number): boolean {
  return cp >= 0 && (flagsOf(cp) & ALPHA) !== 0;
}

/** End of the infix starting at `i` in `s[lo, hi)`, or -1. Alternatives are tried in order. */
function infixAt(s: string, lo: number, i: number, hi: number): number {
  const c = s.charCodeAt(i);
  if (c === DOT && i + 1 < hi && s.charCodeAt(i + 1) === DOT) {
    let j = i + 2;
    while (j < hi && s.charCodeAt(j) === DOT) j++;
    return j;
  }
  if (c === 0x2026) return i + 1;
  const cp = cpAt(s, i, hi);
  if (flagsOf(cp) & ICON) return i + cpSize(cp);
  const prev = cpBefore(s, i, lo);
  if (prev < 0) return -1;
  const next = i + 1 < hi ? cpAt(s, i + 1, hi) : -1;
  if ((c === 0x2b || c === 0x2d || c === 0x2a || c === 0x5e) && isDigit(prev)) {
    if (isDigit(next) || next === 0x2d) return i + 1;
  }
  if (c === DOT && flagsOf(prev) & (LOWER | QUOTE) && next >= 0 && flagsOf(next) & (UPPER | QUOTE)) return i + 1;
  if (c === 0x2c && isAlphaCp(prev) && isAlphaCp(next)) return i + 1;
  const prevOk = isAlphaCp(prev) || isDigit(prev);
  if (!prevOk) return -1;
  if (c === 0x2d || c === 0x2013 || c === 0x2014 || c === 0x7e) {
    for (const h of HYPHENS) {
      if (s.startsWith(h, i) && i + h.length < hi && isAlphaCp(cpAt(s, i + h.length, hi))) return i + h.length;
    }
  }
  if ((c === 0x3a || c === 0x3c || c === 0x3e || c === 0x3d || c === 0x2f) && isAlphaCp(next)) return i + 1;
  return -1;
}

/** UTF-16 units that can start an infix (see `infixAt`): its marks, the icons and surrogates. */
export const INFIX_START: Uint8Array = (() => {
  const t = new Uint8Array(0x10000);
  for (const ch of '.\u2026+-*^,\u2013\u2014~:<>=/') t[ch.charCodeAt(0)] = 1;
  for (let c = 0; c < 0x10000; c++) if (FLAGS[c]! & ICON) t[c] = 1;
  t.fill(1, 0xd800, 0xe000);
  return t;
})();

/**
 * Infix matches of `s[lo, hi)` as [start, end) pairs appended to `out`, scanning left to right
 * without overlap (like `finditer`). Returns the number of pairs.
 */
export function findInfixes(s: string, lo: number, hi: number, out: number[]): number {
  let n = 0;
  let i = lo;
  while (i < hi) {
    if (INFIX_START[s.charCodeAt(i)] === 0) {
      i++;
      continue;
    }
    const end = infixAt(s, lo, i, hi);
    if (end > i) {
      out.push(i, end);
      n++;
      i = end;
    } else {
      const c = s.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < hi && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    }
  }
  return n;
}
