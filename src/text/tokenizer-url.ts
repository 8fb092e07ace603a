/**
 * The URL rule of spaCy v3.5.4 (`URL_MATCH` in `spacy/lang/tokenizer_exceptions.py`): a string
 * that matches is one token. The pattern, a full match over a string without whitespace, is
 *
 *   [scheme "://"]? [userinfo "@"]? (IPv4 | domain) [":" port]? [("/" | "?" | "#") anything]?
 *
 * - scheme: 2+ of [\w+-.]; userinfo: any non-empty string (so any "@" can end it)
 * - IPv4: dotted quad with the pattern's octet limits, not 10.x, 127.x, 169.254.x, 192.168.x or
 *   172.16-31.x (these exclusions test a prefix, as the negative look-aheads do)
 * - domain: labels of 1-64 characters from [A-Za-z0-9\u00a1-\uffff] (inner ones may also be "_"
 *   or "-"), each followed by ".", then a top-level part of 2-63 lower-case letters (ALPHA_LOWER)
 * - port: 2-5 decimal digits
 * Instead of a backtracking regular expression, every place a host can start (the beginning,
 * after the scheme, after each "@") is tried once, so the test is linear in the length.
 */
import * as chars from './tokenizer-chars.js';
import * as rules from './tokenizer-rules.js';

// Imports are copied into module-local constants: the hot loops then never go through the
// export accessors that some TypeScript loaders and test runners put in front of live bindings.
const { LOWER, flagsOf } = chars;
const { cpAt } = rules;

const DIGIT_ND = /\p{Nd}/u;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

function isDecimal(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x30 && cp <= 0x39;
  return DIGIT_ND.test(String.fromCodePoint(cp));
}

function isAsciiAlnum(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || ((cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a);
}

/** A character of a scheme: [\w+\-.] (Python's Unicode \w). */
function isSchemeChar(cp: number): boolean {
  if (cp < 0x80) return isAsciiAlnum(cp) || cp === 0x5f || cp === 0x2b || cp === 0x2d || cp === 0x2e;
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

/** A character of a domain label: [A-Za-z0-9\u00a1-\uffff]. */
function isLabelChar(cp: number): boolean {
  if (cp < 0x80) return isAsciiAlnum(cp);
  return cp >= 0xa1 && cp <= 0xffff;
}

function isHostChar(cp: number): boolean {
  return isLabelChar(cp) || cp === 0x2e || cp === 0x5f || cp === 0x2d || (flagsOf(cp) & LOWER) !== 0;
}

function size(cp: number): number {
  return cp > 0xffff ? 2 : 1;
}

/** Whether `s[a, b)` is a domain: labels and a lower-case top-level part, separated by ".". */
function isDomain(s: string, a: number, b: number): boolean {
  let parts = 0;
  let start = a;
  while (start <= b) {
    let end = start;
    while (end < b && s.charCodeAt(end) !== 0x2e) end++;
    const last = end === b;
    let count = 0;
    for (let i = start; i < end; ) {
      const cp = cpAt(s, i, end);
      const n = size(cp);
      if (last) {
        if (!(flagsOf(cp) & LOWER)) return false;
      } else {
        const edge = i === start || i + n === end;
        if (!(isLabelChar(cp) || (!edge && (cp === 0x5f || cp === 0x2d)))) return false;
      }
      count++;
      i += n;
    }
    if (last) return parts >= 1 && count >= 2 && count <= 63;
    if (count < 1 || count > 64) return false;
    parts++;
    start = end + 1;
  }
  return false;
}

const IPV4 = new RegExp(
  '^(?!(?:10|127)(?:\\.\\p{Nd}{1,3}){3})(?!(?:169\\.254|192\\.168)(?:\\.\\p{Nd}{1,3}){2})' +
    '(?!172\\.(?:1[6-9]|2\\p{Nd}|3[0-1])(?:\\.\\p{Nd}{1,3}){2})' +
    '(?:[1-9]\\p{Nd}?|1\\p{Nd}\\p{Nd}|2[01]\\p{Nd}|22[0-3])(?:\\.(?:1?\\p{Nd}{1,2}|2[0-4]\\p{Nd}|25[0-5])){2}' +
    '(?:\\.(?:[1-9]\\p{Nd}?|1\\p{Nd}\\p{Nd}|2[0-4]\\p{Nd}|25[0-4]))(?=[:/?#]|$)',
  'u',
);

/** Whether `s[e, hi)` is a valid ending after the host: [":" port]? [[/?#] anything]?. */
function tailOk(s: string, e: number, hi: number): boolean {
  if (e >= hi) return true;
  let c = s.charCodeAt(e);
  if (c === 0x3a) {
    let i = e + 1;
    let digits = 0;
    while (i < hi && digits <= 5) {
      const cp = cpAt(s, i, hi);
      if (!isDecimal(cp)) break;
      digits++;
      i += size(cp);
    }
    if (digits < 2 || digits > 5) return false;
    if (i >= hi) return true;
    c = s.charCodeAt(i);
  }
  return c === 0x2f || c === 0x3f || c === 0x23;
}

/** The window where an IPv4 address starting at `h` is looked for. */
const IPV4_WINDOW = 48;

/** Number of "." in the IPv4 window at `h` (in `s[h, hi)`), counted up to 3 (an address has three). */
function dotsFrom(s: string, h: number, hi: number): number {
  const end = Math.min(hi, h + IPV4_WINDOW);
  let dots = 0;
  for (let i = h; i < end && dots < 3; i++) if (s.charCodeAt(i) === 0x2e) dots++;
  return dots;
}

/** Whether a host starting at `h` (then a valid ending) matches. */
function hostFrom(s: string, h: number, hi: number): boolean {
  if (h >= hi) return false;
  const c = s.charCodeAt(h);
  if (((c >= 0x30 && c <= 0x39) || c > 0x7f) && dotsFrom(s, h, hi) >= 3) {
    const m = IPV4.exec(s.slice(h, Math.min(hi, h + IPV4_WINDOW)));
    if (m !== null && (h + m[0].length === hi || tailOk(s, h + m[0].length, hi))) return true;
  }
  let e = h;
  while (e < hi) {
    const cp = cpAt(s, e, hi);
    if (!isHostChar(cp)) break;
    e += size(cp);
  }
  return e > h && isDomain(s, h, e) && tailOk(s, e, hi);
}

/** Whether `s[lo, hi)` (no whitespace) is a URL, an e-mail address or a host name. */
export function matchUrl(s: string, lo: number, hi: number): boolean {
  let dot = lo;
  while (dot < hi && s.charCodeAt(dot) !== 0x2e) dot++;
  if (dot === hi) return false; // both a domain and an IPv4 address need a "."
  if (hostFrom(s, lo, hi)) return true;
  let k = lo;
  let schemeLength = 0;
  while (k < hi) {
    const cp = cpAt(s, k, hi);
    if (!isSchemeChar(cp)) break;
    k += size(cp);
    schemeLength++;
  }
  if (schemeLength >= 2 && s.startsWith('://', k) && hostFrom(s, k + 3, hi)) return true;
  for (let at = lo + 1; at < hi; at++) {
    if (s.charCodeAt(at) === 0x40 && hostFrom(s, at + 1, hi)) return true;
  }
  return false;
}
