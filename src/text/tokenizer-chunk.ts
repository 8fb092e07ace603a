/**
 * Tokenization of one whitespace-free chunk, as spaCy's `Tokenizer._tokenize` does it:
 * 1. a chunk that is an exception is split as the exception says;
 * 2. otherwise prefixes and suffixes are split off, one of each per round, until none is left or
 *    the rest (or the rest without the new prefix or suffix) is an exception;
 * 3. what remains is an exception, a URL (one token), or is split at its infixes.
 */
import * as exceptions from './tokenizer-exceptions.js';
import * as rules from './tokenizer-rules.js';
import * as url from './tokenizer-url.js';

// Imports are copied into module-local constants: the hot loops then never go through the
// export accessors that some TypeScript loaders and test runners put in front of live bindings.
const { exceptionAt } = exceptions;
const { findInfixes, findPrefix, findSuffix, INFIX_START } = rules;
const { matchUrl } = url;

/** Whether `s[lo, hi)` has a character that can start an infix. */
function hasInfixStart(s: string, lo: number, hi: number): boolean {
  for (let i = lo; i < hi; i++) if (INFIX_START[s.charCodeAt(i)] === 1) return true;
  return false;
}

/** Splits `s[lo, hi)` at its infixes; an infix at the very start stays with the next piece. */
function splitInfixes(s: string, lo: number, hi: number, out: string[]): void {
  if (!hasInfixStart(s, lo, hi)) {
    out.push(lo === 0 && hi === s.length ? s : s.slice(lo, hi));
    return;
  }
  const matches: number[] = [];
  const count = findInfixes(s, lo, hi, matches);
  if (count === 0) {
    out.push(lo === 0 && hi === s.length ? s : s.slice(lo, hi));
    return;
  }
  let start = lo;
  for (let k = 0; k < count; k++) {
    const a = matches[2 * k] as number;
    const b = matches[2 * k + 1] as number;
    if (a === lo) continue;
    if (a !== start) out.push(s.slice(start, a));
    out.push(s.slice(a, b));
    start = b;
  }
  if (start < hi) out.push(start === 0 && hi === s.length ? s : s.slice(start, hi));
}

/**
 * Appends the tokens of the chunk `s[a, b)` to `out`. `useExceptions` false gives the
 * tokenization without exceptions that the special-case matcher compares against.
 */
export function splitChunk(s: string, a: number, b: number, useExceptions: boolean, out: string[]): void {
  if (useExceptions) {
    const whole = exceptionAt(s, a, b);
    if (whole !== undefined) {
      for (const piece of whole) out.push(piece);
      return;
    }
  }
  let lo = a;
  let hi = b;
  // Where the prefixes end and the suffixes start, in the order they were split off.
  let prefixEnds: number[] | null = null;
  let suffixStarts: number[] | null = null;
  let lastSize = -1;
  while (hi > lo && hi - lo !== lastSize) {
    if (useExceptions && lastSize >= 0 && exceptionAt(s, lo, hi) !== undefined) break;
    lastSize = hi - lo;
    const pre = findPrefix(s, lo, hi);
    if (pre > 0 && useExceptions && hi > lo + pre && exceptionAt(s, lo + pre, hi) !== undefined) {
      lo += pre;
      (prefixEnds ??= []).push(lo);
      break;
    }
    const suf = findSuffix(s, lo + pre, hi);
    if (suf > 0 && useExceptions && hi - suf > lo && exceptionAt(s, lo, hi - suf) !== undefined) {
      hi -= suf;
      (suffixStarts ??= []).push(hi);
      break;
    }
    if (pre > 0) {
      lo += pre;
      (prefixEnds ??= []).push(lo);
    }
    if (suf > 0) {
      hi -= suf;
      (suffixStarts ??= []).push(hi);
    }
  }
  let start = a;
  for (const end of prefixEnds ?? []) {
    out.push(s.slice(start, end));
    start = end;
  }
  if (hi > lo) {
    const middle = useExceptions ? exceptionAt(s, lo, hi) : undefined;
    if (middle !== undefined) for (const piece of middle) out.push(piece);
    else if (matchUrl(s, lo, hi)) out.push(s.slice(lo, hi));
    else splitInfixes(s, lo, hi, out);
  }
  if (suffixStarts === null) return;
  for (let k = suffixStarts.length - 1; k >= 0; k--) {
    out.push(s.slice(suffixStarts[k], k === 0 ? b : suffixStarts[k - 1]));
  }
}
