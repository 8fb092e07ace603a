/**
 * Document-level tokenization: cutting the text into whitespace-free chunks, tokenizing each chunk
 * (with fast paths for the common shapes), then the special-case pass when it can matter.
 *
 * In spaCy's token array a whitespace run becomes a token of its own, except for a single " "
 * after a word, which is attached to the word. Sentence splitting needs those whitespace tokens,
 * word splitting does not.
 */
import { isPyWhitespace } from './python.js';
import * as chars from './tokenizer-chars.js';
import * as chunks from './tokenizer-chunk.js';
import * as exceptions from './tokenizer-exceptions.js';
import * as matcher from './tokenizer-matcher.js';
import type { TokenRun } from './tokenizer-matcher.js';

// Imports are copied into module-local constants: the hot loops then never go through the
// export accessors that some TypeScript loaders and test runners put in front of live bindings.
const { CHAR_FLAGS, DOT_BEFORE, ICON, PREFIX_CHAR, SUFFIX_CHAR, TRIGGER, UPPER } = chars;
const { splitChunk } = chunks;
const { exceptionAt } = exceptions;
const { applySpecialCases, hasEffectiveMatch } = matcher;

/** Per UTF-16 unit: 0 plain (no rule can use it), 1 Python whitespace, 2 rule character. */
const KIND: Uint8Array = new Uint8Array(0x10000).map((_, c) => (isPyWhitespace(c) ? 1 : TRIGGER[c] === 1 ? 2 : 0));
const FLAGS = CHAR_FLAGS;
const PLAIN = 0;
const SPACE = 1;

/** Collects tokens (and their bounds when `bounds`). */
class Sink {
  readonly tokens: string[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  constructor(readonly bounds: boolean) {}

  /** Adds the exception pieces of `text[a, b)`, or else the whole; returns the pieces if any. */
  word(text: string, a: number, b: number): readonly string[] | undefined {
    const pieces = exceptionAt(text, a, b);
    if (pieces === undefined) {
      this.tokens.push(a === 0 && b === text.length ? text : text.slice(a, b));
      if (this.bounds) {
        this.starts.push(a);
        this.ends.push(b);
      }
    } else {
      this.pieces(pieces, a);
    }
    return pieces;
  }

  pieces(pieces: readonly string[], at: number): void {
    for (const piece of pieces) {
      this.tokens.push(piece);
      if (this.bounds) {
        this.starts.push(at);
        this.ends.push(at + piece.length);
      }
      at += piece.length;
    }
  }

  one(text: string, a: number, b: number): void {
    this.tokens.push(text.slice(a, b));
    if (this.bounds) {
      this.starts.push(a);
      this.ends.push(b);
    }
  }
}

/**
 * Tokens of a chunk whose only rule character is its last one, `text[b - 1]` (a, b: chunk
 * bounds). Returns whether the special-case pass may change something, or null when the shape
 * is not one of the handled ones.
 */
function lastCharChunk(text: string, a: number, b: number, out: Sink): boolean | null {
  const c = text.charCodeAt(b - 1);
  let splits: boolean;
  if (c === 0x2e) {
    // A period splits after a lower-case letter (and the like) or after two upper-case letters.
    const before = FLAGS[text.charCodeAt(b - 2)];
    const twoUpper = b - 3 >= a && (before & UPPER) !== 0 && (FLAGS[text.charCodeAt(b - 3)] & UPPER) !== 0;
    splits = (before & DOT_BEFORE) !== 0 || twoUpper;
  } else if ((FLAGS[c] & SUFFIX_CHAR) !== 0) {
    splits = true;
  } else {
    return null;
  }
  if (exceptionAt(text, a, b) !== undefined) return null;
  if (!splits) {
    out.one(text, a, b);
    return false;
  }
  const n = out.tokens.length;
  out.word(text, a, b - 1);
  out.one(text, b - 1, b);
  return hasEffectiveMatch(out.tokens, n);
}

/** Tokens of a chunk whose only rule character is its first one, a one-character prefix. */
function firstCharChunk(text: string, a: number, b: number, out: Sink): boolean | null {
  const c = text.charCodeAt(a);
  if ((FLAGS[c] & (PREFIX_CHAR | ICON)) === 0 || exceptionAt(text, a, b) !== undefined) return null;
  const n = out.tokens.length;
  out.one(text, a, a + 1);
  out.word(text, a + 1, b);
  return hasEffectiveMatch(out.tokens, n);
}

function allDigits(text: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Adds the tokens of chunk `text[a, b)`; `first`/`last`: its first and last rule characters. */
function addChunk(text: string, a: number, b: number, first: number, last: number, out: Sink): boolean {
  if (first < 0) {
    const n = out.tokens.length;
    const pieces = out.word(text, a, b);
    return pieces !== undefined && pieces.length > 1 && hasEffectiveMatch(out.tokens, n);
  }
  const pair = b - a === 2 && (text.charCodeAt(a) & 0xfc00) === 0xd800 && (text.charCodeAt(a + 1) & 0xfc00) === 0xdc00;
  if (b - a === 1 || pair) {
    // One character is one token, whatever rule matches it.
    out.one(text, a, b);
    return false;
  }
  if (first === a && last === b - 1 && allDigits(text, a, b)) {
    // A number without anything else: no rule splits it.
    out.one(text, a, b);
    return false;
  }
  if (first === last) {
    let fast: boolean | null = null;
    if (first === b - 1) fast = lastCharChunk(text, a, b, out);
    else if (first === a) fast = firstCharChunk(text, a, b, out);
    if (fast !== null) return fast;
  }
  const n = out.tokens.length;
  splitChunk(text, a, b, true, out.tokens);
  if (out.bounds) {
    let offset = a;
    for (let k = n; k < out.tokens.length; k++) {
      out.starts.push(offset);
      offset += (out.tokens[k] as string).length;
      out.ends.push(offset);
    }
  }
  return out.tokens.length - n > 1 && hasEffectiveMatch(out.tokens, n);
}

/**
 * spaCy's tokens of `text` (of `text.slice(start, end)` when given, with offsets into `text`) with
 * their bounds; with whitespace tokens when `withSpaces`.
 */
export function tokenRun(text: string, withSpaces: boolean, start = 0, end = text.length): TokenRun {
  return tokenize(text, withSpaces, true, start, end);
}

/** spaCy's word tokens of `text` (no whitespace tokens), without their bounds. */
export function wordTokens(text: string): string[] {
  return tokenize(text, false, false, 0, text.length).tokens;
}

function tokenize(text: string, withSpaces: boolean, bounds: boolean, start: number, end: number): TokenRun {
  const out = new Sink(bounds);
  let needsMatcher = false;
  const n = end;
  let i = start;
  while (i < n) {
    const spaceStart = i;
    while (i < n && KIND[text.charCodeAt(i)] === SPACE) i++;
    if (withSpaces && i > spaceStart) {
      // A single " " after a token belongs to that token; the rest of the run is a token.
      const from = spaceStart > start && text.charCodeAt(spaceStart) === 0x20 ? spaceStart + 1 : spaceStart;
      if (i > from) out.one(text, from, i);
    }
    if (i >= n) break;
    const chunkStart = i;
    let first = -1;
    let last = -1;
    for (; i < n; i++) {
      const kind = KIND[text.charCodeAt(i)];
      if (kind === PLAIN) continue;
      if (kind === SPACE) break;
      if (first < 0) first = i;
      last = i;
    }
    if (addChunk(text, chunkStart, i, first, last, out)) needsMatcher = true;
  }
  const run = { tokens: out.tokens, starts: out.starts, ends: out.ends };
  if (needsMatcher) {
    if (!bounds) {
      const spans = wordTokenSpans(text, run.tokens);
      run.starts = spans.starts;
      run.ends = spans.ends;
    }
    applySpecialCases(text, run);
  }
  return run;
}

/**
 * The bounds of `tokens`, the word tokens of `text` (they are its whitespace-free pieces, in
 * order, with nothing but whitespace between them).
 */
export function wordTokenSpans(text: string, tokens: readonly string[]): { starts: number[]; ends: number[] } {
  const starts = new Array<number>(tokens.length);
  const ends = new Array<number>(tokens.length);
  let at = 0;
  for (let k = 0; k < tokens.length; k++) {
    while (KIND[text.charCodeAt(at)] === SPACE) at++;
    starts[k] = at;
    at += (tokens[k] as string).length;
    ends[k] = at;
  }
  return { starts, ends };
}
