/**
 * Python string semantics that the reference filters rely on, for JS strings (UTF-16).
 * Lengths are in code points (Python `len`), whitespace is Python's `str.isspace()` set, line
 * breaks are those of `str.splitlines()`.
 */

/** Python `str.isspace()` for one UTF-16 code unit (all Python whitespace is in the BMP). */
export function isPyWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Line boundaries of Python `str.splitlines()` (besides the \r\n pair). */
export function isPyLineBreak(c: number): boolean {
  return (c >= 0x0a && c <= 0x0d) || (c >= 0x1c && c <= 0x1e) || c === 0x85 || c === 0x2028 || c === 0x2029;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** True when `s` holds a surrogate code unit (so code points and UTF-16 units may differ). */
export function hasSurrogates(s: string): boolean {
  return SURROGATE.test(s);
}

/** Python `len(s)`: code points, counting a surrogate pair once and a lone surrogate once. */
export function codePointLength(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let n = s.length;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) {
      const p = s.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) {
        n--;
        i++; // the next unit cannot pair with this low surrogate
      }
    }
  }
  return n;
}

/** Python `s.split()`: runs of non-whitespace. */
export function pySplit(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    if (isPyWhitespace(s.charCodeAt(i))) {
      if (start >= 0) {
        out.push(s.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}

/** `len(s.split())` without building the list. */
export function countWhitespaceWords(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const ws = isPyWhitespace(s.charCodeAt(i));
    if (!ws && !inWord) n++;
    inWord = !ws;
  }
  return n;
}

/** Python `s.strip()`, `s.lstrip()`, `s.rstrip()` with no argument. */
export function pyStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isPyWhitespace(s.charCodeAt(a))) a++;
  while (b > a && isPyWhitespace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

export function pyLstrip(s: string): string {
  let a = 0;
  while (a < s.length && isPyWhitespace(s.charCodeAt(a))) a++;
  return a === 0 ? s : s.slice(a);
}

export function pyRstrip(s: string): string {
  let b = s.length;
  while (b > 0 && isPyWhitespace(s.charCodeAt(b - 1))) b--;
  return b === s.length ? s : s.slice(0, b);
}

/** Python `s.splitlines()` (without keepends). */
export function pySplitlines(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isPyLineBreak(c)) {
      out.push(s.slice(start, i));
      i += c === 0x0d && s.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      start = i;
    } else i++;
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

/** Python `s.split("\n")`. */
export function pySplitNewlines(s: string): string[] {
  return s.split('\n');
}

/** Python `s.count(sub)` for a non-empty `sub` (non-overlapping, left to right). */
export function pyCount(s: string, sub: string): number {
  let n = 0;
  let i = s.indexOf(sub);
  while (i >= 0) {
    n++;
    i = s.indexOf(sub, i + sub.length);
  }
  return n;
}

/** Python `len(s[start:end])` (code points) for UTF-16 offsets that do not split a surrogate pair. */
export function codePointLengthRange(s: string, start: number, end: number): number {
  let n = end - start;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The code point that ends just before UTF-16 offset `end` (-1 when `end` is 0). */
export function codePointBefore(s: string, end: number): number {
  if (end <= 0) return -1;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xdc00 && c <= 0xdfff && end >= 2) {
    const p = s.charCodeAt(end - 2);
    if (p >= 0xd800 && p <= 0xdbff) return ((p - 0xd800) << 10) + (c - 0xdc00) + 0x10000;
  }
  return c;
}

let alphaBmp: Uint8Array | null = null;
const LETTER = /^\p{L}$/u;

/**
 * Python `ch.isalpha()` for one code point: Unicode general category L (Lu, Ll, Lt, Lm, Lo). The
 * BMP answers come from a table built on first use; astral code points ask the regex engine.
 */
export function isPyAlpha(cp: number): boolean {
  if (cp < 0x80) return (cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a;
  if (cp < 0x10000) {
    if (alphaBmp === null) {
      alphaBmp = new Uint8Array(0x10000);
      for (let c = 0x80; c < 0x10000; c++) {
        if (c >= 0xd800 && c <= 0xdfff) continue;
        if (LETTER.test(String.fromCharCode(c))) alphaBmp[c] = 1;
      }
    }
    return alphaBmp[cp] === 1;
  }
  return LETTER.test(String.fromCodePoint(cp));
}

/** True when some character of `s` is a Python letter (`any(c.isalpha() for c in s)`). */
export function hasPyAlpha(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) return true;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
      }
    }
    if (isPyAlpha(c)) return true;
  }
  return false;
}

const LINE_BREAK_NOT_LF = /[\v\f\r\x1c-\x1e\x85\u2028\u2029]/;

/**
 * The lines of Python `s.splitlines()` as UTF-16 bounds: `[start0, end0, start1, end1, ...]`,
 * without building the line strings. `s.splitlines()` has `bounds.length / 2` lines.
 */
export function pySplitlineBounds(s: string): number[] {
  const bounds: number[] = [];
  let start = 0;
  if (!LINE_BREAK_NOT_LF.test(s)) {
    // only "\n" breaks (the usual case): let the engine search for them
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', start)) {
      bounds.push(start, i);
      start = i + 1;
    }
  } else {
    let i = 0;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (isPyLineBreak(c)) {
        bounds.push(start, i);
        i += c === 0x0d && s.charCodeAt(i + 1) === 0x0a ? 2 : 1;
        start = i;
      } else i++;
    }
  }
  if (start < s.length) bounds.push(start, s.length);
  return bounds;
}

/** First index in [start, end) that is not Python whitespace (`end` when there is none). */
export function skipPyWhitespace(s: string, start: number, end: number): number {
  while (start < end && isPyWhitespace(s.charCodeAt(start))) start++;
  return start;
}

/** One past the last index in [start, end) that is not Python whitespace (`start` when none). */
export function trimPyWhitespaceEnd(s: string, start: number, end: number): number {
  while (end > start && isPyWhitespace(s.charCodeAt(end - 1))) end--;
  return end;
}
